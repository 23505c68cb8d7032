"""Base FilterSet: the same class filters a list page, its API endpoint and its export."""

import django_filters
from django import forms


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
