"""Party organizations: their particulars and the organizations they cover. Which organizations a
party organization covers is read from the coverage history: covering an organization opens a new
coverage row naming it (form standalone for a standalone formation, joint otherwise); leaving it
opens one without (instructor if the organization has one, else none). Dissolving is a workflow
step (party.workflows.PARTY_ORGANIZATION), refused while it still covers organizations."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Region
from core import audit
from core.choices import AuditAction
from registry.choices import OrganizationStatus, PartyForm
from registry.models import Organization

from .. import permissions as rules
from ..choices import Formation, PartyOrganizationStatus
from ..conf import standalone_minimum_members
from ..models import PartyCoverage, PartyOrganization
from ..workflows import PARTY_ORGANIZATION
from .common import (
    assign,
    label,
    locked_organization,
    not_in_future,
    organizations_refusal,
    raise_errors,
    require,
    user_or_none,
)
from .coverage import current_coverage, form_for, open_coverage

PARTY_ORGANIZATION_FIELDS = (
    "name",
    "level",
    "formation",
    "region",
    "is_area_body",
    "parent",
    "secretary",
    "secretary_phone",
    "established_on",
    "term_ends_on",
    "full_member_count",
    "probationary_member_count",
    "host_organization",
    "rotation",
)
REQUIRED = ("name", "level", "formation", "region", "established_on")


def covered_organizations(party_organization) -> list[Organization]:
    """The organizations whose current coverage names the party organization."""
    return list(
        Organization.objects.filter(
            party_coverages__valid_to__isnull=True, party_coverages__party_organization=party_organization
        )
        .select_related("region")
        .order_by("pk")
    )


def _check_particulars(body: PartyOrganization, errors: dict) -> None:
    not_in_future(body, "established_on", errors)
    if (
        "term_ends_on" not in errors
        and body.term_ends_on
        and body.established_on
        and body.term_ends_on <= body.established_on
    ):
        errors["term_ends_on"] = _("%(field)s: the term ends after the party organization is established.") % {
            "field": label(PartyOrganization, "term_ends_on")
        }
    parent = body.parent
    if parent is not None and "parent" not in errors:
        if parent.pk is not None and parent.pk == body.pk:
            errors["parent"] = _("%(field)s: a party organization is not its own parent.") % {
                "field": label(PartyOrganization, "parent")
            }
        elif not parent.is_active:
            errors["parent"] = _("%(field)s: %(name)s has been dissolved.") % {
                "field": label(PartyOrganization, "parent"),
                "name": parent.name,
            }
        elif body.region is not None and not parent.region.contains(body.region):
            errors["parent"] = _("%(field)s: %(name)s is not over %(region)s.") % {
                "field": label(PartyOrganization, "parent"),
                "name": parent.name,
                "region": body.region.name,
            }
        elif body.pk is not None and body.region is not None:
            ancestor, seen = parent, set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == body.pk:
                    errors["parent"] = _("%(field)s: %(name)s is below this party organization.") % {
                        "field": label(PartyOrganization, "parent"),
                        "name": parent.name,
                    }
                    break
                seen.add(ancestor.pk)
                ancestor = ancestor.parent
    if (
        "name" not in errors
        and body.name
        and body.region is not None
        and PartyOrganization.objects.filter(region=body.region, name=body.name, status=PartyOrganizationStatus.ACTIVE)
        .exclude(pk=body.pk)
        .exists()
    ):
        errors["name"] = _("%(field)s: %(region)s already has a party organization named %(name)s.") % {
            "field": label(PartyOrganization, "name"),
            "region": body.region.name,
            "name": body.name,
        }
    if body.is_area_body and body.region is not None:
        other = (
            PartyOrganization.objects.filter(
                region=body.region, is_area_body=True, status=PartyOrganizationStatus.ACTIVE
            )
            .exclude(pk=body.pk)
            .first()
        )
        if other is not None:
            errors["is_area_body"] = _("%(field)s: %(name)s is already the responsible party body of %(region)s.") % {
                "field": label(PartyOrganization, "is_area_body"),
                "name": other.name,
                "region": body.region.name,
            }


def _check_covered(user, body: PartyOrganization, organizations: list, errors: dict) -> None:
    """The covered set against the formation's rules: standalone covers exactly one organization and
    has the minimum of full members; joint covers two or more; composite at least one; an alliance
    two or more with its host among them. A responsible party body of an area (a community's party
    organization, a street's party working committee) may cover none."""
    field = "organizations"
    count = len(organizations)
    if "formation" in errors:
        return
    formation = body.formation
    if formation == Formation.STANDALONE:
        minimum = standalone_minimum_members()
        if "full_member_count" not in errors and body.full_member_count < minimum:
            errors["full_member_count"] = _(
                "%(field)s: a standalone party organization has at least %(n)d full members (%(count)d given); "
                "form a joint one or appoint an instructor instead."
            ) % {"field": label(PartyOrganization, "full_member_count"), "n": minimum, "count": body.full_member_count}
        if count != 1 and not (body.is_area_body and count == 0):
            errors.setdefault(
                field,
                _(
                    "Covered organizations: a standalone party organization covers exactly one organization "
                    "(%(n)d chosen)."
                )
                % {"n": count},
            )
    elif formation == Formation.JOINT and count < 2 and not (body.is_area_body and count == 0):
        errors.setdefault(
            field,
            _("Covered organizations: a joint party organization covers two or more organizations (%(n)d chosen).")
            % {"n": count},
        )
    elif formation == Formation.COMPOSITE and count < 1 and not body.is_area_body:
        errors.setdefault(
            field, _("Covered organizations: a composite party organization covers at least one organization.")
        )
    elif formation == Formation.ALLIANCE:
        if count < 2:
            errors.setdefault(
                field,
                _("Covered organizations: a regional alliance has two or more organizations (%(n)d chosen).")
                % {"n": count},
            )
        if body.host_organization is None:
            errors.setdefault(
                "host_organization",
                _("%(field)s: name the organization hosting the alliance in rotation.")
                % {"field": label(PartyOrganization, "host_organization")},
            )
        elif body.host_organization.pk not in {o.pk for o in organizations}:
            errors.setdefault(
                "host_organization",
                _("%(field)s: %(name)s is not among the alliance's organizations.")
                % {"field": label(PartyOrganization, "host_organization"), "name": body.host_organization.name},
            )
    if formation != Formation.ALLIANCE and body.host_organization is not None:
        errors.setdefault(
            "host_organization",
            _("%(field)s: only a regional alliance has a rotating host.")
            % {"field": label(PartyOrganization, "host_organization")},
        )
    elsewhere = PartyCoverage.objects.current().filter(organization__in=organizations, party_organization__isnull=False)
    if body.pk is not None:
        elsewhere = elsewhere.exclude(party_organization=body.pk)
    covered_elsewhere = elsewhere.select_related("organization", "party_organization").first()
    if covered_elsewhere is not None:
        errors.setdefault(
            field,
            _("Covered organizations: %(name)s is covered by %(body)s; take it out of that one first.")
            % {"name": covered_elsewhere.organization.name, "body": covered_elsewhere.party_organization.name},
        )
    inactive = next((o for o in organizations if o.status != OrganizationStatus.ACTIVE), None)
    if inactive is not None:
        errors.setdefault(
            field,
            _("Covered organizations: %(name)s is not active (%(status)s).")
            % {"name": inactive.name, "status": inactive.get_status_display()},
        )


def _organizations(user, body: PartyOrganization, organizations, errors: dict) -> list:
    """The covered organizations, locked (their coverage changes), each inside the party
    organization's node and the user's subtree."""
    given = list(organizations)
    if any(not isinstance(o, Organization) for o in given):
        errors["organizations"] = _("Covered organizations: choose organizations from the list.")
        return []
    ids = sorted({o.pk for o in given})
    locked = list(
        Organization.objects.select_for_update(of=("self",)).select_related("region").filter(pk__in=ids).order_by("pk")
    )
    region = body.region if "region" not in errors else None
    return organizations_refusal(
        user,
        locked,
        region,
        "organizations",
        errors,
        field_label=_("Covered organizations"),
        rule=rules.may_keep_coverage,
    )


def _covers_from(body: PartyOrganization, organizations: list, covers_from, errors: dict) -> dt.date:
    """The day from which a change of the covered set applies (default today): a party organization
    recorded long after it was formed covers its organizations from a past day, so the statistics of
    that day count it. Not in the future, not before it was established, and not before the coverage
    in force of any organization it takes in or lets go (history is added to, never rewritten)."""
    field = {"field": _("covers from")}
    day = covers_from or timezone.localdate()
    if not isinstance(day, dt.date):
        errors["covers_from"] = _("%(field)s: enter a date such as 2026-03-01.") % field
        return timezone.localdate()
    if day > timezone.localdate():
        errors["covers_from"] = _("%(field)s: the date cannot be in the future.") % field
    elif isinstance(body.established_on, dt.date) and day < body.established_on:
        errors["covers_from"] = _("%(field)s: a party organization covers nothing before it was established.") % field
    else:
        later = (
            PartyCoverage.objects.current()
            .filter(organization__in=organizations, valid_from__gt=day)
            .select_related("organization")
            .first()
        )
        if later is not None:
            errors["covers_from"] = _(
                "%(field)s: the coverage in force of %(organization)s has applied since %(date)s; a change starts "
                "then or later."
            ) % {
                **field,
                "organization": later.organization,
                "date": formats.date_format(later.valid_from, "DATE_FORMAT"),
            }
    return day


def _cover(user, body: PartyOrganization, organizations: list, previous: list, day: dt.date) -> None:
    """Open coverage rows, from `day`, for the organizations newly covered (or whose form changes with
    the formation) and for those no longer covered."""
    wanted = form_for(body.formation)
    now_ids = {o.pk for o in organizations}
    for organization in organizations:
        current = current_coverage(organization)
        if current is None or current.party_organization_id != body.pk or current.form != wanted:
            open_coverage(user, organization, {"form": wanted, "party_organization": body}, valid_from=day)
    for organization in previous:
        if organization.pk in now_ids:
            continue
        organization = locked_organization(organization)
        current = current_coverage(organization)
        form = PartyForm.INSTRUCTOR if current is not None and current.instructor else PartyForm.NONE
        open_coverage(user, organization, {"form": form, "party_organization": None}, valid_from=day)


def _resolve_region(values: dict, errors: dict) -> None:
    region = values.get("region")
    if region is not None and not isinstance(region, Region):
        errors["region"] = _("%(field)s: choose one of the listed entries.") % {
            "field": label(PartyOrganization, "region")
        }
        values.pop("region")


@transaction.atomic
def party_organization_create(user, *, organizations=(), covers_from=None, **values) -> PartyOrganization:
    """A party organization at `region`, covering `organizations` (their coverage gets a new current
    row naming it, in force from `covers_from`, default today)."""
    errors: dict = {}
    _resolve_region(values, errors)
    region = values.get("region")
    if region is not None:
        require(rules.may_keep_node(user, region))
    elif user is not None and not getattr(user, "is_superuser", False):
        require(rules.may_keep_node(user, getattr(user, "region", None)))
    body = PartyOrganization(created_by=user_or_none(user))
    assign(body, values, PARTY_ORGANIZATION_FIELDS, errors, required=REQUIRED)
    _check_particulars(body, errors)
    organizations = _organizations(user, body, organizations, errors)
    _check_covered(user, body, organizations, errors)
    day = _covers_from(body, organizations, covers_from, errors)
    raise_errors(errors)
    body.save()
    audit.record(actor=user, action=AuditAction.CREATE, obj=body)
    _cover(user, body, organizations, [], day)
    return body


@transaction.atomic
def party_organization_update(
    user, party_organization, *, organizations=None, covers_from=None, **values
) -> PartyOrganization:
    """Change the particulars; `organizations` (when given) is the new covered set, from `covers_from`
    (default today)."""
    body = (
        PartyOrganization.objects.select_for_update(of=("self",)).select_related("region").get(pk=party_organization.pk)
    )
    require(rules.may_keep_organization(user, body))
    if not body.is_active:
        raise_errors({"status": _("Status: a dissolved party organization cannot be changed.")})
    errors: dict = {}
    _resolve_region(values, errors)
    if values.get("region") is not None:
        require(rules.may_keep_node(user, values["region"]))
    before = audit.snapshot(body)
    previous = covered_organizations(body)
    assign(body, values, PARTY_ORGANIZATION_FIELDS, errors, required=REQUIRED)
    _check_particulars(body, errors)
    if organizations is None:
        organizations = previous
    organizations = _organizations(user, body, organizations, errors)
    _check_covered(user, body, organizations, errors)
    changed = {o.pk for o in organizations} ^ {o.pk for o in previous}
    moved = [o for o in [*organizations, *previous] if o.pk in changed]
    day = _covers_from(body, moved, covers_from, errors)
    raise_errors(errors)
    body.save()
    audit.record(actor=user, action=AuditAction.UPDATE, obj=body, before=before)
    _cover(user, body, organizations, previous, day)
    return body


@transaction.atomic
def party_organization_dissolve(user, party_organization, *, reason: str) -> PartyOrganization:
    """Dissolve (workflow step "dissolve"): refused while current coverage still names it or an
    active party organization has it as parent."""

    def effect(body, transition):
        if PartyCoverage.objects.current().filter(party_organization=body).exists():
            raise_errors(
                {
                    "status": _("Status: %(name)s still covers organizations; record their coverage elsewhere first.")
                    % {"name": body.name}
                }
            )
        if PartyOrganization.objects.filter(Q(parent=body), status=PartyOrganizationStatus.ACTIVE).exists():
            raise_errors(
                {"status": _("Status: %(name)s still has active party organizations below it.") % {"name": body.name}}
            )
        body.dissolved_on = max(timezone.localdate(), body.established_on)

    return PARTY_ORGANIZATION.apply(party_organization, "dissolve", by=user, reason=reason, effect=effect)
