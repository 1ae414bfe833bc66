"""Sessions read together with their signed-in user and the user's memberships.

Every signed-in page needs the session, the user and what the user may see (access.py). Read
through the ORM these were two queries, compiled anew on each request: ~1.7 ms of a page that
takes ten. Here one statement, written once per connection from the models' own metadata, reads
all three; the ORM's converters turn its columns into values exactly as a query would.
PortalBackend.get_user then takes the user from the session instead of querying again, while
django.contrib.auth still does every check it does (backend, session hash, active user).

SESSION_ENGINE = "zi_portal.sessions".
"""

from __future__ import annotations

import contextlib
import contextvars
import weakref
from dataclasses import dataclass

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.db import connections, router
from django.utils import timezone

from units.models import Agency, Membership, Unit


@dataclass(frozen=True)
class SignedIn:
    """The user a session names and their memberships, as read with the session."""

    user: object
    memberships: list


class _Columns:
    """Every concrete column of a model under a table alias, from column `start` of a row, and
    how to turn them into one instance."""

    def __init__(self, model, alias: str, connection, start: int):
        quote = connection.ops.quote_name
        self.model = model
        fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in fields]
        self.span = slice(start, start + len(fields))
        self.sql = ", ".join(f"{alias}.{quote(field.column)}" for field in fields)
        # The same converters the ORM applies to these columns (SQLite's booleans and datetimes).
        self.converters = []
        for index, field in enumerate(fields):
            column = field.get_col(alias)
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                self.converters.append((index, column, found))
        self.pk_index = fields.index(model._meta.pk)

    def instance(self, db: str, connection, row: tuple):
        """Return the model instance of this model's columns in `row`, or None."""
        values = list(row[self.span])
        if values[self.pk_index] is None:  # no row on this side of a LEFT JOIN
            return None
        for index, column, converters in self.converters:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        return self.model.from_db(db, self.attnames, values)


class _Statement:
    """The session-with-user statement for one database connection."""

    def __init__(self, session_model, connection):
        quote = connection.ops.quote_name
        User = get_user_model()
        # Column 0 is the session's data; each model's columns follow the previous model's.
        self.user = _Columns(User, "u", connection, start=1)
        self.membership = _Columns(Membership, "m", connection, self.user.span.stop)
        self.agency = _Columns(Agency, "a", connection, self.membership.span.stop)
        self.unit = _Columns(Unit, "un", connection, self.agency.span.stop)

        def column(alias, model, name="pk"):
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            return f"{alias}.{quote(field.column)}"

        def join(model, alias, on):
            return f"LEFT JOIN {quote(model._meta.db_table)} {alias} ON {on}"

        Session = session_model
        self.sql = " ".join(
            [
                f"SELECT {column('s', Session, 'session_data')}, {self.user.sql},",
                f"{self.membership.sql}, {self.agency.sql}, {self.unit.sql}",
                f"FROM {quote(Session._meta.db_table)} s",
                join(User, "u", f"{column('u', User)} = {column('s', Session, 'user')}"),
                join(Membership, "m", f"{column('m', Membership, 'user')} = {column('u', User)}"),
                join(Agency, "a", f"{column('a', Agency)} = {column('m', Membership, 'agency')}"),
                join(Unit, "un", f"{column('un', Unit)} = {column('m', Membership, 'unit')}"),
                f"WHERE {column('s', Session, 'session_key')} = %s",
                f"AND {column('s', Session, 'expire_date')} > %s",
                # Memberships in the order of Membership.Meta (agency name), then by id.
                f"ORDER BY {column('a', Agency, 'name')}, {column('m', Membership)}",
            ]
        )

    def read(self, db: str, connection, rows: list) -> SignedIn | None:
        """Return the user and memberships of the rows (None when the session names no user)."""
        user = self.user.instance(db, connection, rows[0])
        if user is None:
            return None
        memberships = []
        for row in rows:
            membership = self.membership.instance(db, connection, row)
            if membership is None:
                continue
            membership.user = user
            membership.agency = self.agency.instance(db, connection, row)
            membership.unit = self.unit.instance(db, connection, row)
            memberships.append(membership)
        return SignedIn(user=user, memberships=memberships)


# Per connection object: quoting and converters belong to its backend.
_statements: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class SessionStore(DBStore):
    """Django's database sessions, in PortalSession, read with their user in one query.

    Keeps the name SessionStore: the signing salt of session data derives from the class name,
    so sessions written by django.contrib.sessions still decode.
    """

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.signed_in: SignedIn | None = None

    @classmethod
    def get_model_class(cls):
        from .models import PortalSession

        return PortalSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = get_user_model()._meta.pk.to_python(user_id) if user_id else None
        return session

    def _get_session_from_db(self):
        self.signed_in = None
        if self.session_key is None:
            return None
        db = router.db_for_read(self.model)
        connection = connections[db]
        statement = _statements.get(connection)
        if statement is None:
            statement = _statements[connection] = _Statement(self.model, connection)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, [self.session_key, now])
            rows = cursor.fetchall()
        if not rows:
            self._session_key = None
            return None
        self.signed_in = statement.read(db, connection, rows)
        return self.model(session_key=self.session_key, session_data=rows[0][0])


_reading: contextvars.ContextVar = contextvars.ContextVar("zi_portal_session", default=None)


@contextlib.contextmanager
def reading_user_of(session):
    """Let PortalBackend.get_user take the user read with `session` (see middleware)."""
    token = _reading.set(session)
    try:
        yield
    finally:
        _reading.reset(token)


def signed_in_user(user_id) -> SignedIn | None:
    """Return what the session being read holds for `user_id`, if it was read with it."""
    signed_in = getattr(_reading.get(), "signed_in", None)
    if signed_in is None or str(signed_in.user.pk) != str(user_id):
        return None
    return signed_in
