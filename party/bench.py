"""Party benchmarks for `manage.py bench`, and the population they count: what a prefecture-level city
reported — 3,023 organizations employing 60,000 people with 1,100,000 registered volunteers; 1,100
organizations with a party organization; 700 party organizations; 6,252 party members — spread over
three districts, their streets and communities, with a history (coverage changed, party organizations
formed and dissolved, organizations founded and deregistered) and a year of contacts.

`build_population` writes it with bulk_create (seconds, not minutes) and returns what it wrote as plain
records (`Population.organizations`, `.coverages`, `.party_organizations`, `.contacts`), so that a test
can count the expected figures itself (tests/party/test_statistics.py)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from accounts.choices import Role
from accounts.models import Region
from accounts.services import region_create, user_create
from core.periodic.benchmarks import beat_job_rows
from registry.choices import Category, LegalForm, OrganizationStatus, PartyForm, RegistrationLevel
from registry.models import Organization

from .choices import ContactForm, Formation, PartyLevel, PartyOrganizationStatus
from .models import ContactRecord, PartyCoverage, PartyOrganization
from .statistics import statistics

DAY = dt.date(2026, 6, 30)  # the day the published figures hold
CHANGE = dt.date(2026, 3, 1)  # coverage changed, party organizations formed
BEFORE = dt.date(2025, 12, 31)  # a day before the change
ACTIVE, STAFF, VOLUNTEERS = 3023, 60_000, 1_100_000
COVERED, PARTY_ORGANIZATIONS, MEMBERS = 1100, 700, 6252
STANDALONE, GROUPS, GROUP_SIZE = 500, 200, 3  # 500 + 200 × 3 = 1,100 organizations covered


@dataclass(eq=False)
class Org:
    region: Region
    staff: int
    volunteers: int
    established_on: dt.date
    status: str = OrganizationStatus.ACTIVE
    status_changed_on: dt.date | None = None
    pk: int | None = None


@dataclass(eq=False)
class Body:
    region: Region
    level: str
    formation: str
    established_on: dt.date
    is_area_body: bool = False
    dissolved_on: dt.date | None = None
    pk: int | None = None


@dataclass
class Cover:
    org: Org
    form: str
    body: Body | None
    full: int
    probationary: int
    valid_from: dt.date
    valid_to: dt.date | None = None


@dataclass
class Population:
    city: Region
    districts: list[Region]
    streets: list[Region]
    communities: list[Region]
    organizations: list[Org] = field(default_factory=list)
    party_organizations: list[Body] = field(default_factory=list)
    coverages: list[Cover] = field(default_factory=list)
    contacts: list[tuple[Org, dt.date]] = field(default_factory=list)


def _partition(rng: random.Random, total: int, parts: int) -> list[int]:
    """`parts` whole numbers of at least 1 adding up to `total`."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _free_city_code() -> str:
    used = set(Region.objects.filter(code__startswith="98").values_list("code", flat=True))
    return next(f"98{n:02d}00" for n in range(100) if f"98{n:02d}00" not in used)


def _tree() -> Population:
    city = region_create(code=_free_city_code(), name="统计市", level="city")
    districts, streets, communities = [], [], []
    for d, street_count in enumerate((3, 2, 2), start=1):
        district = region_create(code=f"{city.code[:4]}{d:02d}", name=f"统计{d}区", parent=city)
        districts.append(district)
        for s in range(1, street_count + 1):
            street = region_create(code=f"{district.code}{s:03d}", name=f"统计{d}区{s}街道", parent=district)
            streets.append(street)
            for c in range(1, 3 + (s == 1)):
                communities.append(
                    region_create(code=f"{street.code}{c:03d}", name=f"{street.name}{c}社区", parent=street)
                )
    return Population(city, districts, streets, communities)


