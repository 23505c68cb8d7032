"""Template context shared by every page."""

from django.utils.functional import cached_property

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
    user = getattr(request, "user", None)
    return {"menu": menu_for(user) if user is not None else [], "notices": Notices(user)}
