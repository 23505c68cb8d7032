"""The permission matrix: every URL pattern and API route of the site, requested as every role
against records of its own corner, a sibling organization, another street and another district.

Nothing here lists the URLs: they are read from the resolver, so a new page or route is in the
matrix the day it is added. Object parameters are filled from the world (tests/security/world.py);
a route whose parameter cannot be filled fails `test_every_route_is_in_the_matrix` until its model
or values are declared below. Each test collects every mismatch before asserting, so one run shows
the whole matrix.

For a record outside the user's jurisdiction (or organization) the answer must be a refusal
(403/404/405, a login redirect, 401 on the API) and the same answer as for an id that does not
exist; a refused write changes nothing and writes no audit record. At home nothing may answer 500.
Every 200 is searched (pages, JSON, xlsx exports, file names) for the markers of records the user
may not reach.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter, StringConverter
from django.urls.resolvers import RegexPattern
from django.views.generic import RedirectView
from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from drf_spectacular.generators import SchemaGenerator
from rest_framework.views import APIView

from accounts.choices import Role
from core.models import AuditRecord, ExportJob, Notification
from core.views.generic import ObjectActionView
from evaluation.choices import RoundStatus
from evaluation.models import (
    Assignment,
    CommunityReview,
    Expert,
    Objection,
    OrgGrade,
    Round,
    RoundProject,
    Scheme,
    Survey,
    SurveyResponse,
)
from evaluation.services.rounds import round_create
from evaluation.workflows import ASSIGNMENT, COMMUNITY_REVIEW, OBJECTION, RESPONSE, ROUND
from party.models import ContactAttachment, ContactRecord, JointMeeting, MeetingDecision, PartyOrganization
from party.workflows import DECISION, PARTY_ORGANIZATION
from projects.models import (
    BudgetLine,
    Contract,
    Expenditure,
    Indicator,
    LedgerAttachment,
    Project,
)
from registry import workflows as registry_workflows
from registry.choices import ApplicationKind
from registry.models import (
    Application,
    Attachment,
    Organization,
    RosterImport,
)
from reports.models import QuarterlyWorkbook
from supervision.models import AbnormalListing, AnnualReport, Revocation, SeriousViolationListing
from supervision.workflows import ANNUAL_REPORT, REVOCATION

from .tracebacks import where
from .world import ANONYMOUS, CITY_ADMIN, CITY_USERS, CITY_VIEWER, ROLES

NOWHERE = 987654321  # an id no row has: "not yours" must answer exactly like "does not exist"

# Public by design: no login, the same for everyone, or nothing but a form. They are still requested
# by every role (never a 500), but neither refused nor searched for markers.
PUBLIC = {
    "healthz",
    "set_language",
    "accounts:login",
    "registry_public:organization_list",  # the public register shows every organization's public fields
    "registry_public:organization_detail",
    "api-schema",
    "api-docs",
    "api:api-root",
    "api:auth-token",
    "admin:login",
    "admin:jsi18n",
    # The beneficiary survey (its link is printed on posters), published rounds' publicity and the
    # public's objection form: public by design; test_public_evaluation_pages checks that they show
    # published rounds only, and nothing private (answers, codes, scores, objections).
    "evaluation_public:survey",
    "evaluation_public:survey_thanks",
    "evaluation_public:round_list",
    "evaluation_public:round_detail",
    "evaluation_public:objection_create",
}
# These end or change the session (log out, switch language): requested with a throwaway client.
SESSION_CHANGING = {"accounts:logout", "admin:logout", "set_language"}

# Function views name no queryset: the model behind each object parameter is declared here.
DECLARED_MODELS = {
    ("registry:application_receipt", "pk"): Application,
    ("reports:workbook_detail", "pk"): QuarterlyWorkbook,
    ("reports:workbook_download", "pk"): QuarterlyWorkbook,
    ("registry:attachment_upload", "pk"): Application,
    ("registry:application_transition", "pk"): Application,
    ("registry:attachment_download", "pk"): Attachment,
    ("registry:attachment_remove", "pk"): Attachment,
    ("supervision:annualreport_transition", "pk"): AnnualReport,
    ("supervision:abnormallisting_remove", "pk"): AbnormalListing,
    ("supervision:abnormallisting_keep", "pk"): AbnormalListing,
    ("supervision:revocation_transition", "pk"): Revocation,
    ("supervision:seriousviolationlisting_remove", "pk"): SeriousViolationListing,
    ("registry:rosterimport_progress", "pk"): RosterImport,
    ("registry:rosterimport_confirm", "pk"): RosterImport,
    ("registry:rosterimport_errors", "pk"): RosterImport,
    ("registry_public:organization_detail", "pk"): None,  # public: any active organization
    ("projects:budgetline_delete", "pk"): BudgetLine,
    ("projects:indicator_value", "pk"): Indicator,
    ("projects:attachment_download", "pk"): LedgerAttachment,
    ("projects:expenditure_voucher", "pk"): Expenditure,
    ("projects:contract_file", "pk"): Contract,
    ("projects:ledger_template", "pk"): Project,
    ("projects:ledger_quarter_export", "pk"): Project,
    ("projects:ledger_upload", "pk"): Project,
    ("projects:ledger_upload_confirm", "pk"): Project,
    ("projects:expenditure_upload", "pk"): Project,
    ("projects:expenditure_template", "pk"): Project,
    ("projects:expenditure_upload_confirm", "pk"): Project,
    ("projects:quarterlysubmission_submit", "pk"): Project,
    ("party:partyorganization_transition", "pk"): PartyOrganization,
    ("party:contactrecord_attach", "pk"): ContactRecord,
    ("party:contactattachment_download", "pk"): ContactAttachment,
    ("party:jointmeeting_minutes", "pk"): JointMeeting,
    ("party:jointmeeting_decision_add", "pk"): JointMeeting,
    ("party:meetingdecision_transition", "pk"): MeetingDecision,
    ("core:notification_read", "pk"): Notification,
    ("evaluation:scheme_copy", "pk"): Scheme,
    ("evaluation:round_projects", "pk"): Round,
    ("evaluation:round_assign", "pk"): Round,
    ("evaluation:round_completion", "pk"): Round,
    ("evaluation:round_export", "pk"): Round,
    ("evaluation:round_transition", "pk"): Round,
    ("evaluation:assignment_detail", "pk"): Assignment,
    ("evaluation:assignment_transition", "pk"): Assignment,
    ("evaluation:objection_transition", "pk"): Objection,
    ("evaluation:survey_poster", "pk"): Survey,
    ("evaluation:survey_qr", "pk"): Survey,
    ("evaluation:surveyresponse_transition", "pk"): SurveyResponse,
    ("evaluation:orggrade_revoke", "pk"): OrgGrade,
    ("evaluation:communityreview_transition", "pk"): CommunityReview,
    ("evaluation_public:round_detail", "pk"): Round,  # public: published rounds only
    ("evaluation_public:objection_create", "result_pk"): RoundProject,  # public: published results only
    # Export jobs are their owner's alone (ExportJob.objects.owned_by), whatever the role.
    ("core:exportjob_progress", "pk"): ExportJob,
    ("core:exportjob_download", "pk"): ExportJob,
}
# Parameters that are not objects: the values to try (an action view's names are read from it).
DECLARED_VALUES = {
    ("registry:application_create", "kind"): list(ApplicationKind.values),
    ("registry:application_transition", "action"): list(registry_workflows.ACTIONS),
    ("supervision:annualreport_transition", "name"): list(ANNUAL_REPORT.names),
    ("supervision:revocation_transition", "name"): list(REVOCATION.names),
    ("party:partyorganization_transition", "name"): list(PARTY_ORGANIZATION.names),
    ("party:meetingdecision_transition", "name"): list(DECISION.names),
    ("projects:quarterlysubmission_submit", "year"): [2026],
    ("projects:quarterlysubmission_submit", "quarter"): [1],
    ("evaluation:round_transition", "name"): list(ROUND.names),
    ("evaluation:assignment_transition", "name"): list(ASSIGNMENT.names),
    ("evaluation:objection_transition", "name"): list(OBJECTION.names),
    ("evaluation:surveyresponse_transition", "name"): list(RESPONSE.names),
    ("core:autocomplete", "kind"): ["organization", "project", "region", "community", "no-such-kind"],
    ("evaluation:communityreview_transition", "name"): list(COMMUNITY_REVIEW.names),
    # Survey link tokens (not ids: unguessable, the public's way in): a survey still open of each
    # district, and a closed one.
    ("evaluation_public:survey", "token"): lambda world: survey_tokens(world),
    ("evaluation_public:survey_thanks", "token"): lambda world: survey_tokens(world),
    ("api:survey-responses", "token"): lambda world: survey_tokens(world),
    ("admin:", "url"): ["no-such-page/"],  # the admin's catch-all
    # Periodic jobs are named by their keys (core.periodic), deployment-wide: a job and no such job.
    ("reports:job_detail", "key"): ["party-reminders", "no-such-job"],
    ("reports:job_run", "key"): ["party-reminders", "no-such-job"],
}


def survey_tokens(world) -> list[str]:
    surveys = [obj for _corner, obj in world.objects_of(Survey)]
    open_ = [s for s in surveys if s.round_project.round.status == RoundStatus.SCORING]
    closed = [s for s in surveys if s.round_project.round.status != RoundStatus.SCORING]
    districts = {}
    for survey in open_:
        districts.setdefault(survey.round_project.round.region_id, survey.token)
    return [*districts.values(), closed[0].token, "no-such-token"]


WEB_POST = {"reason": "安全测试"}
API_BODY = {"reason": "安全测试"}
UNSAFE = {"post", "patch", "put", "delete"}


# --------------------------------------------------------------------------------------- routes


@dataclass
class Route:
    template: str  # "/projects/{pk}/edit/"
    name: str  # "projects:project_edit"
    callback: object
    params: list[str]
    admin_model: type[models.Model] | None = None
    alternatives: dict = field(default_factory=dict)  # regex groups that list their values
    converters: dict = field(default_factory=dict)  # path converters by parameter name

    @property
    def admin_site(self) -> bool:
        return self.name.startswith("admin:") or self.template.startswith("/admin/")

    @property
    def is_api(self) -> bool:
        return self.template.startswith("/api/")

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    def methods(self) -> list[str]:
        actions = getattr(self.callback, "actions", None)
        if actions:  # a DRF router route: the methods it maps (HEAD is its GET without a body)
            return sorted(m for m in actions if m != "head")
        view_class = getattr(self.callback, "view_class", None)
        if view_class is not None and not issubclass(view_class, APIView):
            return [m for m in ("get", "post") if hasattr(view_class, m) and m in view_class.http_method_names]
        return ["get", "post"]  # a function view: its decorators decide

    def path(self, values: dict) -> str:
        return self.template.format(**values)


_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>([^)]*)\)")


def _template(pattern) -> tuple[str, dict[str, list[str]]]:
    """The pattern as a format string, and for regex groups that are plain alternatives, their values."""
    text = str(pattern)
    alternatives = {}
    if isinstance(pattern, RegexPattern):
        for name, body in _REGEX_PARAM.findall(text):
            if re.fullmatch(r"[\w|]+", body):
                alternatives[name] = body.split("|")
        text = _REGEX_PARAM.sub(lambda m: "{" + m.group(1) + "}", text)
        text = text.lstrip("^").rstrip("$").replace("\\.", ".").replace("/?", "/")
    else:
        text = _ROUTE_PARAM.sub(lambda m: "{" + m.group(1) + "}", text)
    return text, alternatives


def routes() -> list[Route]:
    found = []

    def walk(patterns, prefix, namespace, alternatives, converters, admin_model):
        for pattern in patterns:
            text, alts = _template(pattern.pattern)
            alts = {**alternatives, **alts}
            convs = {**converters, **getattr(pattern.pattern, "converters", {})}
            if isinstance(pattern, URLResolver):
                ns = ":".join(filter(None, [namespace, pattern.namespace]))
                model = admin_model
                match = re.fullmatch(r"/admin/(\w+)/(\w+)/", prefix + text)
                if match:
                    with_model = apps.all_models.get(match[1], {}).get(match[2])
                    model = with_model or model
                walk(pattern.url_patterns, prefix + text, ns, alts, convs, model)
                continue
            assert isinstance(pattern, URLPattern)
            template = prefix + text
            params = re.findall(r"\{(\w+)\}", template)
            if "format" in params:
                continue  # DRF's format-suffix twin of a route in the matrix: the same view
            if getattr(pattern.callback, "view_class", None) is RedirectView:
                continue  # the admin's old object URLs: a redirect to the change page for any id
            name = f"{namespace}:{pattern.name or ''}" if namespace else (pattern.name or "")
            found.append(Route(template, name, pattern.callback, params, admin_model, alts, convs))

    walk(get_resolver().url_patterns, "/", "", {}, {}, None)
    # Of two patterns with the same path, only the first is ever reached.
    seen: set[str] = set()
    return [r for r in found if not (r.template in seen or seen.add(r.template))]


def _model_for(route: Route, param: str):
    if (route.name, param) in DECLARED_MODELS:
        return DECLARED_MODELS[(route.name, param)]
    if route.admin_model is not None and param in ("object_id", "id"):
        return route.admin_model
    view_class = route.view_class
    if param.endswith("_pk"):
        wanted = param.removesuffix("_pk")
        candidates = [m for m in apps.get_models() if m._meta.model_name == wanted and hasattr(m, "access_policy")]
        if len(candidates) == 1:
            return candidates[0]
    if param == "pk" and view_class is not None and getattr(view_class, "queryset", None) is not None:
        return view_class.queryset.model
    raise LookupError(f"{route.name} {route.template}: declare the model behind <{param}> in DECLARED_MODELS")


def _values_for(route: Route, param: str, world=None) -> list:
    if (route.name, param) in DECLARED_VALUES:
        values = DECLARED_VALUES[(route.name, param)]
        return values(world) if callable(values) and world is not None else values
    if param in route.alternatives:
        return route.alternatives[param]
    view_class = route.view_class
    if view_class is not None and issubclass(view_class, ObjectActionView) and param == view_class.url_kwarg:
        return list(view_class.actions)
    raise LookupError(f"{route.name} {route.template}: declare the values of <{param}> in DECLARED_VALUES")


OBJECT_PARAMS = {"pk", "id", "object_id", "content_type_id"}


def _is_object_param(route, param) -> bool:
    return param in OBJECT_PARAMS or param.endswith("_pk") or (route.name, param) in DECLARED_MODELS


# ------------------------------------------------------------------------------------ requests


@dataclass
class Probe:
    method: str
    path: str
    route: Route
    model: type[models.Model] | None = None
    obj: models.Model | None = None
    corner: object = None  # None: an id that does not exist, or no object at all
    missing: bool = False
    query: str = ""
    shape: str = ""  # the request with "{id}" for the object: a missing id's answer is kept under it
    body: dict | None = None  # an API write's JSON (default: a body the route's schema accepts)

    def label(self, role) -> str:
        what = ""
        if self.missing and self.model is not None:
            what = f" [no such {self.model._meta.model_name}]"
        elif self.obj is not None:
            what = f" [{self.corner.name} {self.model._meta.model_name} #{self.obj.pk}]"
        return f"{self.method.upper()} {self.path}{self.query} as {role}{what}"


def probes(route: Route, world, user) -> list[Probe]:
    """The route's requests: each combination of values against an id that does not exist, the
    first record of each corner the user may not reach, and one record at home."""
    object_params = [p for p in route.params if _is_object_param(route, p)]
    value_params = [p for p in route.params if p not in object_params]
    combos = [{}]
    for param in value_params:
        combos = [{**c, param: v} for c in combos for v in _values_for(route, param, world)]
    methods = route.methods()
    if "content_type_id" in route.params:
        models_ = _world_models(world)
        methods = ["get"]  # pages that only read: an object's history, the admin's "view on site"
    elif object_params:
        models_ = [_model_for(route, object_params[0])]
    else:
        models_ = [None]
    targets: list[tuple] = []  # (model, obj, corner, missing)
    for index, model in enumerate(models_):
        if model is None:
            targets.append((None, None, None, bool(object_params)))
            continue
        targets.append((model, None, None, True))
        home, foreign = _candidates(world, user, model)
        foreign = _nearest_and_farthest(world, user, [(model, obj, corner, False) for corner, obj in foreign])
        if len(models_) > 1 and foreign:
            # A generic page over every model (history, "view on site"): each model is tried from
            # one foreign corner, taken in turn, so that every corner and every model are covered.
            foreign = [foreign[index % len(foreign)]]
        targets += foreign
        widest = user is not None and user.role in (Role.BUREAU_ADMIN, Role.ORG_USER)
        if home is not None and (len(models_) == 1 or widest):
            # A generic page over every model is opened at home by the widest roles only.
            targets.append((model, home[1], home[0], False))
    found = []
    for position, (model, obj, corner, missing) in enumerate(targets):
        foreign = obj is not None and world.is_foreign(user, corner, obj)
        # Every value is tried at home and against a missing id; a foreign record is looked up
        # before the value matters, so the foreign records meet the values in turn.
        for values in [combos[position % len(combos)]] if foreign else combos:
            filled, shape = dict(values), dict(values)
            if "content_type_id" in route.params:
                content_type = ContentType.objects.get_for_model(model)
                filled.update(content_type_id=content_type.pk, object_id=NOWHERE if missing else obj.pk)
                shape.update(content_type_id=content_type.pk, object_id="{id}")
            elif object_params:
                filled[object_params[0]] = NOWHERE if missing or model is None else obj.pk
                shape[object_params[0]] = "{id}"
            found.extend(
                Probe(method, route.path(filled), route, model, obj, corner, missing, shape=route.path(shape))
                for method in methods
            )
    return found


def _nearest_and_farthest(world, user, foreign: list[tuple]) -> list[tuple]:
    """Of the corners a user may not reach, the nearest (a sibling organization, another street)
    and one in another district: scoping that holds for both holds for those between."""
    if len(foreign) <= 2:
        return foreign
    district = user.region.district_id or user.region.pk if user is not None else None
    elsewhere = [t for t in foreign if (t[2].region.district_id or t[2].region.pk) != district]
    return [foreign[0], (elsewhere or foreign)[-1]]


def _world_models(world):
    seen = []
    for corner in world.all_corners:
        for model in corner.objects:
            if model not in seen and hasattr(model, "access_policy"):
                seen.append(model)
    return seen


def _candidates(world, user, model) -> tuple[tuple | None, list[tuple]]:
    """(corner, record) of the first record the user may reach, and of the first record of each
    corner the user may not reach."""
    home, foreign, corners = None, [], set()
    for corner, obj in world.objects_of(model):
        if type(obj) is not model:
            continue
        if not world.is_foreign(user, corner, obj):
            home = home or (corner, obj)
        elif corner.name not in corners:
            corners.add(corner.name)
            foreign.append((corner, obj))
    return home, foreign


@dataclass
class Answer:
    status: int
    location: str = ""
    text: str = ""
    error: str = ""
    changed: bool = False


def _text(response) -> str:
    """Everything a user could read in the response: body (xlsx unpacked) and file names."""
    parts = [response.get("Content-Disposition", "")]
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as package:
                body = b"".join(package.read(name) for name in package.namelist() if name.endswith(".xml"))
        except zipfile.BadZipFile:
            pass
    parts.append(body.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def send(client: Client, probe: Probe, watch: bool = False) -> Answer:
    """One request inside a savepoint that is rolled back: the world stays as built. With `watch`,
    notes whether the request changed the audit trail, the target's table or the record."""
    method = getattr(client, probe.method)
    path = probe.path + probe.query
    try:
        with transaction.atomic():
            before = _state(probe) if watch else None
            if probe.method in ("get", "head", "options"):
                response = method(path)
            elif probe.route.is_api:
                body = probe.body if probe.body is not None else api_body(probe.route, probe.method)
                response = method(path, body, content_type="application/json")
            else:
                response = method(path, WEB_POST)
            answer = Answer(response.status_code, _normalised_location(response, probe))
            if response.status_code == 200:
                answer.text = _text(response)
            answer.changed = watch and _state(probe) != before
            transaction.set_rollback(True)
    except Exception as error:
        return Answer(500, error=where(error))
    return answer


