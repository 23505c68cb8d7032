from django.contrib.postgres.operations import BtreeGinExtension, TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for Chinese partial-match search (the database has a UTF-8 character type)."""

    initial = True
    dependencies = []
    operations = [TrigramExtension(), BtreeGinExtension()]
