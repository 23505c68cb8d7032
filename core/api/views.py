"""API base viewset: every queryset restricted to what the requesting user may act on."""

from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from core.choices import Action
from core.ordering import stable_ordering

_ACTION_FOR = {
    "list": Action.VIEW,
    "retrieve": Action.VIEW,
    "create": Action.ADD,
    "update": Action.CHANGE,
    "partial_update": Action.CHANGE,
    "destroy": Action.DELETE,
}


class ScopedViewSetMixin:
    """Set `queryset` and optionally `filterset_class` (the same FilterSet the list page uses).

    Extra @actions declare which access action they need with `scoped_action` (default view).
    """

    scoped_action = Action.VIEW

    def required_action(self) -> str:
        if self.action is None:  # a method the viewset does not offer: DRF answers 405 after this
            return Action.VIEW
        return _ACTION_FOR.get(self.action, getattr(getattr(self, self.action, None), "scoped_action", Action.VIEW))

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.queryset.model.access_policy.allows(request.user, self.required_action()):
            raise PermissionDenied()

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.required_action())

    def filter_queryset(self, queryset):
        # After every backend (OrderingFilter's ?ordering= included): the pk breaks ties, so no
        # page repeats another's rows (core.ordering).
        return stable_ordering(super().filter_queryset(queryset))


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """Writes are added by subclasses as mixins or @actions that call services."""
