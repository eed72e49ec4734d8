import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ungkultur.core.backup import database_fingerprint


class Command(BaseCommand):
    help = (
        "Print every table's row count and checksum (and each sequence's value) as JSON, to "
        "compare a restored backup with its source (docs/deployment.md). PostgreSQL only."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("db_fingerprint needs PostgreSQL (set DATABASE_URL).")
        with connection.cursor() as cursor:
            self.stdout.write(json.dumps(database_fingerprint(cursor), indent=1, sort_keys=True))
