"""Factories for purchased services: funders and their accounts, contracts with milestones,
deliveries, acceptances and payments; every write goes through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from accounts.choices import Role
from projects import services
from projects.choices import FunderKind, ProcurementMethod

from ..accounts.factories import make_user

_serial = itertools.count(1)

SIGNED = dt.date(2026, 1, 5)
THREE_TRANCHES = (
    ("需求调研与服务方案", dt.date(2026, 3, 31), "30"),
    ("中期服务成效报告", dt.date(2026, 7, 31), "40"),
    ("结项评估报告", dt.date(2026, 12, 15), "30"),
)


def make_funder(region, *, kind=FunderKind.FOUNDATION, name=None, by=None, **fields):
    return services.funder_create(by=by, name=name or f"测试资助方{next(_serial)}", kind=kind, region=region, **fields)


def make_funder_user(funder, **extra):
    """A funder_user account at the funder's node, acting for it."""
    user = make_user(Role.FUNDER_USER, funder.region, **extra)
    services.funder_member_link(user=user, funder=funder)
    user.__dict__.pop("funder_id", None)
    return user


def milestone_specs(tranches=THREE_TRANCHES):
    return [{"deliverable": d, "due_date": due, "share": share} for d, due, share in tranches]


def make_contract(project, *, by=None, amount="100000.00", tranches=THREE_TRANCHES, **fields):
    fields.setdefault("number", f"HT-2026-{next(_serial):03d}")
    fields.setdefault("procurement_method", ProcurementMethod.COMPETITIVE_CONSULTATION)
    fields.setdefault("signed_on", SIGNED)
    fields.setdefault("start_date", project.start_date)
    fields.setdefault("end_date", project.end_date)
    return services.contract_create(
        project=project, by=by, amount=amount, milestones=milestone_specs(tranches), **fields
    )


def deliver(milestone, by, note="已提交服务方案和调研报告。"):
    return services.milestone_submit(milestone=milestone, by=by, note=note)


def accept(milestone, org_user, funder_by=None):
    """Delivered by the organization's account, accepted by the funder's side."""
    milestone = deliver(milestone, org_user)
    return services.milestone_accept(milestone=milestone, by=funder_by)


def pay(milestone, by=None, amount=None, reference=None, paid_on=dt.date(2026, 4, 10)):
    return services.payment_record(
        milestone=milestone,
        by=by,
        paid_on=paid_on,
        amount=amount or milestone.amount,
        reference=reference or f"ZF-{next(_serial):04d}",
    )