def _normalised_location(response, probe: Probe) -> str:
    location = unquote(response.get("Location", ""))
    requested = f"next={probe.path}{probe.query}"
    if probe.shape and requested in location:
        # A login redirect's `next` is the request itself, put by its shape: an id equal to another
        # number of the path (project 1 of quarter 1, object 8 of content type 8) stays apart.
        location = location.replace(requested, f"next={probe.shape}")
    elif probe.obj is not None:
        location = re.sub(rf"\b{probe.obj.pk}\b", "{id}", location)
    return re.sub(rf"\b{NOWHERE}\b", "{id}", location)


def _state(probe: Probe):
    """What a refused write must leave untouched: the audit trail, the rows of the model addressed
    and of the route's own model, the record."""
    own = getattr(probe.route.view_class, "queryset", None)
    counted = {m for m in (probe.model, own.model if own is not None else None) if m is not None}
    rows = sorted((m._meta.label, m._base_manager.count()) for m in counted)
    record = None
    if probe.obj is not None:
        record = list(probe.model._base_manager.filter(pk=probe.obj.pk).values())
    return AuditRecord.objects.count(), rows, record


# ------------------------------------------------------------------------------ API request bodies


@functools.cache
def _openapi() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = _openapi()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("allOf", "oneOf", "anyOf"):
        if key in schema:
            return _resolve(schema[key][0])
    return schema


