from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evaluations import selectors
from evaluations.workbook.writer import workbook_export


class Command(BaseCommand):
    help = "Write one unit's LKE for a year as an official workbook (2021 layout, live formulas)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="The unit's short code.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--out", required=True, help="The .xlsx file to write.")

    def handle(self, *args, **options):
        evaluation = selectors.evaluation_for_unit_year(
            unit_code=options["unit"], year=options["year"]
        )
        if evaluation is None:
            raise CommandError(
                _("No evaluation of unit %(unit)s in %(year)s.")
                % {"unit": options["unit"], "year": options["year"]}
            )
        out = Path(options["out"])
        out.write_bytes(workbook_export(evaluation=evaluation))
        self.stdout.write(_("Written: %(path)s") % {"path": out})
