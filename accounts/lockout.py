"""Log-in lockout: the client's address, a throttle per address in front of axes' lock per user name
and address, and the refusal both answer with (the log-in page and the API token endpoint)."""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE. Behind TRUSTED_PROXY_COUNT reverse proxies every request comes from
    the nearest proxy, which would make one "address" of all users; the client is then the address
    the outermost proxy saw, the entry that many places from the right of X-Forwarded-For (entries
    further left are whatever the client chose to send)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class AddressThrottleHandler(AxesDatabaseHandler):
    """Axes locks a user name at one address after AXES_FAILURE_LIMIT failures, which leaves the
    user free to log in from their own address. On its own it lets one address guess a few
    passwords for every user name in turn; so an address that fails LOGIN_ADDRESS_FAILURE_LIMIT
    times across all user names is refused for any of them until the cool-off has passed.

    Both limits count axes' own attempt records, so `axes_reset` and the admin's attempt list cover
    both; a successful log-in clears only that user name's failures, never the address's others."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            request.login_address_locked = True
            return max(failures, get_failure_limit(request, credentials))
        return failures


def address_failures(request) -> int:
    """Failed log-ins from the request's address, under any user name, within the cool-off."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_message(request) -> str:
    if getattr(request, "login_address_locked", False):
        return _("Too many failed log-in attempts from this address. Try again later.")
    return _(
        "Too many failed log-in attempts for this user name from this address. Try again later, "
        "or ask the bureau administrator to unlock the account."
    )


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page a refused log-in gets, with axes' status (429)."""
    title = _("Log-in refused") if getattr(request, "login_address_locked", False) else _("Account locked")
    context = {"title": title, "message": lockout_message(request)}
    # Rendered now: axes swaps it in after the view, past the point where TemplateResponses render.
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
