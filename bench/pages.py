"""`make bench`: the portal under gunicorn on PostgreSQL with the national dataset, timed by ab.

Every page is reported as a ratio to `/healthz` measured in the same run, so that the figures say
something about the code rather than about the machine. Load goes to 127.0.0.1 only, and each page
is bounded both in time and in requests.

Run: `.venv/bin/python -m bench` (the Makefile's `bench` target). Environment:
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/zi_bench), BENCH_SECONDS (10),
BENCH_REQUESTS (2000), BENCH_CONCURRENCY (2), BENCH_WORKERS (2), BENCH_PORT (8765), BENCH_ROUNDS
(3), BENCH_ONLY (measure only the pages whose label contains this text, while working on one).

The time and requests of each page are split over BENCH_ROUNDS rounds, each measuring /healthz
and then every page, and each figure is the median of its rounds: a shared machine's speed drifts
by a third within a minute, which a single pass over the pages reported as a change in the code.
"""

from __future__ import annotations

import http.client
import math
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
NOT_BUILT = "n/a (not built yet)"

# (label, URL names to try in order, who is logged in, target as a multiple of /healthz's p50)
PAGES = [
    ("home", ["home"], "nasional", 10),
    ("agency page", ["units:agency_detail"], "agency_admin", 10),
    ("agency dashboard", ["dashboards:agency", "units:agency_dashboard"], "agency_admin", 20),
    ("national dashboard", ["dashboards:national", "dashboard_national"], "nasional", 20),
    ("LKE page (full)", ["evaluations:detail"], "evaluator", 10),
    ("evaluation list", ["evaluations:list"], "evaluator", 10),
    ("public awards list", ["awards:public_list", "awards:list", "penghargaan"], None, 10),
]
# Timed in a Django process on the bench database rather than with ab: an import is a POST of a
# file, and its target is absolute (under a second), not a ratio.
IMPORT_LABEL = "workbook import"
IMPORT_LIMIT_MS = 1000
# The official-layout workbook the tests import (as units keep it).
SAMPLE_WORKBOOK = BASE_DIR / "evaluations" / "tests" / "fixtures" / "lke_2021_sample.xlsx"
IMPORT_RUNS = 10


@dataclass
class Result:
    label: str
    p50: float | None = None  # ms
    p95: float | None = None  # ms
    rps: float | None = None
    failed: int = 0
    note: str = ""
    target: float | None = None  # as a multiple of /healthz's p50
    limit_ms: float | None = None  # an absolute target instead


# --- Parsing and formatting (unit-tested) -----------------------------------------------------


def parse_ab(text: str) -> dict:
    """Return p50/p95 (ms), requests per second and failed/non-2xx counts from ab's output."""

    def number(pattern, default=None, cast=float):
        found = re.search(pattern, text, re.MULTILINE)
        return cast(found.group(1)) if found else default

    return {
        "rps": number(r"^Requests per second:\s+([\d.]+)"),
        "p50": number(r"^\s+50%\s+(\d+)"),
        "p95": number(r"^\s+95%\s+(\d+)"),
        "complete": number(r"^Complete requests:\s+(\d+)", 0, int),
        "failed": number(r"^Failed requests:\s+(\d+)", 0, int)
        + number(r"^Non-2xx responses:\s+(\d+)", 0, int),
    }


def parse_ab_percentiles(text: str) -> dict:
    """Return p50/p95 (ms, to the microsecond) from ab's -e file, or nothing when it is empty.

    ab's own report rounds them to whole milliseconds: /healthz answers in about one, so the
    rounding alone moved every ratio by up to half.
    """
    found = dict(re.findall(r"^(\d+),([\d.]+)$", text, re.MULTILINE))
    shares = {"p50": "50", "p95": "95"}
    return {key: float(found[share]) for key, share in shares.items() if share in found}


