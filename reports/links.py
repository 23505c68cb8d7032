"""The list behind each dashboard figure: a URL of the app's own list page, filtered to the node and
the quarter by the same rule the figure counts (reports.figures), or None when no list can show
those rows.

Figures of a stock at a day (organizations, open listings, grades, published stars) are read at
`day` = min(quarter end, today); the lists show today's rows, so those figures link only while the
quarter has not ended (then `day` is today and list and figure agree). Figures of a period (the
quarter's decisions, listings begun, major-activity reports, projects running) link for any quarter
with the quarter's dates. A list the user's role may not open is never linked.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import Region
from core.choices import Action
from party import statistics as party_statistics
from party.views.statistics import figure_links as party_figure_links
from projects import periods
from projects.views.projects import TIMELINESS_ROLES
from registry.choices import ApplicationState, OrganizationStatus

from .figures.live import CHANGE_KINDS

# The application kind behind each key of figures["changes"].
CHANGE_KIND_OF = {key: kind for kind, key in CHANGE_KINDS.items()}


class FigureLinks:
    """Links of one node's figures for one quarter, as the requesting user may follow them."""

    def __init__(self, user, region: Region, year: int, quarter: int, today: dt.date | None = None):
        self.user, self.region = user, region
        self.year, self.quarter = year, quarter
        today = today or timezone.localdate()
        self.start, self.end = periods.quarter_start(year, quarter), periods.quarter_end(year, quarter)
        self.day = min(self.end, today)
        self.started = self.start <= today
        # A stock read at `day` is today's stock while the quarter lasts: today's lists agree.
        self.stock = self.end >= today
        self._may_open: dict[str, bool] = {}

    # ---------------------------------------------------------------------------------- plumbing

    def may_open(self, name: str) -> bool:
        """Whether the user's role opens the list page `name` (its model's access policy)."""
        if name not in self._may_open:
            self._may_open[name] = self._allows(name)
        return self._may_open[name]

    def _allows(self, name: str) -> bool:
        user = self.user
        if name == "projects:timeliness":
            return user.is_superuser or user.role in TIMELINESS_ROLES
        if name == "party:statistics":
            return party_statistics.may_read(user)
        view_class = getattr(resolve(reverse(name)).func, "view_class", None)
        queryset = getattr(view_class, "queryset", None)
        return queryset is not None and queryset.model.access_policy.allows(user, Action.VIEW)

    def url(self, name: str, **query) -> str | None:
        if not self.may_open(name):
            return None
        query = {key: value for key, value in query.items() if value not in (None, "")}
        return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)

    def for_region(self, region: Region) -> FigureLinks:
        """The same quarter's links for another node (a child row)."""
        other = FigureLinks(self.user, region, self.year, self.quarter)
        other.day, other.stock, other.started, other._may_open = self.day, self.stock, self.started, self._may_open
        return other

    # ------------------------------------------------------------------------------ the register

    def organizations(self, **filters) -> str | None:
        """Active organizations at `day` (total, by legal form, category, registration level)."""
        if not self.stock:
            return None
        return self.url(
            "registry:organization_list", status=OrganizationStatus.ACTIVE, region=self.region.pk, **filters
        )

    def status(self, status: str) -> str | None:
        if not self.stock:
            return None
        return self.url("registry:organization_list", status=status, region=self.region.pk)

    def change(self, key: str) -> str | None:
        """Applications of the kind behind figures["changes"][key] approved within the quarter."""
        kind = CHANGE_KIND_OF.get(key)
        if kind is None:
            return None
        return self.url(
            "registry:application_list",
            kind=kind,
            state=ApplicationState.APPROVED,
            region=self.region.pk,
            decided_from=self.start.isoformat(),
            decided_to=self.end.isoformat(),
        )

    # ------------------------------------------------------------------------------- supervision

    def listing(self, key: str) -> str | None:
        """figures["listings"][key]: "abnormal_open", "serious_listed", …"""
        kind, _sep, what = key.partition("_")
        name = {
            "abnormal": "supervision:abnormallisting_list",
            "serious": "supervision:seriousviolationlisting_list",
        }.get(kind)
        if name is None:
            return None
        if what == "open":
            return self.url(name, state="active", region=self.region.pk) if self.stock else None
        return self.url(name, region=self.region.pk, listed_from=self.start.isoformat(), listed_to=self.end.isoformat())

    def owing(self, level: str | None = None) -> str | None:
        """Organizations owing the annual report on the year the quarter reads."""
        from .figures import annual_report_year

        return self.url(
            "supervision:annualreport_owing",
            year=annual_report_year(self.year, self.quarter),
            registration_level=level,
            region=self.region.pk,
        )

    # ------------------------------------------------------------------------------------- party

    def party(self) -> dict[str, str]:
        """The party coverage lists (the party statistics page's own links, for this node and day)."""
        if not party_statistics.may_read(self.user):
            return {}
        row = SimpleNamespace(kind=party_statistics.RowKind.CHILD, region=self.region)
        result = SimpleNamespace(day=self.day, period_start=self.start)
        links = party_figure_links(row, result)
        links.pop("contacts", None)  # the party period is not the quarter
        if not self.stock:
            # The register's list is today's; the coverage lists read as of `day`.
            for key in ("organizations", "staff", "volunteers"):
                links.pop(key, None)
        return links

    def party_statistics(self) -> str | None:
        return self.url("party:statistics", region=self.region.pk, date=self.day.isoformat())

    # ---------------------------------------------------------------------------------- projects

    def projects(self, **filters) -> str | None:
        """Approved projects running within the quarter up to `day` (by source or funder)."""
        if not self.started:
            return None
        return self.url(
            "projects:project_list",
            approved="true",
            running_from=self.start.isoformat(),
            running_to=self.day.isoformat(),
            region=self.region.pk,
            **filters,
        )

    def timeliness(self) -> str | None:
        """The quarter's ledger timeliness table (the user's own node: the page is theirs)."""
        if not self.started or self.user.region_id != self.region.pk:
            return None
        return self.url("projects:timeliness", year=self.year, quarter=self.quarter)

    def major_activities(self, **filters) -> str | None:
        return self.url(
            "projects:majoractivity_list",
            reported_from=self.start.isoformat(),
            reported_to=self.end.isoformat(),
            region=self.region.pk,
            **filters,
        )

    # -------------------------------------------------------------------------------- evaluation

    def stars(self, stars: str) -> str | None:
        if not self.stock:
            return None
        return self.url("evaluation:result_list", published="true", stars=stars, region=self.region.pk)
