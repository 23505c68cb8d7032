"""Check PostgreSQL and Redis answer, and create the database (UTF-8 character type) if missing.

Used by `make run` before migrating; prints one clear line and exits 1 when a service is down.
"""

import psycopg
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from psycopg import sql

from core.db.backends.postgresql.base import create_database_suffix

HOW_TO_START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
HOW_TO_START_REDIS = "redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''"


class Command(BaseCommand):
    help = "Check that PostgreSQL and Redis answer; create the database if it does not exist."

    def add_arguments(self, parser):
        parser.add_argument("--check-only", action="store_true", help="Only check; create nothing.")

    def handle(self, *args, **options):
        db = settings.DATABASES["default"]
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "connect_timeout": 3,
        }
        try:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
                if not exists and not options["check_only"]:
                    conn.execute(
                        sql.SQL("CREATE DATABASE {} " + create_database_suffix(settings.DATABASE_LOCALE)).format(
                            sql.Identifier(db["NAME"])
                        )
                    )
                    self.stdout.write(f"Created database {db['NAME']} ({settings.DATABASE_LOCALE}).")
        except psycopg.OperationalError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__
            raise CommandError(
                f"PostgreSQL is not reachable at {where} (DATABASE_URL): {first_line}. "
                f"Start it, e.g.: {HOW_TO_START_POSTGRES}"
            ) from None
        try:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3)
            client.ping()
        except redis.RedisError as error:
            raise CommandError(
                f"Redis is not reachable at {settings.REDIS_URL} (REDIS_URL): {str(error).rstrip('.')}. "
                f"Start it, e.g.: {HOW_TO_START_REDIS}"
            ) from None
        self.stdout.write(f"PostgreSQL at {where} and Redis at {settings.REDIS_URL} answer.")
