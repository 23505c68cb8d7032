"""Forms of annual reports, list entries and roster imports. They collect input only; the
services validate and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import bounds, params
from core.choices import Action
from core.uploads import UploadFormField

from . import uscc
from .choices import OrganizationStatus
from .choices_reports import (
    AnnualReportConclusion,
    ListingEndReason,
    ListingReason,
    PartyStatus,
    SeriousListingEndReason,
)
from .models import AbnormalListing, AnnualReport, Organization
from .services_reports import REPORT_FIELDS
from .uploads import ROSTER_UPLOADS


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


def _organizations_for(user, action=Action.VIEW):
    return (
        Organization.objects.restrict(user, action)
        .filter(status=OrganizationStatus.ACTIVE)
        .select_related("region")
        .order_by("name")
    )


class OrganizationField(forms.ModelChoiceField):
    """An organization the user may act on: a drop-down for a few, and for a district's thousands
    a text box taking the name, the credit code or the filing number."""

    SELECT_LIMIT = 300
    default_error_messages = {
        "invalid_choice": _("No organization you may choose has this name, credit code or filing number."),
    }

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.number}）" if obj.number else obj.name

    def use_text_box_beyond_limit(self):
        if self.queryset.count() > self.SELECT_LIMIT:
            self.widget = forms.TextInput(attrs={"placeholder": _("Name, credit code or filing number")})

    def prepare_value(self, value):
        if isinstance(self.widget, forms.TextInput) and value not in (None, ""):
            if isinstance(value, Organization):
                return value.number or value.name
            pk = params.parse_id(value)
            if pk is not None:  # an initial id; typed text is shown back as typed
                obj = self.queryset.filter(pk=pk).first()
                return (obj.number or obj.name) if obj is not None else value
            return value
        return super().prepare_value(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str) and params.parse_id(value) is None:
            text = value.strip()
            code = uscc.normalize(text)
            found = list(self.queryset.filter(Q(uscc=code) | Q(filing_number=text) | Q(name=text))[:2])
            if len(found) == 1:
                return found[0]
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


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
        self.fields["party_status"].choices = [("", "---------"), *PartyStatus.choices]
        if instance is not None:
            # The organization and year of an existing report do not change.
            del self.fields["organization"]
            del self.fields["year"]
        else:
            self.fields["organization"].queryset = _organizations_for(user)
            self.fields["organization"].use_text_box_beyond_limit()
            if user is not None and user.organization_id:
                self.fields["organization"].initial = user.organization_id
        for name in ("income", "expenditure", "net_assets"):
            self.fields[name].widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
        self._style()

    def _post_clean(self):
        # The service validates (with the messages users read); no model validation here.
        pass

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS if name in self.cleaned_data}


class AnnualReportReviewForm(_BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("conclude", pgettext_lazy("annual report", "Conclude")), ("return", _("Return for correction"))),
    )
    conclusion = forms.ChoiceField(
        label=_("conclusion"), choices=[("", "---------"), *AnnualReportConclusion.choices], required=False
    )
    remarks = forms.CharField(label=_("remarks / reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

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
        self.fields["organization"].queryset = _organizations_for(user, Action.ADD)
        self.fields["organization"].use_text_box_beyond_limit()
        self._style()


class SeriousListingForm(_BootstrapMixin, forms.Form):
    organization = OrganizationField(label=_("organization"), queryset=Organization.objects.none())
    listing_note = forms.CharField(label=_("grounds for listing"), widget=forms.Textarea(attrs={"rows": 3}),
                                   required=False, **bounds.limits(AbnormalListing, "listing_note"))  # fmt: skip

    def __init__(self, *args, user=None, instance=None, initial=None, **kwargs):
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["organization"].queryset = _organizations_for(user, Action.ADD)
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
        else:
            choices = SeriousListingEndReason.choices
        self.fields["end_reason"].choices = choices
        self._style()


class RosterUploadForm(_BootstrapMixin, forms.Form):
    file = UploadFormField(
        policy=ROSTER_UPLOADS,
        label=_("Roster (xlsx)"),
        help_text=_(
            "Columns in Chinese: 名称, 统一社会信用代码, 类型, 类别, 所属街道, 所属社区, 负责人, 联系电话, "
            "住所, 成立日期 …; the header may be two rows deep and the columns in any order."
        ),
    )  # fmt: skip
    all_or_nothing = forms.BooleanField(
        label=_("All or nothing: import nothing if any row has an error"), required=False
    )

    def __init__(self, *args, user=None, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
