"""Organizations looked up by typing (core.autocomplete): the filters and forms that choose one."""

from core.autocomplete import register

from . import selectors
from .models import Organization


def label(organization) -> str:
    """The name and the credit code (or filing number), as the organization pickers show it."""
    number = organization.number
    return f"{organization.name}（{number}）" if number else organization.name


register(
    "organization",
    Organization,
    label=label,
    search=selectors.search_organizations,
    order=("name", "pk"),
    only=("pk", "name", "uscc", "filing_number"),
)
