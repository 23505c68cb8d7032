"""API of the registry: organizations and applications with their workflow actions, scoped and
filtered exactly like the pages (same FilterSets, same `restrict`)."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.views import ScopedModelViewSet
from core.choices import Action
from registry import selectors, services
from registry.choices import ApplicationAction
from registry.filtersets import ApplicationFilterSet, OrganizationFilterSet
from registry.models import Organization

from .serializers import (
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    AttachmentUploadSerializer,
    DecisionSerializer,
    OrganizationCreateSerializer,
    OrganizationSerializer,
)


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    """Organizations in the user's jurisdiction. Particulars change only through change
    applications; bureau staff may enter an existing organization directly (POST)."""

    queryset = selectors.organizations()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = ["name", "uscc", "established_on"]

    @extend_schema(request=OrganizationCreateSerializer, responses={201: OrganizationSerializer})
    def create(self, request):
        serializer = OrganizationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        org = services.organization_create(by=request.user, **serializer.validated_data)
        org = selectors.organizations().get(pk=org.pk)
        return Response(OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)


def _decision(action_name):
    """An @action taking one workflow step (submit, approve, reject, return, resubmit)."""

    @extend_schema(request=DecisionSerializer, responses=ApplicationDetailSerializer)
    def take(self, request, pk=None):
        application = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_transition(
            application=application, by=request.user, action=action_name, **serializer.validated_data
        )
        return Response(ApplicationDetailSerializer(application, context=self.get_serializer_context()).data)

    take.__name__ = "return_" if action_name == "return" else str(action_name)
    take.__doc__ = f"Workflow step “{action_name}” (see registry.workflows)."
    take.scoped_action = Action.CHANGE
    return action(detail=True, methods=["post"], url_path=action_name, url_name=action_name)(take)


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    queryset = selectors.applications()
    filterset_class = ApplicationFilterSet
    ordering_fields = ["number", "submitted_at", "reviewed_at"]

    def get_serializer_class(self):
        return ApplicationDetailSerializer if self.action != "list" else ApplicationSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.prefetch_related("steps__actor", "founders__community") if self.action != "list" else queryset

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationDetailSerializer})
    def create(self, request):
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = None
        if data.pop("organization", None):
            organization = Organization.objects.restrict(request.user).filter(pk=request.data["organization"]).first()
            if organization is None:
                raise NotFound()
        with transaction.atomic():
            application = services.application_create(by=request.user, organization=organization, **data)
        return Response(
            ApplicationDetailSerializer(application, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ApplicationUpdateSerializer, responses=ApplicationDetailSerializer)
    def partial_update(self, request, pk=None):
        application = self.get_object()
        serializer = ApplicationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        application = services.application_update(application=application, by=request.user, **serializer.validated_data)
        return Response(ApplicationDetailSerializer(application, context=self.get_serializer_context()).data)

    @extend_schema(request={"multipart/form-data": AttachmentUploadSerializer}, responses=ApplicationDetailSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        """Attach a file (pdf, jpg, png, docx or xlsx by content; at most 10 MB) to a draft or
        returned application."""
        application = self.get_object()
        serializer = AttachmentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.attachment_add(
            application=application,
            by=request.user,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["file"],
        )
        return Response(
            ApplicationDetailSerializer(self.get_object(), context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    attachments.scoped_action = Action.CHANGE

    submit = _decision(ApplicationAction.SUBMIT)
    resubmit = _decision(ApplicationAction.RESUBMIT)
    approve = _decision(ApplicationAction.APPROVE)
    reject = _decision(ApplicationAction.REJECT)
    return_ = _decision(ApplicationAction.RETURN)
