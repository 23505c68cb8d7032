"""Template helpers of the registry."""

from django import template

register = template.Library()


@register.filter
def without_label(message, label) -> str:
    """A service message already names its field ("名称：…"); do not name it twice on a form."""
    message, label = str(message), str(label)
    for separator in ("：", ": "):
        prefix = f"{label}{separator}"
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


@register.simple_tag
def state_badge(state: str) -> str:
    return {
        "draft": "secondary", "street_review": "info", "bureau_review": "primary", "returned": "warning",
        "approved": "success", "rejected": "danger", "active": "success", "deregistered": "secondary",
        "revoked": "danger", "licence_revoked": "danger",
    }.get(state, "secondary")
