"""Beneficiary surveys' shared rules: who a client is (a keyed hash, never the address), when a
survey takes answers, what a burst is, the alphabet of respondent codes, and the survey's counts.

A community-centre tablet is one client for many residents, so nothing is refused or thrown away
for coming from one client: answers with a respondent code always count, and only code-less
answers beyond `conf.flood_limit()` within `conf.flood_window_minutes()` from one client are set
aside (held) for the bureau to count or leave out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, Q

from accounts.lockout import client_address

from . import conf
from .choices import ResponseChannel, ResponseStatus, RoundStatus
from .models import SurveyResponse

# No 0/O, 1/I/L: a resident copying a printed slip cannot confuse them.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8

OPEN_STATES = frozenset({RoundStatus.DRAFT, RoundStatus.SCORING})


def client_key(request) -> str:
    """The client of a request as an HMAC-SHA256 (keyed by SECRET_KEY) of its address — resolved
    as the log-in lockout resolves it, behind TRUSTED_PROXY_COUNT proxies — and its browser. Only
    this hash is stored: it tells a burst from one client, and nobody can read an address back."""
    address = client_address(request) or ""
    agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    message = f"{address}\n{agent}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def normalise_code(code) -> str:
    """A code as typed ("  ab2c-d3ef ") in the printed form ("AB2CD3EF")."""
    return "".join(str(code or "").split()).replace("-", "").upper()


def survey_open(survey) -> bool:
    """A survey takes answers while its round is in draft or scoring; from publication on the
    results stand on the answers already in."""
    return survey.round_project.round.status in OPEN_STATES


def flood_window_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=conf.flood_window_minutes())


def is_flood(survey, client_key: str, now: dt.datetime) -> bool:
    """Whether `client_key` has already sent the flood limit of code-less answers to `survey`
    within the window ending `now` (held ones included: a burst stays a burst)."""
    recent = SurveyResponse.objects.filter(
        survey=survey,
        channel=ResponseChannel.ONLINE,
        client_key=client_key,
        submitted_at__gt=flood_window_start(now),
        submitted_at__lte=now,
    )
    return recent.count() >= conf.flood_limit()


def _mean(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def feedback_summary(survey) -> dict:
    """The survey's answers in one query: counted, held and excluded; of the counted, how many knew
    of the project and took part, the mean satisfaction (2 dp, None without answers) and the
    counted answers by channel."""
    counted = Q(status=ResponseStatus.COUNTED)
    channels = {
        f"channel_{channel}": Count("pk", filter=counted & Q(channel=channel)) for channel in ResponseChannel.values
    }
    row = SurveyResponse.objects.filter(survey=survey).aggregate(
        counted=Count("pk", filter=counted),
        held=Count("pk", filter=Q(status=ResponseStatus.HELD)),
        excluded=Count("pk", filter=Q(status=ResponseStatus.EXCLUDED)),
        knew=Count("pk", filter=counted & Q(knew=True)),
        took_part=Count("pk", filter=counted & Q(took_part=True)),
        satisfaction_mean=Avg("satisfaction", filter=counted),
        **channels,
    )
    return {
        "counted": row["counted"],
        "held": row["held"],
        "excluded": row["excluded"],
        "knew": row["knew"],
        "took_part": row["took_part"],
        "satisfaction_mean": _mean(row["satisfaction_mean"]),
        "by_channel": {channel: row[f"channel_{channel}"] for channel in ResponseChannel.values},
    }
