"""Funders, projects (one per ten organizations: project j belongs to organization i = 10(j − 1) + 1),
their service community, contract, three milestones, payments of the accepted ones, three budget
lines and quarterly submissions, set-based. Project periods overlap the last eight quarters, the
window the ledger entries are dated in."""

from __future__ import annotations

from projects import periods
from reports.quarters import current_quarter, last_quarters

FUNDERS = """
INSERT INTO projects_funder (created_at, updated_at, name, kind, uscc, contact_person, contact_phone, is_active,
                             created_by_id, region_id)
SELECT DISTINCT ON (district_id) now(), now(), district_name || '民政局', 'civil_affairs_bureau', '', '', '', true,
       NULL::bigint, district_id FROM seed_place
UNION ALL
SELECT DISTINCT ON (district_id) now(), now(), district_name || '福利彩票公益金', 'welfare_lottery', '', '', '', true,
       NULL, district_id FROM seed_place
UNION ALL
SELECT DISTINCT ON (street_id) now(), now(), street_name || '办事处', 'street_office', '', '', '', true, NULL, street_id
FROM seed_place
"""

PROJECT_PLAN = """
CREATE TEMP TABLE seed_project AS
SELECT p.*, p.start_date + 360 + floor(pg_temp.h(p.j, 62) * 360)::int AS end_date
FROM (
    SELECT j, %(base)s + j AS id, o.id AS organization_id, o.i, o.domain, o.at_street, o.community_id,
           o.street_id, o.district_id, o.region_path, o.community_name, o.street_name,
           CASE WHEN j %% 10 BETWEEN 1 AND 5 THEN 'bureau' WHEN j %% 10 IN (6, 7) THEN 'lottery' ELSE 'street' END
             AS funder_kind,
           %(window)s::date - 180 + floor(pg_temp.h(j, 61) * (%(today)s::date - 60 - (%(window)s::date - 180)))::int
             AS start_date,
           (50000 + floor(pg_temp.h(j, 63) * 4500) * 100)::numeric(12, 2) AS amount
    FROM generate_series(1, %(n)s) j JOIN seed_org o ON o.i = 10 * (j - 1) + 1
) p
"""

# The code is 街道-社区-年份-序号 as projects.services numbers it.
PROJECTS = """
INSERT INTO projects_project (
    id, created_at, updated_at, code, title, funding_source, amount, start_date, end_date, target_groups, objectives,
    status, status_reason, status_changed_at, created_by_id, organization_id, funder_id)
SELECT p.id, p.start_date - 30 + TIME '10:00', p.start_date - 30 + TIME '10:00',
       s.code || '-' || x.part || '-' || p.year || '-'
         || lpad(row_number() OVER (PARTITION BY s.code, x.part, p.year ORDER BY p.j)::text, 3, '0'),
       CASE WHEN p.at_street THEN p.street_name ELSE p.community_name END || p.domain
         || pg_temp.pick(%(kinds)s, pg_temp.h(p.j, 64)),
       CASE p.funder_kind WHEN 'bureau' THEN 'government_purchase' WHEN 'lottery' THEN 'venture_philanthropy'
            ELSE 'subsidy' END,
       p.amount, p.start_date, p.end_date, ARRAY[pg_temp.pick(%(groups)s, pg_temp.h(p.j, 65))]::varchar(32)[],
       '围绕' || p.domain || '需求，提供常态化服务，提升居民获得感。',
       CASE WHEN p.end_date < %(today)s::date THEN CASE WHEN p.j %% 10 = 3 THEN 'final_review' ELSE 'closed' END
            WHEN p.j %% 10 = 4 THEN 'mid_term_review' ELSE 'in_progress' END,
       '', p.start_date + TIME '10:00', NULL, p.organization_id, f.id
FROM (SELECT *, extract(year FROM start_date)::int AS year FROM seed_project) p
JOIN accounts_region s ON s.id = p.street_id
JOIN accounts_region c ON c.id = p.community_id
JOIN projects_funder f ON f.region_id = CASE WHEN p.funder_kind = 'street' THEN p.street_id ELSE p.district_id END
     AND f.kind = CASE p.funder_kind WHEN 'bureau' THEN 'civil_affairs_bureau' WHEN 'lottery' THEN 'welfare_lottery'
                                     ELSE 'street_office' END
CROSS JOIN LATERAL (SELECT CASE WHEN p.at_street THEN '000' ELSE right(c.code, 3) END AS part) x
ORDER BY p.id
"""

