"""The party app's choice sets. How an organization is covered (PartyForm) is the registry's, shared
with the annual report's party section."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PartyLevel(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")  # 党委
    GENERAL_BRANCH = "general_branch", _("General party branch")  # 党总支
    BRANCH = "branch", _("Party branch")  # 党支部


class Formation(models.TextChoices):
    STANDALONE = "standalone", _("Standalone")  # 单独组建
    JOINT = "joint", _("Joint")  # 联合组建
    COMPOSITE = "composite", _("Composite")  # 综合性 (an office building, a market, a residential complex)
    ALLIANCE = "alliance", _("Regional alliance")  # 区域性党建联盟, with a rotating host (轮值)


class PartyOrganizationStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("party organization", "Active")
    DISSOLVED = "dissolved", pgettext_lazy("party organization", "Dissolved")


class ContactForm(models.TextChoices):
    VISIT = "visit", _("Visit")  # 走访
    MEETING = "meeting", pgettext_lazy("contact form", "Meeting")  # 座谈
    PHONE = "phone", _("Phone")  # 电话
    ONLINE = "online", _("Online")  # 网络


class ActivityKind(models.TextChoices):
    PARTY_LESSON = "party_lesson", _("Party lesson")  # 党课
    THEMED_EDUCATION = "themed_education", _("Themed education")  # 主题教育
    JOINT_ACTIVITY = "joint_activity", _("Joint activity")  # 联建共建活动
    TRAINING = "training", _("Training")  # 培训


class DecisionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("meeting decision", "Open")
    DONE = "done", pgettext_lazy("meeting decision", "Done")
