"""Filters of the beneficiary answers' list: round, project, status (those set aside first, by the
list's order), channel."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import BaseFilterSet

from ..choices import ResponseChannel, ResponseStatus
from ..models import Round, RoundProject, Survey, SurveyResponse


class SurveyResponseFilterSet(BaseFilterSet):
    round = django_filters.ModelChoiceFilter(
        queryset=Round.objects.all(), field_name="survey__round_project__round", label=_("round")
    )
    project = django_filters.ModelChoiceFilter(
        queryset=RoundProject.objects.all(), field_name="survey__round_project", label=_("project in round")
    )
    survey = django_filters.ModelChoiceFilter(queryset=Survey.objects.all(), label=_("survey"))
    status = django_filters.ChoiceFilter(choices=ResponseStatus.choices, label=_("status"))
    channel = django_filters.ChoiceFilter(choices=ResponseChannel.choices, label=_("channel"))

    class Meta:
        model = SurveyResponse
        fields = ["round", "project", "survey", "status", "channel"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        for name, related in (
            ("project", ("round", "project")),
            ("survey", ("round_project__round", "round_project__project")),
        ):
            field = self.form.fields[name]
            field.queryset = self.filters[name].queryset = field.queryset.select_related(*related)
