"""The evaluation app's choice sets."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IndicatorSource(models.TextChoices):
    """Where an indicator's score comes from (each source's rule: evaluation.computation)."""

    EXPERT = "expert", _("Expert scores")  # 专家评分: 项目质量 and the like
    PROGRESS = "progress", _("Computed: indicator completion and quarterly timeliness")  # 进度
    AWARENESS = "awareness", _("Beneficiary feedback: awareness rate")  # 群众知晓率
    PARTICIPATION = "participation", _("Beneficiary feedback: participation rate")  # 参与率
    SATISFACTION = "satisfaction", _("Beneficiary feedback: satisfaction")  # 满意度


COMPUTED_SOURCES = frozenset({IndicatorSource.PROGRESS})
FEEDBACK_SOURCES = frozenset({IndicatorSource.AWARENESS, IndicatorSource.PARTICIPATION, IndicatorSource.SATISFACTION})


class Dimension(models.TextChoices):
    """The four rater dimensions of the panel (两代表一委员 sit among them, by their affiliation)."""

    TECHNICAL = "technical", _("Technical experts")  # 技术专家
    DEPARTMENT = "department", _("Functional departments")  # 职能部门
    MEDIA = "media", _("News media")  # 新闻媒体
    RESIDENT = "resident", _("Resident representatives")  # 居民代表


class AffiliationKind(models.TextChoices):
    ORGANIZATION = "organization", _("A social organization")
    DEPARTMENT = "department", _("A government department")
    FUNDER = "funder", _("A funder")
    PUBLIC_OFFICE = "public_office", _("Deputy or committee member (两代表一委员)")
    OTHER = "other", _("Other")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("evaluation round", "Draft")
    SCORING = "scoring", _("Scoring")
    PUBLICITY = "publicity", pgettext_lazy("evaluation round", "Publicity")  # 公示 (not projects' 宣传)
    CLOSED = "closed", pgettext_lazy("evaluation round", "Closed")


class AssignmentMethod(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic")
    MANUAL = "manual", _("By hand")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Scoring")
    SUBMITTED = "submitted", pgettext_lazy("scores", "Submitted")


class ResponseChannel(models.TextChoices):
    ONLINE = "online", _("Online form")
    CODE = "code", _("Online form with a respondent code")
    PAPER = "paper", _("Paper questionnaire")


class ResponseStatus(models.TextChoices):
    COUNTED = "counted", _("Counted")
    HELD = "held", _("Set aside for review")  # a suspicious burst: kept, not counted until reviewed
    EXCLUDED = "excluded", _("Not counted")  # reviewed and left out; kept with the reason


class ObjectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection", "Awaiting answer")
    ANSWERED = "answered", _("Answered")


class ObjectionOutcome(models.TextChoices):
    MAINTAINED = "maintained", _("Result maintained")
    REVISED = "revised", _("Result revised")


class Grade(models.IntegerChoices):
    """社会组织评估等级."""

    ONE = 1, "1A"
    TWO = 2, "2A"
    THREE = 3, "3A"
    FOUR = 4, "4A"
    FIVE = 5, "5A"


class ReviewConclusion(models.TextChoices):
    """评估评议 of a filed community organization for a year."""

    EXCELLENT = "excellent", pgettext_lazy("community review", "Excellent")  # 优秀
    QUALIFIED = "qualified", _("Qualified")  # 合格
    BASIC = "basic", _("Basically qualified")  # 基本合格
    UNQUALIFIED = "unqualified", _("Unqualified")  # 不合格


class CommunityReviewStatus(models.TextChoices):
    SCORED = "scored", _("Scored by the street, awaiting the party organization's opinion")
    FINAL = "final", pgettext_lazy("community review", "Final")
