"""Template helpers of keyset paging (core.paging): `{{ page|count_label }}` shows a capped count,
"1万+" where the count stopped at the cap."""

from django import template

from core.paging import count_text

register = template.Library()


@register.filter
def count_label(value, exact=None) -> str:
    """A page (or to-do: anything with count and count_is_exact), or a number with `exact` as the
    argument: "8", or "1万+" when the count stopped at the cap."""
    if isinstance(value, dict):
        return count_text(value.get("count", 0), value.get("count_is_exact", True))
    if hasattr(value, "count_is_exact"):
        return count_text(value.count, value.count_is_exact)
    return count_text(int(value or 0), True if exact is None else bool(exact))
