"""Base FilterSet: the same class filters a list page, its API endpoint and its export.

Every FilterSet built on it (the API's generated ones too, see core.api.filters) offers as choices
only the rows the requesting user may see, so naming another district's row answers exactly like
naming a row that does not exist ("not a valid choice"); and its number filters take the bounds
declared on their model fields, so a year such as 0 or 99999999999 is a form error, not a 500.
A choice over a model registered with core.autocomplete (organizations, projects) renders only
the chosen option and a search box, never every row.
"""

import django_filters
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.filters import QuerySetRequestMixin

from . import autocomplete, bounds, widgets
from .choices import Action, AuditAction
from .models import AuditRecord

BLANK_CHOICE_LABEL = "---------"
ALL_LABEL = _("All")

# Lookups that compare the field's own value, so its bounds apply to what is typed.
_COMPARISONS = (None, "exact", "gt", "gte", "lt", "lte")


class YearFilter(django_filters.NumberFilter):
    """A year (2000–2100), also for `date__year` lookups, whose database bounds would break first."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", bounds.YEAR_MIN)
        kwargs.setdefault("max_value", bounds.YEAR_MAX)
        super().__init__(*args, **kwargs)


class BaseFilterSet(django_filters.FilterSet):
    """Scopes model choices to the user, bounds number filters, looks choices among many rows up by
    typing (core.autocomplete), adds Bootstrap classes."""

    # Filter name -> core.autocomplete kind (None: keep the select); others take their model's kind.
    autocomplete_kinds: dict[str, str | None] = {}

    @classmethod
    def filter_for_field(cls, field, field_name, lookup_expr=None):
        filter_ = super().filter_for_field(field, field_name, lookup_expr)
        if isinstance(filter_, django_filters.NumberFilter) and lookup_expr in _COMPARISONS:
            for key, value in bounds.limits(field.model, field.name).items():
                filter_.extra.setdefault(key, value)
        return filter_

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for name, filter_ in self.filters.items():
            field = self.form.fields.get(name)
            queryset = getattr(field, "queryset", None)
            if isinstance(filter_, QuerySetRequestMixin) and hasattr(queryset, "restrict"):
                # Subclasses may narrow further (streets, funders) after this.
                filter_.queryset = field.queryset = queryset.restrict(user, Action.VIEW)
        for name, field in self.form.fields.items():
            # A choice among a model's many rows (organizations, projects, regions) renders only the
            # chosen one and fetches the others as one types; the field still validates against its
            # (scoped, maybe later narrowed) queryset. `autocomplete_kinds` names another kind for a
            # filter ({"community": "community"}) or None to keep its select (a district's streets).
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field.widget, widgets.AutocompleteSelect | forms.HiddenInput
            ):
                if name in self.autocomplete_kinds:
                    key = self.autocomplete_kinds[name]
                    kind = autocomplete.get(key) if key else None
                else:
                    kind = autocomplete.for_model(field.queryset.model)
                if kind is not None:
                    widgets.use_autocomplete(field, kind)
            # An unset filter means every row: the empty choice says 全部, not "---------".
            # (Choice filters take settings.FILTERS_EMPTY_CHOICE_LABEL; model choices say it here.)
            if getattr(field, "empty_label", None) == BLANK_CHOICE_LABEL:
                field.empty_label = ALL_LABEL
            if isinstance(field, forms.NullBooleanField):
                field.widget = forms.Select(choices=[("", ALL_LABEL), ("true", _("Yes")), ("false", _("No"))])
            widget = field.widget
            if isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select form-select-sm"
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            else:
                css = "form-control form-control-sm"
            widget.attrs.setdefault("class", css)
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"


class AuditRecordFilterSet(BaseFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("action"))
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.filter(app_label__in=settings.PROJECT_APPS).order_by("app_label", "model"),
        label=_("object type"),
    )
    since = django_filters.DateFilter(field_name="timestamp", lookup_expr="date__gte", label=_("from"))
    until = django_filters.DateFilter(field_name="timestamp", lookup_expr="date__lte", label=_("to"))

    class Meta:
        model = AuditRecord
        fields = ["q", "action", "content_type", "since", "until"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(object_repr__icontains=value)
            | Q(actor_name__icontains=value)
            | Q(request_id=value)
            | Q(message__icontains=value)
        )
