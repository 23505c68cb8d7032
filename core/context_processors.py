"""Template context shared by every page."""

from django.utils.functional import SimpleLazyObject, cached_property

from . import notifications
from .navigation import menu_for


class Notices:
    """The header's unread count, counted only if a page shows it and then once (one query on the
    partial index `notification_unread_idx`)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return notifications.unread_count(self.user)


def navigation(request):
    """The menu and the notices, built once per request and only if a template reads them.

    Context processors run each time a template is bound to the request's context, and
    django-tables2 binds each TemplateColumn cell's template: without the copy kept on the request
    a list of 25 rows built the whole menu dozens of times per page."""
    shared = getattr(request, "_core_navigation", None)
    if shared is None:
        user = getattr(request, "user", None)
        shared = {
            "menu": SimpleLazyObject(lambda: menu_for(user) if user is not None else []),
            "notices": Notices(user),
        }
        request._core_navigation = shared
    return shared
