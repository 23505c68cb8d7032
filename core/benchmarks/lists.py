"""The lists `manage.py bench --current` times: every page whose view is a core ObjectListView and
every API list route, found in the URL resolver (routes that need no argument), plus the public
register; each requested through Django's test client (middleware, session, templates: what a
user's request costs in-process) for an account of each role, first page and a deep page.

A deep page is the last page: the HTML list's rel="last" link (keyset paging), or for the API,
whose answers link only `next`, the page reached by following `next` API_HOPS times."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model, user_logged_in
from django.contrib.auth.models import update_last_login
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.views.generic import ObjectListView

from .timing import Figure, bare_sql, page_queries, percentile, repeat

ACCOUNTS = ("scale_staff", "scale_city", "scale_street", "scale_org", "scale_funder")
ANONYMOUS = "anonymous"
PUBLIC_REGISTER = "registry_public:organization_list"
SEARCH_LIST_MODEL = "registry.organization"
SEARCH_LISTS = ("registry:organization_list", PUBLIC_REGISTER)
SEARCH_TERMS = ("养老", "养老服务")
API_HOPS = 10
LIST_P95_MS = 50.0
LIST_RATIO = 3.0
_LAST_LINK = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*\brel="last"|<a\b[^>]*\brel="last"[^>]*\bhref="([^"]*)"')


@dataclass(frozen=True)
class Route:
    kind: str  # "page" or "api"
    name: str  # the URL name, namespaced
    url: str
    model: str  # app_label.model_name, or "" when unknown


def _walk(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def _needs_arguments(pattern: URLPattern) -> bool:
    return bool(getattr(pattern.pattern, "converters", None)) or pattern.pattern.regex.groups > 0


def _model_label(model) -> str:
    return model._meta.label_lower if model is not None else ""


def discover() -> list[Route]:
    """Every HTML list (ObjectListView) and API list route that needs no URL argument, and the
    public register, in URL order without repeats."""
    found, seen = [], set()
    for name, pattern in _walk(get_resolver().url_patterns):
        if _needs_arguments(pattern):
            continue
        callback = pattern.callback
        view_class = getattr(callback, "view_class", None)
        actions = getattr(callback, "actions", None) or {}
        if isinstance(view_class, type) and issubclass(view_class, ObjectListView):
            queryset = getattr(view_class, "queryset", None)
            route = Route("page", name, reverse(name), _model_label(getattr(queryset, "model", None)))
        elif actions.get("get") == "list":
            queryset = getattr(getattr(callback, "cls", None), "queryset", None)
            route = Route("api", name, reverse(name), _model_label(getattr(queryset, "model", None)))
        elif name == PUBLIC_REGISTER:
            route = Route("page", name, reverse(name), SEARCH_LIST_MODEL)
        else:
            continue
        if route.url not in seen:
            seen.add(route.url)
            found.append(route)
    return found


def accounts(usernames) -> dict[str, object]:
    """username → active user, for those that exist."""
    users = get_user_model().objects.filter(username__in=list(usernames), is_active=True)
    return {user.get_username(): user for user in users}


def client_for(user) -> Client:
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    client = Client(raise_request_exception=False, HTTP_HOST=hosts[0] if hosts else "localhost")
    if user is not None:
        # Without the last_login update: it would lock the account's row until the rollback.
        connected = user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        try:
            client.force_login(user)
        finally:
            if connected:
                user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
    client.get(reverse("home"))  # warm: the session, caches of content types, templates, catalogues
    return client


def last_link(content: str, path: str) -> str | None:
    match = _LAST_LINK.search(content)
    if match is None:
        return None
    href = html.unescape(match.group(1) or match.group(2))
    return path + href if href.startswith("?") else href


def deep_url(client: Client, route: Route, url: str, response) -> tuple[str | None, str]:
    """The deep page's URL and how it was reached (None when the list has one page)."""
    if route.kind == "page":
        return last_link(response.content.decode(), urlsplit(url).path), "last"
    hops, current = 0, response
    target = None
    while hops < API_HOPS:
        answer = current.json() if current.status_code == 200 else None
        following = answer.get("next") if isinstance(answer, dict) else None  # an unpaged list: a JSON array
        if not following:
            break
        parts = urlsplit(following)
        target = f"{parts.path}?{parts.query}" if parts.query else parts.path
        hops += 1
        if hops < API_HOPS:
            current = client.get(target, HTTP_ACCEPT="application/json")
    return target, f"next×{hops}"


