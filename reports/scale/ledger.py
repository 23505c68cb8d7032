"""Ledger entries: M rows over the projects, dated inside each project's period and the last eight
quarters. Every fiftieth entry was returned and corrected: its first version (is_current false,
returned) is the row just before it, and the current version (2) names it as previous_version."""

from __future__ import annotations

from .words import ENTRY_TITLES, PLACES

LEDGER = """
INSERT INTO projects_ledgerentry (
    id, created_at, updated_at, date, kind, title, place, participants, beneficiaries, volunteers, volunteer_hours,
    summary, status, review_reason, version, is_current, submitted_at, reviewed_at, created_by_id,
    previous_version_id, reviewed_by_id, project_id, foreign_involvement)
SELECT %(base)s + e.k, e.date + TIME '18:00', e.date + TIME '18:00', e.date,
       pg_temp.pick(%(kinds)s, pg_temp.h(e.g, 83)),
       p.domain || pg_temp.pick(%(titles)s, pg_temp.h(e.g, 84)),
       pg_temp.pick(%(places)s, pg_temp.h(e.g, 85)),
       floor(5 + pg_temp.h(e.g, 86) * 75)::int, floor(5 + pg_temp.h(e.g, 87) * 195)::int, v.volunteers,
       (v.volunteers * 2.5)::numeric(8, 1),
       '开展' || p.domain || '服务，记录参与人员与服务内容。',
       e.status, CASE WHEN e.status = 'returned' THEN '请补充活动照片和签到表。' ELSE '' END,
       CASE WHEN e.v2 THEN 2 ELSE 1 END, NOT e.old,
       CASE WHEN e.status <> 'draft' THEN e.date + 1 + TIME '09:00' END,
       CASE WHEN e.status IN ('accepted', 'returned') THEN e.date + 7 + TIME '10:00' END,
       NULL, CASE WHEN e.v2 THEN %(base)s + e.k - 1 END, NULL, p.id, false
FROM (
    SELECT k, g, old, v2, w.lo + floor(pg_temp.h(g, 81) * (w.hi - w.lo + 1))::int AS date, j,
           CASE WHEN old THEN 'returned'
                WHEN v2 THEN CASE WHEN pg_temp.h(g, 82) < 0.3 THEN 'resubmitted' ELSE 'accepted' END
                WHEN pg_temp.h(g, 82) < 0.05 THEN 'draft'
                WHEN pg_temp.h(g, 82) < 0.30 THEN 'submitted'
                WHEN pg_temp.h(g, 82) < 0.32 THEN 'returned'
                ELSE 'accepted' END AS status
    FROM (
        SELECT k, CASE WHEN k %% 50 = 49 AND k < %(m)s THEN k + 1 ELSE k END AS g,
               k %% 50 = 49 AND k < %(m)s AS old, k %% 50 = 0 AS v2
        FROM generate_series(%(first)s, %(last)s) k
    ) kk
    CROSS JOIN LATERAL (SELECT 1 + floor(pg_temp.h(kk.g, 80) * %(projects)s)::int AS j) pj
    JOIN seed_project sp USING (j)
    CROSS JOIN LATERAL (SELECT GREATEST(sp.start_date, %(window)s::date) AS lo,
                               LEAST(sp.end_date, %(today)s::date) AS hi) w
) e
JOIN seed_project p USING (j)
CROSS JOIN LATERAL (SELECT floor(pg_temp.h(e.g, 88) * 15)::int AS volunteers) v
"""

KINDS = ["service_activity", "service_activity", "service_activity", "meeting", "training", "publicity", "visit"]
CHUNK = 1_000_000


def seed(run, entries: int, projects: int, window) -> None:
    """Insert `entries` ledger entries over `projects` projects, a million per statement (each its
    own line of progress)."""
    if not entries:
        return
    base = run.base("projects_ledgerentry")
    params = {"base": base, "m": entries, "projects": projects, "today": run.today, "window": window,
              "kinds": KINDS, "titles": list(ENTRY_TITLES), "places": list(PLACES)}  # fmt: skip
    for first in range(1, entries + 1, CHUNK):
        last = min(entries, first + CHUNK - 1)
        run.step(f"ledger entries {first:,}–{last:,}", LEDGER, {**params, "first": first, "last": last})
