"""Forms of the party app. They collect input only; the services (party.services) check it, with
messages naming the field, and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import RegionLevel
from accounts.models import Region
from core.choices import Action
from core.uploads import UploadFormField
from registry.forms import OrganizationField, organizations_for
from registry.models import Organization

from . import uploads
from .choices import PartyOrganizationStatus
from .models import ContactRecord, JointMeeting, MeetingDecision, PartyActivity, PartyCoverage, PartyOrganization

DATE = {"type": "date"}


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"


class RegionField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class OrganizationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.region.name}）"


def nodes_for(user):
    """The nodes a party organization, activity or meeting may sit at: the user's subtree, from the
    district down."""
    return (
        Region.objects.restrict(user, Action.VIEW)
        .filter(level__in=(RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY), is_active=True)
        .order_by("path")
    )


def party_organizations_for(user):
    return (
        PartyOrganization.objects.restrict(user, Action.VIEW)
        .filter(status=PartyOrganizationStatus.ACTIVE)
        .order_by("region__path", "name")
    )


class _ServiceForm(forms.ModelForm):
    """A model form whose values a service validates (with the messages users read)."""

    def _post_clean(self):
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self._meta.fields if name in self.cleaned_data}


class PartyOrganizationForm(_ServiceForm):
    organizations = OrganizationsField(
        label=_("organizations it covers"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Standalone: exactly one organization; joint: two or more; an alliance: its host among them."),
    )
    covers_from = forms.DateField(
        label=_("covers from"),
        required=False,
        widget=forms.DateInput(),
        help_text=_("The day from which a change of the covered organizations applies; empty: today."),
    )

    class Meta:
        model = PartyOrganization
        fields = ("name", "level", "formation", "region", "is_area_body", "parent", "secretary", "secretary_phone",
                  "established_on", "term_ends_on", "full_member_count", "probationary_member_count",
                  "host_organization", "rotation")  # fmt: skip
        field_classes = {"region": RegionField}
        widgets = {"established_on": forms.DateInput(), "term_ends_on": forms.DateInput()}
        help_texts = {"rotation": _("For a regional alliance: the order in which its members host it.")}

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        initial = dict(initial or {})
        if instance is not None:
            initial.setdefault(
                "organizations", list(instance.coverages.current().values_list("organization_id", flat=True))
            )
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        self.fields["region"].queryset = nodes_for(user)
        parents = party_organizations_for(user)
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents
        organizations = organizations_for(user, Action.VIEW)
        self.fields["organizations"].queryset = organizations
        self.fields["host_organization"].queryset = organizations
        self.fields["host_organization"].required = False
        _style(self)

    def covered(self):
        return list(self.cleaned_data.get("organizations") or [])

    def covered_from(self):
        return self.cleaned_data.get("covers_from")


class CoverageForm(_ServiceForm):
    """A new version of an organization's coverage, in force from a date; the fields start from the
    version in force."""

    class Meta:
        model = PartyCoverage
        fields = ("valid_from", "form", "party_organization", "full_party_members", "probationary_party_members",
                  "head_is_party_member", "management_on_committee", "committee_in_management", "instructor",
                  "instructor_phone", "planned_on", "no_party_reason", "trade_union_on", "youth_league_on",
                  "women_org_on", "note")  # fmt: skip
        widgets = {
            "valid_from": forms.DateInput(),
            "planned_on": forms.DateInput(),
            "trade_union_on": forms.DateInput(),
            "youth_league_on": forms.DateInput(),
            "women_org_on": forms.DateInput(),
            "no_party_reason": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "management_on_committee": _("双向进入、交叉任职: names separated by 、"),
            "party_organization": _("Only for a standalone or joint party organization."),
            "planned_on": _("Where there is none: when party building is planned, and why there is none."),
        }

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        super().__init__(*args, instance=None, initial=initial, **kwargs)
        self.fields["party_organization"].queryset = party_organizations_for(user)
        self.fields["valid_from"].required = False
        _style(self)


class ContactRecordForm(_ServiceForm):
    organization = OrganizationField(label=_("organization"), queryset=Organization.objects.none())
    attachments = UploadFormField(policy=uploads.CONTACT_ATTACHMENT_UPLOADS, multiple=True, label=_("attachments"))

    class Meta:
        model = ContactRecord
        fields = ("organization", "contacted_on", "form", "topics", "issues", "follow_up")
        widgets = {
            "contacted_on": forms.DateInput(),
            "topics": forms.Textarea(attrs={"rows": 3}),
            "issues": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        if instance is not None:
            # The organization of a contact does not change; more files are added on its page.
            del self.fields["organization"]
            del self.fields["attachments"]
        else:
            self.fields["organization"].queryset = organizations_for(user, Action.VIEW)
            self.fields["organization"].use_text_box_beyond_limit()
        _style(self)

    def values(self) -> dict:
        return {k: v for k, v in super().values().items() if k != "organization"}


class AttachmentForm(forms.Form):
    file = UploadFormField(policy=uploads.CONTACT_ATTACHMENT_UPLOADS, label=_("attachment"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class _HeldForm(_ServiceForm):
    organizations = OrganizationsField(
        label=_("attending organizations"), queryset=Organization.objects.none(), required=False
    )

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        initial = dict(initial or {})
        if instance is not None:
            initial.setdefault("organizations", list(instance.organizations.values_list("pk", flat=True)))
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        self.fields["host"].queryset = party_organizations_for(user)
        self.fields["organizations"].queryset = organizations_for(user, Action.VIEW)
        _style(self)

    def values(self) -> dict:
        return {k: v for k, v in super().values().items() if k != "organizations"}

    def attending(self):
        return list(self.cleaned_data.get("organizations") or [])


class PartyActivityForm(_HeldForm):
    class Meta:
        model = PartyActivity
        fields = ("kind", "held_on", "host", "topic", "organizations", "head_count", "note")
        widgets = {"held_on": forms.DateInput(), "note": forms.Textarea(attrs={"rows": 2})}


class JointMeetingForm(_HeldForm):
    minutes_file = UploadFormField(policy=uploads.MEETING_MINUTES_UPLOADS, label=_("minutes file"), required=False)

    class Meta:
        model = JointMeeting
        fields = ("held_on", "host", "topic", "organizations", "minutes", "minutes_file")
        widgets = {"held_on": forms.DateInput(), "minutes": forms.Textarea(attrs={"rows": 5})}

    def values(self) -> dict:
        values = super().values()
        if not values.get("minutes_file"):
            values.pop("minutes_file", None)  # no new file: the one there stays
        return values


class DecisionForm(_ServiceForm):
    class Meta:
        model = MeetingDecision
        fields = ("content", "responsible", "due_on")
        widgets = {"content": forms.Textarea(attrs={"rows": 2}), "due_on": forms.DateInput()}

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        _style(self)
