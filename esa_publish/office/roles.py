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
