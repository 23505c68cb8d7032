"""API of the accounts app: regions (scoped), the current user, and API tokens."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.filtersets import RegionFilterSet
from accounts.lockout import lockout_message
from accounts.models import Region
from core.api.views import ScopedReadOnlyViewSet

from .serializers import RegionSerializer, TokenSerializer, UserMeSerializer


class RegionViewSet(ScopedReadOnlyViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["code", "name"]


class UserMeView(APIView):
    @extend_schema(responses=UserMeSerializer)
    def get(self, request):
        return Response(UserMeSerializer(request.user).data)


class LoginLockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class AuthTokenView(APIView):
    """POST: a token for a user name and password (the same lockout as the log-in page).
    DELETE: revoke the requesting user's token."""

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description=_("Wrong user name or password.")),
            429: OpenApiResponse(description=_("Too many failed log-in attempts.")),
        },
        description=_(
            "Send as `Authorization: Token <token>`; it expires at `expires_at`, "
            "when the password changes or when it is revoked."
        ),
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # axes marks the request it refused (or has just locked) while authenticating.
            if getattr(request, "axes_locked_out", False):
                raise LoginLockedOut(lockout_message(request))
            raise exceptions.ValidationError(serializer.errors)
        token = services.api_token_issue(user=serializer.validated_data["user"])
        return Response(TokenSerializer({"token": token.key, "expires_at": services.api_token_expires_at(token)}).data)

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description=_("The token is revoked."))},
        description=_("Revoke your API token: the one sent with the request, or the one you hold when signed in."),
    )
    def delete(self, request):
        services.api_token_revoke(user=request.user, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
