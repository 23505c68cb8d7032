"""Reminders of the evaluation app, sent by the daily beat job `evaluation-reminders`
(evaluation.tasks) through core.notifications:

- **Scoring due**: experts with assignments not yet submitted in a scoring round, from
  `conf.scoring_reminder_days()` (3) days before the round's scoring_due and every day after, until
  they submit or the round is published (evaluation.services.scoring.remind_laggards).
- **Grades lapsing**: an organization's current grade exactly 180 (`conf.grade_warning_days()`),
  90, 30 and 7 days before its valid_until — to the organization's accounts and the bureau
  administrators and clerks of its district. A grade revoked or followed by a newer award is not
  reminded (evaluation.grading.expiring).

At most one reminder per item per person per day (core.notifications.remind), so a second run the
same day sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import Role
from accounts.models import User
from accounts.selectors import bureau_by_district
from core import notifications

from . import conf, grading
from .choices import RoundStatus
from .models import Round
from .services.scoring import SCORING_KIND

# Days before a grade's valid_until on which it is reminded, besides conf.grade_warning_days().
GRADE_REMINDER_DAYS = (90, 30, 7)
BUREAU = (Role.BUREAU_ADMIN, Role.BUREAU_STAFF)

JOB = "evaluation-reminders"
GRADE_KIND = "evaluation-grade-lapsing"

notifications.register_reminder(
    SCORING_KIND,
    gettext_lazy("Expert scoring due"),
    audience=gettext_lazy("Experts with assignments not yet submitted in a scoring round"),
    when=gettext_lazy(
        "Daily from 3 days before the round's scoring deadline until they submit (also when the bureau "
        "reminds them from the round's page)"
    ),
    job_key=JOB,
    roles={Role.EXPERT, *BUREAU, Role.BUREAU_VIEWER},
)
notifications.register_reminder(
    GRADE_KIND,
    gettext_lazy("Organization grade lapsing"),
    audience=gettext_lazy("The organization's accounts and the bureau administrators and clerks of its district"),
    when=gettext_lazy("180, 90, 30 and 7 days before the grade's validity ends"),
    job_key=JOB,
    roles={Role.ORG_USER, *BUREAU, Role.BUREAU_VIEWER},
)


def grade_reminder_days() -> list[int]:
    """The days before valid_until on which a lapsing grade is reminded, most distant first."""
    return sorted({conf.grade_warning_days(), *GRADE_REMINDER_DAYS}, reverse=True)


def scoring_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the experts of scoring rounds due within the reminder days (or overdue). Returns the
    reminders made."""
    from .services.scoring import remind_laggards

    today = today or timezone.localdate()
    rounds = Round.objects.filter(
        status=RoundStatus.SCORING,
        scoring_due__isnull=False,
        scoring_due__lte=today + dt.timedelta(days=conf.scoring_reminder_days()),
    ).order_by("scoring_due", "pk")
    return sum(remind_laggards(round_, today=today) for round_ in rounds)


def _date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def grade_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind of each current grade whose valid_until is exactly one of the reminder days away: the
    organization's accounts and its district's bureau administrators and clerks. Returns the
    reminders made."""
    today = today or timezone.localdate()
    days = grade_reminder_days()
    due = list(
        grading.expiring(today=today, days=max(days))
        .filter(valid_until__in=[today + dt.timedelta(days=n) for n in days])
        .select_related("organization")
        .order_by("valid_until", "pk")
    )
    if not due:
        return 0
    organization_ids = {grade.organization_id for grade in due}
    district_ids = {grade.organization.district_id for grade in due}
    accounts: dict[int, list] = defaultdict(list)
    people = User.objects.filter(is_active=True).select_related("organization_membership")
    for user in people.filter(role=Role.ORG_USER, organization_membership__organization_id__in=organization_ids):
        accounts[user.organization_membership.organization_id].append(user)
    bureau = bureau_by_district(district_ids, BUREAU)
    sent = 0
    for grade in due:
        organization = grade.organization
        left = (grade.valid_until - today).days
        values = {
            "name": organization.name,
            "grade": grade.get_grade_display(),
            "date": _date(grade.valid_until),
            "days": left,
        }
        sent += notifications.remind(
            [*accounts.get(organization.pk, []), *bureau.get(organization.district_id, [])],
            item_key=f"evaluation-grade:{grade.pk}:{left}",
            title=_("The %(grade)s grade of %(name)s lapses on %(date)s (in %(days)d days)") % values,
            body=_(
                "%(name)s holds the evaluation grade %(grade)s until %(date)s. Apply for a new assessment in "
                "time, or the organization will have no grade from then."
            )
            % values,
            url=grade.get_absolute_url(),
            today=today,
            kind=GRADE_KIND,
        )
    return sent


def reminders_send(*, today: dt.date | None = None) -> dict:
    """The daily run: scoring due and grades lapsing. Returns the reminders made of each."""
    today = today or timezone.localdate()
    return {"scoring": scoring_reminders_send(today=today), "grades": grade_reminders_send(today=today)}
