"""How a signed-in person is loaded on each request."""

from axes.backends import AxesBackend

from . import access, sessions


class PortalBackend(AxesBackend):
    """Axes' backend, loading the session's user together with their memberships.

    Every page asks what the person may see (access.py), so the user and their memberships are
    read together: with the session itself when it was read by zi_portal.sessions (no query
    here), else as one join.
    """

    def get_user(self, user_id):
        signed_in = sessions.signed_in_user(user_id)
        if signed_in is not None:
            user, memberships = signed_in.user, signed_in.memberships
        else:
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
