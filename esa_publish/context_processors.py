"""Values every page needs: the office and the navigation this user may see."""

from esa_publish.office.models import Office
from esa_publish.office.navigation import navigation_for


def shell(request):
    office = getattr(request, "_office_cache", None)
    if office is None:
        office = request._office_cache = Office.current()
    return {"office": office, "nav_items": navigation_for(request.user)}
