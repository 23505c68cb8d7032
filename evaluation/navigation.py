"""Menu entries and to-dos of the star-rating evaluation (星级评定), for every page of the app:
schemes, the expert pool, rounds, assignments, results, objections, beneficiary feedback, grades
and community reviews. An entry whose page does not exist is not shown (core.navigation)."""

from django.utils.translation import gettext_lazy as _

from core import todos
from core.choices import BUREAU_ROLES, Role
from core.navigation import MenuItem, register

from .filtersets.feedback import SurveyResponseFilterSet
from .filtersets.objections import ObjectionFilterSet
from .filtersets.rounds import RoundFilterSet
from .filtersets.scoring import AssignmentFilterSet

_STAFF = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})
_RESULT_ROLES = BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY, Role.ORG_USER, Role.FUNDER_USER}
_AREA_ROLES = BUREAU_ROLES | {Role.STREET_OFFICER, Role.COMMUNITY_PARTY, Role.ORG_USER}

register(
    _("Star-rating evaluation"),
    22,
    MenuItem(_("My assignments"), "evaluation:assignment_list", frozenset({Role.EXPERT}), "pencil-square"),
    MenuItem(_("Evaluation schemes"), "evaluation:scheme_list", BUREAU_ROLES, "sliders"),
    MenuItem(_("Expert pool"), "evaluation:expert_list", BUREAU_ROLES, "person-badge"),
    MenuItem(_("Evaluation rounds"), "evaluation:round_list", BUREAU_ROLES, "stars"),
    MenuItem(_("Expert assignments"), "evaluation:assignment_list", BUREAU_ROLES, "list-check"),
    MenuItem(_("Evaluation results"), "evaluation:result_list", _RESULT_ROLES, "award"),
    MenuItem(_("Objections"), "evaluation:objection_list", BUREAU_ROLES | {Role.ORG_USER}, "megaphone"),
    MenuItem(_("Beneficiary feedback"), "evaluation:surveyresponse_list", BUREAU_ROLES, "chat-heart"),
    MenuItem(_("Organization grades"), "evaluation:orggrade_list", _AREA_ROLES, "patch-check"),
    MenuItem(_("Annual community reviews"), "evaluation:communityreview_list", _AREA_ROLES, "clipboard-check"),
)

todos.register(
    todos.TodoSource(
        _("Projects to score"),
        "evaluation:assignment_list",
        AssignmentFilterSet,
        frozenset({Role.EXPERT}),
        {"to_score": "true"},
    ),
    todos.TodoSource(
        _("Objections awaiting an answer"),
        "evaluation:objection_list",
        ObjectionFilterSet,
        _STAFF,
        {"status": "open"},
    ),
    todos.TodoSource(
        _("Beneficiary answers set aside for review"),
        "evaluation:surveyresponse_list",
        SurveyResponseFilterSet,
        _STAFF,
        {"status": "held"},
    ),
    todos.TodoSource(
        _("Rounds whose publicity is over, to close"),
        "evaluation:round_list",
        RoundFilterSet,
        _STAFF,
        {"closable": "true"},
    ),
)
