import io

from django.core.management import call_command


def test_bench_scoring_prints_the_time_per_evaluation():
    out = io.StringIO()
    call_command("bench_scoring", "--runs", "50", stdout=out)
    assert "113 questions" in out.getvalue()
    assert "median" in out.getvalue()
