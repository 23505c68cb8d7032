"""Organizations, their party coverage, last year's annual reports, abnormal listings and grades,
each one set-based statement over generate_series and the session's seed_place table.

Organization i (1…N) goes to the bench district (d = 0) while i ≤ N/100, else round-robin over the
other districts; every tenth (i ≡ 1 mod 10) is active and runs project (i − 1)/10 + 1."""

from __future__ import annotations

import datetime as dt

from supervision.services.annual_reports import annual_report_due_on, overdue_year

from .places import DISTRICTS
from .words import DOMAINS, ESTATES, GIVEN, SUFFIXES, SURNAMES, weighted

CATEGORIES = weighted(
    [("resident_services", 300), ("charity", 100), ("mutual_aid", 200), ("community_safety", 100),
     ("culture_sports", 250), ("rural_tech", 50)], 1000,
)  # fmt: skip

# The organizations of the session, with what later steps join on.
ORGANIZATIONS = """
CREATE TEMP TABLE seed_org AS
SELECT x.*, CASE WHEN rn > 1 THEN base_name || '（' || rn || '）' ELSE base_name END AS name
FROM (
    SELECT y.*, row_number() OVER (PARTITION BY district_id, base_name ORDER BY i) AS rn
    FROM (
        SELECT g.i, %(base)s + g.i AS id, g.form, g.domain, g.at_street, g.active,
               p.district_id, p.street_id, p.community_id, p.district_code, p.district_name, p.street_name,
               p.community_name, p.rural,
               CASE WHEN g.at_street THEN p.street_id ELSE p.community_id END AS region_id,
               CASE WHEN g.at_street THEN p.street_path ELSE p.community_path END AS region_path,
               CASE
                 WHEN g.form = 'foundation' THEN p.district_name || g.domain
                 WHEN g.at_street THEN p.street_name || g.domain
                 WHEN g.form = 'community_filed' AND pg_temp.h(g.i, 4) < 0.3
                   THEN p.community_name || pg_temp.pick(%(estates)s, pg_temp.h(g.i, 5)) || g.domain
                 ELSE p.community_name || g.domain
               END || pg_temp.pick(
                 CASE g.form WHEN 'community_filed' THEN %(filed)s::text[] WHEN 'social_group' THEN %(group)s::text[]
                             WHEN 'social_service' THEN %(service)s::text[] ELSE %(foundation)s::text[] END,
                 pg_temp.h(g.i, 6)) AS base_name,
               CASE WHEN g.form = 'community_filed' THEN DATE '2012-01-01' ELSE DATE '2000-01-01' END
                 + floor(pg_temp.h(g.i, 7) * (%(today)s::date - 30 -
                   CASE WHEN g.form = 'community_filed' THEN DATE '2012-01-01' ELSE DATE '2000-01-01' END))::int
                 AS established_on
        FROM (
            SELECT i, f.form, pg_temp.pick(%(domains)s, pg_temp.h(i, 3)) AS domain,
                   f.form = 'foundation' OR (f.form <> 'community_filed' AND pg_temp.h(i, 8) < 0.3) AS at_street,
                   i %% 10 = 1 OR pg_temp.h(i, 9) < 0.95 AS active,
                   CASE WHEN i <= %(bench)s THEN 0 ELSE 1 + (i - %(bench)s - 1) %% %(others)s END AS d,
                   floor(pg_temp.h(i, 1) * 100)::int AS c
            FROM generate_series(1, %(n)s) i,
                 LATERAL (SELECT CASE WHEN pg_temp.h(i, 2) < 0.6 THEN 'community_filed'
                                      WHEN pg_temp.h(i, 2) < 0.8 THEN 'social_group'
                                      WHEN pg_temp.h(i, 2) < 0.98 THEN 'social_service'
                                      ELSE 'foundation' END AS form) f
        ) g JOIN seed_place p ON p.d = g.d AND p.c = g.c
    ) y
) x
"""

