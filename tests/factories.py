"""factory-boy factories for the models tests build most often."""

from __future__ import annotations

from types import SimpleNamespace

import factory
from django.contrib.auth.models import Group

from esa_publish.office import roles
from esa_publish.office.models import Office, Unit, User

PASSWORD = "test-pass-123"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name_th = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑"
    name_en = "Chachoengsao Primary Educational Service Area Office 1"
    short_name = "สพป.ฉะเชิงเทรา เขต ๑"
    doc_prefix = "ศธ ๐๔๐๓๒"
    phone = "038-511-000"
    director_title = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาฉะเชิงเทรา เขต ๑"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"กลุ่มทดสอบ {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name_prefix = "นาย"
    first_name = factory.Sequence(lambda n: f"ทดสอบ{n}")
    last_name = "ใจดี"
    position_title = "นักวิชาการศึกษา"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password(PASSWORD)  # hashed with the test hasher

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


def make_people() -> SimpleNamespace:
    """A unit with its director and deputy, plus one user per other role and an outsider."""
    unit = UnitFactory(name="กลุ่มส่งเสริมการจัดการศึกษา")
    other_unit = UnitFactory(name="กลุ่มนโยบายและแผน")
    director = UserFactory(
        username="director", roles=[roles.DIRECTOR], position_title="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"
    )
    deputy = UserFactory(
        username="deputy", roles=[roles.DEPUTY], position_title="รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"
    )
    group_director = UserFactory(
        username="groupdir",
        unit=unit,
        roles=[roles.GROUP_DIRECTOR],
        position_title="ผู้อำนวยการกลุ่มส่งเสริมการจัดการศึกษา",
    )
    legal = UserFactory(username="legal", roles=[roles.LEGAL_OFFICER], position_title="นิติกร")
    webmaster = UserFactory(
        username="webmaster", roles=[roles.WEBMASTER], position_title="นักวิชาการคอมพิวเตอร์"
    )
    requester = UserFactory(username="requester", unit=unit, roles=[roles.STAFF])
    colleague = UserFactory(username="colleague", unit=unit, roles=[roles.STAFF])
    outsider = UserFactory(username="outsider", unit=other_unit, roles=[roles.STAFF])
    unit.director = group_director
    unit.deputy = deputy
    unit.save()
    return SimpleNamespace(
        unit=unit,
        other_unit=other_unit,
        director=director,
        deputy=deputy,
        group_director=group_director,
        legal=legal,
        webmaster=webmaster,
        requester=requester,
        colleague=colleague,
        outsider=outsider,
    )
