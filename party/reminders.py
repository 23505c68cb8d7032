"""Reminders of party building, sent by the daily beat job (party.tasks) through core.notifications:

- **Overdue contacts** (定期联系制度): each party secretary (community_party, at a community or a
  street) is told of the organizations of their subtree overdue for a contact — one reminder per
  secretary naming them all, linking to the overdue list.
- **Terms ending** (换届): the party organizations whose term ends within `conf.term_warning_days()`
  (or has ended without a new term recorded) — one reminder per party organization to the secretaries
  whose subtree holds its node and to the bureau administrators of its district.

Set-based: one query for the overdue organizations of every subtree, one for the party organizations
due, one for the people told; matched by the jurisdiction paths in memory. At most one reminder per
item per person per day (core.notifications.remind), so a second run the same day sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import Role
from accounts.models import User
from core import notifications
from core.choices import BUREAU_ROLES

from . import periods, selectors
from .models import PartyOrganization

# How many organizations a contact reminder names before "and N more".
NAMED_IN_REMINDER = 20

JOB = "party-reminders"
CONTACT_KIND = "party-contact-overdue"
TERM_KIND = "party-term-ending"

notifications.register_reminder(
    CONTACT_KIND,
    gettext_lazy("Regular contacts overdue"),
    audience=gettext_lazy("Party secretaries, for the organizations of their community or street"),
    when=gettext_lazy("Daily while any organization of their subtree is overdue for a contact"),
    job_key=JOB,
    roles={Role.COMMUNITY_PARTY, *BUREAU_ROLES},
)
notifications.register_reminder(
    TERM_KIND,
    gettext_lazy("Party organization term ending (换届)"),
    audience=gettext_lazy(
        "The party secretaries above the party organization and the bureau administrators of its district"
    ),
    when=gettext_lazy("Daily from the warning days before the term ends (90 by default) until a new term is recorded"),
    job_key=JOB,
    roles={Role.COMMUNITY_PARTY, *BUREAU_ROLES},
)


def _ancestor_paths(path: str) -> list[str]:
    """The paths of a node and of each node above it: "330100/330106/330106001/" →
    ["330100/", "330100/330106/", "330100/330106/330106001/"]."""
    codes = [code for code in path.split("/") if code]
    return ["".join(f"{code}/" for code in codes[: i + 1]) for i in range(len(codes))]


def _secretaries() -> dict[str, list]:
    """The active party secretaries, by the path of the node they hold their role at."""
    by_path: dict[str, list] = defaultdict(list)
    for user in User.objects.filter(role=Role.COMMUNITY_PARTY, is_active=True, region__isnull=False).select_related(
        "region"
    ):
        by_path[user.region.path].append(user)
    return by_path


def _date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _named(rows: list[tuple[str, dt.date | None]]) -> str:
    """The overdue organizations a reminder names, each with its last contact."""
    named = []
    for name, last in rows[:NAMED_IN_REMINDER]:
        when = _("last contact %(date)s") % {"date": _date(last)} if last else _("never contacted")
        named.append(f"{name}（{when}）")
    text = "、".join(named)
    if len(rows) > NAMED_IN_REMINDER:
        text = _("%(names)s and %(count)d more") % {"names": text, "count": len(rows) - NAMED_IN_REMINDER}
    return text


def contact_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind every party secretary of the organizations of their subtree overdue for a contact on
    `today`: one reminder each, at most once a day. Returns the reminders made."""
    today = today or timezone.localdate()
    secretaries = _secretaries()
    if not secretaries:
        return 0
    overdue: dict[int, list] = defaultdict(list)
    holders = {user.pk: user for users in secretaries.values() for user in users}
    organizations = (
        selectors.overdue_organizations(today)
        .order_by("region__path", "name", "pk")
        .values_list("name", "region__path", "last_contact_on")
    )
    for name, path, last in organizations:
        for node in _ancestor_paths(path):
            for user in secretaries.get(node, ()):
                overdue[user.pk].append((name, last))
    period = periods.period_start(today)
    url = reverse("party:overdue_list")
    sent = 0
    for pk, rows in overdue.items():
        user = holders[pk]
        names = _named(rows)
        sent += notifications.remind(
            [user],
            item_key=f"party-overdue:{user.region_id}:{period:%Y-%m}",
            title=_("%(count)d organizations of %(region)s are overdue for a regular contact") % {
                "count": len(rows), "region": user.region.name},
            body=_("Each organization is to be contacted at least once every %(months)d months. Overdue: "
                   "%(names)s.") % {"months": periods.contact_interval_months(), "names": names},
            url=f"{url}?region={user.region_id}&date={today.isoformat()}",
            today=today,
            kind=CONTACT_KIND,
        )  # fmt: skip
    return sent


def term_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind of each active party organization whose term ends within the warning days (or has
    ended): the secretaries whose subtree holds its node and its district's bureau administrators,
    at most once a day. Returns the reminders made."""
    today = today or timezone.localdate()
    due = list(
        PartyOrganization.objects.filter(selectors.term_due(today))
        .select_related("region")
        .order_by("term_ends_on", "pk")
    )
    if not due:
        return 0
    secretaries = _secretaries()
    admins: dict[int, list] = defaultdict(list)
    for user in User.objects.filter(
        role=Role.BUREAU_ADMIN, is_active=True, region__in={body.region.district_id for body in due}
    ):
        admins[user.region_id].append(user)
    sent = 0
    for body in due:
        told = [user for node in _ancestor_paths(body.region.path) for user in secretaries.get(node, ())]
        told += admins.get(body.region.district_id, [])
        ends = _date(body.term_ends_on)
        if body.term_ends_on < today:
            title = _("The term of %(name)s ended on %(date)s: hold the election") % {"name": body.name, "date": ends}
        else:
            title = _("The term of %(name)s ends on %(date)s: prepare the election") % {"name": body.name, "date": ends}
        sent += notifications.remind(
            told,
            item_key=f"party-term:{body.pk}:{body.term_ends_on:%Y-%m-%d}",
            title=title,
            body=_("%(name)s (%(region)s): the term ends on %(date)s; record the new term once elected.")
            % {"name": body.name, "region": body.region.name, "date": ends},
            url=body.get_absolute_url(),
            today=today,
            kind=TERM_KIND,
        )
    return sent


def reminders_send(*, today: dt.date | None = None) -> dict:
    """The daily run: overdue contacts and terms ending. Returns the reminders made of each."""
    today = today or timezone.localdate()
    return {"contacts": contact_reminders_send(today=today), "terms": term_reminders_send(today=today)}
