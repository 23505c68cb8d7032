"""Demo star-rating evaluation for 西湖区 (after the projects' and party's demos, in app order),
through evaluation.services as the demo users:

- the expert pool: the demo account `expert` (孙教授, technical experts) and a panel member with an
  account in each other dimension (their accounts have no usable password), and experts without
  accounts in every dimension — one affiliated with the welfare-lottery fund, so conflicted for the
  children's project it funds;
- a closed round (第一批) over the district's three running projects: scored by the panel, residents'
  answers (online, with respondent codes, a paper batch entered by `staff`), results computed and
  published, an objection lodged by the demo account `org` and answered by `staff`, publicity over,
  closed — its stars on the public register;
- an open round (第二批) in scoring: 孙教授 on every project (one submitted, one scored and saved, one
  not started), the other dimensions assigned automatically, answers coming in — with a burst from
  one community-centre tablet set aside for review, and codes printed;
- grades (1A–5A) of registered organizations, one lapsing at the end of this year (within 180 days
  from July on);
- last year's annual review of 北山街道's filed organizations by `street`, one (宝石社区邻里互助会)
  awaiting the opinion of 刘书记 (the demo account `party`).

Idempotent: experts are looked up by district and name, rounds by district and name (a round that
exists is left as it is), grades by organization and award date, reviews by organization and year.
The only writes outside the services back-date history (the closed round's publicity period, when its
results were computed, its objection lodged and answered and the round closed — as the projects'
demo back-dates its quarterly submissions).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region, User
from projects.models import Funder, Project
from registry.models import Organization

from .choices import AffiliationKind, Dimension, IndicatorSource, ObjectionOutcome
from .defaults import ensure_default_scheme
from .models import Assignment, CommunityReview, Expert, Objection, OrgGrade, Round, RoundProject
from .services import community, experts, feedback, grades, objections, rounds, scoring

DISTRICT = "330106"
LOTTERY = "西湖区福利彩票公益金"  # projects.demo's fund: its expert is conflicted for the project it funds
# The demo projects of 西湖区 that are evaluated (applied ones are not).
PROJECTS = ["宝石社区“银龄互助”邻里守望项目", "北山街道困境儿童关爱项目", "嘉绿苑社区老年助餐服务"]

# The panel of the closed round, one per dimension, each with an account: (username, name, dimension,
# affiliation kind, affiliation, title, specialty, phone).
PANEL = [
    ("expert", "孙教授", Dimension.TECHNICAL, AffiliationKind.OTHER, "浙江工业大学社会工作系", "教授",
     "社会工作项目评估", "13905712001"),
    ("expert_lin", "林海涛", Dimension.DEPARTMENT, AffiliationKind.DEPARTMENT, "西湖区财政局绩效评价科", "科长",
     "财政绩效评价", "13905712002"),
    ("expert_shen", "沈晓岚", Dimension.MEDIA, AffiliationKind.OTHER, "西湖之声广播电台", "记者",
     "民生新闻", "13905712003"),
    ("expert_he", "何桂英", Dimension.RESIDENT, AffiliationKind.PUBLIC_OFFICE, "西湖区人大代表", "",
     "社区治理", "13905712004"),
]  # fmt: skip
# The rest of the pool, without accounts: (name, dimension, affiliation kind, affiliation, title, specialty).
POOL = [
    ("钱立群", Dimension.TECHNICAL, AffiliationKind.OTHER, "浙江大学公共管理学院", "副教授", "公共服务评价"),
    ("吴晓燕", Dimension.TECHNICAL, AffiliationKind.FUNDER, "", "项目主管", "公益创投"),  # the lottery fund's
    ("高建平", Dimension.DEPARTMENT, AffiliationKind.DEPARTMENT, "西湖区卫生健康局", "副科长", "老年健康服务"),
    ("许文博", Dimension.DEPARTMENT, AffiliationKind.DEPARTMENT, "西湖区教育局", "科员", "未成年人保护"),
    ("杜鹃", Dimension.MEDIA, AffiliationKind.OTHER, "杭州日报社会新闻部", "编辑", "公益报道"),
    ("马骏", Dimension.MEDIA, AffiliationKind.OTHER, "西湖发布", "编辑", "新媒体"),
    ("曹美华", Dimension.RESIDENT, AffiliationKind.PUBLIC_OFFICE, "西湖区政协委员", "", "为老服务"),
    ("陶建国", Dimension.RESIDENT, AffiliationKind.OTHER, "北山街道居民代表", "", "社区志愿服务"),
]  # fmt: skip

CLOSED = "{year}年度第一批社区公益服务项目星级评定"
OPEN = "{year}年度第二批社区公益服务项目星级评定"
# The closed round's panel scores of 项目质量 per project (technical, department, media, resident) and
# each project's residents: paper questionnaires (knew, took part, satisfaction) and online answers.
CLOSED_SCORES = {
    PROJECTS[0]: ("93", "90", "88", "95"),
    PROJECTS[1]: ("80", "78", "76.5", "80"),
    PROJECTS[2]: ("78", "75", "70", "80"),
}
PAPER = {
    PROJECTS[0]: [(True, True, 5)] * 7 + [(True, False, 5), (True, True, 4), (False, False, 4)],
    PROJECTS[1]: [(True, True, 5)] * 4 + [(True, False, 4)] * 4 + [(False, False, 4), (True, True, 3)],
    PROJECTS[2]: [(True, True, 4)] * 3 + [(True, False, 3)] * 4 + [(False, False, 3)] * 2 + [(False, False, 2)],
}
ONLINE = [(True, True, 5, "活动很贴心，希望多办几次。"), (True, False, 4, ""), (False, False, 4, "")]
COMMENTS = {5: "服务很好，社工很耐心。", 4: "总体满意。", 3: "还可以，活动时间希望更灵活。", 2: "活动太少。"}
OBJECTION = "对“参与率”得分有异议：项目台账登记的服务人次已超过年度目标，问卷样本主要来自非服务对象，请核实。"
ANSWER = "经核查，参与率按服务对象反馈与台账服务人次对照目标各占一半计算，台账人次已计入，评定结果维持。"

# (organization, grade, score out of 1000, awarded this many years ago, decision number)
GRADES = [
    ("西湖区志愿者协会", 5, "921.5", 2, "西民〔{year}〕58号"),
    ("翠苑街道养老服务中心", 4, "842.0", 1, "西民〔{year}〕61号"),
    ("文鼎苑社区公益基金会", 4, "815.0", 3, "西民〔{year}〕47号"),
    # Lapses on 31 December of this year: flagged and reminded from early July.
    ("西湖区北山街道社会工作服务中心", 3, "735.5", 5, "西民〔{year}〕52号"),
]
# Last year's annual review by the street: (organization, governance /25, activities /25, contribution
# /25, residents' view /25, the street's opinion, the party secretary's opinion or "" when awaited).
REVIEWS = [
    ("保俶塔社区文体队", 23, 24, 22, 23, "内部管理规范，文体活动常态化开展，居民参与度高。",
     "同意街道评议意见，文体队党员带头作用明显。"),
    ("杨公堤社区平安巡防队", 18, 20, 19, 20, "巡防排班和台账基本规范，个别月份巡防记录不全。",
     "同意评议结论，请加强巡防记录管理。"),
    ("宝石社区邻里互助会", 22, 21, 23, 22, "邻里互助活动扎实，志愿者队伍稳定，财务公开及时。", ""),
]  # fmt: skip


def _key(name: str) -> str:
    """A stable stand-in for a resident's device fingerprint (evaluation.surveys.client_key)."""
    return hashlib.sha256(f"demo-device:{name}".encode()).hexdigest()


