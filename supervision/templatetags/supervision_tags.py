"""Template filters of supervision: amounts in yuan."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    """12000.5 → "12,000.50 元"; empty → "—"."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.2f} 元"
