"""`manage.py bench --only Evaluation` finds the evaluation benchmarks, runs them at a tiny scale,
prints a row each with its count and note, and leaves nothing behind."""

import io

import pytest
from django.core.management import call_command

from core.management.commands.bench import discover
from evaluation.models import Round, SurveyResponse
from projects.models import Project


def test_the_evaluation_benchmarks_are_discovered():
    labels = [label for app, label, _function in discover() if app == "evaluation"]
    assert labels == ["Evaluation: publish a round of 300 projects", "Evaluation: 2,000 survey answers"]


@pytest.mark.django_db
def test_bench_reports_the_publication_and_the_answers():
    out = io.StringIO()
    call_command("bench", "--only", "Evaluation:", "--scale", "0.02", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:4] == ["app", "benchmark", "rows", "seconds"]
    publish = next(line for line in lines if "publish a round" in line)
    answers = next(line for line in lines if "survey answers" in line)
    assert publish.split()[0] == "evaluation" and " 6 " in publish  # 300 × 0.02 projects
    assert "6 projects, 48 submitted assignments:" in publish and " queries" in publish
    assert answers.split()[0] == "evaluation" and " 40 " in answers  # 2,000 × 0.02 answers
    assert "20 with one-time codes, 20 from 4 devices; 0 held" in answers
    assert len(lines) == 4  # the two rows only
    # Rolled back: the database is as it was.
    assert not Round.objects.exists() and not SurveyResponse.objects.exists() and not Project.objects.exists()