def _example(schema: dict):
    """A value the schema accepts: an enum's first choice, a plain number, string or date."""
    schema = _resolve(schema)
    if "enum" in schema:
        return next((v for v in schema["enum"] if v not in ("", None)), schema["enum"][0])
    kind = schema.get("type")
    if kind == "object":
        return {name: _example(sub) for name, sub in schema.get("properties", {}).items() if not sub.get("readOnly")}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return "1.00"
    if kind == "boolean":
        return False
    return {"date": "2026-03-15", "date-time": "2026-03-15T10:00:00+08:00"}.get(schema.get("format"), "安全测试")


def api_body(route: Route, method: str) -> dict:
    """A JSON body the route's schema accepts (every writable field filled), so that a refusal
    comes from the lookup or the rules, not from a missing field."""
    path = re.sub(r"\{\w+\}", "{id}", route.template)
    operation = _openapi()["paths"].get(path, {}).get(method, {})
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    body = _example(content["schema"]) if content else {}
    return {**API_BODY, **body} if isinstance(body, dict) else API_BODY


def _reference_probes(route: Route, world, user) -> list[Probe]:
    """API creations that name a record the user may not reach (a project of another district
    for a ledger entry …) must be refused like those naming a missing one, writing nothing."""
    if not route.is_api or route.params or "post" not in route.methods() or route.name in PUBLIC:
        return []
    body = api_body(route, "post")
    found = []
    for key, value in body.items():
        model = _referable().get(key.replace("_", "").removesuffix("id"))
        # A reference is an id (or a list of ids): a grade's decimal `score` names no Score row.
        if model is None or isinstance(value, (str, bool, float)):
            continue
        shape = f"{route.template} {key}={{id}}"
        missing = {**body, key: NOWHERE}
        found.append(Probe("post", route.template, route, model, None, None, True, shape=shape, body=missing))
        foreign = [(model, obj, corner, False) for corner, obj in _candidates(world, user, model)[1]]
        for _model, obj, corner, _missing in _nearest_and_farthest(world, user, foreign):
            naming = {**body, key: obj.pk}
            found.append(Probe("post", route.template, route, model, obj, corner, shape=shape, body=naming))
    return found