def _expert(district, name, dimension, kind, affiliation, title, specialty, **extra) -> Expert:
    found = Expert.objects.filter(region=district, name=name).first()
    if found is not None:
        return found
    if kind == AffiliationKind.FUNDER:
        extra["funder"] = Funder.objects.filter(region=district, name=LOTTERY).first()
        if extra["funder"] is None:
            kind, affiliation = AffiliationKind.OTHER, LOTTERY
    return experts.expert_create(
        by=None, region=district, name=name, dimension=dimension, affiliation_kind=kind, affiliation=affiliation,
        title=title, specialty=specialty, **extra,
    )  # fmt: skip


def _panel(district) -> dict[str, Expert]:
    panel = {}
    for username, name, dimension, kind, affiliation, title, specialty, phone in PANEL:
        account = User.objects.filter(username=username).first()
        found = Expert.objects.filter(region=district, name=name).first()
        if found is None:
            found = _expert(
                district, name, dimension, kind, affiliation, title, specialty, phone=phone,
                username="" if account is not None else username,
            )  # fmt: skip
            if account is not None and account.role == "expert" and account.region_id == district.pk:
                found = experts.expert_link_user(found, by=None, user=account)
        panel[dimension] = found
    return panel


def _pool(district) -> None:
    for row in POOL:
        _expert(district, *row)


def _open_new_round(district, name, today, staff, projects, **values) -> Round:
    round_ = rounds.round_create(
        by=staff, region=district, name=name, year=today.year, scheme=ensure_default_scheme(), **values
    )
    rounds.round_add_projects(round_, by=staff, projects=projects)
    return round_


