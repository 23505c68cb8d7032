"""How each organization is covered by party building, kept as history (party.models.PartyCoverage):
recording a change closes the current row (valid_to = the new row's valid_from) and opens a new one,
so the coverage in force on any past day can be read. Fields not given carry over from the current
row. The organization's row lock serialises two changes at once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import audit
from core.choices import AuditAction
from registry.choices import PartyForm

from .. import permissions as rules
from ..choices import Formation
from ..models import PartyCoverage, PartyOrganization
from ..models.organizations import HAS_PARTY_ORGANIZATION
from .common import assign, label, locked_organization, raise_errors, require

COVERAGE_FIELDS = (
    "form",
    "party_organization",
    "full_party_members",
    "probationary_party_members",
    "head_is_party_member",
    "management_on_committee",
    "committee_in_management",
    "instructor",
    "instructor_phone",
    "planned_on",
    "no_party_reason",
    "trade_union_on",
    "youth_league_on",
    "women_org_on",
    "note",
)


def form_for(formation: str) -> str:
    """The coverage form of an organization a party organization of `formation` covers."""
    return PartyForm.STANDALONE if formation == Formation.STANDALONE else PartyForm.JOINT


def current_coverage(organization) -> PartyCoverage | None:
    return PartyCoverage.objects.current().filter(organization=organization).first()


def _check_party_organization(coverage: PartyCoverage, errors: dict) -> None:
    """A form with a party organization names an active one over the organization's node, of the
    matching formation; a standalone one covers no other organization."""
    if "form" in errors or "party_organization" in errors:
        return
    body = coverage.party_organization
    if coverage.form not in HAS_PARTY_ORGANIZATION:
        coverage.party_organization = None
        if coverage.form == PartyForm.INSTRUCTOR and not coverage.instructor:
            errors["instructor"] = _("%(field)s: name the party-building instructor.") % {
                "field": label(PartyCoverage, "instructor")
            }
        return
    field = label(PartyCoverage, "party_organization")
    if body is None:
        errors["party_organization"] = _("%(field)s: choose the party organization for this form.") % {"field": field}
        return
    if not body.is_active:
        errors["party_organization"] = _("%(field)s: %(name)s has been dissolved.") % {"field": field, "name": body}
    elif not body.region.contains(coverage.organization.region):
        errors["party_organization"] = _("%(field)s: %(name)s is not over the organization's place.") % {
            "field": field,
            "name": body,
        }
    elif form_for(body.formation) != coverage.form:
        errors["form"] = _("%(field)s: %(name)s is a %(formation)s party organization; choose “%(form)s”.") % {
            "field": label(PartyCoverage, "form"),
            "name": body,
            "formation": body.get_formation_display(),
            "form": PartyForm(form_for(body.formation)).label,
        }
    elif (
        body.formation == Formation.STANDALONE
        and PartyCoverage.objects.current()
        .filter(party_organization=body)
        .exclude(organization_id=coverage.organization_id)
        .exists()
    ):
        errors["party_organization"] = _("%(field)s: %(name)s is standalone and already covers an organization.") % {
            "field": field,
            "name": body,
        }


def open_coverage(user, organization, values: dict, *, valid_from: dt.date | None = None) -> PartyCoverage:
    """Close the organization's current row and open a new one carrying `values` over it (the
    organization's row is locked by the caller). No checks of who may; the callers ask."""
    current = current_coverage(organization)
    valid_from = valid_from or timezone.localdate()
    errors: dict = {}
    if not isinstance(valid_from, dt.date):
        errors["valid_from"] = _("%(field)s: enter a date such as 2026-03-01.") % {
            "field": label(PartyCoverage, "valid_from")
        }
        raise_errors(errors)
    coverage = PartyCoverage(organization=organization, form=PartyForm.NONE, valid_from=valid_from)
    if current is not None:
        for name in COVERAGE_FIELDS:
            setattr(coverage, name, getattr(current, name))
    assign(coverage, values, COVERAGE_FIELDS, errors, required=("form",))
    if valid_from > timezone.localdate():
        errors["valid_from"] = _("%(field)s: the date cannot be in the future.") % {
            "field": label(PartyCoverage, "valid_from")
        }
    elif current is not None and valid_from < current.valid_from:
        errors["valid_from"] = _(
            "%(field)s: the coverage in force has applied since %(date)s; a change starts then or later."
        ) % {
            "field": label(PartyCoverage, "valid_from"),
            "date": formats.date_format(current.valid_from, "DATE_FORMAT"),
        }
    _check_party_organization(coverage, errors)
    raise_errors(errors)
    if current is not None:
        before = audit.snapshot(current)
        current.valid_to = valid_from
        current.save(update_fields=["valid_to", "updated_at"])
        audit.record(
            actor=user, action=AuditAction.UPDATE, obj=current, before=before, message=_("Superseded by a new version")
        )
    coverage.save()
    audit.record(actor=user, action=AuditAction.CREATE, obj=coverage)
    return coverage


@transaction.atomic
def coverage_record(user, organization, *, valid_from=None, **values) -> PartyCoverage:
    """A new version of how `organization` is covered, in force from `valid_from` (default today);
    the current one ends that day."""
    organization = locked_organization(organization)
    require(rules.may_keep_coverage(user, organization))
    if isinstance(values.get("party_organization"), PartyOrganization):
        body = PartyOrganization.objects.select_related("region").get(pk=values["party_organization"].pk)
        values["party_organization"] = body
    if isinstance(valid_from, str) and valid_from:
        try:
            valid_from = dt.date.fromisoformat(valid_from)
        except ValueError:
            valid_from = "invalid"
    return open_coverage(user, organization, values, valid_from=valid_from)
