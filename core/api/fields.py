"""Serializer fields shared by the apps' APIs: an upload judged by its field's UploadPolicy."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import lazy
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
