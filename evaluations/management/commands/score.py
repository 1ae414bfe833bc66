import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evaluations import selectors
from evaluations.models import Level
from evaluations.rubric import scoring


class Command(BaseCommand):
    help = "Print one unit's LKE score for a year, with the predicate it qualifies for."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="The unit's short code.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--level", choices=Level.values, default=Level.TPI)
        parser.add_argument(
            "--excel-compat",
            action="store_true",
            help="Reproduce the official workbook's figures (skips unanswered questions).",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        evaluation = selectors.evaluation_for_unit_year(
            unit_code=options["unit"], year=options["year"]
        )
        if evaluation is None:
            raise CommandError(
                _("No evaluation of unit %(unit)s in %(year)s.")
                % {"unit": options["unit"], "year": options["year"]}
            )
        spec = selectors.rubric_spec(rubric=evaluation.rubric)
        answers, inputs = selectors.evaluation_scoring_input(
            evaluation=evaluation, level=options["level"]
        )
        breakdown = scoring.score(spec, answers, inputs, excel_compat=options["excel_compat"])
        result = scoring.predicate(
            breakdown,
            selectors.threshold_rules(rubric=evaluation.rubric),
            selectors.predicates_held(unit_id=evaluation.unit_id, year=evaluation.year),
        )
        if options["json"]:
            data = breakdown.as_dict()
            data["predicate"] = result.as_dict()
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self._table(evaluation, options["level"], breakdown, result)

    def _table(self, evaluation, level, breakdown, result):
        write = self.stdout.write
        criteria = breakdown.rubric.criteria
        write(f"{evaluation.unit.name} ({evaluation.unit.code}) · {evaluation.year} · {level}")
        write("")
        for code, value in breakdown.scores.items():
            criterion = criteria[code]
            indent = "  " * code.count(".")
            weight = f"/ {float(criterion.weight):.2f}"
            write(f"{indent}{code:<14} {_plain(value):>8} {weight:>8}  {criterion.label_id}")
        write("")
        total_label = _("Total")
        write(f"{total_label}: {_plain(breakdown.total)}")
        area_label = _("Area")
        for key, area in breakdown.areas.items():
            share = "-" if area.share is None else f"{float(area.share) * 100:.1f}%"
            write(
                f"  {area_label} {key}: {_plain(area.total)} / {float(area.weight):.2f} ({share})"
            )
        write(
            _("Answered: %(answered)s of %(count)s")
            % {"answered": breakdown.answered, "count": breakdown.question_count}
        )
        if breakdown.unanswered:
            write(_("Unanswered: %(codes)s") % {"codes": ", ".join(breakdown.unanswered)})
        if breakdown.not_computable:
            write(_("Not computable: %(codes)s") % {"codes": ", ".join(breakdown.not_computable)})
        write("")
        write(_("Recommended predicate: %(verdict)s") % {"verdict": result.verdict or "-"})
        if result.withheld == scoring.INCOMPLETE:
            write(_("No predicate while the LKE is incomplete."))
        elif result.withheld == scoring.NOT_COMPUTABLE:
            write(_("No predicate: the workbook's total is an error (#DIV/0! or #VALUE!)."))
        for rule in result.rules:
            line = f"  {'✓' if rule.passed else '✗'} {rule.predicate:<5} {rule.name:<20} "
            line += f"{_plain(rule.value):>8} ≥ {_plain(rule.threshold)}"
            if rule.shortfall:
                line += "  " + _("(short by %(points)s)") % {"points": _plain(rule.shortfall)}
            write(line)


def _plain(value) -> str:
    """Show a score with two decimals, a predicate code as it is, nothing as a dash.

    A score is None only in Excel-compatible mode, where the workbook's cell is an error.
    """
    if isinstance(value, scoring.Fraction):
        return f"{float(value):.2f}"
    return value or "-"