def median_results(rounds: list[list[Result]]) -> list[Result]:
    """Merge rounds of the same pages into one result each: median figures, all failures."""

    def median(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None

    merged = []
    for same in zip(*rounds, strict=True):
        first = same[0]
        merged.append(
            Result(
                first.label,
                median(r.p50 for r in same),
                median(r.p95 for r in same),
                median(r.rps for r in same),
                sum(r.failed for r in same),
                note=first.note,
                target=first.target,
                limit_ms=first.limit_ms,
            )
        )
    return merged


def _ratio(value, base):
    if value is None or not base:
        return None
    return value / base


def format_table(results: list[Result]) -> str:
    """Render the results as a fixed-width table; ratios are against the first row (/healthz)."""
    base = results[0]
    header = (
        f"{'page':<20} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>8} "
        f"{'p50 ×hz':>8} {'p95 ×hz':>8} {'hz÷req/s':>9} {'target':>7}  verdict"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        if r.note == NOT_BUILT:
            lines.append(f"{r.label:<20} {NOT_BUILT}")
            continue
        # ab's rounded report may give 0 ms for /healthz: it then counts as 1.
        p50_ratio = _ratio(r.p50, base.p50 or 1)
        p95_ratio = _ratio(r.p95, base.p95 or 1)
        rps_ratio = _ratio(base.rps, r.rps)
        if r.limit_ms:
            p50_ratio = p95_ratio = rps_ratio = None  # held to its own limit, not to /healthz
        target = f"≤{r.target:g}×" if r.target else ""
        verdict = r.note
        if r.target and p50_ratio is not None and not verdict:
            verdict = "ok" if p50_ratio <= r.target else "MISSES TARGET"
        if r.limit_ms and r.p50 is not None and not verdict:
            target = f"<{r.limit_ms / 1000:g} s"
            verdict = "ok" if (r.p95 or r.p50) < r.limit_ms else "MISSES TARGET"
        if r.failed:
            verdict = f"{verdict} ({r.failed} failed)".strip()
        lines.append(
            f"{r.label:<20} {_fmt(r.p50, 7, 1)} {_fmt(r.p95, 7, 1)} {_fmt(r.rps, 8, 1)} "
            f"{_fmt(p50_ratio, 8, 1)} {_fmt(p95_ratio, 8, 1)} {_fmt(rps_ratio, 9, 1)} "
            f"{target:>7}  {verdict}"
        )
    return "\n".join(lines)


def _fmt(value, width, places):
    return f"{'—':>{width}}" if value is None else f"{value:>{width}.{places}f}"


# --- Running it -------------------------------------------------------------------------------


def _env() -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zi_bench"
        ),
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(60),
        ALLOWED_HOSTS=HOST,
        # Plain HTTP on the loopback: the TLS proxy of production is not part of what is measured.
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE="60",
        STATIC_ROOT=str(Path(tempfile.gettempdir()) / "zi-bench-static"),
    )
    return env


def _manage(env, *args, debug=False, check=True, capture=False):
    run_env = dict(env, DEBUG="1") if debug else env
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=run_env,
        check=check,
        text=True,
        capture_output=capture,
    )


def ensure_ab():
    if shutil.which("ab"):
        return
    print("bench: installing apache2-utils (ab) with apt-get", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-qq", "apache2-utils"], check=False)
    if not shutil.which("ab"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "apache2-utils"], check=True)


