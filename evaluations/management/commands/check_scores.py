"""Find stored totals that differ from a fresh score, and repair them with --repair."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evaluations import services
from evaluations.models import Evaluation, RubricVersion


class Command(BaseCommand):
    help = (
        "Score every evaluation afresh and report each level whose stored totals or verdict "
        "differ; exit 1 when any does. With --repair, store the fresh figures instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Store the fresh figures of every level found."
        )
        parser.add_argument("--rubric", help="Only the evaluations on this rubric version code.")
        parser.add_argument("--year", type=int, help="Only the evaluations of this year.")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=services.RESCORE_BATCH,
            help="Evaluations checked (and locked, with --repair) per transaction.",
        )

    def handle(self, *args, **options):
        evaluations = Evaluation.objects.order_by("pk")
        if options["rubric"]:
            rubric = RubricVersion.objects.filter(code=options["rubric"]).first()
            if rubric is None:
                raise CommandError(_("No rubric version %(code)s.") % {"code": options["rubric"]})
            evaluations = evaluations.filter(rubric=rubric)
        if options["year"]:
            evaluations = evaluations.filter(year=options["year"])
        repair = options["repair"]
        checked = evaluations.count()
        differing = unscorable = 0
        for item in services.scores_check(
            evaluation_ids=evaluations.values_list("pk", flat=True),
            repair=repair,
            batch_size=max(1, options["batch_size"]),
        ):
            self.stdout.write(self._line(item))
            if item.fresh is None:
                unscorable += 1
            else:
                differing += 1
        if repair:
            summary = _(
                "%(checked)s evaluations checked: %(count)s stored levels repaired, "
                "%(unscorable)s could not be scored."
            )
        else:
            summary = _(
                "%(checked)s evaluations checked: %(count)s stored levels differ from a fresh "
                "score, %(unscorable)s could not be scored."
            )
        self.stdout.write(
            summary % {"checked": checked, "count": differing, "unscorable": unscorable}
        )
        if unscorable or (differing and not repair):
            # Exit 1: a scheduled check fails, and says what it found above.
            raise CommandError(
                _("Run again with --repair to store the fresh scores.")
                if differing and not repair
                else _("Some levels could not be scored: correct their answers.")
            )

    def _line(self, item: services.StaleScore) -> str:
        evaluation = item.evaluation
        where = f"{evaluation.unit.code} {evaluation.year} {item.level} (#{evaluation.pk})"
        if item.fresh is None:
            return _("%(where)s: cannot be scored: %(problem)s") % {
                "where": where,
                "problem": item.problem,
            }
        if item.stored is None:
            return _("%(where)s: no stored totals; fresh total %(total)s") % {
                "where": where,
                "total": _plain(item.fresh["total"]),
            }
        return _(
            "%(where)s: stored total %(stored)s, fresh %(fresh)s; "
            "verdict stored %(stored_verdict)s, fresh %(fresh_verdict)s"
        ) % {
            "where": where,
            "stored": _plain(item.stored.total),
            "fresh": _plain(item.fresh["total"]),
            "stored_verdict": item.stored.verdict or "-",
            "fresh_verdict": item.fresh["verdict"] or "-",
        }


def _plain(value) -> str:
    """A total as stored: ten places, so that a difference far below display precision shows."""
    return f"{value:.10f}"
