"""The project page's contract panel: the current contract, its tranches planned, paid and still
to pay (projects.tranches.contract_panel), and the links the user may follow."""

from django import template

from .. import permissions
from ..tranches import contract_panel as panel_of

register = template.Library()


@register.inclusion_tag("projects/includes/contract_panel.html", takes_context=True)
def contract_panel(context, project):
    user = context["request"].user
    return {
        "project": project,
        "panel": panel_of(project),
        "can_set_up": permissions.may_set_up_contract(user, project)[0],
        "can_pay": permissions.may_record_payment(user, project)[0],
        "request": context["request"],
    }
