"""Forms of beneficiary feedback kept by the bureau: issuing respondent codes, and a paper batch (its
header and a grid of questionnaires, one row each; blank rows are skipped). They collect input only;
the services (evaluation.services.feedback) check it — a bad row names its row — and write nothing
while any row is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import bounds

from ..models import PaperBatch
from .grades import ServiceForm, style

MAX_CODES = 500
MAX_ROWS = 500
YES_NO = (("", "—"), ("1", _("Yes")), ("0", _("No")))
SATISFACTION = (("", "—"), *((str(n), str(n)) for n in range(1, 6)))


class CodesForm(forms.Form):
    count = forms.IntegerField(label=_("number of codes"), min_value=1, max_value=MAX_CODES, initial=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class PaperBatchForm(ServiceForm):
    class Meta:
        model = PaperBatch
        fields = ("collected_on", "place", "notes")
        widgets = {"collected_on": forms.DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        style(self)


class PaperRowForm(forms.Form):
    """One questionnaire: knew of the project, took part, satisfaction 1–5, a comment."""

    knew = forms.ChoiceField(label=_("knew of the project"), choices=YES_NO, required=False)
    took_part = forms.ChoiceField(label=_("took part"), choices=YES_NO, required=False)
    satisfaction = forms.ChoiceField(label=_("satisfaction (1–5)"), choices=SATISFACTION, required=False)
    comment = forms.CharField(label=_("comment"), required=False, max_length=bounds.SHORT_TEXT_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) for name in self.fields)

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.fields):
            return data
        missing = [str(self.fields[name].label) for name in ("knew", "took_part", "satisfaction") if not data.get(name)]
        if missing:
            raise forms.ValidationError(gettext("Row %(row)d: please fill in %(fields)s.") % {
                "row": self.row_number, "fields": "、".join(missing)})  # fmt: skip
        return data

    @property
    def row_number(self) -> int:
        return int(self.prefix.rsplit("-", 1)[-1]) + 1 if self.prefix else 1

    def row(self) -> dict:
        data = self.cleaned_data
        return {
            "knew": data["knew"] == "1",
            "took_part": data["took_part"] == "1",
            "satisfaction": int(data["satisfaction"]),
            "comment": data.get("comment", "").strip(),
        }


PaperRowFormSet = forms.formset_factory(PaperRowForm, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS,
                                        validate_max=True)  # fmt: skip


def rows_of(formset) -> list[dict]:
    """The filled rows of a valid formset, in order (blank rows skipped)."""
    return [form.row() for form in formset.forms if not form.is_blank()]