def _get(client: Client, route: Route, url: str):
    if route.kind == "api":
        return client.get(url, HTTP_ACCEPT="application/json")
    return client.get(url)


def measure_page(
    client, route: Route, url: str, *, section: str, label: str, role: str, page: str, runs: int, max_seconds: float
) -> tuple[Figure, object]:
    """p50/p95 of the page over `runs` requests, its query count and its bare SQL's p50."""
    figure = Figure(section=section, label=label, role=role, page=page, url=url)
    reset_queries()  # a request resets the log (request_started): the capture must start from empty
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, route, url)
    if response.status_code != 200:
        figure.status = f"HTTP {response.status_code}"
        return figure, response
    captured = list(queries.captured_queries)  # a view of the log, which the next request resets
    statements = page_queries(captured)
    samples = repeat(lambda: _get(client, route, url), runs, max_seconds)
    bare = bare_sql(statements, runs, max_seconds)
    figure.runs = len(samples)
    figure.p50_ms, figure.p95_ms = percentile(samples, 0.5), percentile(samples, 0.95)
    figure.queries = len(captured)
    figure.bare_p50_ms = percentile(bare, 0.5)
    figure.ratio = figure.p50_ms / figure.bare_p50_ms if figure.bare_p50_ms else None
    figure.target = f"p95 ≤ {LIST_P95_MS:.0f} ms, ≤ {LIST_RATIO:.0f}× bare"
    figure.met = figure.p95_ms <= LIST_P95_MS and (figure.ratio is None or figure.ratio <= LIST_RATIO)
    figure.note = f"{len(statements)} page statements"
    return figure, response


def list_figures(routes, users: dict, runs: int, max_seconds: float, progress=None) -> list[Figure]:
    """First and deep page of every route for every account (anonymous: the public register only)."""
    figures = []
    for role, user in users.items():
        client = client_for(user)
        for route in routes:
            public = route.name == PUBLIC_REGISTER
            if (user is None) != public:
                continue
            section = "api" if route.kind == "api" else "list"
            label = route.name
            if progress is not None:
                progress(f"{label} · {role}")
            first, response = measure_page(
                client, route, route.url, section=section, label=label, role=role, page="first", runs=runs,
                max_seconds=max_seconds,
            )  # fmt: skip
            figures.append(first)
            if first.status != "ok":
                continue
            deep, how = deep_url(client, route, route.url, response)
            if deep is None:
                figures.append(Figure(section=section, label=label, role=role, page="last", status="one page"))
                continue
            figure, _response = measure_page(
                client, route, deep, section=section, label=label, role=role, page=how, runs=runs,
                max_seconds=max_seconds,
            )  # fmt: skip
            figures.append(figure)
    return figures


def search_figures(routes, users: dict, runs: int, max_seconds: float, progress=None) -> list[Figure]:
    """2- and 4-character name searches on the organization list (each signed-in account) and the
    public register (anonymous), first page."""
    figures = []
    targets = [r for r in routes if r.kind == "page" and r.name in SEARCH_LISTS]
    for role, user in users.items():
        client = client_for(user)
        for route in targets:
            if (user is None) != (route.name == PUBLIC_REGISTER):
                continue
            for term in SEARCH_TERMS:
                url = f"{route.url}?{urlencode({'q': term})}"
                if progress is not None:
                    progress(f"search {term} {route.name} · {role}")
                figure, _response = measure_page(
                    client, route, url, section="search", label=f"{route.name} q={term} ({len(term)} chars)",
                    role=role, page="first", runs=runs, max_seconds=max_seconds,
                )  # fmt: skip
                figures.append(figure)
    return figures
