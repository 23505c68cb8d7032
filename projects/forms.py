"""Forms of the projects app. They only read input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.choices import RegionLevel, Role
from accounts.models import Region
from core.uploads import UploadFormField
from registry.choices import OrganizationStatus
from registry.forms import OrganizationField
from registry.models import Organization

from . import permissions
from .choices import (
    AttachmentKind,
    BudgetCategory,
    EntryKind,
    FunderKind,
    FundingSource,
    IndicatorSource,
    MilestoneStatus,
    ProcurementMethod,
    ReviewConclusion,
    ReviewStage,
    TargetGroup,
    VisitKind,
)
from .conf import major_activity_notice_days, major_activity_participants
from .models import BudgetLine, Funder, Project
from .rules import ENTRY_FIELDS
from .uploads import CONTRACT_UPLOADS, LEDGER_ATTACHMENT_UPLOADS, LEDGER_WORKBOOK_UPLOADS, VOUCHER_UPLOADS


class ServiceForm(forms.Form):
    """A plain form that knows the user and the instance it edits, with Bootstrap widgets."""

    def __init__(self, *args, instance=None, user=None, **kwargs):
        self.instance, self.user = instance, user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def funders_for(user):
    """The active funders a user may name: a street officer its street office and communities; the
    bureau every funder of its district."""
    if user is None or user.region is None or user.region.district_id is None:
        return Funder.objects.none()  # a city bureau funds nothing of a district's
    funders = Funder.objects.filter(is_active=True, region__path__startswith=user.region.path)
    if user.role == Role.STREET_OFFICER:
        funders = funders.filter(kind__in=permissions.STREET_ACTS_FOR)
    return funders.order_by("region__path", "name")


class ProjectForm(ServiceForm):
    organization = OrganizationField(queryset=Organization.objects.none(), label=_("organization"))
    title = forms.CharField(label=_("title"), max_length=200)
    funding_source = forms.ChoiceField(label=_("funding source"), choices=FundingSource.choices)
    funder = forms.ModelChoiceField(queryset=None, label=_("funder"))
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=12, decimal_places=2, min_value=0)
    start_date = forms.DateField(label=_("start date"), widget=DateInput())
    end_date = forms.DateField(label=_("end date"), widget=DateInput())
    target_groups = forms.MultipleChoiceField(
        label=_("target groups"), choices=TargetGroup.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    service_communities = forms.ModelMultipleChoiceField(queryset=None, label=_("service communities"), required=False)
    objectives = forms.CharField(label=_("objectives"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["organization"].queryset = (
            Organization.objects.restrict(user).filter(status=OrganizationStatus.ACTIVE).order_by("name")
        )
        # A district's thousands of organizations are typed (name or code), a few are chosen.
        self.fields["organization"].use_text_box_beyond_limit()
        self.fields["funder"].queryset = funders_for(user)
        district_id = (user.region.district_id or user.region.pk) if user and user.region else None
        communities = Region.objects.filter(district_id=district_id, level=RegionLevel.COMMUNITY)
        if user is not None and user.role == Role.STREET_OFFICER:
            communities = communities.filter(parent_id=user.region_id)
        self.fields["service_communities"].queryset = communities.order_by("path")
        if self.instance is not None:
            self.fields.pop("organization")
            for name in (
                "title",
                "funding_source",
                "funder",
                "amount",
                "start_date",
                "end_date",
                "target_groups",
                "objectives",
            ):
                self.initial.setdefault(name, getattr(self.instance, name))
            self.initial.setdefault("service_communities", list(self.instance.service_communities.all()))


class BudgetLineForm(ServiceForm):
    category = forms.ChoiceField(label=_("category"), choices=BudgetCategory.choices)
    name = forms.CharField(label=_("name"), max_length=100, required=False)
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=12, decimal_places=2)


class IndicatorForm(ServiceForm):
    name = forms.CharField(label=_("name"), max_length=100)
    unit = forms.CharField(label=_("unit"), max_length=20)
    target = forms.DecimalField(label=_("target"), max_digits=12, decimal_places=2)
    source = forms.ChoiceField(label=_("progress from"), choices=IndicatorSource.choices)


class IndicatorValueForm(ServiceForm):
    value = forms.DecimalField(label=_("entered value"), max_digits=12, decimal_places=2)


class LedgerEntryForm(ServiceForm):
    date = forms.DateField(label=_("date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("kind"), choices=EntryKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    participants = forms.IntegerField(label=_("participants"), initial=0)
    beneficiaries = forms.IntegerField(label=_("beneficiaries"), initial=0)
    volunteers = forms.IntegerField(label=_("volunteers"), initial=0)
    volunteer_hours = forms.DecimalField(label=_("volunteer hours"), max_digits=8, decimal_places=1, initial=0)
    foreign_involvement = forms.BooleanField(label=_("foreign involvement"), required=False)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    photos = UploadFormField(policy=LEDGER_ATTACHMENT_UPLOADS[AttachmentKind.PHOTO], multiple=True, label=_("photos"))
    sign_in_sheets = UploadFormField(
        policy=LEDGER_ATTACHMENT_UPLOADS[AttachmentKind.SIGN_IN_SHEET], multiple=True, label=_("sign-in sheets")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            for name in ENTRY_FIELDS:
                self.initial.setdefault(name, getattr(self.instance, name))
        self.fields["foreign_involvement"].help_text = _(
            "Activities with more than %(n)d participants, or with foreign involvement, must be reported."
        ) % {"n": major_activity_participants()}

    def entry_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ENTRY_FIELDS}

    def attachments(self) -> list:
        return [(AttachmentKind.PHOTO, f) for f in self.cleaned_data.get("photos") or []] + [
            (AttachmentKind.SIGN_IN_SHEET, f) for f in self.cleaned_data.get("sign_in_sheets") or []
        ]


class ExpenditureForm(ServiceForm):
    budget_line = forms.ModelChoiceField(queryset=BudgetLine.objects.none(), label=_("budget line"))
    date = forms.DateField(label=_("date"), widget=DateInput())
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=12, decimal_places=2)
    payee = forms.CharField(label=_("payee"), max_length=200)
    purpose = forms.CharField(label=_("purpose"), max_length=200, required=False)
    voucher_number = forms.CharField(label=_("voucher number"), max_length=50)
    voucher = UploadFormField(policy=VOUCHER_UPLOADS, label=_("voucher"), required=False)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = project.budget_lines.all()


class BudgetAdjustmentForm(ServiceForm):
    from_line = forms.ModelChoiceField(queryset=BudgetLine.objects.none(), label=_("from line"))
    to_line = forms.ModelChoiceField(queryset=BudgetLine.objects.none(), label=_("to line"))
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_line"].queryset = project.budget_lines.all()
        self.fields["to_line"].queryset = project.budget_lines.all()


class QuarterlySubmissionForm(ServiceForm):
    narrative = forms.CharField(label=_("narrative"), widget=forms.Textarea(attrs={"rows": 6}))


class ReasonForm(ServiceForm):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MajorActivityReportForm(ServiceForm):
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=_("project"), required=False)
    title = forms.CharField(label=_("title"), max_length=200)
    planned_date = forms.DateField(label=_("planned date"), widget=DateInput())
    place = forms.CharField(label=_("place"), max_length=200)
    expected_participants = forms.IntegerField(label=_("expected participants"))
    foreign_involvement = forms.BooleanField(label=_("foreign involvement"), required=False)
    foreign_details = forms.CharField(
        label=_("foreign involvement details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(self.user).order_by("code")
        self.fields["planned_date"].help_text = _(
            "Report at least %(days)d days in advance; later reports are flagged as late."
        ) % {"days": major_activity_notice_days()}
        self.fields["expected_participants"].help_text = _(
            "Activities with more than %(n)d participants, or with foreign involvement, must be reported."
        ) % {"n": major_activity_participants()}


class LedgerUploadForm(ServiceForm):
    file = UploadFormField(policy=LEDGER_WORKBOOK_UPLOADS, label=_("ledger workbook (xlsx)"))


class ExpenditureUploadForm(ServiceForm):
    file = UploadFormField(policy=LEDGER_WORKBOOK_UPLOADS, label=_("expenditure workbook (xlsx)"))


# ------------------------------------------------------------------------------------ oversight
# Numbers and dates are read as typed and checked by the services, whose messages name the field.


class ExpenditureReverseForm(ServiceForm):
    date = forms.DateField(
        label=_("date of the reversal"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: today. Never in a quarter the funder has accepted."),
    )
    reason = forms.CharField(label=_("reversal reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ProjectReviewForm(ServiceForm):
    stage = forms.ChoiceField(label=_("review stage"), choices=ReviewStage.choices)
    conclusion = forms.ChoiceField(label=_("conclusion"), choices=ReviewConclusion.choices)
    score = forms.CharField(
        label=_("score"),
        max_length=20,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
        help_text=_("0 to 100, at most two decimals."),
    )
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=DateInput(), required=False)
    remarks = forms.CharField(label=_("remarks"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the stages the project's state opens and not yet recorded (the service re-checks).
        open_stages = permissions.open_review_stages(project)
        self.fields["stage"].choices = [(v, label) for v, label in ReviewStage.choices if v in open_stages] or list(
            ReviewStage.choices
        )


class SupervisionVisitForm(ServiceForm):
    kind = forms.ChoiceField(label=_("kind"), choices=VisitKind.choices)
    visited_on = forms.DateField(label=_("visited on"), widget=DateInput())
    supervisor = forms.CharField(
        label=_("supervisor"), max_length=100, help_text=_("Who visited: the officer or the appointed supervisor.")
    )
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea(attrs={"rows": 4}))
    rectification = forms.CharField(
        label=_("rectification asked"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    rectification_due = forms.DateField(label=_("rectify by"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            self.initial.setdefault("supervisor", str(self.user))


class RectificationForm(ServiceForm):
    rectified_on = forms.DateField(label=_("rectified on"), widget=DateInput())
    rectification_note = forms.CharField(label=_("rectification report"), widget=forms.Textarea(attrs={"rows": 3}))


# --------------------------------------------------------------------------- purchase of services
# The services check every value again (projects.services.contracts, payments, funders).


class FunderForm(ServiceForm):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=FunderKind.choices)
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        label=_("region"),
        help_text=_("Where the funder sits: its district, or for a street office or community its own node."),
    )
    uscc = forms.CharField(label=_("unified social credit code"), max_length=18, required=False)
    contact_person = forms.CharField(label=_("contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=20, required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = getattr(self.user, "region", None)
        district_id = region.district_id if region is not None else None
        self.fields["region"].queryset = Region.objects.filter(district_id=district_id).order_by("path")
        if self.instance is None:
            self.fields.pop("is_active")
        else:
            for name in self.fields:
                self.initial.setdefault(name, getattr(self.instance, name))


class FunderAccountForm(ServiceForm):
    username = forms.CharField(label=_("user name"), max_length=150)
    full_name = forms.CharField(label=_("full name"), max_length=50, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    password1 = forms.CharField(label=_("password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Password again: the two passwords differ."))
        return data


class MilestoneForm(ServiceForm):
    """One row of a contract's milestones; an accepted one (amendment) is shown, not changed."""

    previous = forms.IntegerField(widget=forms.HiddenInput, required=False)
    deliverable = forms.CharField(label=_("deliverable"), max_length=200, required=False)
    due_date = forms.DateField(label=_("due date"), widget=DateInput(), required=False)
    share = forms.DecimalField(label=_("share of the amount (%)"), max_digits=5, decimal_places=2, required=False)
    remove = forms.BooleanField(label=_("drop"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.accepted = bool(self.initial.get("accepted"))
        row = (self.prefix or "").rsplit("-", 1)[-1]
        for name in ("deliverable", "due_date", "share", "remove"):
            field = self.fields[name]
            field.disabled = self.accepted
            # The rows are a table without <label>s: each input names its column and row.
            field.widget.attrs["aria-label"] = f"{field.label} {int(row) + 1}" if row.isdigit() else str(field.label)

    def spec(self) -> dict | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("remove") or not any(
            data.get(name) not in (None, "") for name in ("deliverable", "due_date", "share")
        ):
            return None
        return {name: data.get(name) for name in ("previous", "deliverable", "due_date", "share")}


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=2, max_num=20, validate_max=True)


class ContractForm(ServiceForm):
    number = forms.CharField(label=_("contract number"), max_length=60)
    procurement_method = forms.ChoiceField(label=_("procurement method"), choices=ProcurementMethod.choices)
    signed_on = forms.DateField(label=_("signed on"), widget=DateInput())
    amount = forms.DecimalField(label=_("contract amount (yuan)"), max_digits=12, decimal_places=2, min_value=0)
    start_date = forms.DateField(label=_("start date"), widget=DateInput())
    end_date = forms.DateField(label=_("end date"), widget=DateInput())
    file = UploadFormField(policy=CONTRACT_UPLOADS, label=_("contract file"), required=False)
    amendment_reason = forms.CharField(
        label=_("amendment reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, project: Project, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.contract = project, contract
        rows = []
        if contract is None:
            self.fields.pop("amendment_reason")
            self.initial.update(amount=project.amount, start_date=project.start_date, end_date=project.end_date)
        else:
            for name in ("number", "procurement_method", "signed_on", "amount", "start_date", "end_date"):
                self.initial[name] = getattr(contract, name)
            rows = [
                {
                    "previous": m.pk,
                    "deliverable": m.deliverable,
                    "due_date": m.due_date,
                    "share": m.share,
                    "accepted": m.status == MilestoneStatus.ACCEPTED,
                }
                for m in contract.milestones.order_by("sequence")
            ]
        data = args[0] if args else kwargs.get("data")
        self.milestones = MilestoneFormSet(data, prefix="m", initial=rows, form_kwargs={"user": self.user})

    def is_valid(self):
        return all([super().is_valid(), self.milestones.is_valid()])

    def milestone_specs(self) -> list[dict]:
        return [spec for form in self.milestones.forms if (spec := form.spec()) is not None]

    def contract_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("amendment_reason", None)
        return data


class PaymentForm(ServiceForm):
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput())
    amount = forms.DecimalField(label=_("amount (yuan)"), max_digits=12, decimal_places=2)
    reference = forms.CharField(
        label=_("payment reference"), max_length=60, help_text=_("The bank's transaction or voucher number.")
    )
    remarks = forms.CharField(label=_("remarks"), max_length=200, required=False)


class PaymentReverseForm(ServiceForm):
    paid_on = forms.DateField(
        label=_("date of the reversal"), widget=DateInput(), required=False, help_text=_("Empty: today.")
    )
    reason = forms.CharField(label=_("reversal reason"), max_length=200)
