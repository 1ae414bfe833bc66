"""On PostgreSQL a query a connection keeps running is prepared once, not planned every time."""

import pytest
from django.db import connection

from units.models import Agency

pytestmark = pytest.mark.django_db


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")


def test_a_query_repeated_on_a_connection_is_prepared(postgresql):
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    agency = Agency.objects.create(name="Kementerian Uji", kind=Agency.Kind.MINISTRY)
    for _ in range(threshold + 1):
        # Other ids, same statement: the parameters are bound by the server, not in the text.
        assert Agency.objects.filter(pk=agency.pk).values_list("name", flat=True)[0] == agency.name
        assert not Agency.objects.filter(pk=agency.pk + 1000).exists()

    prepared = [s for s in _prepared_statements() if "units_agency" in s]
    assert any("$1" in statement for statement in prepared), prepared
