"""Forms of annual reports and list entries. They collect input only; the services validate and
write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import bounds
from core.choices import Action
from registry.choices import PartyForm, RegistrationLevel
from registry.forms import OrganizationField, organizations_for
from registry.models import Organization

from .choices import (
    AnnualReportConclusion,
    ListingEndReason,
    ListingReason,
    RemovalProposal,
    SeriousListingEndReason,
)
from .models import AbnormalListing, AnnualReport, Revocation
from .services import REPORT_FIELDS, fields_for, party_prefill, report_kind_for


class _BootstrapMixin:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class AnnualReportForm(_BootstrapMixin, forms.ModelForm):
    organization = OrganizationField(label=_("organization"), queryset=Organization.objects.none())
    year = forms.IntegerField(label=_("year"), **bounds.limits(AnnualReport, "year"))

    class Meta:
        model = AnnualReport
        fields = ("organization", "year", *REPORT_FIELDS)
        widgets = {"activities": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        initial = dict(initial or {})
        if instance is None:
            initial.setdefault("year", timezone.localdate().year - 1)
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        self.fields["party_status"].choices = [("", "---------"), *PartyForm.choices]
        if instance is not None:
            # The organization and year of an existing report do not change.
            del self.fields["organization"]
            del self.fields["year"]
        else:
            self.fields["organization"].queryset = organizations_for(user)
            self.fields["organization"].use_text_box_beyond_limit()
            if user is not None and user.organization_id:
                self.fields["organization"].initial = user.organization_id
        # A filed organization's status report asks fewer particulars than a work report.
        organization_id = None
        if instance is None:
            organization_id = initial.get("organization") or self.fields["organization"].initial
        self.kind = self._kind(instance, organization_id)
        if self.kind is not None:
            for name in set(REPORT_FIELDS) - set(fields_for(self.kind)):
                del self.fields[name]
            if instance is None:
                self._prefill_party(organization_id, self.initial.get("year"))
        for name in ("income", "expenditure", "net_assets"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
        self._style()

    def _kind(self, instance, organization_id):
        """The kind of report the form is for, when the organization is known."""
        if instance is not None:
            return instance.kind
        if not organization_id:
            return None
        organization = self.fields["organization"].queryset.filter(pk=organization_id).first()
        return report_kind_for(organization) if organization is not None else None

    def _prefill_party(self, organization_id, year):
        """A new report's party section starts from party building's coverage at the year's end."""
        organization = self.fields["organization"].queryset.filter(pk=organization_id).first()
        if organization is None or not isinstance(year, int):
            return
        prefill = party_prefill(organization, year)
        if prefill:
            for name, value in prefill.items():
                self.initial.setdefault(name, value)
            self.fields["party_status"].help_text = _(
                "Filled in from the party coverage on record at the end of %(year)d; correct it if it has changed."
            ) % {"year": year}

    def _post_clean(self):
        # The service validates (with the messages users read); no model validation here.
        pass

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS if name in self.cleaned_data}


class ConclusionForm(_BootstrapMixin, forms.Form):
    """The fields the “conclude” step carries besides the button (the service checks them)."""

    conclusion = forms.ChoiceField(
        label=_("conclusion"), choices=[("", "---------"), *AnnualReportConclusion.choices], required=False
    )
    remarks = forms.CharField(
        label=pgettext_lazy("annual report", "remarks"), widget=forms.Textarea(attrs={"rows": 1}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AbnormalListingForm(_BootstrapMixin, forms.Form):
    organization = OrganizationField(label=_("organization"), queryset=Organization.objects.none())
    reason = forms.ChoiceField(label=pgettext_lazy("listing", "reason"), choices=ListingReason.choices)
    report_year = forms.IntegerField(
        label=_("report year"),
        required=False,
        help_text=_("Only for a missing annual report."),
        **bounds.limits(AbnormalListing, "report_year"),
    )
    listing_note = forms.CharField(label=_("grounds for listing"), widget=forms.Textarea(attrs={"rows": 3}),
                                   required=False, **bounds.limits(AbnormalListing, "listing_note"))  # fmt: skip

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["organization"].queryset = organizations_for(user, Action.ADD)
        self.fields["organization"].use_text_box_beyond_limit()
        self._style()


class SeriousListingForm(_BootstrapMixin, forms.Form):
    organization = OrganizationField(label=_("organization"), queryset=Organization.objects.none())
    listing_note = forms.CharField(label=_("grounds for listing"), widget=forms.Textarea(attrs={"rows": 3}),
                                   required=False, **bounds.limits(AbnormalListing, "listing_note"))  # fmt: skip

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["organization"].queryset = organizations_for(user, Action.ADD)
        self.fields["organization"].use_text_box_beyond_limit()
        self._style()


class ListingRemoveForm(_BootstrapMixin, forms.Form):
    end_reason = forms.ChoiceField(label=_("reason for removal"))
    end_note = forms.CharField(label=_("grounds for removal"), widget=forms.Textarea(attrs={"rows": 3}),
                               required=False)  # fmt: skip

    def __init__(self, *args, listing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(listing, AbnormalListing):
            choices = [c for c in ListingEndReason.choices if c[0] != ListingEndReason.MOVED_TO_SERIOUS]
            # A proposed removal comes with its reason already chosen.
            if listing.removal_pending:
                self.fields["end_reason"].initial = PROPOSED_END_REASON[listing.removal_proposal]
        else:
            choices = [c for c in SeriousListingEndReason.choices if c[0] != SeriousListingEndReason.SUPERSEDED]
        self.fields["end_reason"].choices = choices
        self._style()


# The reason for removal a proposal leads to.
PROPOSED_END_REASON = {
    RemovalProposal.REPORT_FILED: ListingEndReason.REPORT_FILED,
    RemovalProposal.NOTHING_TO_RECTIFY: ListingEndReason.NOTHING_TO_RECTIFY,
}


class ListingKeepForm(_BootstrapMixin, forms.Form):
    """The bureau decides against a proposed removal: the organization stays listed, with grounds."""

    note = forms.CharField(label=_("grounds for keeping it listed"), widget=forms.Textarea(attrs={"rows": 2}),
                           required=False)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class RevocationForm(_BootstrapMixin, forms.ModelForm):
    """A revocation or licence revocation of a registered organization: the decision's particulars.
    The organization is chosen when it is drafted and does not change."""

    organization = OrganizationField(label=_("organization"), queryset=Organization.objects.none())

    class Meta:
        model = Revocation
        fields = ("organization", "kind", "legal_basis", "facts", "decision_number", "decision_date")
        widgets = {
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "facts": forms.Textarea(attrs={"rows": 4}),
            "decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "legal_basis": _("The articles the decision rests on, e.g. 《社会团体登记管理条例》第三十条."),
            "decision_number": _("The number of the written decision, e.g. 西民罚〔2026〕3号."),
        }

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        if instance is not None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations_for(user, Action.ADD).filter(
                registration_level=RegistrationLevel.REGISTERED
            )
            self.fields["organization"].use_text_box_beyond_limit()
        self._style()

    def _post_clean(self):
        # The service validates (with the messages users read); no model validation here.
        pass

    def revocation_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields if name != "organization"}


class DecisionReasonForm(_BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