def _organizations(rng: random.Random, population: Population) -> None:
    leaves = population.communities * 4 + population.streets  # most in communities, some at a street
    staff, volunteers = _partition(rng, STAFF, ACTIVE), _partition(rng, VOLUNTEERS, ACTIVE)
    for i in range(ACTIVE):
        founded = dt.date(2026, 2, 1) if i % 250 == 7 else dt.date(2010 + i % 15, 1 + i % 12, 1 + i % 28)
        population.organizations.append(Org(rng.choice(leaves), staff[i], volunteers[i], founded))
    # Not counted on DAY: deregistered before BEFORE, deregistered between, founded after DAY.
    for i in range(45):
        changed = [dt.date(2025, 6, 1), dt.date(2026, 4, 1), None][i % 3]
        status = OrganizationStatus.DEREGISTERED if changed else OrganizationStatus.ACTIVE
        founded = dt.date(2026, 8, 1) if changed is None else dt.date(2015, 5, 5)
        population.organizations.append(
            Org(rng.choice(leaves), rng.randint(1, 50), rng.randint(1, 500), founded, status, changed)
        )


def _body(population, region, formation, established_on, **extra) -> Body:
    level = PartyLevel.BRANCH if formation == Formation.STANDALONE else PartyLevel.GENERAL_BRANCH
    body = Body(region, extra.pop("level", level), formation, established_on, **extra)
    population.party_organizations.append(body)
    return body


def _coverage(rng: random.Random, population: Population) -> None:
    active = population.organizations[:ACTIVE]
    by_leaf: dict[int, list[Org]] = {}
    for org in rng.sample(active, ACTIVE):
        by_leaf.setdefault(org.region.pk, []).append(org)
    covers = population.coverages
    formations = [Formation.JOINT] * 150 + [Formation.COMPOSITE] * 30 + [Formation.ALLIANCE] * 20
    groups = 0
    while groups < GROUPS:  # party organizations of several organizations: three of one leaf, leaf by leaf
        for orgs in by_leaf.values():
            if groups == GROUPS or len(orgs) < GROUP_SIZE + 4:
                continue
            members, orgs[:] = orgs[:GROUP_SIZE], orgs[GROUP_SIZE:]
            level = PartyLevel.COMMITTEE if groups % 10 == 0 else PartyLevel.GENERAL_BRANCH
            body = _body(population, members[0].region, formations[groups], dt.date(2019, 7, 1), level=level)
            covers += [Cover(o, PartyForm.JOINT, body, rng.randint(0, 3), 0, dt.date(2020, 1, 1)) for o in members]
            groups += 1
    rest = [org for orgs in by_leaf.values() for org in orgs]
    rng.shuffle(rest)
    for i, org in enumerate(rest[:STANDALONE]):
        changed = i < 30  # formed on CHANGE: before it, no party building although 3+ members
        body = _body(population, org.region, Formation.STANDALONE, CHANGE if changed else dt.date(2018, 7, 1))
        if changed:
            covers.append(Cover(org, PartyForm.NONE, None, 3, 0, dt.date(2024, 1, 1), CHANGE))
        covers.append(Cover(org, PartyForm.STANDALONE, body, rng.randint(3, 6), rng.randint(0, 1),
                            CHANGE if changed else dt.date(2020, 1, 1)))  # fmt: skip
    instructed, none = rest[STANDALONE : STANDALONE + 900], rest[STANDALONE + 900 : STANDALONE + 1400]
    for i, org in enumerate(instructed):
        start = CHANGE if i < 20 else dt.date(2021, 1, 1)
        if i < 20:  # an instructor since CHANGE; none before
            covers.append(Cover(org, PartyForm.NONE, None, 1, 0, dt.date(2021, 1, 1), CHANGE))
        covers.append(Cover(org, PartyForm.INSTRUCTOR, None, rng.randint(0, 2), 0, start))
    for i, org in enumerate(none):
        if i < 5:  # covered by a party organization dissolved between BEFORE and DAY
            body = _body(population, org.region, Formation.STANDALONE, dt.date(2017, 1, 1),
                         dissolved_on=dt.date(2026, 2, 15))  # fmt: skip
            covers.append(Cover(org, PartyForm.STANDALONE, body, 3, 0, dt.date(2018, 1, 1), dt.date(2026, 2, 15)))
        covers.append(Cover(org, PartyForm.NONE, None, rng.randint(0, 3), 0, dt.date(2026, 2, 15) if i < 5 else
                            dt.date(2021, 1, 1)))  # fmt: skip
    for org in population.organizations[ACTIVE:]:  # the inactive: never counted
        covers.append(Cover(org, PartyForm.INSTRUCTOR, None, 4, 1, dt.date(2015, 6, 1)))
    for street in population.streets:  # the area's responsible body: not counted among party organizations
        _body(population, street, Formation.COMPOSITE, dt.date(2010, 1, 1), level=PartyLevel.COMMITTEE,
              is_area_body=True)  # fmt: skip
    # The party members in force on DAY add up to the published number: top up the probationary.
    counted = {id(org) for org in active}
    in_force = [c for c in covers if c.valid_to is None and id(c.org) in counted]
    missing = MEMBERS - sum(c.full + c.probationary for c in in_force)
    assert missing >= 0, "too many party members generated"
    for _ in range(missing):
        rng.choice(in_force).probationary += 1


