"""`make loadtest`: the peak-week load test, on the loopback, against the national dataset.

One run:
1. a fresh copy of the template database holding the national dataset (LOADTEST_TEMPLATE,
   default zi_national, loaded with `seed_demo --scale national` first if it does not exist) as
   LOADTEST_DATABASE (zi_loadtest), migrated; the template itself is never written to;
2. the scene in the copy (bench/scene.py): an account for each simulated person, this year's
   LKEs for the unit operators;
3. gunicorn with DEBUG off on 127.0.0.1 (LOADTEST_WORKERS workers; LOADTEST_PROCESSES=2 starts
   two on two ports), fresh processes and an emptied Redis, so every cache starts cold; with the
   Redis cache (LOADTEST_CACHE=redis, the default) Celery's broker is Redis too and a worker
   runs the background jobs, as `make worker` does; LOADTEST_CACHE=locmem keeps each worker's
   own cache and runs jobs in the request, as main did before issue 23;
4. locust, headless, for LOADTEST_SECONDS with LOADTEST_USERS users of the peak-week mix
   (bench/locustfile.py), LOADTEST_RATE of them started per second;
5. the report: per endpoint p50/p95/p99, throughput and errors, whether each page a person
   waits on meets LOADTEST_TARGET_MS at p95, and the write check ("lost writes: N"): every save
   the server acknowledged must be in the copy.

LOADTEST_FIND_MAX=1 repeats the run (each on a fresh copy and fresh processes) for each count
of LOADTEST_STEPS, LOADTEST_STEP_SECONDS long (default: LOADTEST_SECONDS), and reports the
highest count whose every page meets the target with no error and no lost write. Other
settings: LOADTEST_PG (the PostgreSQL server), LOADTEST_PORT (8765), LOADTEST_REDIS
(redis://127.0.0.1:6379) and LOADTEST_REDIS_DB (14: the cache; the broker uses the next one),
LOADTEST_THINK ("1-5" seconds between a person's actions), LOADTEST_KEEP=1 (keep the copy; the
run's files always stay in /tmp), LOADTEST_OUT (also write the report to this file).
"""

from __future__ import annotations

import json
import math
import os
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
HOST = "127.0.0.1"
DOWNLOAD, SETUP = "download: ", "setup: "


@dataclass
class Config:
    users: int = 20
    seconds: int = 120
    rate: float = 2.0
    workers: int = 2
    processes: int = 1
    port: int = 8765
    cache: str = "redis"
    redis: str = "redis://127.0.0.1:6379"
    redis_db: int = 14
    pg: str = "postgres://postgres@127.0.0.1:5432"
    template: str = "zi_national"
    database: str = "zi_loadtest"
    think: str = "1-5"
    target_ms: float = 300.0
    keep: bool = False
    steps: list[int] = field(default_factory=lambda: [10, 20, 40, 60, 80, 100, 140])
    step_seconds: int = 120

    @classmethod
    def from_env(cls, env=os.environ) -> Config:
        users = int(env.get("LOADTEST_USERS", "20"))
        seconds = int(env.get("LOADTEST_SECONDS", "120"))
        steps = [int(s) for s in env.get("LOADTEST_STEPS", "").split(",") if s.strip()]
        return cls(
            users=users,
            seconds=seconds,
            rate=float(env.get("LOADTEST_RATE") or max(1.0, users / 10)),
            workers=int(env.get("LOADTEST_WORKERS", "2")),
            processes=int(env.get("LOADTEST_PROCESSES", "1")),
            port=int(env.get("LOADTEST_PORT", "8765")),
            cache=env.get("LOADTEST_CACHE", "redis"),
            redis=env.get("LOADTEST_REDIS", "redis://127.0.0.1:6379").rstrip("/"),
            redis_db=int(env.get("LOADTEST_REDIS_DB", "14")),
            pg=env.get("LOADTEST_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/"),
            template=env.get("LOADTEST_TEMPLATE", "zi_national"),
            database=env.get("LOADTEST_DATABASE", "zi_loadtest"),
            think=env.get("LOADTEST_THINK", "1-5"),
            target_ms=float(env.get("LOADTEST_TARGET_MS", "300")),
            keep=env.get("LOADTEST_KEEP") == "1",
            steps=steps or cls().steps,
            step_seconds=int(env.get("LOADTEST_STEP_SECONDS") or seconds),
        )


# --- The report (unit-tested) -----------------------------------------------------------------


