"""Widgets of the frame's forms.

`AutocompleteSelect` (and its multiple form) stands for a choice among many rows (an organization,
a project; see core.autocomplete): it renders a <select> holding only the chosen option(s), so the
page queries at most the chosen rows instead of every row, and a search box (shown by
static/js/autocomplete.js, a combobox with its listbox) that fetches matching options from
`core:autocomplete` and puts the one picked into the select. Without JavaScript the select still
submits the chosen id, and an id in the URL is validated by the field against its own scoped
queryset as before.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import autocomplete, params


class AutocompleteSelect(forms.Select):
    template_name = "core/widgets/autocomplete.html"

    def __init__(self, kind: str, attrs=None, label=""):
        super().__init__(attrs)
        self.kind = kind
        self.label = label

    def optgroups(self, name, value, attrs=None):
        field = getattr(self.choices, "field", None)
        chosen = [v for v in value if v not in ("", None)]
        groups = []
        index = 0
        empty_label = getattr(field, "empty_label", None)
        if empty_label is not None and not self.allow_multiple_selected:
            groups.append((None, [self.create_option(name, "", empty_label, not chosen, index, attrs=attrs)], index))
            index += 1
        ids = [pk for pk in (params.parse_id(v) for v in chosen) if pk is not None]
        kind = autocomplete.get(self.kind)
        if field is not None and kind is not None and ids:
            for option_value, label in kind.chosen(field.queryset, ids):
                groups.append((None, [self.create_option(name, option_value, label, True, index, attrs=attrs)], index))
                index += 1
        return groups

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["autocomplete"] = {
            "url": reverse("core:autocomplete", args=[self.kind]),
            "input_id": f"{widget_id}_search",
            "listbox_id": f"{widget_id}_listbox",
            "status_id": f"{widget_id}_status",
            "search_label": format_lazy(_("Search {label}"), label=self.label) if self.label else _("Search"),
            "multiple": self.allow_multiple_selected,
        }
        return context


class AutocompleteSelectMultiple(AutocompleteSelect, forms.SelectMultiple):
    """The same for several rows (reads every value of its name, like SelectMultiple)."""


def use_autocomplete(field: forms.ModelChoiceField, kind: autocomplete.Kind) -> None:
    """Give a model choice field the autocomplete widget of `kind` (keeping its attributes)."""
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    widget_class = AutocompleteSelectMultiple if multiple else AutocompleteSelect
    widget = widget_class(kind.key, attrs=dict(field.widget.attrs), label=field.label)
    widget.is_required = field.widget.is_required
    widget.is_localized = field.widget.is_localized
    field.widget = widget
    widget.choices = field.choices
