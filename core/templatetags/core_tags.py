"""Template helpers shared by every app."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

register = template.Library()


@register.simple_tag
def history_url(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return reverse("core:object_history", args=[content_type.pk, obj.pk])


@register.simple_tag(takes_context=True)
def export_url(context, fmt: str = "xlsx") -> str:
    """The current list's URL with its filters, asking for an export."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    query["export"] = fmt
    return "?" + query.urlencode()


@register.filter
def without_label(message, label) -> str:
    """A service message already names its field ("名称：…"); the form does not name it twice."""
    message, label = str(message), str(label)
    for separator in ("：", ": "):
        prefix = f"{label}{separator}"
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message
