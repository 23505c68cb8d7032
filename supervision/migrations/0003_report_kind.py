"""Annual reports have a kind: the work report a registered organization owes the bureau, the status
report a filed community organization owes its street. Reports already filed by filed organizations
become status reports."""

from django.db import migrations, models


def filed_organizations_report_status(apps, schema_editor):
    AnnualReport = apps.get_model("supervision", "AnnualReport")
    AnnualReport.objects.filter(organization__registration_level="filed").update(kind="status_report")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_founders"),
        ("supervision", "0002_listing_job_task_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreport",
            name="kind",
            field=models.CharField(
                choices=[("work_report", "Annual work report"), ("status_report", "Annual status report")],
                default="work_report",
                editable=False,
                max_length=16,
                verbose_name="kind of report",
            ),
        ),
        migrations.RunPython(filed_organizations_report_status, migrations.RunPython.noop),
    ]
