"""Projects looked up by typing (core.autocomplete): the filters and forms that choose one."""

from core import search
from core.autocomplete import register

from .models import Project


def label(project) -> str:
    return f"{project.code} {project.title}"


def search_projects(queryset, value: str):
    """Projects whose title holds `value` or whose code starts with it (core.search)."""
    return search.search(queryset, value, names=["title"], codes=["code"])


register("project", Project, label=label, search=search_projects, order=("code", "pk"), only=("pk", "code", "title"))