@dataclass
class Endpoint:
    name: str
    count: int = 0
    errors: int = 0
    times: list[float] = field(default_factory=list)  # ms, of every request, failed ones too

    @property
    def kind(self) -> str:
        if self.name.startswith(DOWNLOAD):
            return "download"
        if self.name.startswith(SETUP):
            return "setup"
        return "page"

    def percentile(self, share: float) -> float | None:
        """Nearest rank: the smallest time that at least `share` of the requests took."""
        if not self.times:
            return None
        ordered = sorted(self.times)
        return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


@dataclass
class Report:
    endpoints: list[Endpoint]
    seconds: float
    errors: dict[str, int]  # message → count
    target_ms: float
    check: dict | None = None  # the write check (bench.scene.WriteCheck as a dict)
    servers: dict[str, int] = field(default_factory=dict)  # host:port → requests it answered

    @property
    def requests(self) -> int:
        return sum(e.count for e in self.endpoints)

    @property
    def error_count(self) -> int:
        return sum(e.errors for e in self.endpoints)

    @property
    def lost(self) -> int | None:
        return None if self.check is None else self.check["lost"]

    def missing(self) -> list[Endpoint]:
        """Pages a person waits on whose p95 is over the target."""
        return [
            e for e in self.endpoints if e.kind == "page" and e.percentile(0.95) > self.target_ms
        ]

    def meets(self) -> bool:
        return not self.missing() and self.error_count == 0 and not self.lost


def build_report(data: dict, *, target_ms: float, check: dict | None = None) -> Report:
    """Gather locust's samples (name, method, ms, error) into endpoints."""
    endpoints: dict[str, Endpoint] = {}
    errors: dict[str, int] = {}
    servers: dict[str, int] = {}
    for name, method, ms, error, *server in data["samples"]:
        if server and server[0]:
            servers[server[0]] = servers.get(server[0], 0) + 1
        key = f"{name}" if method == "GET" else f"{name} [{method}]"
        endpoint = endpoints.setdefault(key, Endpoint(key))
        endpoint.count += 1
        endpoint.times.append(ms)
        if error:
            endpoint.errors += 1
            message = f"{key}: {error}"
            errors[message] = errors.get(message, 0) + 1
    ordered = sorted(
        endpoints.values(), key=lambda e: ({"page": 0, "download": 1}.get(e.kind, 2), e.name)
    )
    seconds = max(data["ended"] - data["started"], 1e-9)
    return Report(ordered, seconds, errors, target_ms, check, servers)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def format_report(report: Report) -> str:
    width = max([len(e.name) for e in report.endpoints] + [8])
    header = (
        f"{'endpoint':<{width}}  {'kind':<8} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'req/s':>7} {'errors':>6}  p95 ≤ {report.target_ms:g} ms"
    )
    lines = [header, "-" * len(header)]
    for e in report.endpoints:
        p95 = e.percentile(0.95)
        verdict = ("yes" if p95 <= report.target_ms else "NO") if e.kind == "page" else "(n/a)"
        lines.append(
            f"{e.name:<{width}}  {e.kind:<8} {e.count:>8} {_ms(e.percentile(0.5)):>8} "
            f"{_ms(p95):>8} {_ms(e.percentile(0.99)):>8} {e.count / report.seconds:>7.2f} "
            f"{e.errors:>6}  {verdict}"
        )
    lines.append("-" * len(header))
    missing = report.missing()
    lines.append(
        f"total: {report.requests} requests in {report.seconds:.0f} s "
        f"({report.requests / report.seconds:.1f} req/s), {report.error_count} errors"
    )
    pages = [e for e in report.endpoints if e.kind == "page"]
    lines.append(
        f"pages at p95 ≤ {report.target_ms:g} ms: {len(pages) - len(missing)} of {len(pages)}"
        + (f"; over: {', '.join(e.name for e in missing)}" if missing else "")
    )
    lines.append(
        "(downloads are files, not pages a person waits on; setup is each user's login, all in "
        "the ramp-up)"
    )
    if len(report.servers) > 1:
        lines.append(
            "requests per app process: "
            + ", ".join(f"{server} {count}" for server, count in sorted(report.servers.items()))
        )
    for message, count in sorted(report.errors.items(), key=lambda x: -x[1])[:8]:
        lines.append(f"  error ×{count}: {message}")
    if report.check is not None:
        check = report.check
        kinds = ", ".join(f"{k} {v[0]}" for k, v in sorted(check["by_kind"].items()))
        lines.append(
            f"write check: {check['acknowledged']} acknowledged saves, {check['checked']} checked"
            f" ({kinds or 'none'})"
        )
        lines.append(f"lost writes: {check['lost']}")
        for example in check["examples"]:
            lines.append(f"  lost: {example}")
    return "\n".join(lines)


