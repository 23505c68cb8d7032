"""The expert form (专家库): particulars and, for a new expert, an optional account user name.
evaluation.services.experts checks and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, User
from core.choices import Action
from party.forms import RegionField, _style
from projects.models import Funder
from registry.forms import OrganizationField, organizations_for
from registry.models import Organization

from ..models import Expert
from .schemes import districts_for, own_district

FIELDS = (
    "name",
    "dimension",
    "affiliation_kind",
    "affiliation",
    "organization",
    "funder",
    "title",
    "specialty",
    "phone",
    "email",
    "is_active",
)


class ExpertForm(forms.ModelForm):
    region = RegionField(label=_("district"), queryset=Region.objects.none())
    organization = OrganizationField(
        label=_("affiliated organization"), queryset=Organization.objects.none(), required=False
    )
    username = forms.CharField(
        label=_("account user name"),
        max_length=150,
        required=False,
        help_text=_(
            "Optional: an account for the expert, who then sets a password and sees only their own assignments."
        ),
    )

    class Meta:
        model = Expert
        fields = ("region", *FIELDS)

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        initial = dict(initial or {})
        if instance is None and user is not None and (district := own_district(user)) is not None:
            initial.setdefault("region", district.pk)
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        if instance is not None:
            del self.fields["region"]
            if instance.user_id:
                del self.fields["username"]
        else:
            self.fields["region"].queryset = districts_for(user)
        if "username" in self.fields and not (user is not None and User.access_policy.allows(user, Action.ADD)):
            del self.fields["username"]  # accounts are made by those who make accounts (the administrator)
        self.fields["organization"].queryset = organizations_for(user, Action.VIEW)
        self.fields["organization"].use_text_box_beyond_limit()
        self.fields["funder"].queryset = Funder.objects.restrict(user).order_by("name", "pk")
        self.fields["funder"].required = False
        _style(self)

    def _post_clean(self):
        pass  # the service checks and writes

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in FIELDS if name in self.cleaned_data}
