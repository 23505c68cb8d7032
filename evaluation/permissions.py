"""Who may act on the evaluation app's records; each rule answers (allowed, reason), so a page can
say why a button is missing and a service can refuse with the same words. Which rows a user sees at
all is the models' AccessPolicy (evaluation.models.policies); these rules decide actions on one row.

- Schemes are the bureau administrator's; rounds, the expert pool, feedback and objections the
  bureau's administrators and clerks (staff), of their own district.
- Scores are the assigned expert's own, while the round is scoring and until they submit.
- Whoever lodged an objection does not answer it; whoever entered a paper batch or set nothing aside
  may still review a held answer (it is the public's, not theirs).
- Grades are awarded by the bureau; a filed organization's annual review is scored by its street
  and given its opinion by the community party secretary of its subtree.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.choices import Role
from core.scoping import subtree_rule

from .choices import AssignmentStatus, RoundStatus

Result = tuple[bool, str]
OK: Result = (True, "")

STAFF = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})


def may_keep_scheme(user, scheme=None, region=None) -> Result:
    """Define or change a scheme (the default scheme, with no region, is copied, never changed)."""
    if scheme is not None and scheme.region_id is None and user is not None and not user.is_superuser:
        return False, _("The default scheme cannot be changed; copy it to make your own.")
    return subtree_rule(
        user,
        scheme.region if scheme is not None else region,
        {Role.BUREAU_ADMIN},
        _("Only the bureau administrator defines evaluation schemes."),
    )


def may_copy_scheme(user, scheme) -> Result:
    return subtree_rule(user, None, {Role.BUREAU_ADMIN}, _("Only the bureau administrator defines evaluation schemes."))


def may_keep_expert(user, region) -> Result:
    return subtree_rule(user, region, STAFF, _("Only the bureau's administrators and clerks keep the expert pool."))


def may_run_round(user, round_) -> Result:
    """Open, assign, move and compute a round: the bureau's administrators and clerks of its district."""
    return subtree_rule(
        user, round_.region, STAFF, _("Only the bureau's administrators and clerks run evaluation rounds.")
    )


def may_open_round(user, region) -> Result:
    return subtree_rule(user, region, STAFF, _("Only the bureau's administrators and clerks run evaluation rounds."))


def may_score(user, assignment) -> Result:
    """Save or submit scores: the assigned expert, while the round is scoring and the scores are not
    yet submitted."""
    if user is None or not user.is_authenticated:
        return False, _("Log in first.")
    expert_user_id = assignment.expert.user_id
    if expert_user_id is None or expert_user_id != user.pk:
        return False, _("Only the assigned expert scores this project.")
    if assignment.round.status != RoundStatus.SCORING:
        return False, _("The round is not open for scoring.")
    if assignment.status == AssignmentStatus.SUBMITTED:
        return False, _("The scores have been submitted and are locked.")
    return OK


def may_keep_feedback(user, round_) -> Result:
    """Print codes, enter paper batches, review answers set aside."""
    return subtree_rule(
        user, round_.region, STAFF, _("Only the bureau's administrators and clerks handle beneficiary feedback.")
    )


def may_lodge_objection(user, round_project) -> Result:
    """Lodge an objection during publicity: the project's organization's account (the public uses the
    public page, with user None)."""
    if round_project.round.status != RoundStatus.PUBLICITY:
        return False, _("Objections are lodged during the publicity period only.")
    if user is None or not user.is_authenticated:
        return OK
    if user.role == Role.ORG_USER and getattr(user, "organization_id", None) == round_project.project.organization_id:
        return OK
    return False, _("Only the project's organization lodges objections here; the public uses the publicity page.")


def may_answer_objection(user, objection) -> Result:
    allowed, reason = subtree_rule(
        user,
        objection.round_project.round.region,
        STAFF,
        _("Only the bureau's administrators and clerks answer objections."),
    )
    if allowed and user is not None and objection.lodged_by_id == user.pk:
        return False, _("Whoever lodged an objection does not answer it.")
    return allowed, reason


def may_award_grade(user, organization) -> Result:
    return subtree_rule(
        user, organization.region, STAFF, _("Only the bureau's administrators and clerks record grades.")
    )


def may_score_community_review(user, organization) -> Result:
    return subtree_rule(
        user,
        organization.region,
        {Role.STREET_OFFICER, Role.BUREAU_ADMIN},
        _("The street scores its filed community organizations' annual review."),
    )


def may_give_party_opinion(user, review) -> Result:
    allowed, reason = subtree_rule(
        user,
        review.organization.region,
        {Role.COMMUNITY_PARTY},
        _("The community party secretary gives the party organization's opinion."),
    )
    if allowed and user is not None and review.scored_by_id == user.pk:
        return False, _("Whoever scored the review does not also give the party opinion.")
    return allowed, reason
