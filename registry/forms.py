"""Forms of the registry: applications (new organization, change, deregistration), review
decisions and attachments. Forms only collect input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from core import bounds, params
from core.choices import Action
from core.uploads import UploadFormField

from . import selectors, uscc
from .choices import ApplicationKind, AttachmentKind, Category, FounderKind, LegalForm, OrganizationStatus
from .models import Application, Founder, Organization
from .permissions import KINDS_FOR_NEW
from .services import CHANGEABLE_FIELDS, MIN_FOUNDERS, NEW_ORGANIZATION_FIELDS, founders_as_rows
from .uploads import ATTACHMENT_UPLOADS, ROSTER_UPLOADS


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault("class", "form-control")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


def organization_field(name: str, required: bool = False) -> forms.Field:
    """A form field for one of the organization's particulars, labelled like the model."""
    model_field = Organization._meta.get_field(name)
    label = model_field.verbose_name
    if name == "legal_form":
        return forms.ChoiceField(label=label, choices=LegalForm.choices, required=required)
    if name == "category":
        return forms.ChoiceField(label=label, choices=[("", "---------"), *Category.choices], required=required)
    if name == "region":
        return RegionChoiceField(label=_("street / community"), queryset=Region.objects.none(), required=required)
    limits = bounds.limits(Organization, name)
    if name == "established_on":
        date_input = forms.DateInput(attrs={"type": "date"})
        return forms.DateField(label=label, required=required, widget=date_input, **limits)
    if name == "funds":
        return forms.DecimalField(label=label, required=required, max_digits=12, decimal_places=2, **limits)
    if name in ("member_count", "staff_count", "volunteer_count"):
        return forms.IntegerField(label=label, required=required, **limits)
    if name in ("business_scope",):
        return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}), **limits)
    return forms.CharField(label=label, required=required, max_length=model_field.max_length)


