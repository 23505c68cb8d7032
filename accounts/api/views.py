"""API of the accounts app: regions (scoped) and the current user."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.filtersets import RegionFilterSet
from accounts.models import Region
from core.api.views import ScopedReadOnlyViewSet

from .serializers import RegionSerializer, UserMeSerializer


class RegionViewSet(ScopedReadOnlyViewSet):
    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    filterset_class = RegionFilterSet
    ordering_fields = ["code", "name", "path"]


class UserMeView(APIView):
    @extend_schema(responses=UserMeSerializer)
    def get(self, request):
        return Response(UserMeSerializer(request.user).data)