INSERT_ORGANIZATIONS = """
INSERT INTO registry_organization (
    id, created_at, updated_at, name, uscc, uscc_override_reason, filing_number, legal_form, registration_level,
    category, registration_authority, supervising_unit, legal_representative, phone, address, established_on, funds,
    business_scope, activity_area, member_count, staff_count, volunteer_count, status, status_changed_on,
    created_by_id, district_id, region_id, status_document)
SELECT o.id, o.established_on + TIME '09:30', o.established_on + TIME '09:30', o.name,
       CASE WHEN o.form <> 'community_filed' THEN pg_temp.uscc(
           '5' || CASE o.form WHEN 'social_group' THEN '1' WHEN 'social_service' THEN '2' ELSE '3' END
           || o.district_code || 'M' || lpad(o.i::text, 8, '0')) END,
       '',
       CASE WHEN o.form = 'community_filed'
            THEN o.district_code || '-' || extract(year FROM o.established_on) || '-'
                 || lpad(o.i::text, GREATEST(4, length(o.i::text)), '0') END,
       o.form, CASE WHEN o.form = 'community_filed' THEN 'filed' ELSE 'registered' END,
       pg_temp.pick(%(categories)s, pg_temp.h(o.i, 10)),
       CASE WHEN o.form = 'community_filed' THEN o.street_name || '办事处' ELSE o.district_name || '民政局' END,
       CASE WHEN o.form = 'community_filed' THEN '' ELSE o.street_name || '办事处' END,
       pg_temp.pick(%(surnames)s, pg_temp.h(o.i, 11)) || pg_temp.pick(%(given)s, pg_temp.h(o.i, 12))
         || CASE WHEN pg_temp.h(o.i, 13) < 0.6 THEN pg_temp.pick(%(given)s, pg_temp.h(o.i, 14)) ELSE '' END,
       '1' || (3 + floor(pg_temp.h(o.i, 15) * 7))::int || lpad(floor(pg_temp.h(o.i, 16) * 1e9)::bigint::text, 9, '0'),
       %(city)s || o.district_name || o.street_name || o.community_name || (1 + o.i %% 300) || '号',
       o.established_on,
       CASE WHEN o.form = 'community_filed' THEN NULL ELSE round((0.3 + pg_temp.h(o.i, 17) * 50)::numeric, 2) END,
       '开展' || o.domain || '相关服务活动，组织居民参与社区公益。',
       CASE WHEN o.at_street THEN o.street_name ELSE o.community_name END,
       floor(5 + pg_temp.h(o.i, 18) * 200)::int, floor(pg_temp.h(o.i, 19) * 12)::int,
       floor(pg_temp.h(o.i, 20) * 80)::int,
       s.status,
       CASE WHEN s.status <> 'active' THEN LEAST(%(today)s::date, o.established_on + 400) END,
       NULL, o.district_id, o.region_id,
       CASE WHEN s.status IN ('revoked', 'licence_revoked')
            THEN o.district_name || '民罚〔' || extract(year FROM LEAST(%(today)s::date, o.established_on + 400))
                 || '〕' || (1 + o.i %% 97) || '号' ELSE '' END
FROM seed_org o,
     LATERAL (SELECT CASE WHEN o.active THEN 'active'
                          WHEN o.form = 'community_filed' OR pg_temp.h(o.i, 21) < 0.6 THEN 'deregistered'
                          WHEN pg_temp.h(o.i, 21) < 0.85 THEN 'revoked'
                          ELSE 'licence_revoked' END AS status) s
ORDER BY o.id
"""

# One responsible body per street (街道党工委) and per community, one joint branch per community, and a
# branch of its own for 15% of the active registered organizations.
PARTY_ORGANIZATIONS = """
INSERT INTO party_partyorganization (
    created_at, updated_at, name, level, formation, is_area_body, secretary, secretary_phone, established_on,
    term_ends_on, full_member_count, probationary_member_count, rotation, status, dissolved_on, created_by_id,
    host_organization_id, parent_id, region_id)
SELECT now(), now(), b.name, b.level, b.formation, b.area, pg_temp.pick(%(surnames)s, pg_temp.h(b.k, 50)) || '书记',
       '0571-' || lpad((b.k %% 10000000)::text, 8, '0'), DATE '2015-03-01', DATE '2027-03-01',
       b.members, b.members / 10, '', 'active', NULL, NULL, NULL, NULL, b.region_id
FROM (
    SELECT DISTINCT ON (street_id) street_id AS k, '中共' || street_name || '工作委员会' AS name, 'committee' AS level,
           'composite' AS formation, true AS area, 60 AS members, street_id AS region_id
    FROM seed_place
    UNION ALL
    SELECT community_id, '中共' || community_name || CASE WHEN rural THEN '总支部委员会' ELSE '委员会' END,
           CASE WHEN rural THEN 'general_branch' ELSE 'committee' END, 'composite', true, 40, community_id
    FROM seed_place
    UNION ALL
    SELECT community_id + 1000000000, community_name || '社会组织联合党支部', 'branch', 'joint', false, 12, community_id
    FROM seed_place
    UNION ALL
    SELECT id + 2000000000, name || '党支部', 'branch', 'standalone', false, 5, region_id
    FROM seed_org WHERE active AND form <> 'community_filed' AND pg_temp.h(i, 22) < 0.15
) b
"""

