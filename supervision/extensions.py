"""What the registry's organization pages show of supervision, through the registry's extension
points (registry.extensions): the two lists as overlays (badges, the list filter and column, the
public register), the organization's annual reports and list entries as a panel, and the buttons
to file a report or list the organization. Imported by SupervisionConfig.ready()."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from registry import extensions

from . import permissions as rules
from .models import AbnormalListing, AnnualReport, Revocation, SeriousViolationListing

extensions.register_overlay(
    extensions.Overlay(
        key="abnormal",
        annotation="in_abnormal_list",
        exists=lambda: Exists(AbnormalListing.objects.filter(organization=OuterRef("pk"), ended_on__isnull=True)),
        label=_("In the abnormal-activity list"),
        short=_("Abnormal activity"),
        badge="warning",
    )
)
extensions.register_overlay(
    extensions.Overlay(
        key="serious",
        annotation="in_serious_list",
        exists=lambda: Exists(
            SeriousViolationListing.objects.filter(organization=OuterRef("pk"), ended_on__isnull=True)
        ),
        label=_("In the serious-violation list"),
        short=_("Serious violation"),
        badge="danger",
    )
)


def _organization_panel(user, organization):
    """The organization's annual reports and list entries (the organization page is already scoped)."""
    context = {
        "annual_reports": list(AnnualReport.objects.filter(organization=organization)[:20]),
        "abnormal_listings": list(AbnormalListing.objects.filter(organization=organization)[:20]),
        "serious_violation_listings": list(SeriousViolationListing.objects.filter(organization=organization)[:20]),
        # Decisions the user may see (the bureau's drafts stay with the bureau).
        "revocations": list(Revocation.objects.restrict(user).filter(organization=organization)[:20]),
    }
    return context if any(context.values()) else None


extensions.register_panel(extensions.Panel("supervision/includes/organization_panel.html", _organization_panel))
extensions.register_action(
    extensions.Action(
        "file-annual-report",
        _("File an annual report"),
        "supervision:annualreport_create",
        rules.can_create_report,
        order=10,
    )
)
extensions.register_action(
    extensions.Action(
        "list-abnormal",
        _("List in the abnormal-activity list"),
        "supervision:abnormallisting_create",
        rules.can_list,
        style="outline-warning",
        order=20,
    )
)
extensions.register_action(
    extensions.Action(
        "revoke",
        _("Revoke registration or certificate"),
        "supervision:revocation_create",
        rules.can_propose_revocation,
        style="outline-danger",
        order=30,
    )
)
