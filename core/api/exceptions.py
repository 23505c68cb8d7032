"""JSON errors: always an object with `detail`; validation errors carry field messages too.

A service's django ValidationError becomes a 400 with the same field messages a form would show;
PermissionDenied a 403 with its reason; a bad query parameter (core.params) a 400 naming it; a
workflow step someone else has already taken (core.workflows.StaleTransition) a 409 saying so.
"""

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from core.params import InvalidParameter
from core.workflows import StaleTransition


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "Conflict."
    default_code = "conflict"


def _django_validation_to_drf(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(
            {field: [str(m) for e in errs for m in e] for field, errs in error.error_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": [str(m) for m in error.messages]})


def exception_handler(exc, context):
    if isinstance(exc, StaleTransition):
        response = drf_exception_handler(Conflict(exc.messages[0]), context)
        response.data = {"detail": exc.messages[0], "errors": _django_validation_to_drf(exc).detail}
        return response
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, InvalidParameter):
        exc = exceptions.ValidationError({exc.name: [exc.message]})
    elif isinstance(exc, BadRequest | SuspiciousOperation):  # e.g. a body beyond the upload limit
        exc = exceptions.ParseError()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": _("The submitted data is not valid."), "errors": errors}
    elif not isinstance(response.data, dict):
        response.data = {"detail": response.data}
    return response
