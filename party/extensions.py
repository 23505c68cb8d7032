"""What the registry's organization pages show of party building (registry.extensions): a panel with
the organization's coverage in force (form, party organization, members, instructor,
cross-appointments, the mass organizations of 四建联动), its last contacts, the party activities and
joint meetings it attended; and the button to record a contact for those who may. Imported by
PartyConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from registry import extensions

from . import permissions as rules
from .models import ContactRecord, JointMeeting, PartyActivity, PartyCoverage


def _organization_panel(user, organization):
    """The organization's party building, as far as the user may read it (the page is scoped)."""
    coverage = (
        PartyCoverage.objects.restrict(user)
        .filter(organization=organization)
        .current()
        .select_related("party_organization")
        .first()
    )
    context = {
        "organization": organization,
        "coverage": coverage,
        "contacts": list(
            ContactRecord.objects.restrict(user)
            .filter(organization=organization)
            .select_related("party_organization")[:5]
        ),
        "activities": list(PartyActivity.objects.restrict(user).filter(organizations=organization)[:5]),
        "meetings": list(JointMeeting.objects.restrict(user).filter(organizations=organization)[:5]),
        "can_keep": rules.may_keep_coverage(user, organization)[0],
    }
    shown = ("coverage", "contacts", "activities", "meetings")
    return context if any(context[k] for k in shown) or context["can_keep"] else None


extensions.register_panel(extensions.Panel("party/includes/organization_panel.html", _organization_panel, order=50))
extensions.register_action(
    extensions.Action(
        "record-contact",
        _("Record a contact"),
        "party:contactrecord_create",
        rules.may_record_contact,
        order=40,
    )
)
