"""Serializers of the accounts API."""

from rest_framework import serializers

from accounts.models import Region, User


class RegionSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = [
            "id",
            "code",
            "name",
            "level",
            "level_display",
            "parent",
            "district",
            "path",
            "area_kind",
            "is_active",
        ]


class UserMeSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    region = RegionSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "phone", "role", "role_display", "region", "is_superuser"]


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
