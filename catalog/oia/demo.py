"""Demo rows for the information centre: the default categories mapped to the Act's headings,
the centre's settings and the people the order appoints. Safe to run again: found by natural
keys, an administrator's mapping is only added to, never removed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from catalog.models import Category
from catalog.oia.models import Appointee, InformationCentre, OIAHeading
from esa_publish.office.models import Office, User

# Category slug (catalog/data/categories_chachoengsao1.json) -> headings it answers.
MAPPING = {
    "1-1": ["7(1)", "7(2)", "7(3)"],
    "1-2": ["9(2)"],
    "1-3": ["9(3)"],
    "1-5": ["7(4)", "9(8)-1", "9(8)-2", "9(8)-3", "9(8)-4"],
    "1-6": ["9(4)"],
}


def seed_centre(write: Callable[[str], None] = print) -> None:
    headings = {h.code: h for h in OIAHeading.objects.all()}
    for slug, codes in MAPPING.items():
        category = Category.objects.filter(slug=slug).first()
        if category is not None:
            for code in codes:
                headings[code].categories.add(category)
    people = {u.username: u for u in User.objects.filter(username__in=["director", "webmaster"])}
    centre = InformationCentre.objects.order_by("pk").first() or InformationCentre()
    if centre.pk is None:
        director = people.get("director")
        centre.officer = people.get("webmaster")
        centre.location = "ห้องประชาสัมพันธ์ ชั้น ๑ " + Office.current().name_th
        centre.announcement_date = dt.date(2026, 10, 1)
        centre.order_number = "๓๑๒/๒๕๖๙"
        centre.order_date = dt.date(2026, 10, 1)
        centre.signer_name = director.full_name if director else ""
        centre.save()
    if "webmaster" in people and not centre.appointees.exists():
        Appointee.objects.create(
            centre=centre, user=people["webmaster"], duty="ผู้ดูแลระบบและเผยแพร่ข้อมูลบนเว็บไซต์"
        )
    write("Information centre: categories mapped to the Act's headings, centre set up.")
