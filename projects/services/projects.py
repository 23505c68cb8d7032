"""Projects: set-up, changes and their workflow."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region
from core import audit
from core.choices import AuditAction

from .. import permissions
from ..choices import FundingSource, ProjectStatus, TargetGroup
from ..models import Funder, Project
from ..money import ZERO, format_yuan
from ..rules import parse_amount, require, user_or_none
from ..workflows import PROJECT


def _project_code_prefix(organization, year: int) -> tuple[Region, str]:
    """街道-社区-年份: the street's code, the community's own three digits (000 for a street-level
    organization) and the year."""
    region = organization.region
    if region.level == RegionLevel.COMMUNITY:
        street, community_part = region.parent, region.code[-3:]
    elif region.level == RegionLevel.STREET:
        street, community_part = region, "000"
    else:
        street, community_part = region, "000000000"
    return street, f"{street.code}-{community_part}-{year}-"


def _next_project_code(organization, year: int) -> str:
    street, prefix = _project_code_prefix(organization, year)
    # The street's row serialises numbering: two projects created at once get consecutive numbers.
    Region.objects.select_for_update().filter(pk=street.pk).first()
    last = Project.objects.filter(code__startswith=prefix).aggregate(last=Max("code"))["last"]
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:03d}"


def _validate_project(
    *, organization, funder, funding_source, start_date, end_date, target_groups, service_communities, new=False
) -> None:
    errors = {}
    if new and organization.status != "active":
        errors["organization"] = _("Organization: %(name)s is not active (%(status)s); no project can be set up.") % {
            "name": organization.name,
            "status": organization.get_status_display(),
        }
    if funding_source not in FundingSource.values:
        errors["funding_source"] = _("Funding source: choose one of the listed sources.")
    district = organization.district if hasattr(organization, "district") else None
    if funder is None:
        errors["funder"] = _("Funder: choose the funder.")
    elif not funder.is_active:
        errors["funder"] = _("Funder: %(name)s is no longer active.") % {"name": funder.name}
    elif district is not None and (funder.region.district_id or funder.region_id) != district.pk:
        errors["funder"] = _("Funder: the funder must be in the organization's district.")
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = _("End date: the project cannot end before it starts.")
    unknown = [g for g in target_groups if g not in TargetGroup.values]
    if unknown:
        errors["target_groups"] = _("Target groups: unknown group %(group)s.") % {"group": unknown[0]}
    for community in service_communities:
        if community.level != RegionLevel.COMMUNITY or (district is not None and community.district_id != district.pk):
            errors["service_communities"] = _(
                "Service communities: %(name)s is not a community of the organization's district."
            ) % {"name": community.name}
            break
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *,
    by,
    organization,
    title: str,
    funding_source: str,
    funder: Funder,
    amount,
    start_date: dt.date,
    end_date: dt.date,
    target_groups=(),
    service_communities=(),
    objectives: str = "",
) -> Project:
    require(permissions.may_manage_project(by, organization, funder))
    amount = parse_amount("amount", amount, label=_("Amount"))
    target_groups, service_communities = list(target_groups), list(service_communities)
    _validate_project(
        organization=organization,
        funder=funder,
        funding_source=funding_source,
        start_date=start_date,
        end_date=end_date,
        target_groups=target_groups,
        service_communities=service_communities,
        new=True,
    )
    if not (title or "").strip():
        raise ValidationError({"title": _("Title: please enter the project's title.")})
    project = Project(
        code=_next_project_code(organization, start_date.year),
        title=title.strip(),
        organization=organization,
        funding_source=funding_source,
        funder=funder,
        amount=amount,
        start_date=start_date,
        end_date=end_date,
        target_groups=target_groups,
        objectives=objectives,
        created_by=user_or_none(by),
    )
    project.full_clean(exclude=["created_by"])
    project.save()
    project.service_communities.set(service_communities)
    audit.record(actor=by, action=AuditAction.CREATE, obj=project)
    return project


PROJECT_EDITABLE = (
    "title",
    "funding_source",
    "funder",
    "amount",
    "start_date",
    "end_date",
    "target_groups",
    "service_communities",
    "objectives",
)
# Once approved, the money and the period are fixed (budget changes go through adjustments).
PROJECT_FIXED_AFTER_APPROVAL = ("funder", "amount", "start_date", "end_date")


@transaction.atomic
def project_update(*, project: Project, by, **changes) -> Project:
    unknown = set(changes) - set(PROJECT_EDITABLE)
    if unknown:
        raise TypeError(f"project_update does not change {sorted(unknown)}")
    project = Project.objects.select_for_update().select_related("organization__region", "funder").get(pk=project.pk)
    require(permissions.may_manage_project(by, project.organization, changes.get("funder", project.funder)))
    if project.status in (ProjectStatus.CLOSED, ProjectStatus.TERMINATED):
        raise ValidationError({"status": _("Status: a closed or terminated project cannot be changed.")})
    if project.status != ProjectStatus.APPLIED:
        for name in PROJECT_FIXED_AFTER_APPROVAL:
            if name in changes and changes[name] != getattr(project, name):
                raise ValidationError(
                    {
                        name: _("%(field)s cannot change after approval.")
                        % {"field": Project._meta.get_field(name).verbose_name}
                    }
                )
    before = audit.snapshot(project)
    communities = changes.pop("service_communities", None)
    if "amount" in changes:
        changes["amount"] = parse_amount("amount", changes["amount"], label=_("Amount"))
    for name, value in changes.items():
        setattr(project, name, value)
    _validate_project(
        organization=project.organization,
        funder=project.funder,
        funding_source=project.funding_source,
        start_date=project.start_date,
        end_date=project.end_date,
        target_groups=project.target_groups,
        service_communities=communities if communities is not None else [],
    )
    project.full_clean(exclude=["created_by"])
    project.save()
    if communities is not None:
        project.service_communities.set(communities)
    audit.record(actor=by, action=AuditAction.UPDATE, obj=project, before=before)
    return project


def _check_budget_matches(project: Project) -> None:
    """Approval: the budget lines add up to the project's amount."""
    lines = list(project.budget_lines.all())
    total = sum((line.amount for line in lines), ZERO)
    if not lines or total != project.amount:
        raise ValidationError(
            {
                "amount": _(
                    "Budget lines: the lines add up to %(total)s but the project amount is %(amount)s; "
                    "they must be equal before approval."
                )
                % {"total": format_yuan(total), "amount": format_yuan(project.amount)}
            }
        )


@transaction.atomic
def project_transition(*, project: Project, by, name: str, reason: str = "") -> Project:
    def effect(project, transition):
        if transition.name == "approve":
            _check_budget_matches(project)
        if transition.needs_reason:
            project.status_reason = reason.strip()
        project.status_changed_at = timezone.now()

    return PROJECT.apply(project, name, by=by, reason=reason, effect=effect)
