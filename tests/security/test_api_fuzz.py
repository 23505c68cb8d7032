"""Schemathesis against /api/schema/: every operation and method, as a bureau administrator and as
an organization account, with a fixed seed. No request may end in a server error and every
documented answer must match the schema.

The API runs in-process (WSGI) on the test database; each request runs in a savepoint that is
rolled back, so the fuzzing leaves the world as built and nothing leaks into other tests.
"""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.apps import apps
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.choices import Role
from evaluation.choices import RoundStatus
from evaluation.models import Survey
from supervision.models import AnnualReport

from ..accounts.factories import PASSWORD
from .tracebacks import where

MINIMUM_REQUESTS = 2000
# Examples per operation, user and generation mode. Operations without parameters have fewer
# distinct requests than this, which Hypothesis does not repeat; the total is asserted below.
EXAMPLES = 5
CHECKS = [not_a_server_error, response_schema_conformance]
USERS = (Role.BUREAU_ADMIN, Role.ORG_USER)


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)  # (method, status) → requests
    failures: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)  # exceptions the views raised, in order

    def record(self, line: str) -> None:
        self.failures[line] += 1


@contextlib.contextmanager
def in_process_requests(tally: Tally):
    """Django closes the connection at the end of a request; inside the test's transaction it must
    not (the test client does the same), and each view exception is noted for the report."""

    def noted(sender, request=None, **kwargs):
        error = sys.exc_info()[1]
        if error is not None:
            tally.errors.append(where(error))

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.got_request_exception.connect(noted)
    try:
        yield
    finally:
        signals.got_request_exception.disconnect(noted)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _token(user) -> str:
    response = Client().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _visible_ids(operation, user, world=None) -> list:
    """Ids of records the user may see, for operations on one record (`{id}` in the path); for the
    beneficiary survey (`{token}`), the link tokens of surveys still open and of a closed one."""
    if "{token}" in operation.path and world is not None:
        return _survey_tokens(world)
    if "{id}" not in operation.path:
        return []
    view = resolve(operation.path.replace("{id}", "1")).func
    queryset = getattr(getattr(view, "cls", None), "queryset", None)
    if queryset is None:
        return []
    return list(queryset.model.objects.restrict(user).order_by("pk").values_list("pk", flat=True)[:20])


def _survey_tokens(world) -> list[str]:
    surveys = [survey for _corner, survey in world.objects_of(Survey)]
    open_ = [s.token for s in surveys if s.round_project.round.status == RoundStatus.SCORING]
    closed = [s.token for s in surveys if s.round_project.round.status != RoundStatus.SCORING]
    return [*open_[:3], *closed[:1]]


def _path_key(operation) -> str:
    return "token" if "{token}" in operation.path else "id"


def _references(user) -> dict[str, list[int]]:
    """Ids the user may see, by the name a request body gives them ("project", "organization",
    "budget_line", …): generated ids almost never exist, and a request refused at the first
    lookup tests nothing beyond it."""
    pools = {}
    for model in apps.get_models():
        if not hasattr(model, "access_policy") or not hasattr(model.objects, "restrict"):
            continue
        ids = list(model.objects.restrict(user).order_by("pk").values_list("pk", flat=True)[:10])
        if ids:
            pools[model._meta.model_name] = ids
    return pools


def _substitute(body, references: dict[str, list[int]], choice: int) -> None:
    """Give the body's reference fields ids the user may see (the `choice`-th of each pool)."""
    if not isinstance(body, dict):
        return
    for key in body:
        pool = references.get(key.replace("_", "").removesuffix("id"))
        if pool:
            body[key] = pool[choice % len(pool)]


def _detail(failure) -> str:
    """Where a response departs from the schema, e.g. " at results/0/organization: null is not 'object'"."""
    if not hasattr(failure, "instance_path"):
        return ""
    where = "/".join(str(part) for part in failure.instance_path)
    return f" at {where}: {failure.validation_message[:120]}"


def _takes_input(operation) -> bool:
    """Whether a request to the operation can differ from another: a path or query parameter, or a
    body (the token and the session cookie every operation takes are the user's)."""
    return bool(operation.body) or any(p.location in ("path", "query") for p in operation.iter_parameters())


