"""`make bench-scoring`: time scoring one fully answered evaluation (no database needed).

Run: `DEBUG=1 .venv/bin/python -m bench.scoring [--runs N] [--excel-compat]`.
"""

import argparse
import os
import random
import statistics
import sys
import time

import django

from evaluations.rubric import files as rubric_files
from evaluations.rubric import scoring


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


def main(argv=None, stdout=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scoring", description=__doc__)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--excel-compat", action="store_true")
    options = parser.parse_args(argv)
    out = stdout or sys.stdout

    # The rubric files' messages are translated, so Django's settings must be loaded.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
    django.setup()
    data = rubric_files.read_rubric(rubric_files.version_folder())
    spec, rules = data.spec, rubric_files.threshold_rules(data.thresholds)
    rng = random.Random(90_2021)
    cases = [full_answers(spec, rng) for _ in range(50)]
    timings = []
    for run in range(options.runs):
        answers, inputs = cases[run % len(cases)]
        start = time.perf_counter()
        breakdown = scoring.score(spec, answers, inputs, excel_compat=options.excel_compat)
        scoring.predicate(breakdown, rules, ())
        timings.append((time.perf_counter() - start) * 1000)
    out.write(
        f"score + predicate, one full evaluation ({len(spec.questions)} questions), "
        f"{options.runs} runs: mean {statistics.mean(timings):.3f} ms, "
        f"median {statistics.median(timings):.3f} ms, "
        f"p95 {statistics.quantiles(timings, n=20)[-1]:.3f} ms\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