@functools.cache
def _referable() -> dict[str, type[models.Model]]:
    """Scoped models by the name a request body gives them ("project", "budget_line" → budgetline)."""
    return {m._meta.model_name: m for m in apps.get_models() if hasattr(m, "access_policy")}


# ---------------------------------------------------------------------------------- the matrix


def _is_login_redirect(answer: Answer) -> bool:
    if answer.status not in (301, 302):
        return False
    logins = (reverse(settings.LOGIN_URL), reverse("admin:login"))
    return any(answer.location.startswith(login) for login in logins)


def _refused(answer: Answer, anonymous: bool, api: bool) -> bool:
    if answer.status in (403, 404, 405):
        return True
    if anonymous and answer.status == 401 and api:
        return True
    return _is_login_redirect(answer)


def _before_lookup(answer: Answer) -> bool:
    """A refusal given for an id that does not exist was given before any record was looked up."""
    return answer.status in (401, 403, 405) or _is_login_redirect(answer)


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _markers(world, user) -> dict[str, str]:
    """Marker → corner name, for every corner the user may not reach."""
    return {c.marker: c.name for c in world.all_corners if world.is_foreign(user, c)}


def _check(world, role, user, client, probe: Probe, mismatches: list[str], missing_answers: dict, settled: set) -> None:
    route = probe.route
    public = route.name in PUBLIC
    if route.name in SESSION_CHANGING:
        client = _client_for(user)
    unsafe = probe.method in UNSAFE
    foreign = probe.obj is not None and not public and world.is_foreign(user, probe.corner, probe.obj)
    same = missing_answers.get((probe.method, probe.shape))
    if foreign and same is not None and _before_lookup(same):
        # Refused before any record was looked up (login, role, method): one foreign record shows
        # that the refusal does not depend on the record; the others would only repeat it.
        if (probe.method, probe.shape) in settled:
            return
        settled.add((probe.method, probe.shape))
    at_home = probe.obj is not None and not foreign and not probe.query
    if at_home and same is not None and (same.status == 405 or _is_login_redirect(same)):
        return  # the method or the login is refused whatever the record: nothing at home to open
    answer = send(client, probe, watch=foreign and unsafe)
    label = probe.label(role)
    if answer.status >= 500:
        mismatches.append(f"{label}: {answer.status} {answer.error}")
        return
    if probe.missing:
        missing_answers[(probe.method, probe.shape)] = answer
    if foreign:
        as_missing = same is not None and (same.status, same.location) == (answer.status, answer.location)
        # A list filtered by a foreign id may answer 200, empty, when a missing id does the same;
        # a 400 for bad input given before any lookup, identical for a missing id, tells nothing.
        # The admin's "no such object" redirect, given alike for a missing id, tells nothing either.
        expected = _refused(answer, user is None, route.is_api) or (
            as_missing
            and (probe.query or answer.status == 400 or (answer.status in (301, 302) and "{id}" not in answer.location))
        )
        if not expected:
            mismatches.append(f"{label}: answered {answer.status} {answer.location} for a record not theirs")
        if same is not None and not as_missing:
            mismatches.append(
                f"{label}: answers {answer.status} {answer.location} while a missing id answers "
                f"{same.status} {same.location} (tells 'not yours' from 'does not exist')"
            )
        if answer.changed:
            mismatches.append(f"{label}: a refused write changed the record, its table or the audit trail")
    if answer.text and not public:
        for marker, corner in _markers(world, user).items():
            if marker in answer.text:
                mismatches.append(f"{label}: {answer.status} shows a record of {corner} ({marker})")


