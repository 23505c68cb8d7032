"""Regions looked up by typing (core.autocomplete): a city holds ~11,000 streets and communities,
a province far more, so no filter renders them all. `region` offers any node of the user's
subtree; `community` only communities (the organization list's community filter). Street filters
keep their select: a district has a handful of streets (see the filtersets' autocomplete_kinds)."""

from core.autocomplete import register

from .choices import RegionLevel
from .models import Region
from .selectors import search_regions


def label(region) -> str:
    return f"{region.name}（{region.code}）"


def _communities(queryset, value):
    return search_regions(queryset.filter(level=RegionLevel.COMMUNITY), value)


register("region", Region, label=label, search=search_regions, order=("path", "pk"))
register("community", Region, label=label, search=_communities, order=("path", "pk"))
