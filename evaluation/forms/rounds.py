"""Forms of rounds: the round's particulars, the projects chosen for it and a manual assignment.
evaluation.services.rounds checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from party.forms import RegionField, _style

from ..models import Expert, Round, Scheme
from .schemes import districts_for, own_district

FIELDS = ("name", "year", "scheme", "experts_per_dimension", "scoring_due", "publicity_days", "notes")


class RoundForm(forms.ModelForm):
    region = RegionField(label=_("district"), queryset=Region.objects.none())

    class Meta:
        model = Round
        fields = ("region", *FIELDS)
        widgets = {"scoring_due": forms.DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        initial = dict(initial or {})
        if instance is None and user is not None and (district := own_district(user)) is not None:
            initial.setdefault("region", district.pk)
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        if instance is not None:
            del self.fields["region"]
        else:
            self.fields["region"].queryset = districts_for(user)
        schemes = Scheme.objects.restrict(user).filter(is_active=True)
        if instance is not None:
            schemes = Scheme.objects.restrict(user).filter(pk=instance.scheme_id) | schemes
        self.fields["scheme"].queryset = schemes.order_by("-pk")
        _style(self)

    def _post_clean(self):
        pass  # the service checks and writes

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in FIELDS if name in self.cleaned_data}


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        affiliation = obj.affiliation or obj.get_affiliation_kind_display()
        return f"{obj.name}（{obj.get_dimension_display()} · {affiliation}）"


class ManualAssignForm(forms.Form):
    """One expert for one project of the round (conflicts of interest are refused by the service)."""

    round_project = forms.IntegerField(widget=forms.HiddenInput)
    expert = ExpertChoiceField(label=_("expert"), queryset=Expert.objects.none())

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if experts is not None:
            self.fields["expert"].queryset = experts
        _style(self)
