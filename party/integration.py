"""The annual report's party section filled from coverage, and the difference flagged to its reviewer.

Supervision does not import party (they are siblings): party registers its coverage as the registry's
party-facts provider (registry.extensions), which the annual report asks for the organization's coverage
in force at the end of the report's year.
"""

from __future__ import annotations

import datetime as dt

from registry import extensions

from .models import PartyCoverage


def party_facts(organization, day: dt.date) -> dict | None:
    """The organization's coverage in force on `day` as the annual report's party section reads it: the
    form and the party members among its staff (full and probationary); None when no coverage was
    recorded for that day."""
    row = (
        PartyCoverage.objects.as_of(day)
        .filter(organization=organization)
        .order_by("-valid_from", "-pk")
        .only("form", "full_party_members", "probationary_party_members")
        .first()
    )
    if row is None:
        return None
    return {"party_status": row.form, "party_member_count": row.party_members}


extensions.register_party_facts(party_facts)
