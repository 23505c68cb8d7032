"""Filters of the organization grades' list (评估等级): grade, street, in force / expiring / lapsed /
revoked, search by organization."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filtersets import subtree_filter
from core.filtersets import BaseFilterSet
from registry.selectors import search_organizations

from .. import conf
from ..choices import Grade
from ..models import OrgGrade
from ._common import limit_streets, street_filter


class GradeState:
    IN_FORCE = "in_force"
    EXPIRING = "expiring"
    LAPSED = "lapsed"
    REVOKED = "revoked"

    choices = (
        (IN_FORCE, _("In force")),
        (EXPIRING, _("Expiring soon")),
        (LAPSED, _("Lapsed")),
        (REVOKED, _("Revoked")),
    )


def state_condition(state: str, today, days: int) -> Q:
    not_revoked = Q(revoked_on__isnull=True)
    in_force = not_revoked & Q(valid_from__lte=today, valid_until__gte=today)
    if state == GradeState.IN_FORCE:
        return in_force
    if state == GradeState.EXPIRING:
        return in_force & Q(valid_until__lte=today + dt.timedelta(days=days))
    if state == GradeState.LAPSED:
        return not_revoked & Q(valid_until__lt=today)
    return Q(revoked_on__isnull=False)


class OrgGradeFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Organization name or code"))
    grade = django_filters.TypedChoiceFilter(choices=Grade.choices, coerce=int, label=_("grade"))
    street = street_filter("organization__region")
    region = subtree_filter("organization__region")
    state = django_filters.ChoiceFilter(choices=GradeState.choices, method="filter_state", label=_("state"))
    expiring = django_filters.BooleanFilter(method="filter_expiring", label=_("Expiring within 180 days"))

    class Meta:
        model = OrgGrade
        fields = ["q", "grade", "street", "region", "state", "expiring"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        limit_streets(self, request)

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        from registry.models import Organization

        return queryset.filter(organization__in=search_organizations(Organization.objects.all(), value))

    def filter_state(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(state_condition(value, timezone.localdate(), conf.grade_warning_days()))

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        expiring = state_condition(GradeState.EXPIRING, timezone.localdate(), conf.grade_warning_days())
        return queryset.filter(expiring) if value else queryset.exclude(expiring)
