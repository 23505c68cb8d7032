"""API of purchased services: funders, contracts (milestones nested, read-only, with the steps the
user may take), milestones and their steps, payments and their reversals. The same querysets,
FilterSets and services as the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Region
from core.api.fields import OffersField
from core.api.views import ScopedModelViewSet

from .. import filtersets, services
from ..choices import FunderKind, ProcurementMethod
from ..models import Contract, Funder, Milestone, Payment, Project
from ..workflows import MILESTONE
from .serializers import StepNameSerializer

AMOUNT = {"max_digits": 12, "decimal_places": 2}

# ---------------------------------------------------------------------------------- serializers


class FunderSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Funder
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "region",
            "region_name",
            "uscc",
            "contact_person",
            "contact_phone",
            "is_active",
        ]


class FunderCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=FunderKind.choices)
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.none())
    uscc = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    contact_person = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.restrict(user)


class MilestoneSerializer(serializers.ModelSerializer):
    transitions = OffersField(MILESTONE)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    contract_number = serializers.CharField(source="contract.number", read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "contract",
            "contract_number",
            "project",
            "sequence",
            "deliverable",
            "due_date",
            "share",
            "amount",
            "status",
            "status_display",
            "delivery_note",
            "submitted_at",
            "reviewed_at",
            "review_reason",
            "previous",
            "transitions",
        ]


class ContractSerializer(serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "project",
            "number",
            "procurement_method",
            "signed_on",
            "amount",
            "start_date",
            "end_date",
            "version",
            "previous_version",
            "is_current",
            "amendment_reason",
            "file_name",
            "file_url",
            "milestones",
        ]

    def get_file_url(self, obj) -> str | None:
        """The scoped download view; files are never served from a media URL."""
        return reverse("projects:contract_file", args=[obj.pk]) if obj.file else None


class MilestoneSpecSerializer(serializers.Serializer):
    previous = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="amendments: the id of the milestone carried"
    )
    deliverable = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    share = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, default=None)


class ContractInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    procurement_method = serializers.ChoiceField(choices=ProcurementMethod.choices)
    signed_on = serializers.DateField()
    amount = serializers.DecimalField(**AMOUNT)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    milestones = MilestoneSpecSerializer(many=True)


class ContractCreateSerializer(ContractInputSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user)


class ContractAmendSerializer(ContractInputSerializer):
    reason = serializers.CharField(max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("number", "procurement_method", "signed_on", "amount", "start_date", "end_date"):
            self.fields[name].required = False


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "project", "milestone", "paid_on", "amount", "reference", "remarks", "reverses", "created_at"]


class PaymentCreateSerializer(serializers.Serializer):
    milestone = serializers.PrimaryKeyRelatedField(queryset=Milestone.objects.none())
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(**AMOUNT)
    reference = serializers.CharField(max_length=60)
    remarks = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.restrict(user)


class PaymentReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    paid_on = serializers.DateField(required=False, allow_null=True, default=None)


# ------------------------------------------------------------------------------------ viewsets


class _Base(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedModelViewSet):
    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, obj, code=status.HTTP_200_OK):
        obj = self.queryset.model.objects.get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)


class FunderViewSet(mixins.CreateModelMixin, _Base):
    queryset = Funder.objects.select_related("region")
    serializer_class = FunderSerializer
    filterset_class = filtersets.FunderFilterSet
    ordering_fields = ["name"]

    @extend_schema(request=FunderCreateSerializer, responses={201: FunderSerializer})
    def create(self, request):
        data = self._input(FunderCreateSerializer, user=request.user)
        return self._answer(services.funder_create(by=request.user, **data), status.HTTP_201_CREATED)


_MILESTONES = Prefetch(
    "milestones",
    queryset=Milestone.objects.select_related("project__organization", "project__funder").order_by("sequence"),
)


class ContractViewSet(mixins.CreateModelMixin, _Base):
    queryset = Contract.objects.select_related("project").prefetch_related(_MILESTONES)
    serializer_class = ContractSerializer
    filterset_class = filtersets.ContractFilterSet
    ordering_fields = ["signed_on", "amount", "number"]

    @extend_schema(request=ContractCreateSerializer, responses={201: ContractSerializer})
    def create(self, request):
        data = self._input(ContractCreateSerializer, user=request.user)
        contract = services.contract_create(by=request.user, **data)
        return self._answer(contract, status.HTTP_201_CREATED)

    @extend_schema(request=ContractAmendSerializer, responses={201: ContractSerializer})
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        contract = self.get_object()
        data = self._input(ContractAmendSerializer)
        amended = services.contract_amend(contract=contract, by=request.user, **data)
        return self._answer(amended, status.HTTP_201_CREATED)

    def _answer(self, obj, code=status.HTTP_200_OK):
        obj = self.queryset.model.objects.prefetch_related(_MILESTONES).get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)


class MilestoneViewSet(_Base):
    queryset = Milestone.objects.select_related("project__organization", "project__funder", "contract")
    serializer_class = MilestoneSerializer
    filterset_class = filtersets.MilestoneFilterSet
    ordering_fields = ["due_date"]

    @extend_schema(request=StepNameSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Take a step: submit (the reason is the delivery note), accept, return (with a reason)."""
        serializer = StepNameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        milestone = services.milestone_transition(
            milestone=self.get_object(), by=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(self.queryset.get(pk=milestone.pk)).data)


class PaymentViewSet(mixins.CreateModelMixin, _Base):
    queryset = Payment.objects.select_related("project", "milestone")
    serializer_class = PaymentSerializer
    filterset_class = filtersets.PaymentFilterSet
    ordering_fields = ["paid_on", "amount"]

    @extend_schema(request=PaymentCreateSerializer, responses={201: PaymentSerializer})
    def create(self, request):
        data = self._input(PaymentCreateSerializer, user=request.user)
        return self._answer(services.payment_record(by=request.user, **data), status.HTTP_201_CREATED)

    @extend_schema(request=PaymentReverseSerializer, responses={201: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """The counter-entry (红冲) of a wrong payment."""
        payment = self.get_object()
        data = self._input(PaymentReverseSerializer)
        reversal = services.payment_reverse(payment=payment, by=request.user, **data)
        return self._answer(reversal, status.HTTP_201_CREATED)
