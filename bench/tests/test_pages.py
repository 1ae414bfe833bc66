"""The bench's parsing and report (the bench itself runs only with `make bench`)."""

from bench import pages
from bench.pages import NOT_BUILT, Result

AB_OUTPUT = """
Server Software:        gunicorn
Concurrency Level:      2
Time taken for tests:   10.001 seconds
Complete requests:      1873
Failed requests:        3
Non-2xx responses:      2
Requests per second:    187.28 [#/sec] (mean)
Time per request:       10.679 [ms] (mean)

Percentage of the requests served within a certain time (ms)
  50%     10
  66%     11
  75%     12
  80%     12
  90%     14
  95%     17
  98%     21
  99%     25
 100%     60 (longest request)
"""


def test_parse_ab_reads_percentiles_throughput_and_failures():
    assert pages.parse_ab(AB_OUTPUT) == {
        "rps": 187.28,
        "p50": 10,
        "p95": 17,
        "complete": 1873,
        "failed": 5,
    }


def test_parse_ab_of_empty_output_gives_nothing_measured():
    parsed = pages.parse_ab("")
    assert parsed["rps"] is None and parsed["failed"] == 0


def test_table_shows_ratios_to_healthz_targets_and_pages_not_built():
    table = pages.format_table(
        [
            Result("/healthz", 2, 4, 800.0),
            Result("LKE page (full)", 30, 50, 60.0, target=10),
            Result("home", 10, 16, 200.0, target=10),
            Result("evaluation list", note=NOT_BUILT),
        ]
    )
    lines = table.splitlines()
    assert lines[0].split()[:4] == ["page", "p50", "ms", "p95"]
    lke = next(line for line in lines if line.startswith("LKE page"))
    assert "15.0" in lke and "12.5" in lke and "13.3" in lke and "MISSES TARGET" in lke
    home = next(line for line in lines if line.startswith("home"))
    assert home.rstrip().endswith("ok") and "5.0" in home
    assert "evaluation list      n/a (not built yet)" in table


def test_healthz_under_one_millisecond_counts_as_one():
    table = pages.format_table([Result("/healthz", 0, 0, 900.0), Result("home", 3, 5, 90.0)])
    assert "3.0" in table.splitlines()[-1]


def test_workbook_import_is_held_to_an_absolute_limit_not_a_ratio():
    table = pages.format_table(
        [
            Result("/healthz", 0.8, 2, 900.0),
            Result("workbook import", 420, 480, 2.4, limit_ms=1000),
            Result("slow import", 900, 1200, 1.1, limit_ms=1000),
        ]
    )
    fast, slow = table.splitlines()[-2:]
    assert "<1 s" in fast and fast.rstrip().endswith("ok")
    assert "525.0" not in fast  # no ratio to /healthz (420 / 0.8) for a limit in seconds
    assert slow.rstrip().endswith("MISSES TARGET")  # p95 over the second counts


def test_rounds_are_merged_into_medians_with_every_failure_counted():
    rounds = [
        [Result("/healthz", 1, 2, 900.0), Result("home", 9, 14, 150.0, failed=1, target=10)],
        [Result("/healthz", 2, 3, 600.0), Result("home", 30, 40, 40.0, target=10)],
        [Result("/healthz", 1, 2, 800.0), Result("home", 10, 15, 140.0, failed=2, target=10)],
    ]

    healthz, home = pages.median_results(rounds)

    assert (healthz.p50, healthz.p95, healthz.rps) == (1, 2, 800.0)
    # One slow round (the machine, not the code) does not decide the verdict.
    assert (home.p50, home.p95, home.rps, home.failed, home.target) == (10, 15, 140.0, 3, 10)


def test_percentiles_come_from_abs_file_to_the_microsecond():
    text = "Percentage served,Time in ms\n0,0.606\n50,1.049\n94,1.722\n95,1.783\n100,9.001\n"

    assert pages.parse_ab_percentiles(text) == {"p50": 1.049, "p95": 1.783}
    assert pages.parse_ab_percentiles("") == {}
