"""Serializer fields shared by the apps' APIs: an upload judged by its field's UploadPolicy."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.uploads import UploadPolicy


class UploadField(serializers.FileField):
    """A file judged by the same policy as the form and the service, so the API refuses what the
    page refuses, with the same message; the service checks again."""

    def __init__(self, *, policy: UploadPolicy, **kwargs):
        self.policy = policy
        kwargs.setdefault("help_text", lazy(policy.describe, str)())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        try:
            self.policy.check(upload)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return upload


class OfferSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="transition name")
    label = serializers.CharField()
    allowed = serializers.BooleanField()
    reason = serializers.CharField(help_text="why the step is not allowed for you, if it is not")
    needs_reason = serializers.BooleanField()


@extend_schema_field(OfferSerializer(many=True))
class OffersField(serializers.Field):
    """The steps the requesting user may take on the object, and why not where they may not:
    the same `Workflow.offers` the detail page renders its buttons from."""

    def __init__(self, workflow, **kwargs):
        self.workflow = workflow
        kwargs.setdefault("help_text", "transitions offered to the requesting user")
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, obj):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return [
            {
                "name": offer.name,
                "label": str(offer.label),
                "allowed": offer.allowed,
                "reason": str(offer.reason or ""),
                "needs_reason": offer.needs_reason,
            }
            for offer in self.workflow.offers(obj, user)
        ]


class ScopedInputSerializer(serializers.Serializer):
    """An input serializer whose related fields offer only the rows the user may see: a subclass
    names them in `scoped` (field name → model), and each field (or a many-field's child) gets
    `model.objects.restrict(user)` as its queryset, so a row out of reach reads as one that does not
    exist. Construct with `user=request.user`."""

    scoped: dict = {}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            model = self.scoped.get(name)
            if model is None:
                continue
            target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            target.queryset = model.objects.restrict(user)