# --- Running it -------------------------------------------------------------------------------


def _say(message: str) -> None:
    print(f"loadtest: {message}", file=sys.stderr, flush=True)


def _admin(cfg: Config):
    import psycopg

    return psycopg.connect(f"{cfg.pg}/postgres", autocommit=True)


def _database_exists(cfg: Config, name: str) -> bool:
    with _admin(cfg) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def _env(cfg: Config, database: str, **extra) -> dict:
    env = dict(os.environ)
    for name in ("CACHE_URL", "CELERY_BROKER_URL", "WEB_CONCURRENCY", "STATIC_ROOT"):
        env.pop(name, None)
    env.update(
        DATABASE_URL=f"{cfg.pg}/{database}",
        DJANGO_SETTINGS_MODULE="zi_portal.settings",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def _manage(env: dict, *args, debug=True) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=BASE_DIR, env=dict(env, DEBUG="1" if debug else "0"),
        check=True,
    )  # fmt: skip


def ensure_template(cfg: Config) -> None:
    """Load the national dataset into the template database if it is not there (minutes)."""
    if _database_exists(cfg, cfg.template):
        return
    _say(f"creating {cfg.template} with the national dataset (3–7 minutes, once)")
    with _admin(cfg) as conn:
        conn.execute(f'CREATE DATABASE "{cfg.template}"')
    env = _env(cfg, cfg.template)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "load_rubric")
    _manage(env, "seed_demo", "--scale", "national")


def fresh_copy(cfg: Config) -> None:
    """Replace the run's database with a copy of the template (CREATE DATABASE … TEMPLATE)."""
    if cfg.database == cfg.template:
        raise SystemExit("LOADTEST_DATABASE must differ from LOADTEST_TEMPLATE: runs write to it.")
    with _admin(cfg) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg.database}" WITH (FORCE)')
        for attempt in range(30):
            try:
                conn.execute(f'CREATE DATABASE "{cfg.database}" TEMPLATE "{cfg.template}"')
                break
            except Exception as exc:  # the template is in use by someone else's copy
                if "being accessed" not in str(exc) or attempt == 29:
                    raise
                time.sleep(5)
    _manage(_env(cfg, cfg.database), "migrate", "--no-input", "-v", "0")


def drop_copy(cfg: Config) -> None:
    with _admin(cfg) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{cfg.database}" WITH (FORCE)')


def _has_celery() -> bool:
    return (BASE_DIR / "zi_portal" / "celery.py").exists()


def server_env(cfg: Config, media: Path | None = None) -> dict:
    extra = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": HOST,
        # Locust stands where the TLS proxy would (see the locustfile): believe it from here.
        "TRUSTED_PROXIES": HOST,
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    if media is not None:
        extra["MEDIA_ROOT"] = str(media)  # the run's uploads, not the checkout's media/
    if cfg.cache == "redis":
        extra["CACHE_URL"] = f"rediscache://{cfg.redis.split('://', 1)[1]}/{cfg.redis_db}"
        if _has_celery():
            extra["CELERY_BROKER_URL"] = f"{cfg.redis}/{cfg.redis_db + 1}"
    return _env(cfg, cfg.database, **extra)


def _flush_redis(cfg: Config) -> None:
    import redis

    for db in (cfg.redis_db, cfg.redis_db + 1):
        redis.Redis.from_url(f"{cfg.redis}/{db}").flushdb()


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    handle = open(log, "ab")  # noqa: SIM115 - the process keeps it
    # A session of its own: stopping it stops its workers, and nothing else.
    return subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_healthy(port: int, process: subprocess.Popen) -> None:
    request = urllib.request.Request(
        f"http://{HOST}:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
    )
    for _ in range(120):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn on port {port} did not answer /healthz")


def _log_counts(folder: Path) -> str:
    text = "".join(p.read_text(errors="replace") for p in folder.glob("*.log") if p.is_file())
    return (
        f"server logs: {text.count('Traceback')} tracebacks, "
        f"{text.count('WORKER TIMEOUT')} worker timeouts"
    )