def _filter_probes(route: Route, world, user) -> list[Probe]:
    """List pages and list routes filtered by a foreign record's id must answer as for a missing id."""
    if route.params or route.name in PUBLIC:
        return []
    filterset = _filterset_class(route)
    if filterset is None:
        return []
    found = []
    for name, flt in filterset.base_filters.items():
        if not isinstance(flt, ModelChoiceFilter | ModelMultipleChoiceFilter):
            continue
        model = _filter_model(filterset, flt)
        if model is None:
            continue
        found += _by_reference(route, world, user, name, model)
    return found


# Pages that take a record from another query parameter (an objection's result): a foreign one must
# answer as a missing one.
QUERY_REFERENCES = {"evaluation:objection_create": [("result", RoundProject)]}
# Values no query parameter may answer with a 500: not a number to int(), and beyond any column.
HOSTILE = ("²", "99999999999999999999")
# Query parameters the pages read besides their filters (core.params).
PAGE_PARAMETERS = ("page", "year", "quarter", "organization", "project")


def _query_probes(route: Route, world, user) -> list[Probe]:
    """Hostile values in every query parameter a page may read: a 400 or a page, never a 500.
    And `?organization=` of a foreign organization (forms take their organization from it) must
    answer as for a missing one."""
    if route.params or route.name in PUBLIC or route.admin_site or "get" not in route.methods():
        return []  # the admin's own parameters are Django's
    filterset = _filterset_class(route)
    found = []
    # The widest roles; the API's parameters are fuzzed by test_api_fuzz.
    if user is not None and user.role in (Role.BUREAU_ADMIN, Role.ORG_USER) and not route.is_api:
        # Every parameter at once, with each hostile value: a filter form checks every field.
        filters = list(filterset.base_filters) if filterset is not None else []
        queries = [urlencode(dict.fromkeys([*filters, *PAGE_PARAMETERS], value)) for value in HOSTILE]
        found += [Probe("get", route.template, route, query=f"?{query}") for query in queries]
    if filterset is None:  # a page that is not a list: a form may take its organization from the query
        found += _by_reference(route, world, user, "organization", Organization)
    for name, model in QUERY_REFERENCES.get(route.name, ()):
        found += _by_reference(route, world, user, name, model)
    return found


