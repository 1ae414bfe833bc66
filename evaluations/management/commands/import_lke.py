from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evaluations.models import Level
from evaluations.services import LevelLocked
from evaluations.workbook.problems import WorkbookInvalid
from evaluations.workbook.services import workbook_import
from units.models import Unit


class Command(BaseCommand):
    help = (
        "Import LKE workbooks (the official layout, or the portal's export of the same LKE) as "
        "one level of a unit's LKE for a year; print what changes, the totals before and after, "
        "and every problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--unit", required=True, help="The unit's short code.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--level", choices=Level.values, default=Level.SELF)
        parser.add_argument("--dry-run", action="store_true", help="Show the changes only.")

    def handle(self, *args, **options):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("No unit with code %(code)s.") % {"code": options["unit"]})
        files = [Path(f) for f in options["files"]]
        self.stdout.write(
            _("Target: %(unit)s (%(code)s), %(year)s, level %(level)s")
            % {
                "unit": unit.name,
                "code": unit.code,
                "year": options["year"],
                "level": dict(Level.choices)[options["level"]],
            }
        )
        failed = 0
        for index, path in enumerate(files, start=1):
            if len(files) > 1:
                self._progress(index - 1, len(files), path.name)
            self.stdout.write(self.style.MIGRATE_HEADING(str(path)))
            try:
                with path.open("rb") as handle:
                    result = workbook_import(
                        unit=unit,
                        year=options["year"],
                        level=options["level"],
                        file=handle,
                        dry_run=options["dry_run"],
                    )
            except OSError as exc:
                failed += 1
                self.stderr.write(_("Cannot read the file: %(error)s") % {"error": exc.strerror})
            except WorkbookInvalid as exc:
                failed += 1
                for problem in exc.problems:
                    self.stderr.write(f"  {problem}")
            except LevelLocked as exc:
                failed += 1
                self.stderr.write(f"  {exc.message}")
            else:
                self._report(result)
        if len(files) > 1:
            self._progress(len(files), len(files), "")
        if failed:
            raise CommandError(
                _("%(failed)s of %(count)s files were not imported.")
                % {"failed": failed, "count": len(files)}
            )

    def _report(self, result):
        labels = {"added": _("added"), "changed": _("changed"), "cleared": _("cleared")}
        for change in result.changes:
            fields = "; ".join(f"{f.label}: {f.old} → {f.new}" for f in change.fields)
            self.stdout.write(f"  {labels[change.kind]:<10} {change.code:<18} {fields}")
        for link in result.links:
            description = f" ({link.description})" if link.description else ""
            self.stdout.write(f"  {_('evidence'):<10} {link.code:<18} + {link.url}{description}")
        summary = result.summary
        if result.dry_run:
            summary += " " + _("Dry run: nothing was saved.")
        self.stdout.write(self.style.SUCCESS(f"  {summary}"))
        before = "—" if result.total_before is None else f"{result.total_before:.2f}"
        self.stdout.write(
            "  "
            + _("Total score: %(before)s before, %(after)s after")
            % {"before": before, "after": f"{result.total:.2f}"}
        )

    def _progress(self, done: int, count: int, name: str):
        # A plain text bar on stderr, so that stdout stays the report.
        width = 30
        filled = width * done // count
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done == count else ""
        self.stderr.write(f"\r[{bar}] {done}/{count} {name}".ljust(width + 40), ending=end)
        self.stderr.flush()
