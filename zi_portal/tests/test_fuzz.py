"""Hostile values in every form field and URL parameter never get a server error."""

import re

import pytest
from django.urls import reverse

from .permission_matrix import MATRIX
from .test_permission_matrix import world  # noqa: F401  (the objects every URL needs)

HOSTILE = [
    "\x00",
    "3E+2999999",
    "9" * 400,
    "-1",
    "NaN",
    "'\"><script>alert(1)</script>",
    "../../etc/passwd",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " * 500,
]
# Query parameters the portal's pages read, besides their forms' own fields.
PARAMS = {"page", "q", "year", "agency", "status", "level", "filter", "area", "question"}
PARAMS |= {"format", "table", "kind", "province", "predicate", "members_page", "agencies_page"}
SKIPPED = {"logout", "set_language"}  # they end or redirect the session whatever is sent


def _field_names(response) -> set[str]:
    if "text/html" not in response.get("Content-Type", ""):
        return set()
    names = set(re.findall(r'name="([^"]+)"', response.content.decode()))
    return names - {"csrfmiddlewaretoken"}


ROWS = sorted({(row[0], row[1], row[2]) for row in MATRIX if row[0] not in SKIPPED}, key=str)


@pytest.mark.parametrize("row", ROWS, ids=[f"{row[0]}-{n}" for n, row in enumerate(ROWS)])
def test_hostile_values_get_no_server_error(client, national_admin, world, row):  # noqa: F811
    name, build_args, method = row
    url = reverse(name, args=build_args(world))
    client.force_login(national_admin)
    fields = _field_names(client.get(url))
    for value in HOSTILE:
        response = client.get(url, dict.fromkeys(PARAMS | fields, value))
        assert response.status_code < 500, (url, "GET", value)
        if method == "post" or fields:
            response = client.post(url, dict.fromkeys(fields or PARAMS, value))
            assert response.status_code < 500, (url, "POST", value)
