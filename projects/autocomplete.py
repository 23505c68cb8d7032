"""Projects looked up by typing (core.autocomplete): the filters and forms that choose one."""

from core import search
from core.autocomplete import register

from .models import Project


def label(project) -> str:
    return f"{project.code} {project.title}"


def search_projects(queryset, value: str):
    """Projects whose title holds `value` or whose code starts with it (core.search). Codes are made
    by the system of digits and dashes: text that is not ASCII cannot start one, and leaving the
    code out spares PostgreSQL re-computing every candidate title's bigrams for the OR (measured:
    59 → 12 ms for 项目 over a district's 1,165 candidates)."""
    codes = ["code"] if value.isascii() else []
    return search.search(queryset, value, names=["title"], codes=codes)


register("project", Project, label=label, search=search_projects, order=("code", "pk"), only=("pk", "code", "title"))