# Path values a converter lets through that a view must still answer with a 404, never a 500.
HOSTILE_IN_PATH = {IntConverter: ("0", "99999999999999999999"), StringConverter: ("abc", "²"), SlugConverter: ("abc",)}


def _path_probes(route: Route, world, user) -> list[Probe]:
    """Each path parameter in turn given a value its converter accepts but no record or view means
    (quarter 5 of year 0, object "abc"), the others filled from home: a 404 or 400, never a 500."""
    if not route.params or route.admin_site or route.is_api or user is None:
        return []  # the admin's paths are Django's; the API's are fuzzed by test_api_fuzz
    if user.role not in (Role.BUREAU_ADMIN, Role.ORG_USER):  # the widest roles
        return []
    base = {}
    for param in route.params:
        if param == "content_type_id":
            base[param] = ContentType.objects.get_for_model(Project).pk
        elif param == "object_id" and "content_type_id" in route.params:
            base[param] = (_candidates(world, user, Project)[0] or (None, Project(pk=NOWHERE)))[1].pk
        elif _is_object_param(route, param):
            model = _model_for(route, param)
            home = _candidates(world, user, model)[0] if model is not None else None
            base[param] = home[1].pk if home else NOWHERE
        else:
            base[param] = _values_for(route, param, world)[0]
    method = "get" if "get" in route.methods() else route.methods()[0]
    found = []
    for param in route.params:
        for value in HOSTILE_IN_PATH.get(type(route.converters.get(param)), ()):
            found.append(Probe(method, route.path({**base, param: value}), route))
    return found


def _by_reference(route: Route, world, user, name: str, model) -> list[Probe]:
    """`?name=` of a missing record, and of the first record of each corner the user may not reach."""
    shape = f"{route.template}?{name}={{id}}"
    found = [Probe("get", route.template, route, model, None, None, True, f"?{name}={NOWHERE}", shape)]
    foreign = [(model, obj, corner, False) for corner, obj in _candidates(world, user, model)[1]]
    for _model, obj, corner, _missing in _nearest_and_farthest(world, user, foreign):
        found.append(Probe("get", route.template, route, model, obj, corner, False, f"?{name}={obj.pk}", shape))
    return found


def _filterset_class(route: Route):
    view_class = route.view_class
    if view_class is None:
        return None
    if getattr(view_class, "filterset", None) is not None:
        return view_class.filterset
    if getattr(view_class, "filterset_class", None) is not None:
        return view_class.filterset_class
    if getattr(view_class, "filterset_fields", None):
        from django_filters.rest_framework import DjangoFilterBackend

        return DjangoFilterBackend().get_filterset_class(view_class(), view_class.queryset)
    return None


def _filter_model(filterset, flt):
    queryset = flt.extra.get("queryset")
    if isinstance(queryset, models.QuerySet):
        return queryset.model
    try:
        return filterset._meta.model._meta.get_field(flt.field_name).related_model
    except Exception:
        return None