def ensure_database(env):
    """Create the bench database and load the national dataset into it if it is not there."""
    import psycopg

    url = urllib.parse.urlparse(env["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            print(f"bench: creating database {name}", file=sys.stderr)
            conn.execute(f'CREATE DATABASE "{name}"')
    _manage(env, "migrate", "--no-input", "-v", "0")
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        agencies = conn.execute("SELECT count(*) FROM units_agency").fetchone()[0]
    if agencies < 500:
        print("bench: loading the national dataset (several minutes, once)", file=sys.stderr)
        _manage(env, "load_rubric", debug=True)
        _manage(env, "seed_demo", "--scale", "national", debug=True)


def _in_django(env, function: str) -> dict:
    """Run one of this module's functions in a Django process on the bench database.

    The function prints its answer as JSON on its last line of output.
    """
    import json

    done = subprocess.run(
        [PYTHON, "-c", f"from bench.pages import {function}; {function}()"],
        cwd=BASE_DIR,
        env=dict(env, DJANGO_SETTINGS_MODULE="zi_portal.settings"),
        check=True,
        text=True,
        capture_output=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _targets(env) -> dict:
    """Ask Django for each page's URL (for the largest agency) and the users."""
    return _in_django(env, "print_targets")


def print_targets():
    """Print, as JSON, the URL of each page that exists (for the largest agency) and the users."""
    import json

    import django

    django.setup()
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from demo.data import DEMO_PASSWORD
    from evaluations.models import EvaluationScore
    from units.models import Membership

    admin = (
        Membership.objects.filter(role="agency_admin", agency__isnull=False)
        .annotate(n=Count("agency__units"))
        .order_by("-n")
        .select_related("user", "agency")
        .first()
    )
    agency = admin.agency
    evaluator = Membership.objects.filter(role="evaluator", agency=agency).first()
    full = (
        EvaluationScore.objects.filter(evaluation__unit__agency=agency, level="tpi", complete=True)
        .order_by("-evaluation__year", "evaluation_id")
        .values_list("evaluation_id", flat=True)
        .first()
    )
    args = {"evaluations:detail": [full]}
    urls = {}
    for label, names, _who, _target in PAGES:
        for name in names:
            # A page takes the LKE, the agency or nothing.
            for candidate in (args.get(name), [agency.pk], []):
                try:
                    urls[label] = reverse(name, args=candidate or [])
                    break
                except NoReverseMatch:
                    continue
            if label in urls:
                break
    print(
        json.dumps(
            {
                "urls": urls,
                "agency_admin": admin.user.username,
                "evaluator": evaluator.user.username,
                "password": DEMO_PASSWORD,
            }
        )
    )


def time_import():
    """Print, as JSON, p50/p95 (ms) of importing a full LKE workbook on the bench database.

    The workbook is the official-layout sample the tests use, imported at the self level of a
    draft LKE. Each run is the whole import (reading, checking, writing, history and rescoring)
    inside a transaction that is then rolled back, which leaves the bench data as it was.
    """
    import io
    import json
    import statistics

    import django

    django.setup()
    from django.db import transaction

    from evaluations.models import Evaluation
    from evaluations.workbook.services import workbook_import

    target = (
        Evaluation.objects.filter(status=Evaluation.Status.DRAFT)
        .select_related("unit")
        .order_by("-year", "pk")
        .first()
    )
    content = SAMPLE_WORKBOOK.read_bytes()
    timings = []
    for _ in range(IMPORT_RUNS):
        started = time.perf_counter()
        with transaction.atomic():
            result = workbook_import(
                unit=target.unit, year=target.year, level="self", file=io.BytesIO(content)
            )
            transaction.set_rollback(True)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(
        json.dumps(
            {
                "p50": statistics.median(timings),
                "p95": timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
                "changes": len(result.changes),
            }
        )
    )


def _import_result(env) -> Result:
    found = _in_django(env, "time_import")
    return Result(
        IMPORT_LABEL,
        found["p50"],
        found["p95"],
        1000 / found["p50"],
        limit_ms=IMPORT_LIMIT_MS,
    )


def login(port: int, username: str, password: str) -> str:
    """Log in through the login form like a browser; return the session cookie's value."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/akun/masuk/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    )
    conn.request(
        "POST",
        "/akun/masuk/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Origin": f"http://{HOST}:{port}",
            "Referer": f"http://{HOST}:{port}/akun/masuk/",
        },
    )
    response = conn.getresponse()
    response.read()
    found = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", "") or "")
    if response.status != 302 or not found:
        raise RuntimeError(f"Could not log in as {username} (HTTP {response.status}).")
    return found.group(1)


def run_ab(port, path, cookie, seconds, requests, concurrency) -> dict:
    with tempfile.NamedTemporaryFile(mode="r", suffix=".csv") as percentiles:
        command = ["ab", "-q", "-t", str(seconds), "-n", str(requests), "-c", str(concurrency)]
        command += ["-e", percentiles.name]
        if cookie:
            command += ["-C", f"sessionid={cookie}"]
        command.append(f"http://{HOST}:{port}{path}")
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        return {**parse_ab(done.stdout), **parse_ab_percentiles(percentiles.read())}


def _measure_round(port, urls, cookies, only, concurrency, seconds, requests) -> list[Result]:
    """Measure /healthz, then every page (or those BENCH_ONLY names), once each."""

    def measure(label, path, cookie=None, target=None) -> Result:
        measured = run_ab(port, path, cookie, seconds, requests, concurrency)
        return Result(
            label,
            measured["p50"],
            measured["p95"],
            measured["rps"],
            measured["failed"],
            target=target,
        )

    results = [measure("/healthz", "/healthz")]
    for label, _names, who, target in PAGES:
        if only not in label:
            continue
        path = urls.get(label)
        if path is None:
            results.append(Result(label, note=NOT_BUILT))
            continue
        results.append(measure(label, path, cookies.get(who), target))
        print(f"bench: {label} done", file=sys.stderr)
    return results


def main() -> int:
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    requests = int(os.environ.get("BENCH_REQUESTS", "2000"))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "2"))
    workers = os.environ.get("BENCH_WORKERS", "2")
    port = int(os.environ.get("BENCH_PORT", "8765"))
    rounds = max(int(os.environ.get("BENCH_ROUNDS", "3")), 1)
    env = _env()
    ensure_ab()
    ensure_database(env)
    _manage(env, "collectstatic", "--no-input", "-v", "0")
    found = _targets(env)
    only = os.environ.get("BENCH_ONLY", "")
    results: list[Result] = []
    server = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "zi_portal.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            workers,
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        users = {"nasional": "nasional", **{k: found[k] for k in ("agency_admin", "evaluator")}}
        cookies = {who: login(port, username, found["password"]) for who, username in users.items()}
        # Warm every worker (imports, templates, connections) before measuring.
        for label, _names, who, _target in PAGES:
            if label in found["urls"]:
                run_ab(port, found["urls"][label], cookies.get(who), 5, 20, concurrency)
        per_round = max(math.ceil(seconds / rounds), 1), max(math.ceil(requests / rounds), 1)
        results = median_results(
            [
                _measure_round(port, found["urls"], cookies, only, concurrency, *per_round)
                for _round in range(rounds)
            ]
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    if only in IMPORT_LABEL:
        results.append(_import_result(env))
        print(f"bench: {IMPORT_LABEL} done", file=sys.stderr)
    print(
        f"ZI Portal bench: gunicorn {workers} workers, ab -c {concurrency}, "
        f"≤{seconds} s or ≤{requests} requests per page, national dataset on PostgreSQL, "
        f"medians of {rounds} rounds"
    )
    print(format_table(results))
    return 0
