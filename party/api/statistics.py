"""/api/v1/party-statistics/?region=…&date=… (registered in config.api_router from ROUTES): the rows of
the coverage statistics (party.statistics) of a node of the user's subtree on a date — one per child
node (and the node's own organizations, when there are any), then the total. A region outside the
user's subtree is a 404; a malformed region or date a 400 naming it."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from .. import statistics as stats


class StatisticsRowSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="child (a child node), direct (the node's own organizations) or total")
    label = serializers.CharField()
    region = serializers.IntegerField(source="region.pk")
    region_code = serializers.CharField(source="region.code")
    organizations = serializers.IntegerField()
    staff = serializers.IntegerField()
    volunteers = serializers.IntegerField()
    with_party_organization = serializers.IntegerField()
    party_organization_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    party_organizations = serializers.IntegerField()
    by_level = serializers.DictField(child=serializers.IntegerField())
    by_formation = serializers.DictField(child=serializers.IntegerField())
    party_members = serializers.IntegerField()
    work_covered = serializers.IntegerField()
    work_coverage_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    should_form_own = serializers.IntegerField()
    contacts = serializers.IntegerField()
    overdue = serializers.IntegerField()

    def to_representation(self, row):
        figures = row.figures
        flat = {
            "kind": row.kind,
            "label": row.label,
            "region": row.region,
            **{key: figures[key] for key in figures if key not in stats.LEVEL_KEYS + stats.FORMATION_KEYS},
            "by_level": {key.removeprefix("level_"): figures[key] for key in stats.LEVEL_KEYS},
            "by_formation": {key.removeprefix("formation_"): figures[key] for key in stats.FORMATION_KEYS},
        }
        return super().to_representation(_Flat(flat))


class _Flat(dict):
    """A dict read by attribute, as a Serializer reads its instance."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as error:
            raise AttributeError(name) from error


class PartyStatisticsViewSet(viewsets.ViewSet):
    """The coverage statistics of a node on a date (default: the user's node, today)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", OpenApiTypes.INT, description="A node of the user's subtree (default: theirs)."),
            OpenApiParameter("date", OpenApiTypes.DATE, description="The day counted (default: today)."),
        ],
        responses=StatisticsRowSerializer(many=True),
    )
    def list(self, request):
        region, day = stats.requested(request)
        result = stats.statistics(region, day)
        return Response(StatisticsRowSerializer(result.rows, many=True).data)


ROUTES: list = [("party-statistics", PartyStatisticsViewSet, "party-statistics")]