PARTY_PARENTS = """
UPDATE party_partyorganization child SET parent_id = parent.id
FROM accounts_region r, party_partyorganization parent
WHERE child.region_id = r.id AND parent.is_area_body
  AND parent.region_id = CASE WHEN child.is_area_body THEN r.parent_id ELSE r.id END
  AND r.level IN ('street', 'community') AND NOT (child.is_area_body AND r.level = 'street')
"""

PARTY_COVERAGE = """
INSERT INTO party_partycoverage (
    created_at, updated_at, form, full_party_members, probationary_party_members, head_is_party_member,
    management_on_committee, committee_in_management, instructor, instructor_phone, planned_on, no_party_reason,
    trade_union_on, youth_league_on, women_org_on, valid_from, valid_to, note, created_by_id, organization_id,
    party_organization_id)
SELECT now(), now(), c.form, c.members, 0, c.form IN ('standalone', 'joint') AND pg_temp.h(o.i, 23) < 0.5, '', '',
       CASE WHEN c.form = 'instructor' THEN pg_temp.pick(%(surnames)s, pg_temp.h(o.i, 24)) || '指导员' ELSE '' END,
       CASE WHEN c.form = 'instructor' THEN '138' || lpad((o.i %% 100000000)::text, 8, '0') ELSE '' END,
       CASE WHEN c.form = 'none' THEN %(today)s::date + 180 END,
       CASE WHEN c.form = 'none' THEN '暂无正式党员，已申请选派党建指导员。' ELSE '' END,
       NULL, NULL, NULL, GREATEST(o.established_on, DATE '2020-01-01'), NULL, '', NULL, o.id, c.party_id
FROM seed_org o
LEFT JOIN party_partyorganization own
       ON own.region_id = o.region_id AND own.name = o.name || '党支部' AND own.formation = 'standalone'
LEFT JOIN party_partyorganization joint
       ON NOT o.at_street AND joint.region_id = o.community_id AND joint.formation = 'joint',
LATERAL (SELECT CASE WHEN own.id IS NOT NULL THEN 'standalone'
                     WHEN joint.id IS NOT NULL AND pg_temp.h(o.i, 25) < 0.4 THEN 'joint'
                     WHEN pg_temp.h(o.i, 25) < 0.8 THEN 'instructor'
                     ELSE 'none' END AS form) f,
LATERAL (SELECT f.form,
                CASE f.form WHEN 'standalone' THEN own.id WHEN 'joint' THEN joint.id END AS party_id,
                CASE f.form WHEN 'standalone' THEN 3 + o.i %% 5 WHEN 'joint' THEN 1 + o.i %% 2 ELSE 0 END AS members) c
WHERE o.active
"""

# Last year's reports: 12% of the organizations that owe one have none; of the others, a little over
# half are concluded, a third submitted and waiting, the rest returned or still drafts.
ANNUAL_REPORTS = """
INSERT INTO supervision_annualreport (
    created_at, updated_at, reviewed_at, review_reason, year, status, due_on, activities, activity_count,
    beneficiaries, income, expenditure, net_assets, staff_count, volunteer_count, party_status, party_member_count,
    submitted_at, conclusion, conclusion_remarks, created_by_id, organization_id, reviewed_by_id, submitted_by_id,
    kind)
SELECT r.made, r.made, CASE WHEN r.status IN ('concluded', 'returned') THEN r.sent + interval '12 days' END,
       CASE WHEN r.status = 'returned' THEN '收支数据与财务报表不一致，请核对后重新提交。' ELSE '' END,
       %(year)s, r.status, %(due)s::date, '全年开展' || o.domain || '服务活动，覆盖辖区居民。',
       floor(4 + pg_temp.h(o.i, 31) * 40)::int, floor(50 + pg_temp.h(o.i, 32) * 2000)::int,
       round((pg_temp.h(o.i, 33) * 300000)::numeric, 2), round((pg_temp.h(o.i, 34) * 250000)::numeric, 2),
       round((pg_temp.h(o.i, 35) * 500000)::numeric, 2), floor(pg_temp.h(o.i, 19) * 12)::int,
       floor(pg_temp.h(o.i, 20) * 80)::int, COALESCE(pc.form, ''), COALESCE(pc.full_party_members, 0),
       CASE WHEN r.status <> 'draft' THEN r.sent END,
       CASE WHEN r.status = 'concluded' THEN
            CASE WHEN pg_temp.h(o.i, 36) < 0.8 THEN 'pass' WHEN pg_temp.h(o.i, 36) < 0.95 THEN 'basic_pass'
                 ELSE 'fail' END ELSE '' END,
       '', NULL, o.id, NULL, NULL,
       CASE WHEN o.form = 'community_filed' THEN 'status_report' ELSE 'work_report' END
FROM seed_org o
LEFT JOIN party_partycoverage pc ON pc.organization_id = o.id AND pc.valid_to IS NULL,
LATERAL (SELECT CASE WHEN pg_temp.h(o.i, 30) < 0.6 THEN 'concluded'
                     WHEN pg_temp.h(o.i, 30) < 0.88 THEN 'submitted'
                     WHEN pg_temp.h(o.i, 30) < 0.94 THEN 'returned' ELSE 'draft' END AS status,
                %(due)s::date - 60 + floor(pg_temp.h(o.i, 37) * 75)::int + TIME '10:00' AS sent,
                %(due)s::date - 90 + TIME '09:00' AS made) r
WHERE o.active AND o.established_on < make_date(%(year)s, 12, 1) AND pg_temp.h(o.i, 38) >= 0.12
"""

