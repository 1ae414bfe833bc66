"""The people of a peak week, for locust (`make loadtest` runs it through bench/loadtest.py).

Each simulated user logs in through the login form with an account of their own (bench/scene.py
made them) and does what their role does in the weeks before the proposal window closes:

- unit operators answer their LKE (the htmx autosave the page makes) and reopen it after each
  save, upload evidence (a small PDF), and import a workbook they exported and edited;
- TPI evaluators score LKEs in review at the TPI level the same way, read evidence and the list,
  and finalise an LKE after a few saves, then read its report (LHE);
- agency administrators open the lists, the agency page and dashboard, LKEs, and download
  exports (dashboard CSV, workbooks, LHE PDFs). The portal lets only unit operators and
  evaluators import workbooks, so those two do the imports;
- regional heads (viewers of a provincial, regency or city government) open their dashboard for
  several years; national administrators the national dashboard for past years and the
  national lists; anonymous visitors the public list of awards and its CSV.

Every save the server acknowledges is written to the ledger (LOADTEST_LEDGER) for the write
check; every request's time to the samples (LOADTEST_SAMPLES), which bench/loadtest.py turns
into percentiles. Endpoint names starting "download: " are files, not pages a person waits on;
"setup: " is the login. Environment: LOADTEST_PLAN (the plan bench/scene.py wrote),
LOADTEST_HOSTS (comma-separated base URLs; each user sticks to one, as behind a load balancer),
LOADTEST_PROXY=1 (stand where the TLS proxy would: see `Portal.on_start`), LOADTEST_THINK
("1-5": seconds a person waits between actions).
"""

from __future__ import annotations

import html
import io
import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlencode, urlsplit

import gevent
import openpyxl
from locust import HttpUser, between, events, task
from locust.exception import StopUser

with open(os.environ["LOADTEST_PLAN"], encoding="utf-8") as _plan:
    PLAN = json.load(_plan)
URLS = PLAN["urls"]
YEAR = PLAN["year"]
PAST_YEARS = [y for y in PLAN["years"] if y < YEAR] or [YEAR]
HOSTS = [h.rstrip("/") for h in os.environ.get("LOADTEST_HOSTS", "").split(",") if h]
PROXY = os.environ.get("LOADTEST_PROXY") == "1"
THINK = tuple(float(s) for s in os.environ.get("LOADTEST_THINK", "1-5").split("-"))
# One user of each kind, each doing every one of its actions once before the mix (the test).
TOUR = os.environ.get("LOADTEST_TOUR") == "1"
TIMEOUT = 120  # seconds; gunicorn's own timeout (30 s) ends a stuck request first
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- What the run records ---------------------------------------------------------------------

_samples: list[list] = []
_ledger = open(os.environ.get("LOADTEST_LEDGER", os.devnull), "a", encoding="utf-8")  # noqa: SIM115
_sequence = itertools.count(1)  # one process, one thread of greenlets: the order acknowledged
_started = [time.time()]


@events.test_start.add_listener
def _test_start(**_kwargs):
    _started[0] = time.time()


@events.request.add_listener
def _record(request_type, name, response_time, exception=None, url=None, **_kwargs):
    error = None if exception is None else str(exception)[:200]
    _samples.append([name, request_type, response_time, error, urlsplit(url or "").netloc])


@events.quitting.add_listener
def _write_samples(**_kwargs):
    target = os.environ.get("LOADTEST_SAMPLES")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump({"started": _started[0], "ended": time.time(), "samples": _samples}, handle)
    _ledger.flush()


def acknowledged(kind: str, **entry) -> None:
    """Write one acknowledged save to the ledger, in the order the server acknowledged them."""
    _ledger.write(json.dumps({"kind": kind, "seq": next(_sequence), **entry}) + "\n")
    _ledger.flush()


# --- Reading pages ----------------------------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANSWER_FORM = re.compile(
    r'<form[^>]*class="answer-form"[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S
)
SELECT = re.compile(r'<select[^>]*name="letter"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>')
AREA = re.compile(r'href="\?area=([^&"]+)&amp;level=')
CSV_LINK = re.compile(r'href="(\?[^"]*format=csv[^"]*)"')
TOKEN = re.compile(r'name="token" value="([^"]+)"')


def _textarea(body: str, name: str) -> str | None:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', body, re.S)
    return None if found is None else html.unescape(found.group(1))


