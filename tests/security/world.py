"""A small two-district world for the security suites: one user per role, and one of every kind
of record in each corner of the jurisdiction (own community, a sibling organization there,
another street, another district), each labelled with a marker that must never reach a user
outside that corner. Every write goes through the services, as in the other factories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import Region, User
from core.models import AuditRecord, ExportJob, Notification
from core.services_exports import export_job_run
from projects import services as project_services
from registry import services as registry_services
from registry import services_import
from registry.choices import ApplicationKind, AttachmentKind
from reports.models import QuarterlyWorkbook
from reports.services import workbooks as workbook_services
from supervision import services as supervision_services

from ..accounts.factories import Jurisdiction, make_user
from ..party.factories import make_activity, make_contact, make_meeting, make_party_organization
from ..projects.factories import make_entry, make_project
from ..projects.purchase import accept, deliver, make_contract, make_funder, make_funder_user, pay
from ..registry.factories import JPG, PDF, make_application, make_org_user, make_organization, upload
from ..registry.rosters import generated_roster
from ..supervision.factories import make_listing, make_report
from .evaluation_world import build_evaluation, evaluation_rule

ROLES = (
    Role.BUREAU_ADMIN,
    Role.BUREAU_STAFF,
    Role.BUREAU_VIEWER,
    Role.STREET_OFFICER,
    Role.COMMUNITY_PARTY,
    Role.ORG_USER,
    Role.EXPERT,
    Role.FUNDER_USER,
)
ANONYMOUS = "anonymous"
# Users at the city node above both districts (not roles of their own: a bureau viewer and a bureau
# administrator held at the city), who read across both districts and move nothing of theirs.
CITY_VIEWER, CITY_ADMIN = "city_viewer", "city_admin"
CITY_USERS = (CITY_VIEWER, CITY_ADMIN)
# Records that belong to one person rather than to a place: the field naming that person.
OWNERS = {Notification: "recipient_id", ExportJob: "owner_id"}


@dataclass
class Corner:
    """Where a set of records belongs: a region and, for an organization's records, that organization.
    `marker` is written into the records' names and texts."""

    name: str
    region: Region
    marker: str
    organization: object = None
    org_user: User | None = None
    funder: object = None  # for a funder's corner: the funder whose account sees it
    # Who may read the corner's markers at all, where neither its region nor its organization says it
    # (a round's name is read by everyone its published results reach): user -> bool.
    reach: Callable | None = None
    objects: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)

    def add(self, *objs) -> None:
        for obj in objs:
            self.objects.setdefault(type(obj), []).append(obj)