@contextlib.contextmanager
def _quiet_request_log():
    """Thousands of refusals are expected here; their log lines would only slow the run."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _run(world, role) -> list[str]:
    with _quiet_request_log():
        return _run_all(world, role)


def _run_all(world, role) -> list[str]:
    user = None if role == ANONYMOUS else world.users[role]
    client = _client_for(user)
    mismatches: list[str] = []
    for route in routes():
        try:
            route_probes = probes(route, world, user) + _filter_probes(route, world, user)
            route_probes += _query_probes(route, world, user) + _path_probes(route, world, user)
            route_probes += _reference_probes(route, world, user)
        except LookupError:
            continue  # reported by test_every_route_is_in_the_matrix
        missing_answers: dict = {}
        settled: set = set()
        # Missing ids first: each foreign answer is compared with them.
        for probe in sorted(route_probes, key=lambda p: not p.missing):
            _check(world, role, user, client, probe, mismatches, missing_answers, settled)
    return sorted(set(mismatches))


def test_every_route_is_in_the_matrix():
    problems = []
    for route in routes():
        for param in route.params:
            try:
                if param == "content_type_id" or (param == "object_id" and "content_type_id" in route.params):
                    continue
                if _is_object_param(route, param):
                    _model_for(route, param)
                else:
                    _values_for(route, param)
            except LookupError as error:
                problems.append(str(error))
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_scoped_record_a_route_opens_is_in_the_world(world):
    """A route on a model the world holds no record of would only ever meet a missing id."""
    problems = set()
    for route in routes():
        for param in route.params:
            if param == "content_type_id" or not _is_object_param(route, param):
                continue
            try:
                model = _model_for(route, param)
            except LookupError:
                continue  # reported by test_every_route_is_in_the_matrix
            if model is not None and hasattr(model, "access_policy") and not world.objects_of(model):
                problems.add(f"{route.name}: add a {model.__name__} to each corner in tests/security/world.py")
    assert not problems, "\n".join(sorted(problems))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*ROLES, *CITY_USERS, ANONYMOUS])
def test_permission_matrix(world, role, settings):
    # Sessions in signed cookies, not saved on every request: thousands of requests, a few
    # database round trips fewer each. Where a session lives decides nothing about access.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.SESSION_SAVE_EVERY_REQUEST = False
    mismatches = _run(world, role)
    assert not mismatches, f"{len(mismatches)} mismatches as {role}:\n" + "\n".join(mismatches)


def test_matrix_roles_cover_every_role():
    assert set(ROLES) == set(Role.values)


# ------------------------------------------------------------------------------------ the city

DISTRICT_A = ("own", "sibling", "other_street", "district", "funded", "expert", "rating", "scoring", "filed")
DISTRICT_B = ("other_district", "other_district_bureau", "funded_other", "rating_other", "scoring_other", "filed_other")


def _list_routes() -> list[Route]:
    """Pages and API routes that list a model (a filter set, no path parameter), except the public ones."""
    return [
        r
        for r in routes()
        if not r.params and not r.admin_site and r.name not in PUBLIC and "get" in r.methods() and _filterset_class(r)
    ]


def _seen(world, client, path: str, query: dict) -> set[str]:
    response = client.get(path, query)
    text = _text(response) if response.status_code == 200 else ""
    return {c.name for c in world.all_corners if c.marker in text}


@pytest.mark.django_db
def test_city_viewer_lists_and_exports_hold_both_districts_district_users_their_own(world, settings):
    """Every list (pages, API, xlsx exports) a district's viewer sees rows of their district in, the
    city viewer sees with rows of the other district too; the district viewer never those."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    settings.EXPORT_SYNC_MAX_ROWS = 10_000  # the export is the response, not a job
    city = _client_for(world.users[CITY_VIEWER])
    district = _client_for(world.users[Role.BUREAU_VIEWER])
    other_district = _client_for(world.other_district_staff)
    problems, checked = [], []
    with _quiet_request_log():
        for route in _list_routes():
            queries = [{}] if route.is_api else [{}, {"export": "xlsx"}]
            for query in queries:
                label = f"{route.template}{'?export=xlsx' if query else ''}"
                own = _seen(world, district, route.template, query)
                if not own & set(DISTRICT_A):
                    continue  # nothing of the district listed here (a page of another role, an empty list)
                checked.append(label)
                if own & set(DISTRICT_B):
                    problems.append(f"{label}: the district viewer sees the other district ({own})")
                theirs = _seen(world, other_district, route.template, query)
                if theirs & set(DISTRICT_A):
                    problems.append(f"{label}: the other district's clerk sees district A ({theirs})")
                seen = _seen(world, city, route.template, query)
                if not (seen & set(DISTRICT_A) and seen & set(DISTRICT_B)):
                    problems.append(f"{label}: the city viewer does not see both districts ({seen})")
    assert not problems, "\n".join(problems)
    for wanted in ("/registry/organizations/", "/projects/", "/api/"):
        assert any(label.startswith(wanted) for label in checked), (wanted, checked)
    assert any("export=xlsx" in label for label in checked), checked


@pytest.mark.django_db
def test_a_city_user_is_refused_a_districts_business(world):
    """Applying, filing, setting up a project, reviewing: refused with the city's reason, nothing written."""
    from core.scoping import city_refusal
    from projects import permissions as project_permissions
    from registry import permissions as registry_permissions

    organization = world.own.organization
    project, application = world.own.objects[Project][0], world.own.objects[Application][0]
    admin = world.users[CITY_ADMIN]  # the viewer is refused by its role already
    reason = city_refusal(admin)
    assert reason and city_refusal(world.users[CITY_VIEWER]) and not city_refusal(world.users[Role.BUREAU_ADMIN])
    assert registry_permissions.can_apply(admin, ApplicationKind.ESTABLISH) == (False, reason)
    assert project_permissions.may_manage_project(admin, organization, project.funder) == (False, reason)
    for role in CITY_USERS:
        user = world.users[role]
        assert not registry_permissions.can_apply(user, ApplicationKind.CHANGE, organization)[0]
        assert not any(offer.allowed for offer in registry_workflows.APPLICATION.offers(application, user))


