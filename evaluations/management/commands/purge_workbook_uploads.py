"""Delete workbook uploads that were previewed but never confirmed or cancelled.

Run it daily (cron, or the job scheduler in production): an upload waits for its confirmation in
private storage, and one whose person walked away would otherwise stay there for ever.
"""

import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from evaluations.views.workbook import UPLOAD_FOLDER


def _files(folder: str):
    # An object store has no folders to ask exists() about: a prefix without keys lists empty,
    # a missing folder on disk raises.
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for name in folders:
        yield from _files(f"{folder}/{name}")


class Command(BaseCommand):
    help = "Delete workbook uploads older than --hours (24) that were never confirmed."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, hours, **options):
        cutoff = timezone.now() - datetime.timedelta(hours=hours)
        deleted = 0
        for name in list(_files(UPLOAD_FOLDER)):
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
                deleted += 1
        self.stdout.write(f"{deleted} workbook upload(s) deleted.")
