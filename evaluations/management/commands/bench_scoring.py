import random
import statistics
import time

from django.core.management.base import BaseCommand

from evaluations import rubric_files, scoring


def full_answers(spec: scoring.RubricSpec, rng: random.Random):
    """Return random answers and inputs for every question of the rubric."""
    answers, inputs = {}, {}
    for question in spec.questions:
        if question.options:
            answers[question.code] = rng.choice(list(question.options))
        elif question.answer_type == scoring.SURVEY:
            answers[question.code] = f"{rng.uniform(2, 4):.2f}"
        else:
            for code in question.formula.codes:
                inputs[code] = rng.randint(1, 50)
    return answers, inputs


class Command(BaseCommand):
    help = "Time scoring one fully answered evaluation (no database needed)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=2000)
        parser.add_argument("--excel-compat", action="store_true")

    def handle(self, *args, runs, excel_compat, **options):
        data = rubric_files.read_rubric(rubric_files.version_folder())
        spec, rules = data.spec, rubric_files.threshold_rules(data.thresholds)
        rng = random.Random(90_2021)
        cases = [full_answers(spec, rng) for _ in range(50)]
        timings = []
        for run in range(runs):
            answers, inputs = cases[run % len(cases)]
            start = time.perf_counter()
            breakdown = scoring.score(spec, answers, inputs, excel_compat=excel_compat)
            scoring.predicate(breakdown, rules, ())
            timings.append((time.perf_counter() - start) * 1000)
        self.stdout.write(
            f"score + predicate, one full evaluation ({len(spec.questions)} questions), "
            f"{runs} runs: mean {statistics.mean(timings):.3f} ms, "
            f"median {statistics.median(timings):.3f} ms, "
            f"p95 {statistics.quantiles(timings, n=20)[-1]:.3f} ms"
        )