class FounderForm(forms.Form):
    """One founder (发起人) row of an establishment application; a blank row is skipped."""

    name = forms.CharField(label=Founder._meta.get_field("name").verbose_name, required=False, max_length=100)
    kind = forms.ChoiceField(
        label=Founder._meta.get_field("kind").verbose_name,
        choices=[("", "---------"), *FounderKind.choices],
        required=False,
    )
    community = RegionChoiceField(
        label=Founder._meta.get_field("community").verbose_name, queryset=Region.objects.none(), required=False
    )
    address = forms.CharField(label=Founder._meta.get_field("address").verbose_name, required=False, max_length=200)
    contact = forms.CharField(label=Founder._meta.get_field("contact").verbose_name, required=False, max_length=50)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities if communities is not None else Region.objects.none()
        _bootstrap(self)

    def row(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("community") is not None:
            data["community"] = data["community"].pk
        return data


FounderFormSet = forms.formset_factory(FounderForm, extra=0)


class ApplicationForm(forms.Form):
    """The application form; its fields depend on the kind. `current` holds the organization's
    values for a change, shown beside the proposed ones."""

    remarks = forms.CharField(
        label=_("remarks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        **bounds.limits(Application, "remarks"),
    )

    def __init__(self, *args, kind: str, user, instance=None, organization=None, **kwargs):
        self.kind, self.user, self.instance = kind, user, instance
        self.organization = organization or (instance.organization if instance else None)
        initial = kwargs.pop("initial", None) or {}
        super().__init__(*args, initial=initial, **kwargs)
        self.current: dict = {}
        fields: dict = {}
        if kind in KINDS_FOR_NEW:
            for name in NEW_ORGANIZATION_FIELDS:
                if name == "uscc" and kind == ApplicationKind.FILE:
                    continue
                fields[name] = organization_field(
                    name,
                    required=name
                    in ("name", "legal_form", "category", "region", "legal_representative", "phone", "address"),
                )
            fields["legal_form"].choices = [c for c in LegalForm.choices if c[0] in KINDS_FOR_NEW[kind]]
            fields["region"].queryset = selectors.applicable_regions(user)
            if "uscc" in fields:
                fields["uscc"].help_text = _("Leave empty if the bureau has not yet assigned a code.")
            if instance is not None:
                self.initial.update(instance.data)
            elif user.region is not None and user.region.level != "district":
                self.initial.setdefault("region", user.region.pk)
        elif kind == ApplicationKind.CHANGE:
            org = self.organization
            for name in CHANGEABLE_FIELDS:
                fields[name] = organization_field(name)
                value = getattr(org, name)
                self.current[name] = selectors.display_value(name, value)
                self.initial.setdefault(name, value.pk if name == "region" else value)
            fields["region"].queryset = selectors.applicable_regions(user).filter(path__startswith=org.district.path)
            fields["name"].required = True
            fields["legal_representative"].required = True
            if instance is not None:
                self.initial.update(instance.data)
        elif kind == ApplicationKind.DEREGISTER:
            fields["liquidation_conclusion"] = forms.CharField(
                label=_("liquidation conclusion"),
                required=True,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("How assets, debts and claims were settled, and the liquidation group's conclusion."),
                **bounds.limits(Application, "liquidation_conclusion"),
            )
            if instance is not None:
                self.initial["liquidation_conclusion"] = instance.liquidation_conclusion
        if instance is not None:
            self.initial["remarks"] = instance.remarks
        remarks = self.fields.pop("remarks")
        self.fields.update(fields)
        self.fields["remarks"] = remarks
        _bootstrap(self)
        self.founders = None
        if kind == ApplicationKind.ESTABLISH:
            rows = founders_as_rows(instance) if instance is not None else []
            communities = selectors.applicable_regions(user).filter(level="community")
            self.founders = FounderFormSet(
                data=self.data if self.is_bound else None,
                initial=rows + [{}] * max(2, 3 - len(rows)),
                prefix="founders",
                form_kwargs={"communities": communities},
            )

    def is_valid(self):
        valid = super().is_valid()
        if self.founders is None:
            return valid
        if not self.founders.is_valid():
            for error in self.founders.non_form_errors():
                self.add_error(None, _("Founders: %(problem)s") % {"problem": error})
            for number, form in enumerate(self.founders.forms, start=1):
                for name, errors in form.errors.items():
                    label = form.fields[name].label if name in form.fields else ""
                    for error in errors:
                        problem = f"{label}：{error}" if label else error
                        self.add_error(None, _("Founder %(n)d: %(problem)s") % {"n": number, "problem": problem})
            return False
        if len(self.founder_rows()) < MIN_FOUNDERS:
            self.add_error(
                None, _("Founders: name at least one resident or unit of the community founding the organization.")
            )
            return False
        return valid

    def founder_rows(self) -> list[dict] | None:
        """The founders' rows as the service takes them (blank rows left out); None when the kind
        names no founders."""
        if self.founders is None:
            return None
        rows = [form.row() for form in self.founders.forms if getattr(form, "cleaned_data", None)]
        return [row for row in rows if any(value not in (None, "") for value in row.values())]

    def rows(self):
        """(bound field, current value) for the change form's two-column layout."""
        return [(self[name], self.current.get(name)) for name in self.fields if name != "remarks"]

    def proposed_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("remarks", "liquidation_conclusion")}
        if "region" in data and data["region"] is not None:
            data["region"] = data["region"].pk
        return data


class DecisionForm(forms.Form):
    # No length limit here: the view takes the decision whatever the form says, and the service
    # refuses an over-long reason with its own message.
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    uscc = forms.CharField(label=_("unified social credit code"), required=False, max_length=40)
    uscc_override_reason = forms.CharField(label=_("reason for accepting the credit code"), required=False)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AttachmentKind.choices)
    file = UploadFormField(policy=ATTACHMENT_UPLOADS, label=_("file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


def organizations_for(user, action=Action.VIEW):
    """The active organizations `user` may choose for `action`, by name."""
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


class RosterUploadForm(forms.Form):
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
        _bootstrap(self)
