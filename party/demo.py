"""Demo party building for the demo city (seeded after registry.demo's organizations and supervision's
reports and revocations, in app order), through party.services as the demo users:

- the area bodies: 西湖区's three street party working committees (街道党工委) and each demo
  community's party committee (宝石社区党委's secretary is 刘书记, the demo `party` account; 北山街道党工委's
  is 何书记, `streetparty`), 滨江区's two street committees;
- a party organization of each formation: standalone (北山街道社会工作服务中心党支部), joint (北山街道社会组织
  联合党支部), composite (嘉绿苑小区综合党支部), a regional alliance with a rotating host (西溪街道社会组织
  党建联盟), and 长河街道社会工作服务中心党支部 in 滨江区; two terms end within the warning days;
- coverage of the other organizations: instructor only (保俶塔社区文体队 since January last year — its
  annual report on last year declares a joint party organization, which its reviewer sees flagged),
  none with a plan and reason (学院路社区科普服务社), and 应建未建 (翠苑街道养老服务中心: 3 full party
  members, an instructor, no own party organization);
- regular contacts: some organizations contacted this period or the last, some overdue (contacted long
  ago or never);
- activities (a party lesson, themed education, a training) and a joint meeting with two decisions, one
  done.

Idempotent: party organizations are looked up by node and name, coverage by organization (an
organization with any coverage is left as it is), contacts by organization, activities and meetings
by topic.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region, User
from registry.choices import OrganizationStatus, PartyForm
from registry.models import Organization

from . import periods, services
from .choices import ActivityKind, ContactForm, Formation, PartyLevel, PartyOrganizationStatus
from .models import ContactRecord, JointMeeting, PartyActivity, PartyCoverage, PartyOrganization

# The area bodies: (region code, name, secretary, years since established, days until the term ends).
STREET_BODIES = [
    ("330106001", "北山街道党工委", "何书记", 12, 900),
    ("330106002", "西溪街道党工委", "孙卫东", 12, 900),
    ("330106003", "翠苑街道党工委", "钱丽华", 12, 900),
    ("330108001", "西兴街道党工委", "吕志刚", 10, 700),
    ("330108002", "长河街道党工委", "施文静", 10, 700),
]
COMMUNITY_BODIES = [
    ("330106001001", "保俶塔社区党委", "潘明", 20, 400),
    ("330106001002", "宝石社区党委", "刘书记", 20, 60),  # the demo `party` account; re-election due
    ("330106001003", "杨公堤社区党委", "袁芳", 18, 400),
    ("330106002001", "嘉绿苑社区党委", "方志强", 18, 400),
    ("330106002002", "求是社区党委", "俞佳", 18, 400),
    ("330106002003", "文鼎苑社区党委", "邵红", 15, 400),
    ("330106003001", "翠苑一区社区党委", "毛建新", 15, 400),
    ("330106003002", "学院路社区党委", "狄晓燕", 15, 400),
]

# Coverage recorded before any party organization below covers the organization, in force from 1
# January of last year: (organization, values).
EARLIER_COVERAGE = {
    "西湖区北山街道社会工作服务中心": {
        "form": PartyForm.INSTRUCTOR, "instructor": "金海燕", "full_party_members": 5,
        "probationary_party_members": 1, "head_is_party_member": True,
    },
    "宝石社区邻里互助会": {"form": PartyForm.INSTRUCTOR, "instructor": "刘书记", "full_party_members": 2},
    "杨公堤社区平安巡防队": {"form": PartyForm.NONE, "full_party_members": 1, "no_party_reason": "党员人数不足。"},
    "嘉绿苑社区老年协会": {"form": PartyForm.INSTRUCTOR, "instructor": "方志强", "full_party_members": 2},
    "西湖区志愿者协会": {"form": PartyForm.INSTRUCTOR, "instructor": "孙卫东", "full_party_members": 2},
    "求是社区四点半课堂": {"form": PartyForm.NONE, "full_party_members": 1, "no_party_reason": "党员人数不足。"},
    "文鼎苑社区公益基金会": {"form": PartyForm.INSTRUCTOR, "instructor": "邵红", "full_party_members": 2},
    # Instructor only: its annual report on last year says "joint, 2", which its reviewer sees flagged.
    "保俶塔社区文体队": {
        "form": PartyForm.INSTRUCTOR, "instructor": "潘明", "instructor_phone": "13905710001",
        "full_party_members": 1, "probationary_party_members": 1,
    },
    # 应建未建: three full party members among its staff, no party organization of its own.
    "翠苑街道养老服务中心": {
        "form": PartyForm.INSTRUCTOR, "instructor": "钱丽华", "full_party_members": 3,
        "probationary_party_members": 1, "head_is_party_member": True,
        "note": "正式党员3名，已具备单独组建条件，街道党工委督促年内组建。",
    },
    "学院路社区科普服务社": {
        "form": PartyForm.NONE, "no_party_reason": "成立时间短，从业人员中暂无党员。",
        "trade_union_on": None, "note": "社区党委已联系选派党建指导员。",
    },
    "西兴社区邻里守望队": {"form": PartyForm.INSTRUCTOR, "instructor": "吕志刚", "full_party_members": 1},
    "江边社区文体协会": {"form": PartyForm.NONE, "no_party_reason": "从业人员中暂无党员。"},
    "长河街道社会工作服务中心": {"form": PartyForm.INSTRUCTOR, "instructor": "施文静", "full_party_members": 4},
}  # fmt: skip
# Planned dates of the organizations without party building: days from today.
PLANNED_IN_DAYS = {"学院路社区科普服务社": 150, "江边社区文体协会": 200}
# 四建联动: the mass organizations some have (years ago).
MASS_ORGANIZATIONS = {
    "西湖区北山街道社会工作服务中心": {"trade_union_on": 6, "youth_league_on": 5, "women_org_on": 4},
    "翠苑街道养老服务中心": {"trade_union_on": 5, "women_org_on": 3},
    "文鼎苑社区公益基金会": {"trade_union_on": 4},
}

# The party organizations of each formation: (street / node code, name, level, formation, covered
# organizations, the host of an alliance, full and probationary members, years since established, days
# until the term ends, secretary, rotation).
PARTY_ORGANIZATIONS = [
    ("330106001", "西湖区北山街道社会工作服务中心党支部", PartyLevel.BRANCH, Formation.STANDALONE,
     ["西湖区北山街道社会工作服务中心"], None, 5, 1, 6, 45, "吴敏", ""),
    ("330106001", "北山街道社会组织联合党支部", PartyLevel.BRANCH, Formation.JOINT,
     ["宝石社区邻里互助会", "杨公堤社区平安巡防队"], None, 3, 0, 4, 500, "何书记", ""),
    ("330106002001", "嘉绿苑小区综合党支部", PartyLevel.BRANCH, Formation.COMPOSITE,
     ["嘉绿苑社区老年协会"], None, 9, 1, 5, 600, "方志强", ""),
    ("330106002", "西溪街道社会组织区域化党建联盟", PartyLevel.GENERAL_BRANCH, Formation.ALLIANCE,
     ["文鼎苑社区公益基金会", "西湖区志愿者协会", "求是社区四点半课堂"], "文鼎苑社区公益基金会", 6, 0, 3, 800, "蒋涛",
     "成员单位按年度轮值：文鼎苑社区公益基金会 → 西湖区志愿者协会 → 求是社区四点半课堂"),
    ("330108002", "长河街道社会工作服务中心党支部", PartyLevel.BRANCH, Formation.STANDALONE,
     ["长河街道社会工作服务中心"], None, 4, 0, 3, 700, "蒋琳", ""),
]  # fmt: skip

# Regular contacts: organization → [(when, form, topics, issues, follow-up)]; "current" is in the
# current contact period, "previous" in the previous one, "long_ago" before it (overdue since).
CONTACTS = {
    "西湖区北山街道社会工作服务中心": [
        ("current", ContactForm.MEETING, "党支部换届准备工作", "", "指导制定换届工作方案"),
    ],
    "西湖区志愿者协会": [
        ("previous", ContactForm.MEETING, "学习贯彻社会组织党建工作要求", "", ""),
        ("current", ContactForm.PHONE, "志愿服务项目与党员志愿者招募", "活动经费紧张", "协调公益创投项目申报"),
    ],
    "嘉绿苑社区老年协会": [("previous", ContactForm.VISIT, "老年协会党员学习情况", "", "")],
    "文鼎苑社区公益基金会": [("current", ContactForm.ONLINE, "公益项目信息公开与党建联盟轮值", "", "")],
    "翠苑街道养老服务中心": [
        ("previous", ContactForm.VISIT, "督促单独组建党组织", "负责人对组建程序不熟悉", "街道党工委下月上门指导"),
    ],
    # Overdue: contacted before the previous period, or never (杨公堤社区平安巡防队, 学院路社区科普服务社).
    # 宝石社区邻里互助会 is 刘书记's (the demo `party` account's) to record a contact with.
    "宝石社区邻里互助会": [("long_ago", ContactForm.VISIT, "走访了解邻里互助活动及党员作用发挥", "活动场地紧张", "")],
    "保俶塔社区文体队": [("long_ago", ContactForm.VISIT, "文体队党员教育管理", "", "")],
    "求是社区四点半课堂": [("long_ago", ContactForm.PHONE, "课堂志愿者中的党员情况", "", "")],
}

# (host, kind, days ago, topic, attending organizations, head count)
ACTIVITIES = [
    ("北山街道社会组织联合党支部", ActivityKind.PARTY_LESSON, 30, "“两新”组织党员专题党课",
     ["宝石社区邻里互助会", "杨公堤社区平安巡防队"], 26),
    ("西溪街道社会组织区域化党建联盟", ActivityKind.THEMED_EDUCATION, 60, "主题教育：公益服务中的党员先锋",
     ["文鼎苑社区公益基金会", "西湖区志愿者协会", "求是社区四点半课堂"], 48),
    ("北山街道党工委", ActivityKind.TRAINING, 75, "社会组织党建指导员业务培训",
     ["保俶塔社区文体队", "宝石社区邻里互助会", "西湖区北山街道社会工作服务中心"], 35),
]  # fmt: skip

MEETING = {
    "host": "北山街道党工委",
    "topic": "北山街道社会组织党建联席会议",
    "days_ago": 50,
    "organizations": [
        "西湖区北山街道社会工作服务中心", "宝石社区邻里互助会", "保俶塔社区文体队", "杨公堤社区平安巡防队",
    ],
    "minutes": "通报辖区社会组织党建覆盖情况；研究保俶塔社区文体队党组织组建计划；部署重阳节敬老志愿服务。",
    # (content, responsible, due in days (negative: past), follow-up when done)
    "decisions": [
        ("联合开展重阳节敬老志愿服务", "北山街道社会组织联合党支部", -20,
         "已于重阳节组织志愿服务，党员志愿者32人次参加。"),
        ("各社会组织年底前完成党员信息核对", "北山街道党工委", 40, ""),
    ],
}  # fmt: skip


def _years_ago(today: dt.date, years: int) -> dt.date:
    return today.replace(year=today.year - years, day=min(today.day, 28))


def _contact_day(today: dt.date, when: str) -> dt.date:
    start, previous = periods.period_start(today), periods.previous_period_start(today)
    if when == "current":
        return start + (today - start) // 2
    if when == "previous":
        return previous + dt.timedelta(days=20)
    return previous - dt.timedelta(days=45)


def _street_body(code: str) -> str | None:
    """The name of the party working committee of the street holding the node `code`."""
    return next((name for street, name, *rest in STREET_BODIES if street == code[:9]), None)


def _body(actor, code, name, **values) -> PartyOrganization:
    region = Region.objects.get(code=code)
    existing = PartyOrganization.objects.filter(region=region, name=name, status=PartyOrganizationStatus.ACTIVE).first()
    return existing or services.party_organization_create(actor, region=region, name=name, **values)


def _area_bodies(actors: dict, today: dt.date) -> dict[str, PartyOrganization]:
    bodies = {}
    for code, name, secretary, years, term_days in STREET_BODIES + COMMUNITY_BODIES:
        # A community's party committee is under its street's party working committee.
        parent = bodies.get(_street_body(code)) if len(code) == 12 else None
        bodies[name] = _body(
            actors[code[:6]], code, name, level=PartyLevel.COMMITTEE, formation=Formation.COMPOSITE,
            is_area_body=True, parent=parent,
            secretary=secretary, established_on=_years_ago(today, years),
            term_ends_on=today + dt.timedelta(days=term_days), full_member_count=40 if len(code) == 9 else 25,
        )  # fmt: skip
    return bodies


def _earlier_coverage(actors: dict, organizations: dict, today: dt.date) -> None:
    since = dt.date(today.year - 1, 1, 1)
    for name, values in EARLIER_COVERAGE.items():
        org = organizations.get(name)
        if org is None or PartyCoverage.objects.filter(organization=org).exists():
            continue
        values = {k: v for k, v in values.items() if v is not None}
        if name in PLANNED_IN_DAYS:
            values["planned_on"] = today + dt.timedelta(days=PLANNED_IN_DAYS[name])
        for field, years in MASS_ORGANIZATIONS.get(name, {}).items():
            values[field] = _years_ago(today, years)
        services.coverage_record(actors[org.region.code[:6]], org, valid_from=since, **values)


def _party_organizations(actors: dict, organizations: dict, bodies: dict, today: dt.date) -> None:
    for row in PARTY_ORGANIZATIONS:
        code, name, level, formation, covered, host, full, probationary, years, term_days, secretary, rotation = row
        members = [organizations[n] for n in covered if n in organizations]
        if len(members) != len(covered):
            continue
        bodies[name] = _body(
            actors[code[:6]], code, name, organizations=members, level=level, formation=formation,
            parent=bodies.get(_street_body(code)), secretary=secretary, established_on=_years_ago(today, years),
            term_ends_on=today + dt.timedelta(days=term_days), full_member_count=full,
            probationary_member_count=probationary, host_organization=organizations.get(host) if host else None,
            rotation=rotation,
        )  # fmt: skip


def _contacts(users: dict, organizations: dict, today: dt.date) -> None:
    for name, contacts in CONTACTS.items():
        org = organizations.get(name)
        if org is None or ContactRecord.objects.filter(organization=org).exists():
            continue
        # The secretary whose node holds it (刘书记 her community, 何书记 his street), else the bureau.
        code = org.region.code
        by = users["party"] if code == "330106001002" else users["streetparty"] if code[:9] == "330106001" else None
        for when, form, topics, issues, follow_up in contacts:
            services.contact_record(
                by or users["admin"], org, contacted_on=_contact_day(today, when), form=form, topics=topics,
                issues=issues, follow_up=follow_up,
            )  # fmt: skip


def _activities(users: dict, organizations: dict, bodies: dict, today: dt.date) -> None:
    for host, kind, days, topic, attending, head_count in ACTIVITIES:
        if host not in bodies or PartyActivity.objects.filter(topic=topic).exists():
            continue
        services.activity_record(
            users["admin"], organizations=[organizations[n] for n in attending if n in organizations], kind=kind,
            held_on=today - dt.timedelta(days=days), host=bodies[host], topic=topic, head_count=head_count,
        )  # fmt: skip


def _meeting(users: dict, organizations: dict, bodies: dict, today: dt.date) -> None:
    if MEETING["host"] not in bodies or JointMeeting.objects.filter(topic=MEETING["topic"]).exists():
        return
    by = users["streetparty"] or users["admin"]
    meeting = services.meeting_record(
        by,
        organizations=[organizations[n] for n in MEETING["organizations"] if n in organizations],
        decisions=[
            {"content": content, "responsible": responsible, "due_on": today + dt.timedelta(days=days)}
            for content, responsible, days, _done in MEETING["decisions"]
        ],
        host=bodies[MEETING["host"]],
        held_on=today - dt.timedelta(days=MEETING["days_ago"]),
        topic=MEETING["topic"],
        minutes=MEETING["minutes"],
    )
    follow_ups = {content: done for content, _r, _d, done in MEETING["decisions"] if done}
    for decision in meeting.decisions.all():
        if decision.content in follow_ups:
            services.decision_complete(by, decision, follow_up=follow_ups[decision.content])


def seed(context: dict) -> None:
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "binjiang", "party", "streetparty"])}
    for name in ("admin", "binjiang", "party", "streetparty"):
        users.setdefault(name, None)
    if users["admin"] is None:
        return
    # Who keeps each district's party building: its bureau (the administrator, 滨江区's clerk).
    actors = {"330106": users["admin"], "330108": users["binjiang"] or users["admin"]}
    organizations = {
        o.name: o
        for o in Organization.objects.filter(status=OrganizationStatus.ACTIVE).select_related("region")
        if o.name in EARLIER_COVERAGE
    }
    bodies = _area_bodies(actors, today)
    _earlier_coverage(actors, organizations, today)
    _party_organizations(actors, organizations, bodies, today)
    _contacts(users, organizations, today)
    _activities(users, organizations, bodies, today)
    _meeting(users, organizations, bodies, today)
    context["stdout"].write(
        _("Party building: %(bodies)d party organizations, %(covered)d organizations covered, %(contacts)d contacts.")
        % {
            "bodies": PartyOrganization.objects.count(),
            "covered": PartyCoverage.objects.current().count(),
            "contacts": ContactRecord.objects.count(),
        }
    )
