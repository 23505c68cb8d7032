"""What the party app's pages share: the permission of an add page, an organization a link names,
a service's refusal as a message."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from core import params
from core.choices import Action
from core.views.generic import ObjectEditView
from registry.models import Organization

from .. import permissions as rules


def error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "；".join(str(m) for messages_ in error.message_dict.values() for m in messages_)
    return "；".join(error.messages)


def linked_organization(request, action=Action.VIEW, required: bool = False):
    """The organization a link names (?organization=12), among those the user may see (else 404);
    None when the link names none (a 404 when `required`). A malformed id is a 400."""
    pk = params.query_id(request, "organization", label=_("Organization"))
    if pk is None:
        if required:
            from django.http import Http404

            raise Http404
        return None
    return get_object_or_404(
        Organization.objects.select_related("region__parent").restrict(request.user, action), pk=pk
    )


class LinkedOrganizationMixin:
    """An add page about the organization its link names (?organization=, required: 404 without it,
    400 when malformed, 404 outside the user's reach), read once: `organization()`. Its permission
    is the view's own, then `organization_rule(user, organization)` → (allowed, reason)."""

    organization_rule = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._organization = None

    def organization(self):
        if self._organization is None:
            self._organization = linked_organization(self.request, required=True)
        return self._organization

    def add_permission(self):
        organization = self.organization()
        allowed, reason = super().add_permission()
        if not allowed:
            return allowed, reason
        return self.organization_rule(self.request.user, organization)


def at_own_node(user):
    """The user's own node, as the thing a rule over a node is asked about (an add page not yet
    about any record)."""
    return SimpleNamespace(region=getattr(user, "region", None))


def keeper_permission(view) -> tuple[bool, str]:
    """An add page for the keepers of party building (party organizations, activities, meetings):
    the role's access policy, then the rule the service applies, at the user's own node."""
    allowed, reason = ObjectEditView.add_permission(view)
    if not allowed:
        return allowed, reason
    user = view.request.user
    if user.is_superuser:
        return True, ""
    return rules.may_keep_node(user, user.region)


def with_urls(offers, url_name: str, obj) -> list:
    """A workflow's offers with the page route that takes each step."""
    return [dataclasses.replace(o, url=reverse(url_name, args=[obj.pk, o.transition.name])) for o in offers]