SERVICE_COMMUNITIES = """
INSERT INTO projects_project_service_communities (project_id, region_id)
SELECT id, community_id FROM seed_project
"""

CONTRACTS = """
INSERT INTO projects_contract (
    id, created_at, updated_at, number, procurement_method, signed_on, amount, start_date, end_date, file, file_name,
    version, is_current, amendment_reason, created_by_id, previous_version_id, project_id)
SELECT %(base)s + p.j, p.start_date - 7 + TIME '15:00', p.start_date - 7 + TIME '15:00',
       'HT-' || extract(year FROM p.start_date) || '-' || lpad(p.j::text, 7, '0'),
       pg_temp.pick(%(methods)s, pg_temp.h(p.j, 66)), p.start_date - 7, p.amount, p.start_date, p.end_date, '', '',
       1, true, '', NULL, NULL, p.id
FROM seed_project p ORDER BY p.j
"""

# Three tranches of 30/40/30 %, due at a third, two thirds and the end of the period; accepted ten
# days after delivery once a month past due, delivered and waiting when just due.
MILESTONES = """
INSERT INTO projects_milestone (
    id, created_at, updated_at, reviewed_at, review_reason, sequence, deliverable, due_date, share, amount, status,
    delivery_note, submitted_at, contract_id, created_by_id, previous_id, project_id, reviewed_by_id,
    submitted_by_id)
SELECT %(base)s + 3 * (p.j - 1) + m.seq, p.start_date - 7 + TIME '15:00', p.start_date - 7 + TIME '15:00',
       CASE WHEN d.status = 'accepted' THEN d.due + 10 + TIME '11:00' END, '', m.seq, m.deliverable, d.due, m.share,
       CASE WHEN m.seq < 3 THEN round(p.amount * m.share / 100, 2)
            ELSE p.amount - round(p.amount * 0.30, 2) - round(p.amount * 0.40, 2) END,
       d.status, CASE WHEN d.status <> 'pending' THEN '已按合同完成' || m.deliverable || '。' ELSE '' END,
       CASE WHEN d.status <> 'pending' THEN LEAST(d.due, %(today)s::date) + TIME '16:00' END,
       %(contract_base)s + p.j, NULL, NULL, p.id, NULL, NULL
FROM seed_project p
CROSS JOIN (VALUES (1, 30.00, '项目启动与需求调研报告'), (2, 40.00, '中期服务成效报告'), (3, 30.00, '结项评估报告'))
     AS m(seq, share, deliverable)
CROSS JOIN LATERAL (
    SELECT p.start_date + (p.end_date - p.start_date) * m.seq / 3 AS due) dd
CROSS JOIN LATERAL (
    SELECT dd.due, CASE WHEN dd.due < %(today)s::date - 30 THEN 'accepted'
                        WHEN dd.due < %(today)s::date + 10 THEN 'submitted' ELSE 'pending' END AS status) d
ORDER BY p.j, m.seq
"""

PAYMENTS = """
INSERT INTO projects_payment (created_at, updated_at, paid_on, amount, reference, remarks, created_by_id,
                              milestone_id, project_id, reverses_id)
SELECT m.reviewed_at + interval '10 days', m.reviewed_at + interval '10 days',
       (m.reviewed_at + interval '10 days')::date, m.amount, 'ZF' || lpad(m.id::text, 10, '0'), '', NULL, m.id,
       m.project_id, NULL
FROM projects_milestone m
WHERE m.status = 'accepted' AND m.id > %(base)s AND m.amount > 0
ORDER BY m.id
"""

