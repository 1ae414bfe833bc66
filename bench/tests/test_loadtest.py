"""The load test's harness: its report, and its users run for a few seconds against the portal.

The load test itself runs only with `make loadtest` (the national dataset, minutes).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import loadtest, scene
from demo import data as demo_data
from demo import evaluations as demo_evaluations
from evaluations.models import Answer, Evaluation
from units.models import Unit

LOCUSTFILE = Path(loadtest.__file__).with_name("locustfile.py")


def _data(samples, seconds=10.0):
    return {"started": 100.0, "ended": 100.0 + seconds, "samples": samples}


def test_report_gives_nearest_rank_percentiles_throughput_and_errors_per_endpoint():
    samples = [["autosave (htmx)", "POST", float(ms), None] for ms in range(1, 101)]
    samples += [["LKE page", "GET", 40.0, None], ["LKE page", "GET", 900.0, "HTTP 502"]]
    report = loadtest.build_report(_data(samples), target_ms=300)

    autosave = next(e for e in report.endpoints if e.name == "autosave (htmx) [POST]")
    assert (autosave.percentile(0.5), autosave.percentile(0.95), autosave.percentile(0.99)) == (
        50,
        95,
        99,
    )
    assert report.requests == 102 and report.error_count == 1
    assert report.errors == {"LKE page: HTTP 502": 1}
    table = loadtest.format_report(report)
    lke = next(line for line in table.splitlines() if line.startswith("LKE page "))
    assert lke.split()[-3:] == ["0.20", "1", "NO"]  # 2 requests in 10 s, one failed, p95 900
    assert "over: LKE page" in table
    assert "total: 102 requests in 10 s (10.2 req/s), 1 errors" in table


def test_downloads_and_logins_are_shown_but_do_not_decide_the_verdict():
    samples = [
        ["download: LHE (PDF)", "GET", 2500.0, None],
        ["setup: login", "POST", 1500.0, None],
        ["public list", "GET", 80.0, None],
    ]
    check = {"acknowledged": 0, "checked": 0, "lost": 0, "by_kind": {}, "examples": []}
    report = loadtest.build_report(_data(samples), target_ms=300, check=check)

    assert [e.kind for e in report.endpoints] == ["page", "download", "setup"]
    assert report.meets()
    table = loadtest.format_report(report)
    assert "(n/a)" in next(line for line in table.splitlines() if "LHE" in line)
    assert "pages at p95 ≤ 300 ms: 1 of 1" in table and "lost writes: 0" in table


def test_a_lost_write_or_an_error_fails_the_run_whatever_the_times():
    fast = [["public list", "GET", 10.0, None]]
    lost = {"acknowledged": 3, "checked": 2, "lost": 1, "by_kind": {}, "examples": []}
    assert not loadtest.build_report(_data(fast), target_ms=300, check=lost).meets()
    failed = [["public list", "GET", 10.0, "HTTP 500"]]
    assert not loadtest.build_report(_data(failed), target_ms=300).meets()


def _run_locust(plan: Path, folder: Path, url: str, seconds: int) -> dict:
    """Run one user of each kind until each has done every action once (at most `seconds`)."""
    env = dict(
        os.environ,
        LOADTEST_PLAN=str(plan),
        LOADTEST_LEDGER=str(folder / "ledger.jsonl"),
        LOADTEST_SAMPLES=str(folder / "samples.json"),
        LOADTEST_THINK="0.1-0.3",
        LOADTEST_TOUR="1",
    )
    done = subprocess.run(
        [str(Path(sys.executable).with_name("locust")), "-f", str(LOCUSTFILE), "--headless",
         "-u", "6", "-r", "6", "-t", f"{seconds}s", "--stop-timeout", "10", "--host", url,
         "--only-summary", "--loglevel", "WARNING"],
        env=env, check=False, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    samples = folder / "samples.json"
    assert samples.exists(), done.stdout + done.stderr  # locust exits 1 on a failed request
    return json.loads(samples.read_text())


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_user_works_through_the_portal_and_the_write_check_finds_the_saves(
    live_server, rubric, tmp_path
):
    # The small demo's agencies and accounts, and Sleman's LKEs: one finalised a year ago, one
    # in review, one being answered for each unit.
    demo_data.seed_small()
    demo_evaluations.seed_evaluations(units=Unit.objects.filter(agency__code="KAB-SLEMAN"))
    plan = scene.prepare(users=6)
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan))

    samples = _run_locust(plan_path, tmp_path, live_server.url, seconds=90)

    report = loadtest.build_report(samples, target_ms=300)
    assert report.errors == {}
    names = {e.name for e in report.endpoints}
    assert {
        "setup: login [POST]",
        "autosave (htmx) [POST]",
        "LKE page (after save)",
        "evidence upload (htmx) [POST]",
        "workbook import: preview [POST]",
        "workbook import: confirm [POST]",
        "finalise (TPI) [POST]",
        "LHE page",
        "evaluation list",
        "agency dashboard (this year)",
        "agency dashboard (past year)",
        "download: dashboard CSV",
        "download: LHE (PDF)",
        "national dashboard (past year)",
        "public list",
        "download: public CSV",
    } <= names
    entries = scene.read_ledger(tmp_path / "ledger.jsonl")
    result = scene.write_check(entries)
    assert result.lost == 0
    assert {"answer", "evidence", "finalise"} <= set(result.by_kind)
    assert result.by_kind["answer"][0] >= 2

    # The check reads the database: a save that is not there is counted as lost.
    last = max((e for e in entries if e["kind"] == "answer"), key=lambda e: e["seq"])
    Answer.objects.filter(
        evaluation_id=last["evaluation"], question__code=last["question"], level=last["level"]
    ).delete()
    Evaluation.objects.filter(
        pk__in=[e["evaluation"] for e in entries if e["kind"] == "finalise"]
    ).update(status=Evaluation.Status.TPI_REVIEW)
    again = scene.write_check(entries)
    assert again.lost == 1 + again.by_kind["finalise"][1] and again.by_kind["finalise"][1] >= 1
