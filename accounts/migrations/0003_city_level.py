# A city level above the districts (issue 9, part 6): a city has no parent, a district a city or
# none; a city has no district.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_region_verbose_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="region",
            name="level",
            field=models.CharField(
                choices=[
                    ("city", "City"),
                    ("district", "District"),
                    ("street", "Street / township"),
                    ("community", "Community / village"),
                ],
                max_length=16,
                verbose_name="level",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="region",
            name="region_parent_matches_level",
        ),
        migrations.AddConstraint(
            model_name="region",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("level", "city"), ("parent__isnull", True)),
                    ("level", "district"),
                    models.Q(("level__in", ["street", "community"]), ("parent__isnull", False)),
                    _connector="OR",
                ),
                name="region_parent_matches_level",
            ),
        ),
        migrations.AddConstraint(
            model_name="region",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("level", "city"), _negated=True), ("district__isnull", True), _connector="OR"),
                name="region_city_has_no_district",
            ),
        ),
    ]