def _fuzz(operation, mode, headers, ids, references, tally: Tally, who: str) -> None:
    # Half of the cases address a record the user may see and refer to records the user may see,
    # so that actions and creations get past the lookups to the services. Without a body there is
    # nothing to refer with: drawing a choice would only repeat a request.
    strategy = st.tuples(
        operation.as_strategy(generation_mode=mode),
        st.one_of(st.none(), st.sampled_from(ids)) if ids else st.none(),
        st.one_of(st.none(), st.integers(min_value=0, max_value=9)) if operation.body else st.none(),
    )

    @settings(
        # An operation that takes no input has one request to make.
        max_examples=EXAMPLES if _takes_input(operation) else 1,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(drawn):
        case, pk, choice = drawn
        if pk is not None:
            case.path_parameters = {**(case.path_parameters or {}), _path_key(operation): pk}
        if choice is not None:
            _substitute(case.body, references, choice)
        errors_before = len(tally.errors)
        with transaction.atomic():
            response = case.call(headers=headers)
            tally.requests += 1
            tally.statuses[(case.method, response.status_code)] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                raised = tally.errors[errors_before:] or [""]
                for failure in group.exceptions:
                    tally.record(
                        f"{case.method} {operation.path} as {who}: {response.status_code} {failure.title}"
                        f"{_detail(failure)}. {raised[-1]}".rstrip()
                    )
            transaction.set_rollback(True)

    try:
        run()
    except Unsatisfiable:
        # An operation without parameters or body has no invalid input to make.
        if mode != GenerationMode.NEGATIVE:
            raise


@pytest.mark.django_db
def test_api_fuzz(world):
    tally = Tally()
    # Tokens first: the test client reconnects Django's connection closing when it is done.
    headers = {role: {"Authorization": f"Token {_token(world.users[role])}"} for role in USERS}
    with in_process_requests(tally):
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) > 40, "the schema lost its operations"
        for role in USERS:
            user = world.users[role]
            references = _references(user)
            for operation in operations:
                ids = _visible_ids(operation, user, world)
                # An operation that takes no input has no invalid input either (Hypothesis would
                # search for one until it gives up).
                modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if _takes_input(operation) else ()
                for mode in modes or (GenerationMode.POSITIVE,):
                    _fuzz(operation, mode, headers[role], ids, references, tally, role)
    report = "\n".join(f"{count:4d} × {line}" for line, count in sorted(tally.failures.items()))
    assert not tally.failures, f"{sum(tally.failures.values())} failures in {tally.requests} requests:\n{report}"
    answers = ", ".join(f"{method} {status}: {count}" for (method, status), count in sorted(tally.statuses.items()))
    assert tally.requests >= MINIMUM_REQUESTS, f"only {tally.requests} requests ({answers}): the fuzzing has shrunk"


@pytest.mark.django_db
def test_open_listings_and_unconcluded_reports_match_the_schema(world):
    """An organization still listed has no end reason ("") and no one who ended it (null); a report
    not yet concluded has no conclusion (""), nor a party status when none was given. The schema
    used to allow none of these."""
    tally = Tally()
    headers = {"Authorization": f"Token {_token(world.users[Role.BUREAU_ADMIN])}"}
    org_token = _token(world.users[Role.ORG_USER])
    problems = []
    with in_process_requests(tally):
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
        for label in (
            "GET /api/v1/abnormal-listings/",
            "GET /api/v1/serious-violation-listings/",
            "GET /api/v1/annual-reports/",
        ):
            case = schema.find_operation_by_label(label).Case()
            response = case.call(headers=headers)
            assert response.status_code == 200 and response.json()["count"] > 0
            try:
                case.validate_response(response, checks=[response_schema_conformance])
            except FailureGroup as group:
                problems += [f"{label}{_detail(failure)}" for failure in group.exceptions]
        # A report whose party status is left blank.
        report = world.own.objects[AnnualReport][0]
        case = schema.find_operation_by_label("PATCH /api/v1/annual-reports/{id}/").Case(
            path_parameters={"id": report.pk}, body={"party_status": ""}, media_type="application/json"
        )
        org_headers = {"Authorization": f"Token {org_token}"}
        response = case.call(headers=org_headers)
        assert response.status_code == 200, response.text
        try:
            case.validate_response(response, checks=[response_schema_conformance])
        except FailureGroup as group:
            problems += [f"PATCH /api/v1/annual-reports/{{id}}/{_detail(failure)}" for failure in group.exceptions]
    assert not problems, "\n".join(problems)


# Operations of the evaluation app, fuzzed besides as the expert (their scores and assignments) and
# anonymously (the beneficiary survey's answer, which takes no login).
EVALUATION_PATHS = ("/api/v1/assignments/", "/api/v1/scores/", "/api/v1/evaluation-rounds/", "/api/v1/surveys/")


@pytest.mark.django_db
def test_evaluation_api_fuzz_as_expert_and_anonymous(world):
    tally = Tally()
    expert = world.users[Role.EXPERT]
    headers = {Role.EXPERT: {"Authorization": f"Token {_token(expert)}"}, "anonymous": {}}
    with in_process_requests(tally):
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
        operations = [result.ok() for result in schema.get_all_operations()]
        chosen = [op for op in operations if op.path.startswith(EVALUATION_PATHS)]
        assert any("{token}" in op.path for op in chosen), "the survey answer is not in the schema"
        for who, user in ((Role.EXPERT, expert), ("anonymous", None)):
            references = _references(user) if user is not None else {}
            for operation in chosen:
                if user is None and "{token}" not in operation.path:
                    continue
                ids = _visible_ids(operation, user, world) if user is not None or "{token}" in operation.path else []
                modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if _takes_input(operation) else ()
                for mode in modes or (GenerationMode.POSITIVE,):
                    _fuzz(operation, mode, headers[who], ids, references, tally, who)
    report = "\n".join(f"{count:4d} × {line}" for line, count in sorted(tally.failures.items()))
    assert not tally.failures, f"{sum(tally.failures.values())} failures in {tally.requests} requests:\n{report}"
    assert tally.statuses[("POST", 404)], "no request addressed an unknown survey"
    # The fuzzing reaches the service: a plain answer to an open survey is received.
    with transaction.atomic():
        token = _survey_tokens(world)[0]
        answer = {"knew": True, "took_part": False, "satisfaction": 4, "comment": "", "code": ""}
        response = Client().post(f"/api/v1/surveys/{token}/responses/", answer, content_type="application/json")
        assert (response.status_code, response.json()) == (201, {"received": True})
        transaction.set_rollback(True)
