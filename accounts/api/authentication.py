"""API token authentication: tokens live API_TOKEN_TTL_DAYS and every refusal is a 401."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.authentication import TokenAuthentication

from accounts import services


class TokenRefused(exceptions.APIException):
    # Not an AuthenticationFailed: DRF would turn that into a 403 because session authentication,
    # which has no WWW-Authenticate challenge, comes first. A client holding a dead token must be
    # told to authenticate again, and that is a 401.
    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("Invalid token.")
    default_code = "authentication_failed"
    auth_header = "Token"


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed as error:
            raise TokenRefused(error.detail) from error

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if services.api_token_expires_at(token) <= timezone.now():
            services.api_token_expire(token=token)
            raise TokenRefused(_("The token has expired; obtain a new one with your user name and password."))
        return user, token
