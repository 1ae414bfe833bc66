import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backup import files

from .backup_data import postgres_environment


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a folder written by backup_data."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Folder holding a backup.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: replace the current data."
        )

    def handle(self, *args, folder, yes, **options):
        source = Path(folder)
        dump = source / (
            "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
        )
        if not dump.exists():
            raise CommandError(f"No database backup found at {dump}.")
        if not yes:
            answer = input(
                "This replaces every row of the current database and every uploaded file. "
                "Type 'yes': "
            )
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        if connection.vendor == "postgresql":
            if not shutil.which("pg_restore"):
                raise CommandError(
                    "pg_restore is not installed (Debian package postgresql-client)."
                )
            connection.close()
            subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    postgres_environment()["PGDATABASE"],
                    str(dump),
                ],
                env=postgres_environment(),
                check=True,
            )
        else:
            connection.ensure_connection()
            with sqlite3.connect(dump) as backup:
                backup.backup(connection.connection)
        # Cached pages name rows by id and version, which the restored data reuses.
        cache.clear()
        if files.has_files(source):
            count = files.copy_in(source, default_storage)
            self.stdout.write(f"{count} files restored.")
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}"))
