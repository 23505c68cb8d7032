"""The scoring form: one 0–100 score and a comment per expert indicator of the round's scheme.
The values are taken as typed; evaluation.services.scoring checks them (field score_<indicator id>)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from party.forms import _style


class ScoringForm(forms.Form):
    def __init__(self, *args, indicators=(), scores=None, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        scores = scores or {}
        self.indicators = list(indicators)
        for indicator in self.indicators:
            saved = scores.get(indicator.pk)
            self.fields[f"score_{indicator.pk}"] = forms.CharField(
                label=indicator.name,
                required=False,
                max_length=20,
                initial=saved.value if saved is not None else None,
                help_text=indicator.guidance,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0–100"}),
                disabled=locked,
            )
            self.fields[f"comment_{indicator.pk}"] = forms.CharField(
                label=_("comment on %(name)s") % {"name": indicator.name},
                required=False,
                max_length=2000,
                initial=saved.comment if saved is not None else "",
                widget=forms.Textarea(attrs={"rows": 2}),
                disabled=locked,
            )
        _style(self)

    def rows(self):
        """(indicator, score field, comment field) for the template."""
        return [(i, self[f"score_{i.pk}"], self[f"comment_{i.pk}"]) for i in self.indicators]

    def values(self) -> dict:
        """{indicator id: {"value": text, "comment": text}} for the indicators given a score."""
        values = {}
        for indicator in self.indicators:
            value = (self.cleaned_data.get(f"score_{indicator.pk}") or "").strip()
            comment = self.cleaned_data.get(f"comment_{indicator.pk}") or ""
            if value or comment:
                values[indicator.pk] = {"value": value, "comment": comment}
        return values
