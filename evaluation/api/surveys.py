"""The anonymous beneficiary survey answer: POST /api/v1/surveys/<token>/responses/.

No login, no session (so no CSRF token is asked of a resident's phone). Every answer is kept:
one that looks like part of a flood is set aside for review by evaluation.services.feedback, and
the resident is told the same 201 either way. The throttle is only a generous safety net against
a runaway client; flood detection, not throttling, decides what counts."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from ..models import Survey
from ..services.feedback import response_submit
from ..surveys import client_key
from . import serializers as s

TOKEN_MAX = 64


class SurveyAnswerThrottle(SimpleRateThrottle):
    """At most 120 answers a minute from one client (address and browser, keyed hash)."""

    scope = "evaluation_survey"
    rate = "120/minute"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_key(request)}


class SurveyResponseView(APIView):
    """A resident's answer to a project's beneficiary survey (anonymous). 201 {"received": true}
    for every answer kept; 400 with field messages for bad input, a used or unknown respondent
    code or a closed survey; 404 for an unknown link."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SurveyAnswerThrottle]

    @extend_schema(
        request=s.SurveyAnswerSerializer,
        responses={201: s.ReceivedSerializer, 400: OpenApiResponse(description="bad input or a closed survey")},
        auth=[],
        operation_id="survey_responses_create",
    )
    def post(self, request, token: str):
        survey = None
        if len(token) <= TOKEN_MAX:
            survey = Survey.objects.select_related("round_project__round").filter(token=token).first()
        if survey is None:
            raise NotFound()
        serializer = s.SurveyAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response_submit(survey, client_key=client_key(request), **serializer.validated_data)
        return Response({"received": True}, status=status.HTTP_201_CREATED)
