import shutil
import subprocess
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backup import files


class Command(BaseCommand):
    help = (
        "Write a backup of the database and of every uploaded file (the local disk or the "
        "object store) into a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Folder to write the backup into (created if missing).")

    def handle(self, *args, folder, **options):
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        if connection.vendor == "postgresql":
            self._dump_postgresql(target / "database.dump")
        elif connection.vendor == "sqlite":
            self._copy_sqlite(target / "database.sqlite3")
        else:
            raise CommandError(f"Backups of {connection.vendor} databases are not supported.")
        count = files.copy_out(default_storage, target / files.FOLDER)
        # A folder reused from before object storage: its old archive is not this backup's.
        (target / files.LEGACY_ARCHIVE).unlink(missing_ok=True)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target} ({count} files)"))

    def _dump_postgresql(self, path: Path):
        if not shutil.which("pg_dump"):
            raise CommandError("pg_dump is not installed (Debian package postgresql-client).")
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(path)],
            env=postgres_environment(),
            check=True,
        )

    def _copy_sqlite(self, path: Path):
        import sqlite3

        connection.ensure_connection()
        # The backup API copies a consistent snapshot even while the portal is writing.
        with sqlite3.connect(path) as destination:
            connection.connection.backup(destination)
        destination.close()


def postgres_environment() -> dict:
    """Return the libpq environment that points pg_dump/pg_restore at the Django database."""
    import os

    db = connection.settings_dict
    environment = dict(os.environ)
    environment.update(
        {
            "PGDATABASE": db["NAME"],
            "PGUSER": db.get("USER") or "",
            "PGPASSWORD": db.get("PASSWORD") or "",
            "PGHOST": db.get("HOST") or "",
            "PGPORT": str(db.get("PORT") or ""),
        }
    )
    return {key: value for key, value in environment.items() if value != ""}
