"""List columns of users and regions; the same columns are exported."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from core.tables import BaseTable

from .models import Region, User


class RegionTable(BaseTable):
    sortable = ("code", "name")
    code = tables.Column(verbose_name=_("code"))
    name = tables.Column(verbose_name=_("name"))
    level = tables.Column(verbose_name=_("level"))
    parent = tables.Column(verbose_name=_("parent"))
    area_kind = tables.Column(verbose_name=_("urban or rural"))
    is_active = tables.BooleanColumn(verbose_name=_("active"))

    class Meta(BaseTable.Meta):
        model = Region
        fields = ("code", "name", "level", "parent", "area_kind", "is_active")


class UserTable(BaseTable):
    sortable = ("username", "full_name", "last_login")
    username = tables.Column(verbose_name=_("user name"))
    full_name = tables.Column(verbose_name=_("full name"))
    role = tables.Column(verbose_name=_("role"))
    region = tables.Column(verbose_name=_("region"))
    phone = tables.Column(verbose_name=_("phone"))
    is_active = tables.BooleanColumn(verbose_name=_("active"))
    last_login = tables.DateTimeColumn(verbose_name=_("last login"), format="DATETIME_FORMAT")

    class Meta(BaseTable.Meta):
        model = User
        fields = ("username", "full_name", "role", "region", "phone", "is_active", "last_login")
