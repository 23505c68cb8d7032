"""Pages of evaluation schemes (评价方案): the list, a scheme with its indicators (weight, source and
the source's rule), dimensions and star thresholds, the rounds using it, and the form with its
indicator and dimension formsets. The bureau administrator keeps them; a scheme a round uses, and
the default scheme, are copied instead of changed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.choices import Action
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, apply_validation_error
from party.views.common import error_text

from .. import computation, permissions, selectors
from ..choices import IndicatorSource
from ..filtersets.schemes import SchemeFilterSet
from ..forms.schemes import (
    DimensionFormSet,
    IndicatorFormSet,
    SchemeCopyForm,
    SchemeForm,
    dimension_initial,
    indicator_initial,
    own_district,
)
from ..models import Round, Scheme
from ..services import schemes as services
from ..tables.schemes import SchemeTable


def source_rules() -> dict[str, str]:
    """Each indicator source's rule in words, as evaluation.computation computes it."""
    return {code: computation.rule_text(code) for code in IndicatorSource.values}


class SchemeListView(ObjectListView):
    queryset = Scheme.objects.select_related("region").annotate(
        indicator_count=Count("indicators", distinct=True), round_count=Count("rounds", distinct=True)
    )
    filterset = SchemeFilterSet
    table = SchemeTable
    add_url_name = "evaluation:scheme_create"


class SchemeDetailView(ObjectDetailView):
    queryset = Scheme.objects.select_related("region", "copied_from")
    template_name = "evaluation/scheme_detail.html"

    def get_extra_context(self):
        scheme, user = self.object, self.request.user
        in_use = selectors.scheme_in_use(scheme)
        may_keep, why_not = permissions.may_keep_scheme(user, scheme)
        may_copy, _reason = permissions.may_copy_scheme(user, scheme)
        rules = source_rules()
        indicators = [(i, rules.get(i.source, "")) for i in scheme.indicators.order_by("sequence", "pk")]
        return {
            "indicators": indicators,
            "dimensions": scheme.dimensions.order_by("pk"),
            "rounds": Round.objects.restrict(user).filter(scheme=scheme).order_by("-year", "-pk"),
            "in_use": in_use,
            "can_edit": may_keep and not in_use,
            "why_not_edit": why_not
            if not may_keep
            else (_("A round uses this scheme; copy it to change it.") if in_use else ""),
            "copy_form": SchemeCopyForm() if may_copy else None,
        }


class SchemeEditView(ObjectEditView):
    """The scheme's particulars and thresholds with two formsets: its indicators (empty rows are
    left out) and one weight per rater dimension (empty: not rated)."""

    queryset = Scheme.objects.select_related("region")
    form_class = SchemeForm
    template_name = "evaluation/scheme_edit.html"

    def add_permission(self):
        allowed, reason = ObjectEditView.add_permission(self)
        if not allowed:
            return allowed, reason
        user = self.request.user
        return permissions.may_keep_scheme(user, region=own_district(user))

    def get_object(self):
        scheme = super().get_object()
        if scheme is not None:
            allowed, reason = permissions.may_keep_scheme(self.request.user, scheme)
            if not allowed:
                raise PermissionDenied(reason)
            if selectors.scheme_in_use(scheme):
                raise PermissionDenied(_("A round uses this scheme; copy it to change it."))
        return scheme

    def formsets(self, instance, data=None):
        return (
            IndicatorFormSet(data, prefix="indicators", initial=None if data else indicator_initial(instance)),
            DimensionFormSet(data, prefix="dimensions", initial=None if data else dimension_initial(instance)),
        )

    def render_all(self, form, instance, indicators, dimensions):
        self._formsets = (indicators, dimensions)
        return self.render(form, instance)

    def get_extra_context(self):
        indicators, dimensions = getattr(self, "_formsets", (None, None))
        return {"indicator_formset": indicators, "dimension_formset": dimensions}

    def get(self, request, *args, **kwargs):
        instance = self.get_object()
        return self.render_all(self.get_form(instance), instance, *self.formsets(instance))

    def post(self, request, *args, **kwargs):
        instance = self.get_object()
        form = self.get_form(instance, request.POST)
        indicators, dimensions = self.formsets(instance, request.POST)
        if form.is_valid() and indicators.is_valid() and dimensions.is_valid():
            try:
                saved = self.save_all(form, instance, indicators, dimensions)
            except ValidationError as error:
                self.apply_errors(form, indicators, dimensions, error)
            else:
                messages.success(request, self.success_message)
                return redirect(saved.get_absolute_url())
        return self.render_all(form, instance, indicators, dimensions)

    def save_all(self, form, instance, indicators, dimensions):
        data = form.cleaned_data
        values = {
            "name": data["name"],
            "description": data.get("description", ""),
            "indicators": [row for f in indicators.forms if (row := f.row()) is not None],
            "dimensions": [row for f in dimensions.forms if (row := f.row()) is not None],
            "thresholds": form.thresholds(),
        }
        if instance is None:
            return services.scheme_create(by=self.request.user, region=data["region"], **values)
        return services.scheme_update(instance, by=self.request.user, **values)

    @staticmethod
    def apply_errors(form, indicators, dimensions, error):
        """A service's errors: on the form's fields, and "indicators"/"dimensions" on their formset."""
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        rest = {}
        for field, errors in error.error_dict.items():
            if field == "indicators":
                indicators._non_form_errors.extend(e for err in errors for e in err.messages)
            elif field == "dimensions":
                dimensions._non_form_errors.extend(e for err in errors for e in err.messages)
            else:
                rest[field] = errors
        if rest:
            apply_validation_error(form, ValidationError(rest))
        if error.error_dict.keys() & {"indicators", "dimensions"}:
            form.add_error(None, _("Correct the indicators or dimensions below."))


@login_required
@require_POST
def scheme_copy(request, pk):
    """A copy of the scheme, in the user's district, to change before a round uses it."""
    scheme = get_object_or_404(Scheme.objects.restrict(request.user, Action.VIEW), pk=pk)
    allowed, reason = permissions.may_copy_scheme(request.user, scheme)
    if not allowed:
        raise PermissionDenied(reason)
    form = SchemeCopyForm(request.POST)
    name = form.cleaned_data.get("name", "") if form.is_valid() else ""
    try:
        copy = services.scheme_copy(scheme, by=request.user, region=own_district(request.user), name=name)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(scheme.get_absolute_url())
    messages.success(request, _("The scheme has been copied; change the copy as needed."))
    return redirect("evaluation:scheme_update", pk=copy.pk)


urlpatterns = [
    path("schemes/", SchemeListView.as_view(), name="scheme_list"),
    path("schemes/new/", SchemeEditView.as_view(), name="scheme_create"),
    path("schemes/<int:pk>/", SchemeDetailView.as_view(), name="scheme_detail"),
    path("schemes/<int:pk>/edit/", SchemeEditView.as_view(), name="scheme_update"),
    path("schemes/<int:pk>/copy/", scheme_copy, name="scheme_copy"),
]
