"""Models of the portal itself (not of the ZI programme)."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalSession(AbstractBaseSession):
    """A browser session that also names its signed-in user in a column.

    Django keeps the user's id only inside the signed session data; with it in a column, one query
    reads the session, the user and their memberships together (sessions.py). Deleting a user
    ends their sessions.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