class CpuMeter:
    """CPU seconds used by groups of processes while it runs, read from /proc every second.

    Processes come and go during a run (a worker replaced after a timeout, a PostgreSQL backend
    reopened after CONN_MAX_AGE): each is counted from its first reading (or from 0 if it
    started during the run) to its last, so at most a second of each is missed.
    """

    def __init__(self, groups: dict):
        self.groups = groups  # label → match(stat fields, command line)
        self.first: dict[int, float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._read(initial=True)
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.stop.set()
        self.thread.join()
        self._read()

    def _run(self):
        while not self.stop.wait(1.0):
            self._read()

    def _read(self, initial=False):
        tick = os.sysconf("SC_CLK_TCK")
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode("latin-1")
            except OSError:
                continue
            for label, match in self.groups.items():
                if match(fields, command):
                    pid = int(proc.name)
                    used = sum(int(x) for x in fields[11:13]) / tick  # utime, stime
                    if initial:
                        self.first[pid] = used
                    self.last[(label, pid)] = used

    def seconds(self) -> dict[str, float]:
        totals = dict.fromkeys(self.groups, 0.0)
        for (label, pid), used in self.last.items():
            totals[label] += used - self.first.get(pid, 0.0)
        return totals


def _in_session(pid: int):
    """Match the processes of the session `pid` leads (each started service leads its own)."""
    return lambda fields, _command: int(fields[3]) == pid


def _services(cfg: Config, folder: Path) -> dict[str, list[str]]:
    """The processes a run starts: the Celery worker (with the Redis cache) and the gunicorns."""
    commands = {}
    if cfg.cache == "redis" and _has_celery():
        # As `make worker` runs it: below the web workers' CPU priority.
        commands["celery worker"] = [
            "nice", "-n", "10", str(BIN / "celery"), "-A", "zi_portal", "worker", "--beat",
            "--loglevel", "WARNING", "--concurrency", "1",
            "--schedule", str(folder / "celerybeat-schedule"),
        ]  # fmt: skip
    for n in range(cfg.processes):
        commands[f"gunicorn :{cfg.port + n}"] = [
            str(BIN / "gunicorn"), "zi_portal.wsgi", "--bind", f"{HOST}:{cfg.port + n}",
            "--workers", str(cfg.workers), "--forwarded-allow-ips", HOST, "--log-level", "warning",
        ]  # fmt: skip
    return commands


def _locust(cfg: Config, users: int, seconds: int, hosts: list[str], folder: Path) -> float:
    """Run locust to the end; return the CPU seconds it used."""
    command = [
        str(BIN / "locust"), "-f", str(BASE_DIR / "bench" / "locustfile.py"), "--headless",
        "-u", str(users), "-r", f"{cfg.rate:g}", "-t", f"{seconds}s", "--stop-timeout", "15",
        "--host", hosts[0], "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = dict(
        os.environ,
        LOADTEST_PLAN=str(folder / "plan.json"),
        LOADTEST_LEDGER=str(folder / "ledger.jsonl"),
        LOADTEST_SAMPLES=str(folder / "samples.json"),
        LOADTEST_HOSTS=",".join(hosts),
        LOADTEST_PROXY="1",
        LOADTEST_THINK=cfg.think,
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(folder / "locust.log", "wb") as log:
        # Locust exits 1 when any request failed: the report says which.
        subprocess.run(command, cwd=BASE_DIR, env=env, stdout=log, stderr=log, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def run_once(cfg: Config, users: int, seconds: int, folder: Path) -> tuple[Report, str]:
    """One run on a fresh copy with cold processes; return the report and a note on the setup."""
    load_before = os.getloadavg()
    _say(f"fresh copy {cfg.database} of {cfg.template}")
    fresh_copy(cfg)
    for name in ("ledger.jsonl", "samples.json"):
        (folder / name).unlink(missing_ok=True)
    copy_env = _env(cfg, cfg.database, DEBUG="1")
    plan = folder / "plan.json"
    scene = [PYTHON, "-m", "bench.scene"]
    prepare = [*scene, "prepare", str(users), str(plan)]
    subprocess.run(prepare, env=copy_env, cwd=BASE_DIR, check=True)
    env = server_env(cfg, media=folder / "media")
    started: dict[str, subprocess.Popen] = {}
    cpu: dict[str, float] = {}
    try:
        if cfg.cache == "redis":
            _flush_redis(cfg)
        for label, command in _services(cfg, folder).items():
            started[label] = _start(
                command, env, folder / f"{label.replace(' :', '-').replace(' ', '-')}.log"
            )
        ports = [cfg.port + n for n in range(cfg.processes)]
        for port in ports:
            _wait_healthy(port, started[f"gunicorn :{port}"])
        hosts = [f"http://{HOST}:{port}" for port in ports]
        _say(f"locust: {users} users for {seconds} s against {', '.join(hosts)}")
        groups = {label: _in_session(p.pid) for label, p in started.items()}
        # PostgreSQL names the database in each backend's process title.
        groups["PostgreSQL (this database)"] = lambda _f, command: f" {cfg.database} " in command
        with CpuMeter(groups) as meter:
            cpu["locust"] = _locust(cfg, users, seconds, hosts, folder)
        cpu.update(meter.seconds())
    finally:
        for process in reversed(started.values()):
            _stop(process)
    (folder / "ledger.jsonl").touch()
    checked = subprocess.run(
        [*scene, "check", str(folder / "ledger.jsonl")],
        env=copy_env, cwd=BASE_DIR, check=True, capture_output=True, text=True,
    )  # fmt: skip
    report = build_report(
        json.loads((folder / "samples.json").read_text()),
        target_ms=cfg.target_ms,
        check=json.loads(checked.stdout.strip().splitlines()[-1]),
    )
    dataset = json.loads(plan.read_text())["dataset"]
    load_after = os.getloadavg()
    setup = (
        f"{users} users ({cfg.rate:g}/s ramp, {cfg.think} s between actions) for {seconds} s; "
        f"{cfg.processes} gunicorn process(es) × {cfg.workers} sync workers, cache {cfg.cache}"
        f"{' + Celery worker' if 'celery worker' in started else ''}; DEBUG off; "
        f"dataset {dataset}; load average before {load_before[0]:.2f}, after "
        f"{load_after[0]:.2f} (1 min)\n"
        "CPU seconds during the run: "
        + ", ".join(f"{label} {used:.0f}" for label, used in cpu.items())
        + f"\n{_log_counts(folder)}"
    )
    if not cfg.keep:
        drop_copy(cfg)
    return report, setup


def _commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=BASE_DIR, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    return found.stdout.strip() + (" (modified)" if dirty else "")


def main() -> int:
    cfg = Config.from_env()
    if cfg.processes > 1 and cfg.cache != "redis":
        raise SystemExit("LOADTEST_PROCESSES > 1 needs the shared cache (LOADTEST_CACHE=redis).")
    started = time.monotonic()
    ensure_template(cfg)
    _say("collectstatic")
    _manage(server_env(cfg), "collectstatic", "--no-input", "-v", "0", debug=False)
    folder = Path(tempfile.mkdtemp(prefix="zi-loadtest-"))
    output = [f"ZI Portal load test, {time.strftime('%Y-%m-%d %H:%M')}, commit {_commit()}"]
    try:
        if os.environ.get("LOADTEST_FIND_MAX") == "1":
            best = None
            for users in cfg.steps:
                cfg.rate = max(1.0, users / 10)
                step = folder / f"{users}-users"
                step.mkdir()
                report, setup = run_once(cfg, users, cfg.step_seconds, step)
                worst = max(
                    (e for e in report.endpoints if e.kind == "page"),
                    key=lambda e: e.percentile(0.95),
                )
                output += [
                    "",
                    f"== {users} users: {'meets' if report.meets() else 'misses'} the target; "
                    f"worst page p95 {worst.percentile(0.95):,.0f} ms ({worst.name}), "
                    f"{report.error_count} errors, lost writes {report.lost}",
                    setup,
                    format_report(report),
                ]
                print("\n".join(output[-4:]), flush=True)
                if not report.meets():
                    break
                best = users
            output.append(
                f"\nhighest user count with every page at p95 ≤ {cfg.target_ms:g} ms, no error "
                f"and no lost write: {best if best is not None else f'below {cfg.steps[0]}'}"
            )
            print(output[-1])
        else:
            report, setup = run_once(cfg, cfg.users, cfg.seconds, folder)
            output += [setup, format_report(report)]
            print("\n".join(output), flush=True)
    finally:
        # Small, and what to read after an error: the plan, ledger, samples and server logs.
        _say(f"run files in {folder}" + (f"; database {cfg.database} kept" if cfg.keep else ""))
    output.append(f"(the whole run took {time.monotonic() - started:.0f} s)")
    print(output[-1])
    target = os.environ.get("LOADTEST_OUT")
    if target:
        Path(target).write_text("\n".join(output) + "\n", encoding="utf-8")
    return 1 if report.lost else 0


if __name__ == "__main__":
    sys.exit(main())