def _entries(round_) -> dict[str, RoundProject]:
    entries = RoundProject.objects.filter(round=round_).select_related("project", "survey")
    return {entry.project.title: entry for entry in entries}


def _quality(round_) -> int:
    return round_.scheme.indicators.get(source=IndicatorSource.EXPERT).pk


def _answers(entry, staff, moment: dt.datetime, *, paper=(), online=(), codes=0, codes_used=0, burst=0) -> None:
    survey = entry.survey
    for index, (knew, took_part, satisfaction, comment) in enumerate(online):
        feedback.response_submit(
            survey, knew=knew, took_part=took_part, satisfaction=satisfaction, comment=comment,
            client_key=_key(f"{survey.pk}:{index}"), now=moment + dt.timedelta(hours=index * 5),
        )  # fmt: skip
    if codes:
        slips = feedback.codes_issue(survey, by=staff, count=codes)
        for index, slip in enumerate(slips[:codes_used]):
            feedback.response_submit(
                survey, knew=True, took_part=True, satisfaction=5 - index % 2, code=slip.code,
                comment=COMMENTS[5 - index % 2], now=moment + dt.timedelta(days=1, minutes=index * 7),
            )  # fmt: skip
    if paper:
        feedback.paper_batch_enter(
            survey, by=staff, collected_on=moment.date() + dt.timedelta(days=2),
            place=f"{entry.project.organization.region.name}党群服务中心", notes="社区活动现场发放回收。",
            rows=[
                {"knew": knew, "took_part": took_part, "satisfaction": satisfaction, "comment": COMMENTS[satisfaction]}
                for knew, took_part, satisfaction in paper
            ],
        )  # fmt: skip
    # One community-centre tablet handed round: past the flood limit its answers are set aside for review.
    tablet = _key(f"{survey.pk}:tablet")
    for index in range(burst):
        feedback.response_submit(
            survey, knew=True, took_part=index % 3 != 0, satisfaction=5 - index % 2, client_key=tablet,
            now=moment + dt.timedelta(minutes=index),
        )  # fmt: skip


def _closed_round(district, today, users, projects, panel) -> None:
    name = CLOSED.format(year=today.year)
    if Round.objects.filter(region=district, name=name).exists():
        return
    staff = users["staff"]
    round_ = _open_new_round(
        district, name, today, staff, projects, scoring_due=today - dt.timedelta(days=50),
        notes="对已实施满两个季度的政府购买服务和公益创投项目开展星级评定。",
    )  # fmt: skip
    rounds.auto_assign(round_, by=staff)
    round_ = rounds.round_start_scoring(round_, by=staff)
    quality = _quality(round_)
    answered = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=65), dt.time(9, 30)))
    for title, entry in _entries(round_).items():
        _answers(entry, staff, answered, paper=PAPER[title], online=ONLINE, codes=10, codes_used=2)
        scores = dict(zip(list(Dimension), CLOSED_SCORES[title], strict=True))
        for assignment in Assignment.objects.filter(round_project=entry).select_related("expert__user"):
            value = scores[assignment.dimension]
            comment = "项目设计合理，服务记录完整。" if Decimal(value) >= 85 else "服务成效有待进一步体现。"
            rater = assignment.expert.user
            scoring.scores_save(assignment, by=rater, values={quality: {"value": value, "comment": comment}})
            scoring.scores_submit(assignment, by=rater)
    round_ = rounds.round_publish(round_, by=staff)
    # The organization of the first project objected during publicity; the bureau answered.
    entry = _entries(round_)[PROJECTS[0]]
    org_user = users["org"]
    if org_user is not None and org_user.organization_id == entry.project.organization_id:
        objection = objections.objection_lodge(entry, by=org_user, content=OBJECTION)
        objections.objection_answer(objection, by=staff, answer=ANSWER, outcome=ObjectionOutcome.MAINTAINED)
    # History: publicity ran from 40 days ago for its days (the service dates it from today).
    starts = today - dt.timedelta(days=40)
    ends = starts + dt.timedelta(days=round_.publicity_days - 1)
    Round.objects.filter(pk=round_.pk).update(publicity_starts_on=starts, publicity_ends_on=ends)
    rounds.round_close(round_, by=staff)
    _back_date(round_, starts, ends)


def _back_date(round_, starts: dt.date, ends: dt.date) -> None:
    """The closed round's history on its days: computed when publicity began, the objection lodged and
    answered during it, closed the day after it ended (the services stamp them now)."""

    def at(day: dt.date, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))

    computed = at(starts, 9)
    Round.objects.filter(pk=round_.pk).update(computed_at=computed, closed_at=at(ends + dt.timedelta(days=1), 10))
    RoundProject.objects.filter(round=round_).update(computed_at=computed)
    Objection.objects.filter(round_project__round=round_).update(
        created_at=at(starts + dt.timedelta(days=2), 15), reviewed_at=at(starts + dt.timedelta(days=4), 11)
    )


