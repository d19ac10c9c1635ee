"""Domain errors of the workflow, with the Thai messages people see. Tests import these."""

from django.utils.translation import gettext_lazy as _

# The error classes live a layer down, with the request (its services raise them too).
from requests.errors import AlreadyDecided, Incomplete, NotAllowed, WorkflowError

__all__ = ["AlreadyDecided", "Incomplete", "NotAllowed", "WorkflowError"]

ALREADY_DECIDED = _("คำขอนี้มีการดำเนินการไปแล้วโดยผู้อื่น หน้าที่ท่านเห็นไม่เป็นปัจจุบัน กรุณาตรวจสอบอีกครั้ง")
NOT_ALLOWED = _("ท่านไม่มีสิทธิ์ดำเนินการนี้กับคำขอนี้ในขั้นตอนปัจจุบัน")
COMMENT_REQUIRED = _("กรุณาระบุเหตุผลหรือความเห็น")
NO_UNIT_DIRECTOR = _("กลุ่ม/หน่วยของคำขอนี้ยังไม่มีผู้อำนวยการกลุ่ม กรุณาติดต่อผู้ดูแลระบบ")
NO_LEGAL_OFFICER = _("หมวดหมู่นี้ต้องผ่านนิติกร แต่ยังไม่มีผู้ใดได้รับบทบาทนิติกร กรุณาติดต่อผู้ดูแลระบบ")
ALREADY_CLAIMED = _("มีผู้รับเรื่องนี้ไว้พิจารณาแล้ว")
CANNOT_HAND_ON = _("ส่งต่อได้เฉพาะผู้ที่มีหน้าที่พิจารณาขั้นตอนนี้")
NO_DEPUTY_NOTE = _("กลุ่มนี้ไม่มีรองผู้อำนวยการกำกับดูแล จึงเสนอผู้อำนวยการโดยตรง")
