"""PostgreSQL backend that creates databases with a UTF-8 character type.

pg_trgm only treats characters its LC_CTYPE calls alphanumeric as word characters; under the
`C` locale every Chinese character is ignored and trigram search finds nothing. Clusters are
often initialised with `C`, so the locale is stated whenever this project creates a database.
"""

from django.conf import settings
from django.db.backends.postgresql import base
from django.db.backends.postgresql.creation import DatabaseCreation as BaseCreation


def create_database_suffix(locale: str) -> str:
    return f"ENCODING 'UTF8' LC_COLLATE '{locale}' LC_CTYPE '{locale}' TEMPLATE template0"


class DatabaseCreation(BaseCreation):
    def sql_table_creation_suffix(self):
        test_settings = self.connection.settings_dict["TEST"]
        if test_settings.get("TEMPLATE"):
            return super().sql_table_creation_suffix()
        return create_database_suffix(getattr(settings, "DATABASE_LOCALE", "C.UTF-8"))


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
