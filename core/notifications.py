"""Notices to people: one mechanism for every app.

`notify(recipients, kind, obj, message)` writes one in-app notification per recipient inside the
caller's transaction (so a notice is never sent for a change that was rolled back, nor lost for
one that was kept) and e-mails those who have an address and have not turned that kind off; the
mail leaves after the commit. `remind(...)` is the same for reminders, at most one per item per
person per day (a unique constraint, not a hope).

Each app declares its kinds with `register_kind(key, label)` — the workflow engine registers one
per workflow — so the preferences page can list them.

Each reminder has a kind of its own (so a person can turn the e-mail of one off and keep the
others) and a line in the reminder catalogue: `register_reminder(kind, label, audience=, when=,
job_key=, roles=)` in the app's `reminders.py`, which `reminders()` (and `kinds()`) discover, so the
reminder list page (reports) says what is sent, to whom, on which days and by which periodic job.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .choices import AuditAction
from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

_KINDS: dict[str, object] = {}

REMINDER = "reminder"


def register_kind(key: str, label) -> None:
    _KINDS.setdefault(key, label)


def kinds() -> dict[str, object]:
    """Every kind of notice, key → label, in the order apps declared them."""
    _discover_reminders()
    return dict(_KINDS)


@dataclass(frozen=True)
class Reminder:
    """A line of the reminder catalogue: what is reminded (`label`, also the kind's label on the
    preferences page), to whom (`audience`), on which days (`when`), by which periodic job
    (`job_key`, core.periodic), and the roles it concerns (`roles`: who sees the line)."""

    kind: str
    label: object
    audience: object
    when: object
    job_key: str
    roles: frozenset


_REMINDERS: dict[str, Reminder] = {}
_discovered = False


def register_reminder(kind: str, label, *, audience, when, job_key: str, roles: Iterable[str]) -> Reminder:
    """Declare a reminder and its own kind of notice (once; a second declaration keeps the first)."""
    register_kind(kind, label)
    reminder = Reminder(kind, label, audience, when, job_key, frozenset(roles))
    return _REMINDERS.setdefault(kind, reminder)


def _discover_reminders() -> None:
    """Import every app's `reminders` module once, so that the catalogue and the kinds are complete
    whichever page or task asks first."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("reminders")


def reminders(role: str | None = None) -> list[Reminder]:
    """The reminder catalogue grouped by periodic job (by key), each job's in the order its app
    declared them (whichever app's module was imported first); with `role`, only those concerning it."""
    _discover_reminders()
    ordered = sorted(_REMINDERS.values(), key=lambda r: r.job_key)  # stable: declaration order within a job
    return [r for r in ordered if role is None or role in r.roles]


def kind_label(key: str) -> str:
    return str(_KINDS.get(key, key))


register_kind(REMINDER, gettext_lazy("Deadline reminders"))


def _recipients(recipients: Iterable, exclude=None) -> list:
    exclude_pk = getattr(exclude, "pk", None)
    seen, result = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk == exclude_pk or user.pk in seen:
            continue
        seen.add(user.pk)
        result.append(user)
    return result


def _mail_after_commit(users: list, kind: str, title: str, body: str) -> None:
    muted = set(
        NotificationPreference.objects.filter(user__in=users, kind=kind, email=False).values_list("user_id", flat=True)
    )
    addresses = [u.email for u in users if u.email and u.pk not in muted]
    if not addresses:
        return

    def send():
        for address in addresses:
            try:
                send_mail(title, body, None, [address])
            except OSError:
                logger.exception("Notice e-mail to %s failed", address)

    transaction.on_commit(send)


def safe_link(url: str) -> str:
    """`url` if it is a path on this site ("/projects/3/"), else "": a notice's link is followed by a
    redirect, which must never take anyone to another site (`https://…`, `//host`, `/\\host`,
    `javascript:`) or to a path relative to wherever the redirect happens to be."""
    url = url or ""
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    # Browsers drop tabs and newlines inside a URL, so "/\t/host" would become "//host".
    if any(ord(char) < 33 or ord(char) == 127 for char in url):
        return ""
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=None) else ""


def _url(obj) -> str:
    get_url = getattr(obj, "get_absolute_url", None)
    return get_url()[:200] if get_url else ""


def notify(recipients: Iterable, kind: str, obj, message: str, *, body: str = "", url: str = "", exclude=None) -> int:
    """Tell each recipient (once) about `obj`: in the site, and by e-mail unless they turned
    `kind` off. `exclude` is the person who acted (nobody is told of their own step). Returns the
    number of notices written."""
    users = _recipients(recipients, exclude)
    if not users:
        return 0
    today = timezone.localdate()
    stamp = f"{time.time_ns()}"
    label = obj._meta.label_lower if obj is not None else kind
    key = f"{label}:{getattr(obj, 'pk', '')}:{stamp}"[:100]
    title = str(message)[:200]
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            item_key=key,
            sent_on=today,
            title=title,
            body=body,
            url=safe_link(url or _url(obj)),
        )
        for user in users
    )
    _mail_after_commit(users, kind, title, body or title)
    return len(users)


def remind(
    recipients: Iterable,
    *,
    item_key: str,
    title: str,
    body: str = "",
    url: str = "",
    today: dt.date | None = None,
    kind: str = REMINDER,
) -> int:
    """A reminder about one item, at most once per person per day. Returns the reminders made."""
    today = today or timezone.localdate()
    made = []
    for user in _recipients(recipients):
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    item_key=item_key[:100],
                    sent_on=today,
                    title=str(title)[:200],
                    body=body,
                    url=safe_link(url),
                )
        except IntegrityError:  # already reminded today: the unique constraint decides
            continue
        made.append(user)
    if made:
        with transaction.atomic():
            _mail_after_commit(made, kind, str(title)[:200], body or str(title))
    return len(made)


def unread_count(user) -> int:
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_first(queryset):
    """Notices not yet read first, each group newest first."""
    return queryset.order_by(models.Case(models.When(read_at__isnull=True, then=0), default=1), "-created_at", "-pk")


def email_kinds(user) -> dict[str, bool]:
    """Each registered kind → whether `user` gets it by e-mail (yes unless turned off)."""
    muted = set(NotificationPreference.objects.filter(user=user, email=False).values_list("kind", flat=True))
    return {key: key not in muted for key in kinds()}


@transaction.atomic
def mark_read(*, notification: Notification, by) -> Notification:
    if notification.recipient_id != by.pk:
        raise PermissionDenied(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, by) -> int:
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def set_email_preferences(*, user, enabled: Iterable[str]) -> None:
    """E-mail `user` the kinds in `enabled` and no other registered kind (audited)."""
    enabled = set(enabled)
    unknown = enabled - set(kinds())
    if unknown:
        from django.core.exceptions import ValidationError

        raise ValidationError(
            {"kinds": _("Kind of notice: unknown %(kinds)s.") % {"kinds": "、".join(sorted(unknown))}}
        )
    for key in _KINDS:
        NotificationPreference.objects.update_or_create(user=user, kind=key, defaults={"email": key in enabled})
    audit.record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=user,
        after=None,
        message=_("E-mail notices: %(kinds)s")
        % {"kinds": "、".join(kind_label(k) for k in _KINDS if k in enabled) or "—"},
    )
