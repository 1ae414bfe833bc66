"""Make the database unreachable for the duration of a request, for fault tests."""

from contextlib import contextmanager

from django.db import connections


@contextmanager
def unreachable_database(django_db_blocker):
    """Point the default connection at a database that cannot be reached, then restore it.

    A second connection object with bad settings takes the default alias, so the real test
    database is left alone and comes back untouched afterwards.
    """
    original = connections["default"]
    unreachable = dict(original.settings_dict)
    if original.vendor == "sqlite":
        unreachable["NAME"] = "/nonexistent-directory/zi-portal.sqlite3"
    else:
        unreachable.update(HOST="127.0.0.1", PORT="1")  # nothing listens on port 1
    broken = type(original)(unreachable, "default")
    connections["default"] = broken
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        broken.close()
        connections["default"] = original