def answer_forms(page: str) -> dict[tuple[str, str], dict]:
    """The answer forms of a page or fragment: (question, level) → action, version, letters…"""
    forms = {}
    for action, body in ANSWER_FORM.findall(page):
        *_start, code, level = action.strip("/").split("/")
        version = re.search(r'name="version" value="(\d+)"', body)
        select = SELECT.search(body)
        letters, chosen = [], ""
        for value, selected in OPTION.findall(select.group(1) if select else ""):
            if value:
                letters.append(html.unescape(value))
            if selected:
                chosen = html.unescape(value)
        token = CSRF.search(body)
        forms[(code, level)] = {
            "action": html.unescape(action),
            "version": version.group(1) if version else "0",
            "letters": letters,
            "letter": chosen,
            "note_to_unit": _textarea(body, "note_to_unit"),
            "csrf": token.group(1) if token else None,
        }
    return forms


def tiny_pdf(label: str) -> bytes:
    """A small, valid one-page PDF (a few KB) whose text names the upload."""
    text = f"Bukti dukung uji beban: {label}. " * 40
    stream = f"BT /F1 9 Tf 36 800 Td 12 TL ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>"
        b"/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# The official workbook's layout (evaluations/workbook/writer.py): codes in B:G, one answer
# column per level.
CODE_COLUMNS = range(2, 8)
ANSWER_COLUMN = {"self": 11, "tpi": 18}
FIRST_ROW = 4


def edit_workbook(content: bytes, level: str, changes: int, rng: random.Random):
    """Change a few option answers of `level` in an exported workbook, as a person would.

    Return the new workbook and the (question code, letter) pairs it now holds.
    """
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book["LKE ZI"]
    column = ANSWER_COLUMN[level]
    allowed = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list" and validation.formula1:
            letters = validation.formula1.strip('"').split(",")
            for cells in validation.sqref.ranges:
                for row in range(cells.min_row, cells.max_row + 1):
                    if cells.min_col <= column <= cells.max_col:
                        allowed[row] = letters
    path: list[str] = []
    codes = {}
    for row in range(FIRST_ROW, sheet.max_row + 1):
        for depth, col in enumerate(CODE_COLUMNS):
            value = sheet.cell(row, col).value
            if value not in (None, ""):
                path = [*path[:depth], str(value).strip().rstrip(".")]
                break
        if row in allowed:
            codes[row] = ".".join(path)
    made = []
    for row in rng.sample(sorted(codes), min(changes, len(codes))):
        current = sheet.cell(row, column).value
        letter = rng.choice([x for x in allowed[row] if x != current])
        sheet.cell(row, column).value = letter
        made.append((codes[row], letter))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), made


# --- Users ------------------------------------------------------------------------------------

_accounts = {kind: itertools.count() for kind in PLAN if isinstance(PLAN[kind], list)}
_addresses = itertools.count(1)
_hosts = itertools.count()
_toured = itertools.count(1)