def _contacts(rng: random.Random, population: Population) -> None:
    days = (DAY - dt.date(2025, 7, 1)).days
    boundaries = [dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 1), DAY]
    for i, org in enumerate(rng.sample(population.organizations, 2200)):
        when = boundaries[i % 5] if i % 7 == 0 else dt.date(2025, 7, 1) + dt.timedelta(days=rng.randint(0, days))
        population.contacts.append((org, when))


def _write(population: Population) -> None:
    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"统计组织{i:05d}", legal_form=LegalForm.COMMUNITY_FILED, registration_level=RegistrationLevel.FILED,
            filing_number=f"TJ{i:06d}", category=Category.RESIDENT_SERVICES, region=o.region,
            district=o.region.district, legal_representative="李四", staff_count=o.staff,
            volunteer_count=o.volunteers, established_on=o.established_on, status=o.status,
            status_changed_on=o.status_changed_on,
        )
        for i, o in enumerate(population.organizations)
    )  # fmt: skip
    for spec, row in zip(population.organizations, orgs, strict=True):
        spec.pk = row.pk
    bodies = PartyOrganization.objects.bulk_create(
        PartyOrganization(
            name=f"统计党组织{i:04d}", level=b.level, formation=b.formation, region=b.region,
            is_area_body=b.is_area_body, established_on=b.established_on, dissolved_on=b.dissolved_on,
            status=PartyOrganizationStatus.DISSOLVED if b.dissolved_on else PartyOrganizationStatus.ACTIVE,
            full_member_count=3,
        )
        for i, b in enumerate(population.party_organizations)
    )  # fmt: skip
    for spec, row in zip(population.party_organizations, bodies, strict=True):
        spec.pk = row.pk
    PartyCoverage.objects.bulk_create(
        PartyCoverage(
            organization_id=c.org.pk, form=c.form, party_organization_id=c.body.pk if c.body else None,
            full_party_members=c.full, probationary_party_members=c.probationary, valid_from=c.valid_from,
            valid_to=c.valid_to,
        )
        for c in population.coverages
    )  # fmt: skip
    secretary = user_create(
        username=f"tj-secretary-{population.city.code}", password=None, by=None, role=Role.BUREAU_STAFF,
        region=population.districts[0],
    )  # fmt: skip
    ContactRecord.objects.bulk_create(
        ContactRecord(
            organization_id=o.pk, contacted_on=day, form=ContactForm.VISIT, topics="走访", recorded_by=secretary
        )
        for o, day in population.contacts
    )


def build_population(seed: int = 11) -> Population:
    rng = random.Random(seed)
    population = _tree()
    _organizations(rng, population)
    _coverage(rng, population)
    _contacts(rng, population)
    _write(population)
    return population


def bench_statistics(measure, scale: float = 1.0):
    population = build_population()
    district = population.districts[0]
    statistics(district, DAY)  # warm: imports, catalogues
    with measure(rows=ACTIVE, label="Party statistics of a city", note="3,023 organizations, 6 queries"):
        statistics(population.city, DAY)
    with measure(rows=sum(o.region.path.startswith(district.path) for o in population.organizations),
                 label="Party statistics of a district", note="its streets, 6 queries"):  # fmt: skip
        statistics(district, DAY)


BENCHMARKS = [("Party statistics: the prefecture-level city's population", bench_statistics)]

# `manage.py bench --current`: the beat job on the data in the database (core.periodic.benchmarks).
SCALE_BENCHMARKS = beat_job_rows("party-reminders")
