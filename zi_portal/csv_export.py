"""CSV downloads that open right in Indonesian Excel and run nothing when opened.

Excel set to Indonesian separates fields with ";" (its list separator) and reads "," as the
decimal mark; a UTF-8 byte-order mark tells it the encoding, or names with accents come out
garbled. Text starting with "=", "+", "-", "@", a tab or a carriage return would be taken for a
formula (CSV injection: an agency could name a unit `=HYPERLINK(...)`); such text gets a leading
apostrophe, which Excel shows as plain text.
"""

import csv
import datetime
import io
from decimal import Decimal

from django.http import StreamingHttpResponse

DELIMITER = ";"
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows are written to the response in batches, not one write each.
BATCH_ROWS = 500


def cell(value) -> str:
    """Return one value as Indonesian Excel reads it, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return f"{value:.2f}".replace(".", ",")  # scores are shown with two decimals
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header, rows) -> StreamingHttpResponse:
    """Stream `header` and `rows` (iterables of values) as a CSV download named `filename`."""

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=DELIMITER)
        buffer.write(BOM)
        writer.writerow([cell(value) for value in header])
        for count, row in enumerate(rows, start=1):
            writer.writerow([cell(value) for value in row])
            if count % BATCH_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
