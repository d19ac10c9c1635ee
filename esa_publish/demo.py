"""Demo data: the office of seed 000 with its real groups and one person per role.

Idempotent: every object is found by a natural key and updated in place, so ``seed_demo`` can run
on every ``make run``. Later features add to :func:`seed` (requests in every state, published
items) through the ``EXTRA_SEEDERS`` list.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import Group
from django.db import transaction

from catalog.demo import seed_publications
from catalog.oia.demo import seed_centre
from esa_publish.office import roles
from esa_publish.office.models import Office, Unit, User

DEMO_PASSWORD = "demo-2569"

OFFICE = {
    "name_th": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑",
    "name_en": "Chachoengsao Primary Educational Service Area Office 1",
    "short_name": "สพป.ฉะเชิงเทรา เขต ๑",
    "doc_prefix": "ศธ ๐๔๐๓๒",
    "director_title": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑",
    "address": "ถนนศรีโสธรตัดใหม่ ตำบลหน้าเมือง อำเภอเมืองฉะเชิงเทรา จังหวัดฉะเชิงเทรา ๒๔๐๐๐",
    "phone": "๐ ๓๘๕๑ ๑๐๐๐",
    "email": "saraban@example.go.th",
    "website": "https://www.example.go.th",
}

# (key, name) — the groups of a primary ESA office.
UNITS = [
    ("admin", "กลุ่มอำนวยการ"),
    ("personnel", "กลุ่มบริหารงานบุคคล"),
    ("plan", "กลุ่มนโยบายและแผน"),
    ("promotion", "กลุ่มส่งเสริมการจัดการศึกษา"),
    ("supervision", "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา"),
    ("finance", "กลุ่มบริหารงานการเงินและสินทรัพย์"),
    ("ict", "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร"),
    ("development", "กลุ่มพัฒนาครูและบุคลากรทางการศึกษา"),
    ("legal", "กลุ่มกฎหมายและคดี"),
    ("audit", "หน่วยตรวจสอบภายใน"),
]

# username: (prefix, first, last, position, unit key, roles, what they do in the demo)
PEOPLE = {
    "director": (
        "นาย",
        "เอกชัย",
        "ศรีสวัสดิ์",
        "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑",
        None,
        [roles.DIRECTOR],
        "ผู้อำนวยการ สพป. (อนุญาต/ไม่อนุญาต)",
    ),
    "deputy1": (
        "นางสาว",
        "สุภาพร",
        "วงศ์ใหญ่",
        "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑",
        None,
        [roles.DEPUTY],
        "รอง ผอ.สพป. ดูแลกลุ่มส่งเสริมฯ นโยบายและแผน นิเทศฯ",
    ),
    "deputy2": (
        "นาย",
        "ประเสริฐ",
        "ทองดี",
        "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑",
        None,
        [roles.DEPUTY],
        "รอง ผอ.สพป. ดูแลกลุ่มอำนวยการ บุคคล การเงิน",
    ),
    "groupdir": (
        "นาง",
        "มาลี",
        "จันทร์เพ็ญ",
        "ผู้อำนวยการกลุ่มส่งเสริมการจัดการศึกษา",
        "promotion",
        [roles.GROUP_DIRECTOR],
        "ผอ.กลุ่มส่งเสริมการจัดการศึกษา",
    ),
    "plandir": (
        "นาย",
        "วิชัย",
        "รุ่งเรือง",
        "ผู้อำนวยการกลุ่มนโยบายและแผน",
        "plan",
        [roles.GROUP_DIRECTOR],
        "ผอ.กลุ่มนโยบายและแผน",
    ),
    "legal": (
        "นางสาว",
        "กนกวรรณ",
        "ยุติธรรม",
        "นิติกรชำนาญการ",
        "legal",
        [roles.LEGAL_OFFICER],
        "นิติกร (ให้ความเห็นเรื่องกฎหมาย/จัดซื้อจัดจ้าง)",
    ),
    "webmaster": (
        "นาย",
        "ธนพล",
        "เว็บไซต์",
        "นักวิชาการคอมพิวเตอร์ชำนาญการ",
        "ict",
        [roles.WEBMASTER],
        "ผู้มีหน้าที่เผยแพร่ข้อมูล/ผู้ดูแลเว็บไซต์",
    ),
    "staff1": (
        "นางสาว",
        "อรุณี",
        "ใจงาม",
        "นักวิชาการศึกษาชำนาญการ",
        "promotion",
        [roles.STAFF],
        "เจ้าหน้าที่ ยื่นคำขอเผยแพร่",
    ),
    "staff2": (
        "นาย",
        "สมศักดิ์",
        "มั่นคง",
        "นักวิเคราะห์นโยบายและแผนชำนาญการ",
        "plan",
        [roles.STAFF],
        "เจ้าหน้าที่กลุ่มนโยบายและแผน",
    ),
}

UNIT_DIRECTORS = {"promotion": "groupdir", "plan": "plandir"}
UNIT_DEPUTIES = {
    "promotion": "deputy1",
    "plan": "deputy1",
    "supervision": "deputy1",
    "admin": "deputy2",
    "personnel": "deputy2",
    "finance": "deputy2",
}

# Later features append callables taking (stdout_write) to add their own demo rows.
EXTRA_SEEDERS: list[Callable[[Callable[[str], None]], None]] = []


def _publications(write: Callable[[str], None]) -> None:
    """Requests in every state and a published catalog (imported late: it needs every app)."""

    seed_publications(write)


EXTRA_SEEDERS.append(_publications)


def _information_centre(write: Callable[[str], None]) -> None:
    """The Official Information Act centre's settings and the categories' mapping."""
    seed_centre(write)


EXTRA_SEEDERS.append(_information_centre)


@transaction.atomic
def seed(write: Callable[[str], None] = print, *, extras: bool = True) -> dict[str, User]:
    """The office and its people; with ``extras``, the features' demo data too (requests, the
    catalog: tens of seconds, which a test that only needs the people can skip)."""
    office = Office.objects.order_by("pk").first() or Office()
    for field, value in OFFICE.items():
        setattr(office, field, value)
    office.save()

    units = {}
    for order, (key, name) in enumerate(UNITS, start=1):
        units[key], _ = Unit.objects.update_or_create(name=name, defaults={"order": order})

    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL)}
    people = {}
    for username, (prefix, first, last, position, unit_key, role_names, _) in PEOPLE.items():
        user, created = User.objects.get_or_create(username=username)
        user.name_prefix, user.first_name, user.last_name = prefix, first, last
        user.position_title = position
        user.unit = units.get(unit_key)
        user.email = f"{username}@example.go.th"
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(*(groups[r] for r in role_names))
        people[username] = user

    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "ผู้ดูแล"}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    people["admin"] = admin

    for key, username in UNIT_DIRECTORS.items():
        Unit.objects.filter(pk=units[key].pk).update(director=people[username])
    for key, username in UNIT_DEPUTIES.items():
        Unit.objects.filter(pk=units[key].pk).update(deputy=people[username])

    for seeder in EXTRA_SEEDERS if extras else ():
        seeder(write)
    return people


def describe_logins() -> str:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines.append(f"  {'admin':<10} ผู้ดูแลระบบ Django admin")
    for username, row in PEOPLE.items():
        lines.append(f"  {username:<10} {row[-1]}")
    return "\n".join(lines)
