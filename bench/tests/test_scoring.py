import io

from bench import scoring


def test_bench_scoring_prints_the_time_per_evaluation():
    out = io.StringIO()
    assert scoring.main(["--runs", "50"], stdout=out) == 0
    assert "113 questions" in out.getvalue()
    assert "median" in out.getvalue()
