"""Forms of organization grades (评估等级): award one, revoke one with a reason. They collect input
only; the services (evaluation.services.grades) check it, with messages naming the field, and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import bounds

from ..choices import Grade
from ..models import OrgGrade


def style(form: forms.Form) -> None:
    """Bootstrap classes on every widget; dates as date pickers."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"


class ServiceForm(forms.ModelForm):
    """A model form whose values a service validates (with the messages users read)."""

    def _post_clean(self):
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields if name in self.cleaned_data}


class OrgGradeForm(ServiceForm):
    grade = forms.TypedChoiceField(label=_("grade"), choices=Grade.choices, coerce=int)

    class Meta:
        model = OrgGrade
        fields = ("grade", "score", "awarded_on", "decision_number")
        widgets = {"awarded_on": forms.DateInput()}
        help_texts = {
            "awarded_on": _("Valid from 1 January of the next year through 31 December of the fifth year."),
            "score": _("0–1000, at most one decimal."),
        }

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        style(self)


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("revocation reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=bounds.SHORT_TEXT_MAX
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)
