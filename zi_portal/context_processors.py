"""Template context every page needs: what the navbar may show this user."""

from units.models import Role

from . import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    roles = access.roles_of(user)
    return {
        "nav": {
            "roles": roles,
            "is_national_admin": Role.NATIONAL_ADMIN in roles,
            "is_national_evaluator": Role.NATIONAL_EVALUATOR in roles,
            # A national evaluator works only on proposed units: no agency's own pages.
            "agency_pages": roles != {Role.NATIONAL_EVALUATOR},
            # Submissions concern whole agencies: not shown to people working for one unit.
            "show_submissions": access.submission_agency_ids(user) != set(),
            "can_admin": user.is_staff and bool(roles & {Role.NATIONAL_ADMIN, Role.AGENCY_ADMIN}),
        },
    }