BUDGET_LINES = """
INSERT INTO projects_budgetline (created_at, updated_at, category, name, amount, created_by_id, project_id)
SELECT p.start_date - 30 + TIME '10:00', p.start_date - 30 + TIME '10:00', b.category, b.name,
       CASE WHEN b.n < 3 THEN round(p.amount * b.share, 2)
            ELSE p.amount - round(p.amount * 0.40, 2) - round(p.amount * 0.45, 2) END,
       NULL, p.id
FROM seed_project p
CROSS JOIN (VALUES (1, 'staff', '社工人员经费', 0.40), (2, 'activities', '活动经费', 0.45),
                   (3, 'materials', '物资采购', 0.15)) AS b(n, category, name, share)
ORDER BY p.j, b.n
"""

# Each ended quarter of the last eight inside the project's period: 92% submitted, mostly accepted.
SUBMISSIONS = """
INSERT INTO projects_quarterlysubmission (
    created_at, updated_at, year, quarter, narrative, status, first_submitted_at, submitted_at, review_reason,
    reviewed_at, created_by_id, project_id, reviewed_by_id, submitted_by_id)
SELECT s.first, s.last, q.year, q.quarter, q.year || '年第' || q.quarter || '季度按计划开展服务，台账已同步登记。',
       s.status, s.first, s.last,
       CASE WHEN s.status = 'returned' THEN '请补充服务对象签到材料。' ELSE '' END,
       CASE WHEN s.status IN ('accepted', 'returned') THEN s.last + interval '5 days' END, NULL, p.id, NULL, NULL
FROM seed_project p
JOIN seed_quarter q ON q.ends < %(today)s::date AND q.ends >= p.start_date AND q.starts <= p.end_date
CROSS JOIN LATERAL (
    SELECT pg_temp.h(p.j * 100 + q.n, 70) AS r,
           q.ends + 3 + floor(pg_temp.h(p.j * 100 + q.n, 71) * 20)::int + TIME '14:00' AS first) r
CROSS JOIN LATERAL (
    SELECT r.first, CASE WHEN r.r < 0.7 THEN 'accepted' WHEN r.r < 0.85 THEN 'submitted'
                         WHEN r.r < 0.87 THEN 'returned' ELSE 'resubmitted' END AS status,
           CASE WHEN r.r >= 0.87 THEN r.first + interval '9 days' ELSE r.first END AS last) s
WHERE pg_temp.h(p.j * 100 + q.n, 72) < 0.92
ORDER BY p.j, q.n
"""

KINDS = ["服务项目", "关爱行动", "提升计划", "共建项目", "示范项目"]
GROUPS = ["elderly", "children", "women", "disabled", "low_income", "youth", "residents"]
METHODS = ["public_tender", "competitive_consultation", "competitive_negotiation", "commission", "venture_call"]


def quarters(today) -> list[tuple]:
    """(n, year, quarter, first day, last day) of the last eight quarters, oldest first."""
    return [
        (n, year, quarter, periods.quarter_start(year, quarter), periods.quarter_end(year, quarter))
        for n, (year, quarter) in enumerate(last_quarters(*current_quarter(today), n=8))
    ]


def seed(run, orgs: int) -> int:
    """Seed the projects; how many."""
    today = run.today
    window = quarters(today)
    run.sql("CREATE TEMP TABLE seed_quarter (n int, year int, quarter int, starts date, ends date)")
    run.copy("seed_quarter", ("n", "year", "quarter", "starts", "ends"), window)
    count = max(1, orgs // 10)
    run.step("funders", FUNDERS)
    base = run.base("projects_project")
    run.step("projects: plan", PROJECT_PLAN, {"base": base, "n": count, "today": today, "window": window[0][3]})
    run.sql("CREATE UNIQUE INDEX ON seed_project (j)")
    run.sql("ANALYZE seed_project")
    run.step("projects", PROJECTS, {"today": today, "kinds": KINDS, "groups": GROUPS})
    run.step("project service communities", SERVICE_COMMUNITIES)
    contract_base = run.base("projects_contract")
    run.step("contracts", CONTRACTS, {"base": contract_base, "methods": METHODS})
    milestone_base = run.base("projects_milestone")
    run.step("milestones", MILESTONES, {"base": milestone_base, "contract_base": contract_base, "today": today})
    run.step("payments", PAYMENTS, {"base": milestone_base})
    run.step("budget lines", BUDGET_LINES)
    run.step("quarterly submissions", SUBMISSIONS, {"today": today})
    return count
