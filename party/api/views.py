"""The party app's API resources (registered in config.api_router from ROUTES): scoped like the pages
(core's base viewset: `restrict` per action; another district's id is a 404), filtered with the
pages' FilterSets (party.filtersets), every write through party.services."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.views import ScopedModelViewSet
from core.choices import Action
from core.filtersets import BaseFilterSet
from core.params import query_date
from registry.choices import PartyForm
from registry.models import Organization

from .. import services
from ..filtersets import (
    ContactRecordFilterSet,
    JointMeetingFilterSet,
    PartyActivityFilterSet,
    PartyOrganizationFilterSet,
)
from ..filtersets import region_filter as _region_filter
from ..models import ContactRecord, JointMeeting, MeetingDecision, PartyActivity, PartyCoverage, PartyOrganization
from .serializers import (
    ContactAttachmentUploadSerializer,
    ContactCreateSerializer,
    ContactRecordSerializer,
    ContactWriteSerializer,
    DecisionCompleteSerializer,
    DecisionInputSerializer,
    DissolveSerializer,
    JointMeetingSerializer,
    JointMeetingWriteSerializer,
    PartyActivitySerializer,
    PartyActivityWriteSerializer,
    PartyCoverageSerializer,
    PartyCoverageWriteSerializer,
    PartyOrganizationSerializer,
    PartyOrganizationWriteSerializer,
)

_PARSERS = [JSONParser, MultiPartParser, FormParser]


def _valid(serializer_class, request, *, partial=False, **kwargs):
    serializer = serializer_class(data=request.data, partial=partial, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# ------------------------------------------------------------------------- party organizations


class PartyOrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Party organizations (党组织) of the user's subtree, with the organizations each covers now.
    POST creates (with `organizations`, the covered set); PATCH changes; /dissolve/ dissolves."""

    queryset = PartyOrganization.objects.select_related("region", "parent").prefetch_related(
        Prefetch(
            "coverages",
            queryset=PartyCoverage.objects.current().select_related("organization").order_by("organization_id"),
            to_attr="current_coverages",
        )
    )
    serializer_class = PartyOrganizationSerializer
    filterset_class = PartyOrganizationFilterSet
    ordering_fields = ["name", "established_on", "term_ends_on"]

    def _read(self, body, code=status.HTTP_200_OK):
        body = self.queryset.get(pk=body.pk)
        return Response(PartyOrganizationSerializer(body, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=PartyOrganizationWriteSerializer, responses={201: PartyOrganizationSerializer})
    def create(self, request):
        data = _valid(PartyOrganizationWriteSerializer, request, user=request.user)
        body = services.party_organization_create(request.user, **data)
        return self._read(body, status.HTTP_201_CREATED)

    @extend_schema(request=PartyOrganizationWriteSerializer, responses=PartyOrganizationSerializer)
    def partial_update(self, request, pk=None):
        body = self.get_object()
        data = _valid(PartyOrganizationWriteSerializer, request, partial=True, user=request.user)
        return self._read(services.party_organization_update(request.user, body, **data))

    @extend_schema(request=DissolveSerializer, responses=PartyOrganizationSerializer)
    @action(detail=True, methods=["post"])
    def dissolve(self, request, pk=None):
        """Workflow step “dissolve” (party.workflows.PARTY_ORGANIZATION); the reason is required."""
        data = _valid(DissolveSerializer, request)
        return self._read(services.party_organization_dissolve(request.user, self.get_object(), reason=data["reason"]))

    dissolve.scoped_action = Action.CHANGE


# ------------------------------------------------------------------------------------- coverage


class PartyCoverageRowFilterSet(BaseFilterSet):
    """Coverage rows: of an organization, a node's subtree, a form. Which rows (current, or in force
    on `?date=`) is the viewset's."""

    region = _region_filter("organization__region")
    organization = django_filters.ModelChoiceFilter(queryset=Organization.objects.all())
    form = django_filters.ChoiceFilter(choices=PartyForm.choices)

    class Meta:
        model = PartyCoverage
        fields = ["region", "organization", "form"]


class PartyCoverageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """How organizations are covered by party building. The list shows the current rows, or with
    `?date=YYYY-MM-DD` the rows in force that day; a row by its id is any version. POST records a new
    version of an organization's coverage (the current one ends on its `valid_from`)."""

    queryset = PartyCoverage.objects.select_related("organization__region", "party_organization")
    serializer_class = PartyCoverageSerializer
    filterset_class = PartyCoverageRowFilterSet
    ordering_fields = ["valid_from"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        day = query_date(self.request, "date")
        return queryset.as_of(day) if day else queryset.current()

    @extend_schema(parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="the rows in force that day")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PartyCoverageWriteSerializer, responses={201: PartyCoverageSerializer})
    def create(self, request):
        data = _valid(PartyCoverageWriteSerializer, request, user=request.user)
        organization = data.pop("organization")
        coverage = services.coverage_record(request.user, organization, **data)
        coverage = self.queryset.get(pk=coverage.pk)
        return Response(PartyCoverageSerializer(coverage).data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------------------------- contacts


class ContactRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Regular contacts (定期联系) with organizations. POST records one (JSON, or multipart with
    `attachments`); PATCH corrects; /attach/ adds a file."""

    queryset = ContactRecord.objects.select_related(
        "organization__region", "party_organization", "recorded_by"
    ).prefetch_related("attachments")
    serializer_class = ContactRecordSerializer
    filterset_class = ContactRecordFilterSet
    parser_classes = _PARSERS
    ordering_fields = ["contacted_on"]

    def _read(self, contact, code=status.HTTP_200_OK):
        contact = self.queryset.get(pk=contact.pk)
        return Response(ContactRecordSerializer(contact, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ContactCreateSerializer, responses={201: ContactRecordSerializer})
    def create(self, request):
        data = _valid(ContactCreateSerializer, request, user=request.user)
        organization = data.pop("organization")
        return self._read(services.contact_record(request.user, organization, **data), status.HTTP_201_CREATED)

    @extend_schema(request=ContactWriteSerializer, responses=ContactRecordSerializer)
    def partial_update(self, request, pk=None):
        contact = self.get_object()
        data = _valid(ContactWriteSerializer, request, partial=True)
        return self._read(services.contact_update(request.user, contact, **data))

    @extend_schema(
        request={"multipart/form-data": ContactAttachmentUploadSerializer}, responses=ContactRecordSerializer
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attach(self, request, pk=None):
        contact = self.get_object()
        data = _valid(ContactAttachmentUploadSerializer, request)
        services.contact_attach(request.user, contact, data["file"])
        return self._read(contact)

    attach.scoped_action = Action.CHANGE


# ---------------------------------------------------------------------- activities and meetings


class PartyActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Party activities and trainings (党课, 主题教育, joint activities)."""

    queryset = PartyActivity.objects.select_related("host", "region").prefetch_related("organizations")
    serializer_class = PartyActivitySerializer
    filterset_class = PartyActivityFilterSet
    ordering_fields = ["held_on"]

    def _read(self, activity, code=status.HTTP_200_OK):
        activity = self.queryset.get(pk=activity.pk)
        return Response(PartyActivitySerializer(activity, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=PartyActivityWriteSerializer, responses={201: PartyActivitySerializer})
    def create(self, request):
        data = _valid(PartyActivityWriteSerializer, request, user=request.user)
        return self._read(services.activity_record(request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=PartyActivityWriteSerializer, responses=PartyActivitySerializer)
    def partial_update(self, request, pk=None):
        activity = self.get_object()
        data = _valid(PartyActivityWriteSerializer, request, partial=True, user=request.user)
        return self._read(services.activity_update(request.user, activity, **data))


class JointMeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Joint meetings (党建联席会议) with their decisions. POST records one (JSON, or multipart with a
    `minutes_file`); PATCH changes; /decisions/ adds a decision; /complete/ records one done."""

    queryset = JointMeeting.objects.select_related("host", "region").prefetch_related(
        "organizations", Prefetch("decisions", queryset=MeetingDecision.objects.select_related("meeting__region"))
    )
    serializer_class = JointMeetingSerializer
    filterset_class = JointMeetingFilterSet
    parser_classes = _PARSERS
    ordering_fields = ["held_on"]

    def _read(self, meeting, code=status.HTTP_200_OK):
        meeting = self.queryset.get(pk=meeting.pk)
        return Response(JointMeetingSerializer(meeting, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=JointMeetingWriteSerializer, responses={201: JointMeetingSerializer})
    def create(self, request):
        data = _valid(JointMeetingWriteSerializer, request, user=request.user)
        return self._read(services.meeting_record(request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=JointMeetingWriteSerializer, responses=JointMeetingSerializer)
    def partial_update(self, request, pk=None):
        meeting = self.get_object()
        data = _valid(JointMeetingWriteSerializer, request, partial=True, user=request.user)
        data.pop("decisions", None)  # decisions are added one by one (/decisions/)
        return self._read(services.meeting_update(request.user, meeting, **data))

    @extend_schema(request=DecisionInputSerializer, responses={201: JointMeetingSerializer})
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None):
        meeting = self.get_object()
        data = _valid(DecisionInputSerializer, request)
        services.decision_add(request.user, meeting, **data)
        return self._read(meeting, status.HTTP_201_CREATED)

    decisions.scoped_action = Action.CHANGE

    @extend_schema(request=DecisionCompleteSerializer, responses=JointMeetingSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Workflow step “complete” of one of the meeting's decisions (party.workflows.DECISION): the
        follow-up is required."""
        meeting = self.get_object()
        data = _valid(DecisionCompleteSerializer, request)
        decision = meeting.decisions.filter(pk=data["decision"]).first()
        if decision is None:
            raise NotFound()
        services.decision_complete(request.user, decision, follow_up=data["follow_up"])
        return self._read(meeting)

    complete.scoped_action = Action.CHANGE


ROUTES: list = [
    ("party-organizations", PartyOrganizationViewSet, "party-organization"),
    ("party-coverages", PartyCoverageViewSet, "party-coverage"),
    ("contact-records", ContactRecordViewSet, "contact-record"),
    ("party-activities", PartyActivityViewSet, "party-activity"),
    ("joint-meetings", JointMeetingViewSet, "joint-meeting"),
]
