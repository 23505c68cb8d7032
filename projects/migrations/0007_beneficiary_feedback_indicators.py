"""Indicators of what the people served say (服务对象满意度, 满意率, 知晓率 …) recorded as typed by
the organization become indicators from beneficiary feedback: the organization may no longer enter
them, the funder enters the survey result. Their values stay as they were."""

from django.db import migrations
from django.db.models import Q

FEEDBACK_WORDS = Q(name__contains="满意") | Q(name__contains="知晓")


def to_beneficiary_feedback(apps, schema_editor):
    Indicator = apps.get_model("projects", "Indicator")
    Indicator.objects.filter(FEEDBACK_WORDS, source="entered").update(source="beneficiary_feedback")


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_milestone_submitted_by")]

    operations = [migrations.RunPython(to_beneficiary_feedback, migrations.RunPython.noop)]
