"""Template helpers of the registry."""

from django import template

register = template.Library()


@register.simple_tag
def state_badge(state: str) -> str:
    return {
        "draft": "secondary",
        "street_review": "info",
        "bureau_review": "primary",
        "returned": "warning",
        "approved": "success",
        "rejected": "danger",
        "active": "success",
        "deregistered": "secondary",
        "revoked": "danger",
        "licence_revoked": "danger",
    }.get(state, "secondary")
