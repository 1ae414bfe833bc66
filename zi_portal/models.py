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


class DataStamp(models.Model):
    """One row per kind of cached page, naming the current state of the data it shows.

    Every change to that data gives the row a new random token once committed (stamps.py); the
    pages are cached under the token, so a page can only be answered for the data it was read
    from, and a restored backup brings back its own tokens with its own data.
    """

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("data stamp")
        verbose_name_plural = _("data stamps")

    def __str__(self):
        return f"{self.name}: {self.token}"
