"""The audit trail in proportion: one record per organization (its import), per project (set up) and
per tenth ledger entry (submitted), each with the region path the trail is scoped by."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from projects.models import LedgerEntry, Project
from registry.models import Organization

AUDIT = """
INSERT INTO core_auditrecord (timestamp, actor_name, request_id, action, object_id, object_repr, region_path,
                              before, after, message, actor_id, content_type_id)
SELECT o.established_on + TIME '09:30', '名册导入', '', 'import', o.id::text, o.name, o.region_path, NULL::jsonb,
       NULL::jsonb, '', NULL::bigint, %(organization)s
FROM seed_org o
UNION ALL
SELECT p.start_date - 30 + TIME '10:00', '项目管理员', '', 'create', p.id::text, left(p.domain || '项目', 255),
       p.region_path, NULL, NULL, '', NULL, %(project)s
FROM seed_project p
UNION ALL
SELECT e.submitted_at, '机构填报员', '', 'transition', e.id::text, to_char(e.date, 'YYYY-MM-DD') || ' ' || e.title,
       p.region_path, '{"status": "draft"}'::jsonb, jsonb_build_object('status', e.status), '', NULL, %(entry)s
FROM projects_ledgerentry e JOIN seed_project p ON p.id = e.project_id
WHERE e.id > %(base)s AND e.id %% 10 = 0 AND e.submitted_at IS NOT NULL
"""


def seed(run, ledger_base: int) -> None:
    types = ContentType.objects.get_for_models(Organization, Project, LedgerEntry)
    run.step("audit records", AUDIT, {
        "organization": types[Organization].pk, "project": types[Project].pk, "entry": types[LedgerEntry].pk,
        "base": ledger_base,
    })  # fmt: skip
