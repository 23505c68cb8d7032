"""Forms of objections: an organization's objection to a published result, and the bureau's answer
(its outcome; the answer itself is the transition's reason)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from party.forms import _style

from ..choices import ObjectionOutcome


class ObjectionForm(forms.Form):
    content = forms.CharField(label=_("objection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    contact = forms.CharField(
        label=_("contact"),
        max_length=100,
        required=False,
        help_text=_("How the bureau reaches you about it; empty: your account's."),
    )

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class AnswerOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=ObjectionOutcome.choices)
