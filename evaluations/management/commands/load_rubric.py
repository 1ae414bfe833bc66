from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evaluations import services
from evaluations.rubric import files as rubric_files


class Command(BaseCommand):
    help = "Load a rubric version (default: the shipped 2021 LKE); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "version",
            nargs="?",
            help="A shipped version code (e.g. 2021) or the path of a rubric folder.",
        )
        parser.add_argument(
            "--no-activate",
            action="store_true",
            help="Load without making it the version new evaluations use.",
        )

    def handle(self, *args, version=None, no_activate=False, **options):
        folder = rubric_files.version_folder(version)
        try:
            rubric = services.rubric_load(folder=folder, activate=not no_activate)
        except rubric_files.RubricInvalid as exc:
            raise CommandError(
                _("The rubric was not loaded; nothing changed.") + "\n" + "\n".join(exc.errors)
            ) from None
        if options["verbosity"]:
            self.stdout.write(
                _("Rubric %(code)s loaded: %(count)s criteria.")
                % {"code": rubric.code, "count": rubric.criteria.count()}
            )
