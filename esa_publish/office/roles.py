"""The roles of the publishing process, kept as Django groups.

Group names are stable identifiers that code relies on; administrators assign people to them in
the admin. The Thai labels are what people see. A unit's own director and a deputy's oversight
are stored on :class:`~esa_publish.office.models.Unit`; the groups say what kind of work a person
may do at all.
"""

from django.utils.translation import gettext_lazy as _

DIRECTOR = "director"
DEPUTY = "deputy_director"
GROUP_DIRECTOR = "group_director"
LEGAL_OFFICER = "legal_officer"
WEBMASTER = "webmaster"
STAFF = "staff"

LABELS = {
    STAFF: _("เจ้าหน้าที่ (ผู้ขออนุญาต)"),
    GROUP_DIRECTOR: _("ผู้อำนวยการกลุ่ม/หน่วย"),
    LEGAL_OFFICER: _("นิติกร"),
    DEPUTY: _("รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"),
    DIRECTOR: _("ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"),
    WEBMASTER: _("ผู้มีหน้าที่เผยแพร่ข้อมูล/ผู้ดูแลระบบ"),
}

ALL = tuple(LABELS)


NO_ROLE_WITH_UNIT = _(
    "บัญชีของท่านยังไม่ได้รับบทบาทในระบบ ขณะนี้ท่านยื่นคำขอเผยแพร่ข้อมูลในนาม%(unit)s "
    "และติดตามคำขอของตนได้ แต่ยังพิจารณาหรือเผยแพร่คำขอไม่ได้ "
    "หากต้องทำหน้าที่เหล่านี้ กรุณาติดต่อผู้ดูแลระบบให้กำหนดบทบาท"
)
NO_ROLE_NO_UNIT = _(
    "บัญชีของท่านยังไม่ได้รับบทบาทและยังไม่ได้สังกัดกลุ่ม/หน่วย ขณะนี้จึงดูได้เฉพาะข้อมูลที่เผยแพร่แล้ว "
    "ยังยื่นหรือพิจารณาคำขอไม่ได้ กรุณาติดต่อผู้ดูแลระบบให้กำหนดกลุ่ม/หน่วยและบทบาท"
)


def no_role_notice(user) -> str:
    """What a signed-in person without any role may do, or "" when they have one."""
    if user.is_superuser or user.role_names():
        return ""
    if user.unit_id:
        return str(NO_ROLE_WITH_UNIT) % {"unit": user.unit.name}
    return str(NO_ROLE_NO_UNIT)