class SecurityWorld:
    """Role users sit in district A: the bureau at the district, the street officer in street 1,
    the party secretary and the organization account in community 1-1 (organization `own`). Both
    districts belong to one city, where a city viewer and a city administrator sit."""

    def __init__(self):
        self.places = places = Jurisdiction(city=True)
        self.users: dict[str, User] = {
            Role.BUREAU_ADMIN: make_user(Role.BUREAU_ADMIN, places.district, full_name="甲区管理员"),
            Role.BUREAU_STAFF: make_user(Role.BUREAU_STAFF, places.district, full_name="甲区业务员"),
            Role.BUREAU_VIEWER: make_user(Role.BUREAU_VIEWER, places.district, full_name="甲区查阅员"),
            Role.STREET_OFFICER: make_user(Role.STREET_OFFICER, places.street1, full_name="一街道专干"),
            Role.COMMUNITY_PARTY: make_user(Role.COMMUNITY_PARTY, places.community11, full_name="一社区书记"),
            Role.EXPERT: make_user(Role.EXPERT, places.district, full_name="甲区专家"),
            CITY_VIEWER: make_user(Role.BUREAU_VIEWER, places.city, full_name="丙市查阅员"),
            CITY_ADMIN: make_user(Role.BUREAU_ADMIN, places.city, full_name="丙市管理员"),
        }
        self.other_district_staff = make_user(Role.BUREAU_STAFF, places.other_district, full_name="乙区业务员")

        self.own = self._corner("own", places.community11, places.street1, "qzOWNq")
        self.users[Role.ORG_USER] = self.own.org_user
        self.corners = [
            self.own,
            self._corner("sibling", places.community11, places.street1, "qzSIBq"),
            self._corner("other_street", places.community21, places.street2, "qzSTRq"),
            self._corner("other_district", places.other_community, places.other_street, "qzDISq"),
        ]
        # A funder with an account in each district (a foundation here, a department there), paying
        # for a project of an organization of its own.
        funded = self._funded_corner("funded", places.community11, places.district, "qzFUNq", "foundation")
        self.users[Role.FUNDER_USER] = funded.funder.members.get().user
        funded_other = self._funded_corner(
            "funded_other", places.other_community, places.other_district, "qzFUBq", "government_department"
        )
        self.other_funder_user = funded_other.funder.members.get().user
        self.corners += [funded, funded_other]
        self.district_corners = [
            self._district_corner("district", places.district, self.users[Role.BUREAU_STAFF], "qzADq"),
            self._district_corner("other_district_bureau", places.other_district, self.other_district_staff, "qzBDq"),
        ]
        # Reminders of the quarters not submitted: in-app notifications to each organization account.
        project_services.reminders_send(today=dt.date(2026, 11, 3))
        for corner in self.corners:
            corner.add(*Notification.objects.filter(recipient=corner.org_user))
        self.evaluation_corners = build_evaluation(self)
        self._export_jobs()
        for corner in (*self.corners, *self.district_corners, *self.evaluation_corners):
            corner.add(corner.region)
            corner.add(*AuditRecord.objects.filter(region_path__startswith=corner.region.path).filter(
                object_repr__contains=corner.marker)[:1])  # fmt: skip
        # The city's own quarterly review workbook: its districts' figures and lists, the city's alone.
        city = Corner("city", places.city, "qzCITq")
        city.add(_workbook(places.city, self.users[CITY_ADMIN]))
        self.district_corners.append(city)
        self.all_corners = [*self.corners, *self.district_corners, *self.evaluation_corners]

    # -------------------------------------------------------------------------------- building

    def _corner(self, name, community, street, marker) -> Corner:
        org = make_organization(community, name=f"{marker}社会组织")
        org_user = make_org_user(org, full_name=f"{marker}账号")
        corner = Corner(name, community, marker, organization=org, org_user=org_user)
        corner.add(org, org_user)

        application = make_application(org_user, kind=ApplicationKind.CHANGE, organization=org)
        attachment = registry_services.attachment_add(
            application=application, by=org_user, kind=AttachmentKind.OTHER, upload=upload(f"{marker}说明.pdf", PDF)
        )
        corner.add(application, attachment)
        # The bureau of the corner's district: an establishment naming its founders (发起人), and a draft
        # revocation of the organization (its proposal stays with the bureau until decided).
        staff = self.users[Role.BUREAU_STAFF] if community.district_id == self.places.district.pk else None
        staff = staff or self.other_district_staff
        founders = [{"name": f"{marker}发起人", "kind": "resident", "community": community.pk, "contact": "139"}]
        establishment = make_application(
            staff, ApplicationKind.ESTABLISH, region=community, name=f"{marker}新设协会", founders=founders
        )
        corner.add(establishment, *establishment.founders.all())
        corner.add(
            supervision_services.revocation_create(
                organization=org, by=staff, kind="revoke", legal_basis="《社会团体登记管理条例》第三十条",
                facts=f"{marker}违法事实", decision_number=f"{marker}决定号", decision_date=dt.date(2026, 3, 1),
            )
        )  # fmt: skip
        corner.add(make_report(org, activities=f"{marker}开展助老服务"))
        corner.add(make_listing(org, note=f"{marker}实地核查无法联系"))
        corner.add(supervision_services.serious_listing_create(organization=org, note=f"{marker}严重违法", by=None))

        project = make_project(org, street, title=f"{marker}项目")
        corner.add(project, *project.budget_lines.all(), *project.indicators.all())
        draft = make_entry(project, org_user, title=f"{marker}草稿台账", date=dt.date(2026, 8, 10))
        attachment = project_services.ledger_attachment_add(
            entry=draft, by=org_user, kind="photo", upload=upload(f"{marker}活动照片.jpg", JPG)
        )
        submitted = make_entry(project, org_user, submit=True, title=f"{marker}已提交台账", date=dt.date(2026, 4, 20))
        corner.add(draft, submitted, attachment)
        lines = list(project.budget_lines.order_by("pk"))
        corner.add(
            project_services.expenditure_create(
                project=project,
                by=org_user,
                budget_line=lines[0],
                date=dt.date(2026, 2, 1),
                amount="100.00",
                payee=f"{marker}收款人",
                voucher_number="PZ-001",
                voucher=upload(f"{marker}凭证.pdf", PDF),
            ),
            project_services.budget_adjustment_propose(
                project=project, by=org_user, from_line=lines[0], to_line=lines[1], amount="10", reason=f"{marker}调整"
            ),
            project_services.quarterly_submission_submit(
                project=project, by=org_user, year=2026, quarter=1, narrative=f"{marker}一季度"
            ),
            project_services.major_activity_report_create(
                by=org_user,
                organization=org,
                title=f"{marker}重大活动",
                planned_date=timezone.localdate() + dt.timedelta(days=30),
                place="社区广场",
                expected_participants=300,
                content="文艺汇演",
            ),
        )
        # Oversight: a wrong expenditure and its reversal (红冲), the funder's mid-term review, a
        # supervision visit whose rectification is overdue.
        wrong = project_services.expenditure_create(
            project=project,
            by=org_user,
            budget_line=lines[1],
            date=dt.date(2026, 2, 2),
            amount="50.00",
            payee=f"{marker}错记收款人",
            voucher_number="PZ-002",
        )
        corner.add(
            wrong,
            project_services.expenditure_reverse(by=org_user, expenditure=wrong, reason=f"{marker}重复记账"),
            project_services.project_review_record(
                by=None,
                project=project,
                stage="mid_term",
                conclusion="good",
                score="85.5",
                remarks=f"{marker}中期评审意见",
                reviewed_on=dt.date(2026, 6, 30),
            ),
            project_services.supervision_visit_record(
                by=None,
                project=project,
                kind="professional",
                visited_on=dt.date(2026, 3, 10),
                supervisor=f"{marker}督导员",
                findings=f"{marker}签到表不全",
                rectification=f"{marker}补齐签到表",
                rectification_due=dt.date(2026, 4, 10),
            ),
        )
        self._purchase(corner, project, org_user)
        self._party(corner, community, org)
        return corner

    def _party(self, corner, community, org) -> None:
        """Party building of the corner's organization: its standalone party organization (and so its
        coverage), a regular contact with an attachment, a party lesson and a joint meeting it
        attended with a decision and the minutes file."""
        marker = corner.marker
        recorder = self.users[Role.BUREAU_ADMIN]
        if community.district_id != self.places.district.pk:
            recorder = self._other_district_admin()
        body = make_party_organization(community, organizations=[org], name=f"{marker}党支部", full_member_count=3,
                                       secretary=f"{marker}书记")  # fmt: skip
        contact = make_contact(
            org, by=recorder, contacted_on=dt.date(2026, 3, 2), topics=f"{marker}走访了解党建情况",
            attachments=[upload(f"{marker}走访记录.pdf", PDF)],
        )  # fmt: skip
        activity = make_activity(body, organizations=[org], topic=f"{marker}专题党课", held_on=dt.date(2026, 4, 1))
        meeting = make_meeting(
            body, organizations=[org], topic=f"{marker}联席会议", held_on=dt.date(2026, 5, 6),
            minutes=f"{marker}会议纪要", minutes_file=upload(f"{marker}纪要.pdf", PDF),
            decisions=[{"content": f"{marker}共建活动室", "responsible": f"{marker}负责人"}],
        )  # fmt: skip
        corner.add(body, *body.coverages.all(), contact, *contact.attachments.all(), activity, meeting,
                   *meeting.decisions.all())  # fmt: skip

    def _other_district_admin(self):
        if not hasattr(self, "other_district_admin"):
            self.other_district_admin = make_user(Role.BUREAU_ADMIN, self.places.other_district, full_name="乙区管理员")
        return self.other_district_admin

    def _funded_corner(self, name, community, district, marker, kind) -> Corner:
        org = make_organization(community, name=f"{marker}社会组织")
        org_user = make_org_user(org, full_name=f"{marker}账号")
        funder = make_funder(district, kind=kind, name=f"{marker}资助方", contact_person=f"{marker}联系人")
        funder_user = make_funder_user(funder, full_name=f"{marker}资助方账号")
        corner = Corner(name, community, marker, organization=org, org_user=org_user, funder=funder)
        corner.add(org, org_user, funder, funder_user)
        project = make_project(org, funder, title=f"{marker}项目")
        corner.add(project, *project.budget_lines.all(), *project.indicators.all())
        corner.add(make_entry(project, org_user, submit=True, title=f"{marker}已提交台账", date=dt.date(2026, 4, 20)))
        corner.add(
            project_services.quarterly_submission_submit(
                project=project, by=org_user, year=2026, quarter=1, narrative=f"{marker}一季度"
            )
        )
        self._purchase(corner, project, org_user)
        return corner

    def _purchase(self, corner, project, org_user) -> None:
        """The project's contract: a tranche accepted and paid (with a wrong payment reversed), one
        delivered and awaiting acceptance, one pending."""
        contract = make_contract(project, number=f"{corner.marker}合同", file=upload(f"{corner.marker}合同.pdf", PDF))
        first, second, third = contract.milestones.order_by("sequence")
        first = accept(first, org_user)
        wrong = pay(first, amount="1000.00", reference=f"{corner.marker}错付")
        reversal = project_services.payment_reverse(payment=wrong, by=None, reason=f"{corner.marker}金额录错")
        payment = pay(first, reference=f"{corner.marker}拨付")
        corner.add(contract, first, deliver(second, org_user), third, wrong, reversal, payment)

    def _district_corner(self, name, district, staff, marker) -> Corner:
        street = district.children.order_by("path").first()
        corner = Corner(name, district, marker)
        roster = generated_roster(2, [street.name], prefix=f"{marker}名册组织")
        corner.add(services_import.roster_import_start(file=upload(f"{marker}名册.xlsx", roster), by=staff))
        corner.add(_workbook(district, staff))
        return corner

    def _export_jobs(self):
        """A finished list export of each user who may list organizations, kept in their corner."""
        owners = [(self.own, user) for user in self.users.values()] + [(c, c.org_user) for c in self.corners[1:]]
        with override_settings(EXPORT_SYNC_MAX_ROWS=0):
            for corner, user in owners:
                client = Client()
                client.force_login(user)
                client.get(reverse("registry:organization_list"), {"export": "xlsx"})
                for job in ExportJob.objects.filter(owner=user):
                    corner.add(export_job_run(job.pk))

    # --------------------------------------------------------------------------------- queries

    def organization_of(self, user) -> object:
        return self.own.organization if user is not None and user.role == Role.ORG_USER else None

    def is_foreign(self, user, corner: Corner, obj=None) -> bool:
        """Whether `obj` of `corner` lies outside what `user` may reach by jurisdiction alone (the
        role may still be refused at home; that is not a leak)."""
        owner = OWNERS.get(type(obj))
        if owner is not None:  # a person's own things: theirs alone, whatever their role
            return user is None or getattr(obj, owner) != user.pk
        if user is None:
            return True
        if isinstance(obj, Region):
            # The streets and communities of one's own district are no secret (forms offer them as
            # funders, the public register as places); another district's are. A city user's
            # districts are all its own.
            if user.region is not None and user.region.is_city:
                return not obj.path.startswith(user.region.path)
            return _district_id(obj) != _district_id(user.region)
        if obj is None and corner.reach is not None:
            return not corner.reach(user)
        rule = evaluation_rule(obj)
        if user.role == Role.EXPERT:  # experts see only what a round assigns them
            if obj is None:  # a corner is theirs where a record of it is
                return not any(
                    not evaluation_rule(o).foreign_to_expert(user, o)
                    for objs in corner.objects.values()
                    for o in objs
                    if evaluation_rule(o) is not None
                )
            return rule is None or rule.foreign_to_expert(user, obj)
        if rule is not None and rule.foreign(user, obj):
            return True
        if user.role == Role.ORG_USER:
            return corner.organization is None or corner.organization.pk != user.organization_id
        if user.role == Role.FUNDER_USER:  # a funder's account: its funder's corner only
            return corner.funder is None or corner.funder.pk != user.funder_id
        return not corner.region.path.startswith(user.region.path)

    def objects_of(self, model) -> list[tuple[Corner, models.Model]]:
        found = []
        for corner in self.all_corners:
            for cls, objs in corner.objects.items():
                if issubclass(cls, model):
                    found.extend((corner, obj) for obj in objs)
        return found


def _workbook(region: Region, by) -> QuarterlyWorkbook:
    """The region's quarterly review workbook of 2026 Q2, requested by `by` and built at once."""
    return workbook_services.workbook_build(workbook_services.workbook_request(region, 2026, 2, by).pk)


def _district_id(region: Region | None):
    return None if region is None else region.district_id or region.pk