# --------------------------------------------------------------------------- the public evaluation


@pytest.mark.django_db
def test_public_evaluation_pages_show_published_rounds_only_and_nothing_private(world):
    """The public pages are outside the matrix's refusals (PUBLIC): the publicity of a published
    round shows its results and nothing of a round still scoring, of another district, nor anything
    private (answers, codes, scores' comments, objections); an unpublished round's or result's page
    is a 404 as for a missing one; a survey's page shows its own project and nothing else."""
    client = Client()
    rounds = {obj.pk: (corner, obj) for corner, obj in world.objects_of(Round)}
    published = [(c, r) for c, r in rounds.values() if r.status in (RoundStatus.PUBLICITY, RoundStatus.CLOSED)]
    unpublished = [(c, r) for c, r in rounds.values() if r.status not in (RoundStatus.PUBLICITY, RoundStatus.CLOSED)]
    assert published and unpublished
    problems = []

    def look(path, allowed_corners, status=200):
        response = client.get(path)
        if response.status_code != status:
            problems.append(f"{path}: {response.status_code}, wanted {status}")
            return
        if status != 200:
            return
        text = _text(response)
        problems.extend(f"{path}: shows private text {t!r}" for t in world.private_texts if t in text)
        problems.extend(
            f"{path}: shows {c.name} ({c.marker})"
            for c in world.all_corners
            if c.marker in text and c.name not in allowed_corners
        )

    def corners_of(round_):
        names = {c.name for c, obj in world.objects_of(RoundProject) if obj.round_id == round_.pk}
        return names | {rounds[round_.pk][0].name}

    look(reverse("evaluation_public:round_list"), {c.name for c, _r in published})
    for _corner, round_ in published:
        look(reverse("evaluation_public:round_detail", args=[round_.pk]), corners_of(round_))
    for _corner, round_ in unpublished:
        look(reverse("evaluation_public:round_detail", args=[round_.pk]), set(), status=404)
    for corner, entry in world.objects_of(RoundProject):
        path = reverse("evaluation_public:objection_create", args=[entry.pk])
        if entry.round.status == RoundStatus.PUBLICITY:
            look(path, {corner.name, rounds[entry.round_id][0].name})
        else:
            look(path, set(), status=404)
    for corner, survey in world.objects_of(Survey):
        round_corner = rounds[survey.round_project.round_id][0].name
        look(reverse("evaluation_public:survey", args=[survey.token]), {corner.name, round_corner})
    look(reverse("evaluation_public:survey", args=["no-such-token"]), set(), status=404)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_evaluation_forms_refuse_records_of_another_district(world):
    """The matrix posts no form fields: the evaluation forms that name records (a round's scheme,
    the projects added to a round, the expert assigned by hand, an expert's affiliated organization)
    offer and accept those of the user's district only, and a refusal writes nothing."""
    client = _client_for(world.users[Role.BUREAU_STAFF])
    open_round = next(obj for c, obj in world.objects_of(Round) if c.name == "scoring")
    other_scheme = next(obj for c, obj in world.objects_of(Scheme) if c.name == "scoring_other")
    other_expert = next(obj for c, obj in world.objects_of(Expert) if c.name == "other_district_bureau")
    other_project = world.corners[3].objects[Project][0]
    other_organization = world.corners[3].organization
    own_entry = next(e for c, e in world.objects_of(RoundProject) if c is world.own and e.round_id == open_round.pk)
    with transaction.atomic():
        scheme = next(obj for c, obj in world.objects_of(Scheme) if c.name == "scoring")
        draft = round_create(by=None, region=world.places.district, name="草稿轮次", year=2026, scheme=scheme)
        before = (
            AuditRecord.objects.count(),
            Round.objects.count(),
            Assignment.objects.count(),
            Expert.objects.count(),
        )
        answers = [
            client.post(
                reverse("evaluation:round_create"),
                {
                    "region": world.places.district.pk,
                    "name": "新轮次",
                    "year": 2026,
                    "scheme": other_scheme.pk,
                    "experts_per_dimension": 1,
                    "publicity_days": 7,
                },
            ),
            client.post(
                reverse("evaluation:round_assign", args=[open_round.pk]),
                {"action": "assign", "round_project": own_entry.pk, "expert": other_expert.pk},
            ),
            client.post(
                reverse("evaluation:round_projects", args=[draft.pk]),
                {"action": "add", "projects": [other_project.pk]},
            ),
            client.post(
                reverse("evaluation:expert_create"),
                {
                    "region": world.places.district.pk,
                    "name": "新专家",
                    "dimension": "technical",
                    "affiliation_kind": "organization",
                    "organization": other_organization.pk,
                },
            ),
        ]
        after = (AuditRecord.objects.count(), Round.objects.count(), Assignment.objects.count(), Expert.objects.count())
        added = draft.entries.count()
        transaction.set_rollback(True)
    assert [a.status_code for a in answers] == [200, 404, 302, 200]
    assert added == 0
    assert before == after
    form_pages = [_text(client.get(reverse(name))) for name in ("evaluation:round_create", "evaluation:expert_create")]
    form_pages.append(_text(client.get(reverse("evaluation:round_assign", args=[open_round.pk]))))
    form_pages.append(_text(client.get(reverse("evaluation:round_projects", args=[open_round.pk]))))
    for marker in ("qzSBq", "qzBDq", "qzDISq", "qzFUBq"):
        assert not any(marker in page for page in form_pages), marker
