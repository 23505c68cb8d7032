"""The founders (发起人) of an establishment application: residents of the community or units there.

They are part of the proposal: read from the form's rows or the API's list, checked here, and
replaced as a whole while the application can be changed (application_create / application_update).
At least one is required before an establishment goes to review (applications._check_complete).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.choices import RegionLevel
from accounts.models import Region
from core import audit, params
from core.choices import AuditAction

from ..choices import FounderKind
from ..models import Application, Founder

# The ministry's rules (民发〔2017〕191号) found a community organization on residents of its
# community; they set no number of founders, so the register asks for at least one.
MIN_FOUNDERS = 1
MAX_FOUNDERS = 50
FOUNDER_FIELDS = ("name", "kind", "community", "address", "contact")


def _text(value, limit: int) -> tuple[str, bool]:
    text = "" if value is None else str(value).strip()
    return text, len(text) <= limit


def _community(value, district: Region) -> Region | bool | None:
    """The community `value` names (a Region or its id) within `district`; None for none; False
    for one that is not a community of the district."""
    if value in (None, ""):
        return None
    pk = params.parse_id(getattr(value, "pk", value))
    if pk is None:
        return False
    region = Region.objects.filter(pk=pk, level=RegionLevel.COMMUNITY, path__startswith=district.path).first()
    return region if region is not None else False


def clean_founders(rows, district: Region) -> list[Founder]:
    """Unsaved Founders for `rows` (dicts with name, kind, community, address, contact; blank rows
    skipped), or a ValidationError on `founders` naming the founder and the field."""
    if rows is None:
        return []
    if not isinstance(rows, list | tuple):
        raise ValidationError({"founders": _("Founders: give a list of founders.")})
    errors: list[str] = []
    founders: list[Founder] = []
    seen: set[str] = set()
    for row in rows:
        if not isinstance(row, dict):
            raise ValidationError({"founders": _("Founders: give a list of founders.")})
        if not any(str(row.get(name) or "").strip() for name in FOUNDER_FIELDS):
            continue
        n = len(founders) + 1

        def problem(text, n=n):
            errors.append(_("Founder %(n)d: %(problem)s") % {"n": n, "problem": text})

        name, name_fits = _text(row.get("name"), 100)
        address, address_fits = _text(row.get("address"), 200)
        contact, contact_fits = _text(row.get("contact"), 50)
        kind = row.get("kind") or ""
        community = _community(row.get("community"), district)
        if not name:
            problem(_("please enter the name of the resident or unit."))
        elif not name_fits:
            problem(_("the name has at most %(n)d characters.") % {"n": 100})
        elif name in seen:
            problem(_("%(name)s is named twice.") % {"name": name})
        if kind not in FounderKind.values:
            problem(_("choose whether the founder is a resident or a unit in the community."))
        if community is False:
            problem(_("choose a community of this district."))
        elif community is None and not address:
            problem(_("choose the founder's community or enter the address."))
        if not address_fits:
            problem(_("the address has at most %(n)d characters.") % {"n": 200})
        if not contact:
            problem(_("please enter a phone number or other contact."))
        elif not contact_fits:
            problem(_("the contact has at most %(n)d characters.") % {"n": 50})
        seen.add(name)
        founders.append(
            Founder(
                position=n,
                name=name,
                kind=kind,
                community=community or None,
                address=address,
                contact=contact,
            )
        )
    if len(founders) > MAX_FOUNDERS:
        errors.append(_("Founders: at most %(n)d.") % {"n": MAX_FOUNDERS})
    if errors:
        raise ValidationError({"founders": errors})
    return founders


def _key(founder: Founder) -> tuple:
    return (founder.name, founder.kind, founder.community_id, founder.address, founder.contact)


def set_founders(application: Application, founders: list[Founder], *, by) -> str:
    """Replace the application's founders (inside the caller's transaction, the row locked); audited
    per founder. Returns the names, for the application's own audit message."""
    old = list(application.founders.all())
    if [_key(f) for f in old] == [_key(f) for f in founders]:
        return "、".join(founder.name for founder in old)
    for founder in old:
        audit.record(actor=by, action=AuditAction.DELETE, obj=founder, before=audit.snapshot(founder), after=None)
    application.founders.all().delete()
    for founder in founders:
        founder.application = application
    Founder.objects.bulk_create(founders)
    audit.record_many(actor=by, action=AuditAction.CREATE, objs=founders)
    return "、".join(founder.name for founder in founders)


def founders_as_rows(application: Application) -> list[dict]:
    """The application's founders as the form's and the API's rows."""
    return [
        {
            "name": f.name,
            "kind": f.kind,
            "community": f.community_id,
            "address": f.address,
            "contact": f.contact,
        }
        for f in application.founders.all()
    ]
