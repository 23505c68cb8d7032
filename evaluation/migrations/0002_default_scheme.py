"""The default evaluation scheme every district reads (no region) and copies to make its own."""

from django.db import migrations

from evaluation.defaults import ensure_default_scheme


def create(apps, schema_editor):
    ensure_default_scheme(apps.get_model("evaluation", "Scheme"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