def _open_round(district, today, users, projects, panel) -> None:
    name = OPEN.format(year=today.year)
    if Round.objects.filter(region=district, name=name).exists():
        return
    staff = users["staff"]
    round_ = _open_new_round(
        district, name, today, staff, projects, scoring_due=today + dt.timedelta(days=10),
        notes="第二批评定：专家评分进行中，服务对象问卷同步收集。",
    )  # fmt: skip
    entries = _entries(round_)
    sun = panel.get(Dimension.TECHNICAL)
    if sun is not None:  # 孙教授 rates every project's technical dimension; the rest automatically
        for title in PROJECTS:
            if title in entries:
                rounds.assign_expert(entries[title], sun, by=staff)
    rounds.auto_assign(round_, by=staff)
    round_ = rounds.round_start_scoring(round_, by=staff)
    started = timezone.now() - dt.timedelta(days=3)
    for title, entry in entries.items():
        first = title == PROJECTS[0]
        _answers(entry, staff, started, online=ONLINE[: 3 if first else 1], codes=30, codes_used=3 if first else 0)
    if PROJECTS[1] in entries:  # the tablet at the community centre: answers past the limit are set aside
        _answers(entries[PROJECTS[1]], staff, timezone.now() - dt.timedelta(hours=2), burst=8)
    if sun is None or sun.user is None:
        return
    quality = _quality(round_)
    mine = {a.round_project.project.title: a for a in Assignment.objects.filter(round=round_, expert=sun)}
    if PROJECTS[0] in mine:  # scored and submitted
        scoring.scores_save(mine[PROJECTS[0]], by=sun.user, values={quality: {"value": "91", "comment": "服务扎实。"}})
        scoring.scores_submit(mine[PROJECTS[0]], by=sun.user)
    if PROJECTS[1] in mine:  # scored and saved, not yet submitted
        scoring.scores_save(
            mine[PROJECTS[1]], by=sun.user, values={quality: {"value": "84.5", "comment": "个案记录待补充。"}}
        )


def _grades(today, staff) -> None:
    for name, grade, score, years, number in GRADES:
        organization = Organization.objects.filter(name=name).first()
        awarded_on = dt.date(today.year - years, 11, 15)
        if awarded_on > today:
            awarded_on = dt.date(today.year - years - 1, 11, 15)
        if organization is None or OrgGrade.objects.filter(organization=organization, awarded_on=awarded_on).exists():
            continue
        grades.grade_award(
            organization, by=staff, score=score, grade=grade, awarded_on=awarded_on,
            decision_number=number.format(year=awarded_on.year),
        )  # fmt: skip


def _reviews(today, street, secretary) -> None:
    year = today.year - 1
    for name, governance, activities, contribution, residents_view, opinion, party_opinion in REVIEWS:
        organization = Organization.objects.filter(name=name).first()
        if organization is None or CommunityReview.objects.filter(organization=organization, year=year).exists():
            continue
        review = community.community_review_score(
            organization, by=street, year=year, governance=governance, activities=activities,
            contribution=contribution, residents_view=residents_view, street_opinion=opinion,
        )  # fmt: skip
        if party_opinion and secretary is not None:
            community.community_review_opinion(review, by=secretary, opinion=party_opinion)


def seed(context: dict) -> None:
    ensure_default_scheme()  # a flushed database has lost the one migration 0002 made
    district = Region.objects.filter(code=DISTRICT).first()
    names = ("staff", "org", "street", "streetparty")
    users = {name: User.objects.filter(username=name).first() for name in names}
    if district is None or users["staff"] is None:
        return
    today = timezone.localdate()
    projects = list(
        Project.objects.filter(title__in=PROJECTS, organization__region__code__startswith=DISTRICT)
        .exclude(status="applied")
        .order_by("pk")
    )
    panel = _panel(district)
    if projects:
        _closed_round(district, today, users, projects, panel)
    _pool(district)  # after the closed round: its automatic assignment drew on the panel alone
    if projects:
        _open_round(district, today, users, projects, panel)
    _grades(today, users["staff"])
    if users["street"] is not None:
        _reviews(today, users["street"], users["streetparty"])
    context["stdout"].write(
        _("Evaluation: %(experts)d experts, %(rounds)d rounds, %(grades)d grades, %(reviews)d community reviews.")
        % {
            "experts": Expert.objects.count(),
            "rounds": Round.objects.count(),
            "grades": OrgGrade.objects.count(),
            "reviews": CommunityReview.objects.count(),
        }
    )
