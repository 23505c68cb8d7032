"""Projects looked up by typing (core.autocomplete): the filters and forms that choose one."""

from django.db.models import Q

from core.autocomplete import register

from .models import Project


def label(project) -> str:
    return f"{project.code} {project.title}"


def search(queryset, value: str):
    """Projects whose code starts with `value` or whose title holds it."""
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(Q(code__istartswith=value) | Q(title__icontains=value))


register("project", Project, label=label, search=search, order=("code", "pk"), only=("pk", "code", "title"))
