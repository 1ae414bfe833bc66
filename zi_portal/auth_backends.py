"""How a signed-in person is loaded on each request."""

from axes.backends import AxesBackend

from . import access


class PortalBackend(AxesBackend):
    """Axes' backend, loading the session's user together with their memberships.

    Every page asks what the person may see (access.py), so the user and their memberships were
    always two queries in a row; read as one join they cost one round trip on every request.
    """

    def get_user(self, user_id):
        found = access.memberships_query().filter(user_id=user_id).select_related("user")
        memberships = list(found)
        if not memberships:
            # No role anywhere (yet): the plain lookup, which also answers a deleted user.
            user = super().get_user(user_id)
            if user is not None:
                access.remember_memberships(user, [])
            return user
        user = memberships[0].user
        for membership in memberships:
            membership.user = user  # one object, as memberships_of(user) would give
        access.remember_memberships(user, memberships)
        return user if self.user_can_authenticate(user) else None