class Portal(HttpUser):
    abstract = True
    host = HOSTS[0] if HOSTS else None
    wait_time = between(*THINK)
    kind = ""  # the plan's list of accounts this user takes one of; "" for anonymous visitors

    def on_start(self):
        if HOSTS:
            self.client.base_url = HOSTS[next(_hosts) % len(HOSTS)]
        self.origin = self.client.base_url
        self.rng = random.Random()
        if PROXY:
            # Production runs behind a proxy that terminates TLS and says so (X-Forwarded-Proto,
            # believed from 127.0.0.1 only: gunicorn's --forwarded-allow-ips, TRUSTED_PROXIES).
            # Locust plays that proxy: the portal sees HTTPS, with its secure __Host- cookies,
            # HSTS and CSRF origin checks as in production, and one client address per person.
            number = next(_addresses)
            self.client.headers["X-Forwarded-Proto"] = "https"
            self.client.headers["X-Forwarded-For"] = f"10.23.{number // 250}.{number % 250 + 1}"
            self.origin = "https://" + urlsplit(self.client.base_url).netloc
        self.account = None
        if self.kind:
            pool = PLAN.get(self.kind) or []
            if not pool:
                raise StopUser(f"no {self.kind} account in the plan")
            self.account = pool[next(_accounts[self.kind]) % len(pool)]
            self.login()
        self.begin()
        if TOUR:
            self.tour()
            # Once every kind has done each of its actions, the run has shown what it must.
            if next(_toured) == len(USER_KINDS):
                gevent.spawn(self.environment.runner.quit)

    def begin(self):
        """What a person of this kind opens first after signing in."""

    def tour(self):
        for action in dict.fromkeys(self.tasks):  # each task once, in the order declared
            action(self)

    def _loopback_cookies(self):
        """Send the secure cookies back over the loopback, which stands for the proxy's HTTPS
        hop (requests keeps a Secure cookie for https:// URLs only)."""
        if PROXY:
            for cookie in self.client.cookies:
                cookie.secure = False

    # Requests: each checks its answer, so that a wrong page counts as an error, not a success.

    def get(self, path, name, *, expect=200, params=None, **kwargs):
        with self.client.get(
            path,
            name=name,
            params=params,
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            self._loopback_cookies()
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code}, expected {expect}")
            return response

    def post(self, path, name, data, *, referer, htmx=None, files=None, expect=200, check=None):
        headers = {"Origin": self.origin, "Referer": self.origin + referer}
        if htmx:
            headers.update(
                {"HX-Request": "true", "HX-Current-URL": self.origin + referer, "HX-Target": htmx}
            )
        with self.client.post(
            path,
            name=name,
            data=data,
            files=files,
            headers=headers,
            timeout=TIMEOUT,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._loopback_cookies()
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code}, expected {expect}")
            elif check is not None:
                problem = check(response)
                if problem:
                    response.failure(problem)
                    return None
            return response if response.status_code == expect else None

    def login(self):
        page = self.get(URLS["login"], "setup: login page")
        token = CSRF.search(page.text or "")
        if token is None:
            raise StopUser("no login form")

        def signed_in(response):
            if URLS["login"] in response.headers.get("Location", ""):
                return "login refused"
            return None

        done = self.post(
            URLS["login"],
            "setup: login",
            {
                "username": self.account["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1),
            },
            referer=URLS["login"],
            expect=302,
            check=signed_in,
        )
        if done is None:
            raise StopUser(f"could not log in as {self.account['username']}")


class LkeEditor(Portal):
    """Answers one LKE at one level: autosave, reopen after the save, evidence, workbook."""

    abstract = True
    level = "self"

    def open_lke(self, evaluation, name="LKE page", area=None):
        self.evaluation = evaluation
        params = {"area": area, "level": self.level} if area else None
        response = self.get(URLS["lke"].format(evaluation), name, params=params)
        page = response.text or ""
        self.page_path = URLS["lke"].format(evaluation) + (f"?{urlencode(params)}" if area else "")
        self.forms = {
            code: form for (code, level), form in answer_forms(page).items() if level == self.level
        }
        self.areas = AREA.findall(page) or getattr(self, "areas", [])
        self.area = area
        token = CSRF.search(page)
        self.csrf = token.group(1) if token else getattr(self, "csrf", "")
        return page

    def reopen(self):
        """Open the LKE again after a save, as a person checking their work does."""
        return self.open_lke(self.evaluation, "LKE page (after save)", area=self.area)

    def other_area(self):
        choices = [a for a in self.areas if a != self.area and a != "all"]
        if choices:
            self.open_lke(self.evaluation, "LKE page", area=self.rng.choice(choices))

    def save_answer(self) -> bool:
        options = [code for code, form in self.forms.items() if len(form["letters"]) > 1]
        if not options:
            self.other_area()
            return False
        code = self.rng.choice(options)
        form = self.forms[code]
        letter = self.rng.choice([x for x in form["letters"] if x != form["letter"]])
        note = f"uji beban {self.account['username']} #{next(_sequence)}"
        data = {
            "csrfmiddlewaretoken": form["csrf"] or self.csrf,
            "version": form["version"],
            "letter": letter,
            "note": note,
        }
        if form["note_to_unit"] is not None:
            data["note_to_unit"] = form["note_to_unit"]

        def saved(response):
            text = response.text or ""
            if "lke-conflict" in text:
                return "conflict: the answer changed since the page was read"
            if "lke-error" in text or "lke-saved" not in text:
                return "not saved"
            return None

        response = self.post(
            form["action"],
            "autosave (htmx)",
            data,
            referer=self.page_path,
            htmx="q-" + code,
            check=saved,
        )
        if response is None:
            return False
        acknowledged(
            "answer",
            evaluation=self.evaluation,
            question=code,
            level=self.level,
            letter=letter,
            note=note,
            user=self.account["username"],
        )
        fresh = answer_forms(response.text).get((code, self.level))
        if fresh:
            self.forms[code] = fresh
        return True

    def upload_evidence(self):
        if not self.forms:
            return
        code = self.rng.choice(sorted(self.forms))
        path = URLS["evidence"].format(self.evaluation, code)
        page = self.get(path, "evidence page")
        token = CSRF.search(page.text or "")
        if token is None:
            return
        filename = f"bukti-{self.account['username']}-{next(_sequence)}.pdf"

        def kept(response):
            text = response.text or ""
            if filename not in text or "alert-danger" in text or "invalid-feedback" in text:
                return "evidence not kept"
            return None

        response = self.post(
            path,
            "evidence upload (htmx)",
            {"csrfmiddlewaretoken": token.group(1), "kind": "file", "description": "Uji beban"},
            referer=path,
            htmx="evidence-panel",
            files={"file": (filename, tiny_pdf(filename), "application/pdf")},
            check=kept,
        )
        if response is not None:
            acknowledged(
                "evidence",
                evaluation=self.evaluation,
                question=code,
                filename=filename,
                user=self.account["username"],
            )
        self.reopen()

    def import_workbook(self):
        """Export the LKE, change a few answers offline, import it back: preview, confirm."""
        exported = self.get(
            URLS["workbook_download"].format(self.evaluation), "download: workbook (xlsx)"
        )
        if exported.status_code != 200 or XLSX not in exported.headers.get("Content-Type", ""):
            return
        content, changes = edit_workbook(exported.content, self.level, 3, self.rng)
        upload = URLS["workbook_upload"].format(self.evaluation)
        form = self.get(upload, "workbook import: form")
        token = CSRF.search(form.text or "")
        if token is None:
            return

        def previewed(response):
            return None if TOKEN.search(response.text or "") else "workbook refused"

        preview = self.post(
            upload,
            "workbook import: preview",
            {"csrfmiddlewaretoken": token.group(1), "level": self.level},
            referer=upload,
            files={"file": ("lke.xlsx", content, XLSX)},
            check=previewed,
        )
        if preview is None:
            return
        confirm = CSRF.search(preview.text).group(1)

        def imported(response):
            went = urlsplit(response.headers.get("Location", "")).path
            if went != URLS["lke"].format(self.evaluation):
                return f"import not confirmed (sent to {went})"
            return None

        done = self.post(
            URLS["workbook_import_confirm"].format(self.evaluation),
            "workbook import: confirm",
            {"csrfmiddlewaretoken": confirm, "token": TOKEN.search(preview.text).group(1)},
            referer=upload,
            expect=302,
            check=imported,
        )
        if done is not None:
            for code, letter in changes:
                acknowledged(
                    "answer",
                    evaluation=self.evaluation,
                    question=code,
                    level=self.level,
                    letter=letter,
                    note=None,
                    user=self.account["username"],
                )
        self.reopen()


class UnitOperator(LkeEditor):
    weight = 8
    kind = "operators"
    level = "self"

    def begin(self):
        self.get(URLS["home"], "home")
        self.open_lke(self.account["evaluation"])

    @task(12)
    def answer(self):
        if self.save_answer():
            self.reopen()

    @task(2)
    def switch_area(self):
        self.other_area()

    @task(2)
    def evidence(self):
        self.upload_evidence()

    @task(1)
    def workbook(self):
        self.import_workbook()


class Evaluator(LkeEditor):
    weight = 4
    kind = "evaluators"
    level = "tpi"

    def begin(self):
        self.queue = list(self.account["evaluations"])
        self.review_list()
        self.next_lke()

    def tour(self):
        super().tour()
        if self.evaluation is not None:
            self.finalise()

    def review_list(self):
        self.get(URLS["evaluation_list"], "evaluation list", params={"status": "tpi_review"})

    def next_lke(self):
        self.saves_here, self.saves_wanted = 0, self.rng.randint(4, 10)
        if self.queue:
            self.open_lke(self.queue.pop(0))
        else:
            self.evaluation = None

    @task(12)
    def score(self):
        if self.evaluation is None:
            self.review_list()
            return
        if self.save_answer():
            self.saves_here += 1
            self.reopen()
        if self.saves_here >= self.saves_wanted:
            self.finalise()

    def finalise(self):
        evaluation = self.evaluation
        path = URLS["transition"].format(evaluation, "finalize")

        def final(_response):
            # The outcome is on the page the redirect leads to: finalize is no longer offered.
            return "finalise refused" if path in self.reopen() else None

        done = self.post(
            path,
            "finalise (TPI)",
            {"csrfmiddlewaretoken": self.csrf, "transition": "finalize"},
            referer=self.page_path,
            expect=302,
            check=final,
        )
        if done is not None:
            acknowledged("finalise", evaluation=evaluation, user=self.account["username"])
            self.get(URLS["lhe"].format(evaluation), "LHE page")
        self.next_lke()

    @task(2)
    def switch_area(self):
        if self.evaluation is not None:
            self.other_area()

    @task(2)
    def read_evidence(self):
        if self.evaluation is not None and self.forms:
            code = self.rng.choice(sorted(self.forms))
            self.get(URLS["evidence"].format(self.evaluation, code), "evidence page")

    @task(1)
    def lists(self):
        self.review_list()

    @task(1)
    def workbook(self):
        if self.evaluation is not None:
            self.import_workbook()


class AgencyAdmin(Portal):
    weight = 3
    kind = "agency_admins"

    def begin(self):
        self.agency = self.account["agency"]
        self.csv_links: list[str] = []
        self.get(URLS["home"], "home")

    @task(4)
    def evaluation_list(self):
        params = {"year": self.rng.choice(PLAN["years"])}
        if self.rng.random() < 0.3:
            params["status"] = self.rng.choice(["draft", "tpi_review", "tpi_final"])
        if self.rng.random() < 0.3:
            params["page"] = self.rng.randint(2, 4)
        self.get(URLS["evaluation_list"], "evaluation list", params=params)

    @task(2)
    def agency_page(self):
        self.get(URLS["agency"].format(self.agency), "agency page")

    @task(3)
    def dashboard(self):
        this_year = self.rng.random() < 0.5
        year = YEAR if this_year else self.rng.choice(PAST_YEARS)
        name = "agency dashboard (this year)" if this_year else "agency dashboard (past year)"
        path = URLS["agency_dashboard"].format(self.agency)
        page = self.get(path, name, params={"year": year})
        self.csv_links = [path + html.unescape(q) for q in CSV_LINK.findall(page.text or "")]

    @task(1)
    def dashboard_csv(self):
        if self.csv_links:
            self.get(self.rng.choice(self.csv_links), "download: dashboard CSV")

    @task(2)
    def read_lke(self):
        if self.account["evaluations"]:
            pk = self.rng.choice(self.account["evaluations"])
            self.get(URLS["lke"].format(pk), "LKE page (read)")

    @task(1)
    def workbook(self):
        if self.account["evaluations"]:
            pk = self.rng.choice(self.account["evaluations"])
            self.get(URLS["workbook_download"].format(pk), "download: workbook (xlsx)")

    @task(1)
    def lhe_pdf(self):
        if self.account["finalised"]:
            pk = self.rng.choice(self.account["finalised"])
            self.get(URLS["lhe_pdf"].format(pk), "download: LHE (PDF)")

    @task(1)
    def proposals(self):
        self.get(URLS["submission_list"], "submission list")


class RegionalHead(Portal):
    weight = 2
    kind = "regional_heads"

    @task(5)
    def dashboard_years(self):
        year = self.rng.choice(PLAN["years"])
        name = "agency dashboard (this year)" if year == YEAR else "agency dashboard (past year)"
        self.get(
            URLS["agency_dashboard"].format(self.account["agency"]), name, params={"year": year}
        )

    @task(1)
    def agency_page(self):
        self.get(URLS["agency"].format(self.account["agency"]), "agency page")

    @task(1)
    def home(self):
        self.get(URLS["home"], "home")


class NationalAdmin(Portal):
    weight = 1
    kind = "national_admins"

    @task(4)
    def past_years(self):
        self.get(
            URLS["national_dashboard"],
            "national dashboard (past year)",
            params={"year": self.rng.choice(PAST_YEARS)},
        )

    @task(1)
    def this_year(self):
        self.get(URLS["national_dashboard"], "national dashboard (this year)")

    @task(2)
    def evaluation_list(self):
        params = {"year": self.rng.choice(PLAN["years"])}
        if self.rng.random() < 0.5:
            params["page"] = self.rng.randint(2, 40)
        self.get(URLS["evaluation_list"], "evaluation list (national)", params=params)

    @task(1)
    def national_track(self):
        self.get(URLS["national_track"], "national track")

    @task(1)
    def home(self):
        self.get(URLS["home"], "home")


class Anonymous(Portal):
    weight = 2

    @task(5)
    def public_list(self):
        params = {}
        if self.rng.random() < 0.4:
            params["year"] = self.rng.choice(PAST_YEARS)
        if self.rng.random() < 0.4:
            params["page"] = self.rng.randint(2, 10)
        self.get(URLS["public_list"], "public list", params=params)

    @task(1)
    def public_csv(self):
        query = {"year": self.rng.choice(PAST_YEARS)} if self.rng.random() < 0.5 else {}
        self.get(URLS["public_csv"], "download: public CSV", params=query)


USER_KINDS = (UnitOperator, Evaluator, AgencyAdmin, RegionalHead, NationalAdmin, Anonymous)

if TOUR:
    for kind in USER_KINDS:
        kind.fixed_count = 1
    del kind  # locust takes every User class the module names
