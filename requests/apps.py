from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    """Requests to publish (บันทึกข้อความ ขออนุญาตเผยแพร่ข้อมูล) and their files.

    The package is named ``requests`` as the design card asks; it shadows the PyPI package of the
    same name, which no dependency of this project may import.
    """

    name = "requests"
    label = "requests"
    verbose_name = _("คำขอเผยแพร่ข้อมูล")
