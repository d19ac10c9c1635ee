"""Values every page needs: the office and the navigation this user may see."""

from approvals.permissions import held_roles
from approvals.principals import principals_for
from approvals.selectors import waiting_counts
from catalog.cache import SETUP, remember
from esa_publish.office.models import Office
from esa_publish.office.navigation import navigation_for


def shell(request):
    user = request.user
    office = getattr(request, "_office_cache", None)
    if office is None:
        # Public pages keep it until a setup edit (an edit of the office raises the setup
        # version); staff pages, never cached and not the busy ones, read it.
        public = not user.is_authenticated
        office = remember("office", Office.current, until=SETUP) if public else Office.current()
        request._office_cache = office
    # The same principals the pages check, so a delegate sees the entries of the work they do.
    roles = counts = None
    if user.is_authenticated:
        principals = principals_for(user)
        roles = held_roles(principals)
        # One query: what waits for them, from the steps' own waiting filter.
        counts = waiting_counts(user, principals=principals)
    return {
        "office": office,
        "nav_items": navigation_for(user, held_roles=roles, counts=counts),
        # Shown on the phone's closed menu button too, so what waits is seen without opening it.
        "waiting_count": counts["pending"] if counts else 0,
    }
