"""National scale: the `bigrams` SQL function the name-search indexes are built on (core.search),
and the audit log's (timestamp, id) index.

Plain CREATE INDEX, not CONCURRENTLY: migrations run in a deploy window, and each index here is
built once. On a deployment that must stay up, build the same indexes by hand first with
CREATE INDEX CONCURRENTLY under these names; this migration then finds them and the later
AddIndex operations must be faked (`migrate --fake`) for those apps.
"""

from django.conf import settings
from django.db import migrations, models

from core import search


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0006_jobrun"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(search.CREATE_FUNCTION_SQL, reverse_sql=search.DROP_FUNCTION_SQL),
        migrations.AddIndex(
            model_name="auditrecord",
            index=models.Index(fields=["timestamp", "id"], name="auditrecord_timestamp_id"),
        ),
    ]
