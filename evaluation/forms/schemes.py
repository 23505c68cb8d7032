"""The scheme form (评价方案): particulars and star thresholds, a formset of indicators (each with its
source and weight) and one of rater dimensions with their weights. They collect input only;
evaluation.services.schemes checks it (weights summing to 100, thresholds decreasing…) and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import RegionLevel
from accounts.models import Region
from core.choices import Action
from party.forms import RegionField, _style

from ..choices import Dimension, IndicatorSource
from ..models import Scheme

THRESHOLDS = ("five_star_min", "four_star_min", "three_star_min", "two_star_min")


def districts_for(user):
    """The districts the user may open a scheme or a round in: those of their subtree (their own)."""
    return (
        Region.objects.restrict(user, Action.VIEW).filter(level=RegionLevel.DISTRICT, is_active=True).order_by("path")
    )


def own_district(user):
    region = getattr(user, "region", None)
    if region is None:
        return None
    return region if region.level == RegionLevel.DISTRICT else region.district


class SchemeForm(forms.ModelForm):
    region = RegionField(label=_("district"), queryset=Region.objects.none())

    class Meta:
        model = Scheme
        fields = ("region", "name", "description", *THRESHOLDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        initial = dict(initial or {})
        if instance is None and user is not None:
            district = own_district(user)
            if district is not None:
                initial.setdefault("region", district.pk)
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        if instance is not None:
            del self.fields["region"]
        else:
            self.fields["region"].queryset = districts_for(user)
        _style(self)

    def _post_clean(self):
        pass  # the service checks the thresholds and writes

    def thresholds(self) -> dict:
        return {name: self.cleaned_data[name] for name in THRESHOLDS}


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50, required=False)
    source = forms.ChoiceField(label=_("source"), choices=[("", "---------"), *IndicatorSource.choices], required=False)
    weight = forms.DecimalField(label=_("weight"), required=False, max_digits=5, decimal_places=2)
    guidance = forms.CharField(
        label=_("scoring guidance"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("name") or data.get("source") or data.get("weight") is not None:
            for name in ("name", "source", "weight"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("This field is required."))
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        return {
            "name": data["name"],
            "source": data["source"],
            "weight": data["weight"],
            "guidance": data.get("guidance", ""),
        }


class DimensionForm(forms.Form):
    dimension = forms.ChoiceField(label=_("dimension"), choices=Dimension.choices)
    weight = forms.DecimalField(label=_("weight"), required=False, max_digits=5, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def row(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("dimension") or data.get("weight") is None:
            return None
        return {"dimension": data["dimension"], "weight": data["weight"]}


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=2, max_num=30, validate_max=True)
DimensionFormSet = forms.formset_factory(DimensionForm, extra=0, max_num=len(Dimension.choices), validate_max=True)


def indicator_initial(scheme) -> list[dict]:
    if scheme is None:
        return []
    return [
        {"name": i.name, "source": i.source, "weight": i.weight, "guidance": i.guidance}
        for i in scheme.indicators.order_by("sequence", "pk")
    ]


def dimension_initial(scheme) -> list[dict]:
    """One row per dimension: the scheme's weight, or none (not rated)."""
    weights = {} if scheme is None else {d.dimension: d.weight for d in scheme.dimensions.all()}
    return [{"dimension": code, "weight": weights.get(code)} for code, _label in Dimension.choices]


class SchemeCopyForm(forms.Form):
    name = forms.CharField(label=_("name of the copy"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
