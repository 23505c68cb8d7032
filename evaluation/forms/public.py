"""Forms of the public pages: the beneficiary survey (large, phone-first: each question a set of big
radio buttons) and the objection during publicity. The services check and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core import bounds

YES_NO = (("yes", _("Yes")), ("no", _("No")))
SATISFACTION = (
    ("1", _("1 · Very dissatisfied")),
    ("2", _("2 · Dissatisfied")),
    ("3", _("3 · Neutral")),
    ("4", _("4 · Satisfied")),
    ("5", _("5 · Very satisfied")),
)


class SurveyForm(forms.Form):
    knew = forms.ChoiceField(label=_("Did you know of this project?"), choices=YES_NO, widget=forms.RadioSelect)
    took_part = forms.ChoiceField(
        label=_("Have you taken part in this project's activities?"), choices=YES_NO, widget=forms.RadioSelect
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with this project?"), choices=SATISFACTION, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us (optional)"),
        required=False,
        max_length=bounds.SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-lg"}),
    )
    code = forms.CharField(
        label=_("Respondent code on your slip (if you have one)"),
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "knew": data["knew"] == "yes",
            "took_part": data["took_part"] == "yes",
            "satisfaction": int(data["satisfaction"]),
            "comment": data.get("comment", "").strip(),
            "code": data.get("code", "").strip(),
        }


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    contact = forms.CharField(label=_("contact"), max_length=100, help_text=_("A phone number or e-mail address."))
    content = forms.CharField(
        label=_("objection"), max_length=bounds.SHORT_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
