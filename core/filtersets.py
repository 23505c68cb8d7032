"""Base FilterSet: the same class filters a list page, its API endpoint and its export."""

import django_filters
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction
from .models import AuditRecord


class BaseFilterSet(django_filters.FilterSet):
    """Adds Bootstrap classes to the generated form widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
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
