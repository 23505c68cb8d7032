"""Template helpers of the projects app: amounts in 元, progress bars, the organization home block."""

from django import template

from ..money import format_yuan
from ..selectors import organization_projects_due

register = template.Library()


@register.filter
def yuan(value) -> str:
    """1234.5 → 1,234.50 元"""
    return format_yuan(value)


@register.filter
def amount(value) -> str:
    """1234.5 → 1,234.50 (a table cell whose header says 元)."""
    return "—" if value is None else f"{value:,.2f}"


@register.inclusion_tag("projects/includes/org_home.html", takes_context=True)
def org_projects_due(context):
    """The organization's projects with what is due next, for the org_user home page."""
    user = context["request"].user
    return {"rows": organization_projects_due(user), "request": context["request"]}
