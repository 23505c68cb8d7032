"""The review fields come from core.models.Reviewed; notifications move to core (rows copied)."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_notifications(apps, schema_editor):
    Old = apps.get_model("projects", "Notification")
    New = apps.get_model("core", "Notification")
    New.objects.bulk_create(
        New(
            recipient_id=n.recipient_id,
            kind="reminder",
            item_key=n.item_key,
            sent_on=n.sent_on,
            title=n.title,
            body=n.body,
            url=n.url.replace("/projects/notifications/", "/core/notifications/"),
            created_at=n.created_at,
            read_at=n.read_at,
        )
        for n in Old.objects.all().iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0004_notifications_in_core"),
        ("projects", "0003_uploads_under_random_names_voucher_name"),
    ]

    operations = [
        migrations.RenameField("ledgerentry", "return_reason", "review_reason"),
        migrations.RenameField("quarterlysubmission", "return_reason", "review_reason"),
        migrations.RenameField("budgetadjustment", "decision_reason", "review_reason"),
        migrations.RenameField("budgetadjustment", "decided_at", "reviewed_at"),
        migrations.RenameField("budgetadjustment", "decided_by", "reviewed_by"),
        migrations.RunPython(copy_notifications, migrations.RunPython.noop),
        migrations.DeleteModel("Notification"),
        migrations.AlterField(
            model_name="budgetadjustment",
            name="review_reason",
            field=models.TextField(
                blank=True, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name="review reason"
            ),
        ),
        migrations.AlterField(
            model_name="budgetadjustment",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="reviewed at"),
        ),
        migrations.AlterField(
            model_name="budgetadjustment",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="review_reason",
            field=models.TextField(
                blank=True, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name="review reason"
            ),
        ),
        migrations.AlterField(
            model_name="majoractivityreport",
            name="review_reason",
            field=models.TextField(
                blank=True, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name="review reason"
            ),
        ),
        migrations.AlterField(
            model_name="majoractivityreport",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="reviewed at"),
        ),
        migrations.AlterField(
            model_name="majoractivityreport",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AlterField(
            model_name="quarterlysubmission",
            name="review_reason",
            field=models.TextField(
                blank=True, validators=[django.core.validators.MaxLengthValidator(2000)], verbose_name="review reason"
            ),
        ),
        migrations.AlterField(
            model_name="quarterlysubmission",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="reviewed at"),
        ),
        migrations.AlterField(
            model_name="quarterlysubmission",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
    ]