# A quarter of the organizations that owe last year's report and have none are listed by the daily job.
ABNORMAL_LISTINGS = """
INSERT INTO supervision_abnormallisting (
    created_at, updated_at, listed_on, listing_note, ended_on, end_note, reason, report_year, end_reason,
    created_by_id, ended_by_id, listed_by_id, organization_id, serious_listing_id, removal_decline_note,
    removal_declined_by_id, removal_declined_on, removal_proposal, removal_proposed_on)
SELECT %(listed)s::date + TIME '02:00', %(listed)s::date + TIME '02:00', %(listed)s, '', NULL, '', 'no_annual_report',
       %(year)s, '', NULL, NULL, NULL, o.id, NULL, '', NULL, NULL, '', NULL
FROM seed_org o
WHERE o.active AND o.established_on < make_date(%(year)s, 12, 1) AND pg_temp.h(o.i, 38) < 0.12
  AND pg_temp.h(o.i, 39) < 0.25
"""

GRADES = """
INSERT INTO evaluation_orggrade (
    created_at, updated_at, score, grade, awarded_on, decision_number, valid_from, valid_until, revoked_on,
    revocation_reason, created_by_id, organization_id)
SELECT make_date(g.year, 11, 20) + TIME '09:00', make_date(g.year, 11, 20) + TIME '09:00', g.score,
       CASE WHEN g.score >= 900 THEN 5 WHEN g.score >= 800 THEN 4 WHEN g.score >= 700 THEN 3
            WHEN g.score >= 600 THEN 2 ELSE 1 END,
       make_date(g.year, 11, 20), o.district_name || '民〔' || g.year || '〕' || (10 + o.i %% 80) || '号',
       make_date(g.year + 1, 1, 1), make_date(g.year + 5, 12, 31), NULL, '', NULL, o.id
FROM seed_org o,
     LATERAL (SELECT %(year)s - floor(pg_temp.h(o.i, 41) * 5)::int AS year,
                     round((550 + pg_temp.h(o.i, 42) * 420)::numeric, 1) AS score) g
WHERE o.active AND o.form <> 'community_filed' AND pg_temp.h(o.i, 40) < 0.06
  AND o.established_on < make_date(g.year, 6, 1)
"""


def seed(run, orgs: int) -> None:
    today = run.today
    params = {
        "base": run.base("registry_organization"), "n": orgs, "bench": max(1, orgs // 100),
        "others": DISTRICTS - 1, "today": today, "domains": weighted(DOMAINS), "estates": list(ESTATES),
        "filed": list(SUFFIXES["community_filed"]), "group": list(SUFFIXES["social_group"]),
        "service": list(SUFFIXES["social_service"]), "foundation": list(SUFFIXES["foundation"]),
    }  # fmt: skip
    people = {"surnames": list(SURNAMES), "given": list(GIVEN), "today": today}
    run.step("organizations: plan (names, places)", ORGANIZATIONS, params)
    run.sql("CREATE UNIQUE INDEX ON seed_org (i)")
    run.sql("ANALYZE seed_org")
    run.step("organizations", INSERT_ORGANIZATIONS, {**people, "categories": CATEGORIES, "city": "云州市"})
    run.step("party organizations", PARTY_ORGANIZATIONS, people)
    run.step("party organizations: parents", PARTY_PARENTS)
    run.step("party coverage", PARTY_COVERAGE, people)
    year = today.year - 1
    due = annual_report_due_on(year)
    run.step("annual reports", ANNUAL_REPORTS, {"year": year, "due": due})
    listed_year = overdue_year(today) or year - 1
    listed = annual_report_due_on(listed_year) + dt.timedelta(days=1)
    run.step("abnormal listings", ABNORMAL_LISTINGS, {"year": listed_year, "listed": listed})
    run.step("organization grades", GRADES, {"year": year})
