"""Planned tranches and what was paid against them (政府购买服务, 费随事转): the reads the contract
services, the project page, the contract page and the project export share.

A tranche is a milestone of the current contract version. An amendment copies each milestone into
the new version (`previous`), so what was paid on a milestone is what was paid on it and on its
earlier copies; payments are never moved."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import AMOUNT, Contract, Milestone, Payment
from .money import CENT, ZERO

HUNDRED = Decimal("100")


def allocate(amount: Decimal, shares: list[Decimal], fixed: dict[int, Decimal] | None = None) -> list[Decimal]:
    """Each tranche's amount: its share of `amount`, rounded half-up to the cent, the last tranche
    not in `fixed` taking the rounding remainder, so that the tranches add up to `amount` exactly.
    `fixed` (index → amount) keeps the tranches already accepted at what they were."""
    fixed = fixed or {}
    amounts = [
        fixed[i] if i in fixed else (amount * share / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
        for i, share in enumerate(shares)
    ]
    open_rows = [i for i in range(len(shares)) if i not in fixed]
    if open_rows:
        last = open_rows[-1]
        amounts[last] = amount - sum(a for i, a in enumerate(amounts) if i != last)
    return amounts


def share_of(part: Decimal, whole: Decimal) -> Decimal:
    """`part` as a percentage of `whole`, to two places (an accepted tranche's share in an amendment)."""
    if not whole:
        return ZERO
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def current_contract(project) -> Contract | None:
    return Contract.objects.filter(project=project, is_current=True).first()


def chain_ids(milestone: Milestone) -> list[int]:
    """The milestone and its copies in earlier versions of the contract."""
    ids, node = [milestone.pk], milestone
    while node.previous_id:
        ids.append(node.previous_id)
        node = Milestone.objects.only("pk", "previous_id").get(pk=node.previous_id)
    return ids


def paid_on(milestone: Milestone) -> Decimal:
    """Net paid on the milestone (payments less reversals), its earlier copies included."""
    total = Payment.objects.filter(milestone_id__in=chain_ids(milestone)).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def paid_by_milestone(project) -> dict[int, Decimal]:
    """Net paid on each milestone, keyed by the milestone's latest copy (the current version's,
    unless an amendment dropped it); three queries whatever the number of versions."""
    forward = {
        previous: pk
        for pk, previous in Milestone.objects.filter(project=project, previous__isnull=False).values_list(
            "pk", "previous_id"
        )
    }
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for milestone_id, total in (
        Payment.objects.filter(project=project)
        .values("milestone_id")
        .annotate(total=Sum("amount"))
        .values_list("milestone_id", "total")
    ):
        while milestone_id in forward:
            milestone_id = forward[milestone_id]
        paid[milestone_id] += total
    return paid


def contract_panel(project) -> dict | None:
    """The current contract with its tranches: planned, paid and still to pay per milestone and in
    total (None when the project has no contract)."""
    contract = current_contract(project)
    if contract is None:
        return None
    milestones = list(contract.milestones.select_related("reviewed_by").order_by("sequence"))
    paid = paid_by_milestone(project)
    rows = [
        {"milestone": m, "planned": m.amount, "paid": paid[m.pk], "balance": m.amount - paid[m.pk]} for m in milestones
    ]
    total_paid = sum(paid.values(), ZERO)
    return {
        "contract": contract,
        "rows": rows,
        "planned": sum((m.amount for m in milestones), ZERO),
        "paid": total_paid,
        "balance": contract.amount - total_paid,
        "accepted": sum((m.amount for m in milestones if m.status == "accepted"), ZERO),
    }


_AMOUNT_FIELD = DecimalField(**AMOUNT)


def with_contract_totals(queryset):
    """Projects annotated with their current contract's number and amount and the net paid
    (contract_number, contract_amount, paid), for the project list and its export."""
    current = Contract.objects.filter(project=OuterRef("pk"), is_current=True)
    paid = (
        Payment.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return queryset.annotate(
        contract_number=Subquery(current.values("number")[:1]),
        contract_amount=Subquery(current.values("amount")[:1], output_field=_AMOUNT_FIELD),
        paid=Coalesce(Subquery(paid, output_field=_AMOUNT_FIELD), Value(ZERO), output_field=_AMOUNT_FIELD),
    )
