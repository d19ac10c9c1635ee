"""The admin pages for the office, units, people and taxonomy load for an administrator."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from catalog.models import Category, ITAItem
from esa_publish.office import roles
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:office_office_changelist",
    "admin:office_unit_changelist",
    "admin:office_user_changelist",
    "admin:office_holiday_changelist",
    "admin:catalog_category_changelist",
    "admin:catalog_itaitem_changelist",
    "admin:catalog_italist_changelist",
    "admin:catalog_italist_import",
    "admin:catalog_italist_copy",
    "admin:office_unit_add",
    "admin:office_user_add",
    "admin:catalog_category_add",
    "admin:office_office_add",
]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("name", CHANGELISTS)
def test_admin_page_loads(admin_client, name):
    assert admin_client.get(reverse(name)).status_code == 200


def test_office_change_page_loads(admin_client, office):
    assert (
        admin_client.get(reverse("admin:office_office_change", args=[office.pk])).status_code == 200
    )


def test_there_is_only_one_office(admin_client, office):
    assert admin_client.get(reverse("admin:office_office_add")).status_code == 403


def test_unit_and_category_change_pages_load(admin_client):
    unit = UnitFactory()
    category = Category.objects.first()
    assert admin_client.get(reverse("admin:office_unit_change", args=[unit.pk])).status_code == 200
    assert (
        admin_client.get(reverse("admin:catalog_category_change", args=[category.pk])).status_code
        == 200
    )


def test_categories_cannot_be_deleted_only_retired(admin_client):
    category = Category.objects.first()
    url = reverse("admin:catalog_category_delete", args=[category.pk])
    assert admin_client.get(url).status_code == 403


def test_copy_ita_year_page(admin_client):
    ITAItem.objects.filter(fiscal_year__gt=2567).delete()
    response = admin_client.post(
        reverse("admin:catalog_italist_copy"), {"from_year": 2567, "to_year": 2568}
    )
    assert response.status_code == 302
    copied = ITAItem.objects.filter(fiscal_year=2568)
    assert copied.count() == 43
    assert all(copied.values_list("needs_check", flat=True))
    assert not copied.filter(categories__isnull=False).exists()  # mappings only when asked


def test_a_non_staff_user_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:office_unit_changelist"))
    assert response.status_code == 302


# --- setting up an office (issue 16) --------------------------------------------------------------


def test_permission_groups_are_not_called_like_units(admin_client):
    body = admin_client.get(reverse("admin:index")).content.decode()
    assert "กลุ่มสิทธิ์ (บทบาท)" in body
    assert reverse("admin:office_permissiongroup_changelist") in body
    assert "/admin/auth/group/" not in body  # Django's own "กลุ่ม" entry is gone


def test_roles_are_listed_under_their_thai_names(admin_client):
    body = admin_client.get(reverse("admin:office_permissiongroup_changelist")).content.decode()
    for label in roles.LABELS.values():
        assert str(label) in body


def test_a_role_group_cannot_be_renamed(admin_client):
    group = Group.objects.get(name=roles.WEBMASTER)
    url = reverse("admin:office_permissiongroup_change", args=[group.pk])
    assert 'name="name"' not in admin_client.get(url).content.decode()
    admin_client.post(url, {"name": "renamed", "permissions": []})
    group.refresh_from_db()
    assert group.name == roles.WEBMASTER


def test_roles_are_given_on_the_persons_page_next_to_the_unit(admin_client, people):
    person = people.requester
    url = reverse("admin:office_user_change", args=[person.pk])
    body = admin_client.get(url).content.decode()
    assert re.search(r"<label[^>]*>\s*บทบาท", body)
    for label in roles.LABELS.values():
        assert str(label) in body
    assert 'type="checkbox" name="groups"' in body
    assert body.index('name="unit"') < body.index('name="groups"')
    assert 'name="user_permissions"' not in body
    # Who directs and who oversees a unit is set on the unit's page; the person's page says so.
    director = admin_client.get(
        reverse("admin:office_user_change", args=[people.group_director.pk])
    ).content.decode()
    assert reverse("admin:office_unit_change", args=[people.unit.pk]) in director
    assert "กำหนดที่หน้า “กลุ่ม/หน่วย”" in body


def test_a_role_is_given_on_the_persons_page(admin_client, people):
    person = people.requester
    url = reverse("admin:office_user_change", args=[person.pk])
    response = admin_client.get(url)
    data = {
        key: value
        for key, value in response.context["adminform"].form.initial.items()
        if value is not None and key not in ("password", "groups", "last_login", "date_joined")
    }
    data.update(
        unit=person.unit_id,
        groups=[g.pk for g in Group.objects.filter(name__in=[roles.STAFF, roles.WEBMASTER])],
        date_joined_0="2026-01-01",
        date_joined_1="08:00:00",
    )
    data.pop("user_permissions", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = type(person).objects.get(pk=person.pk)
    assert person.role_names() == {roles.STAFF, roles.WEBMASTER}


def test_the_units_director_and_deputy_are_plain_selects_tied_to_their_labels(admin_client, people):
    url = reverse("admin:office_unit_change", args=[people.unit.pk])
    body = admin_client.get(url).content.decode()
    for field, label in (("director", "ผู้อำนวยการกลุ่ม/หน่วย"), ("deputy", "รองผู้อำนวยการที่กำกับดูแล")):
        assert re.search(rf'<label[^>]*for="id_{field}"[^>]*>{label}', body)
        select = re.search(rf'<select[^>]*id="id_{field}"[^>]*>', body).group(0)
        assert "admin-autocomplete" not in select
    director = people.group_director
    assert f"{director.full_name} — {director.position_title}</option>" in body


def test_the_admin_uses_the_apps_thai_font(admin_client, settings):
    body = admin_client.get(reverse("admin:index")).content.decode()
    assert "css/admin.css" in body
    css = (settings.BASE_DIR / "static" / "css" / "admin.css").read_text()
    assert "--font-family-primary" in css and "Sarabun-Regular.ttf" in css


def test_django_admin_strings_are_thai(admin_client, people):
    pages = [
        reverse("admin:index"),
        reverse("admin:office_user_add"),
        reverse("admin:office_user_changelist"),
        reverse("admin:office_user_change", args=[people.requester.pk]),
    ]
    english = (
        "Skip to main content",
        "Toggle theme",
        "Model name",
        "Add link",
        "Sidebar",
        "Your password can’t",
        "Required. 150 characters",
        "Show counts",
        "Reset password",
        "Select this object for an action",
    )
    for url in pages:
        body = admin_client.get(url).content.decode()
        assert '<html lang="th"' in body
        left = [text for text in english if text in body]
        assert left == [], (url, left)
    assert "ข้ามไปยังเนื้อหาหลัก" in admin_client.get(pages[0]).content.decode()


@pytest.mark.parametrize(
    ("has_unit", "says"),
    [(True, "ยื่นคำขอเผยแพร่ข้อมูลในนาม"), (False, "ดูได้เฉพาะข้อมูลที่เผยแพร่แล้ว")],
)
def test_a_person_without_a_role_is_told_what_they_may_do(client, people, has_unit, says):
    person = UserFactory(username="newcomer", unit=people.unit if has_unit else None, roles=[])
    person.set_password("pass-word-123")
    person.save()
    response = client.post(
        reverse("login"), {"username": "newcomer", "password": "pass-word-123"}, follow=True
    )
    body = response.content.decode()
    assert "ยังไม่ได้รับบทบาท" in body and says in body
    assert "ติดต่อผู้ดูแลระบบ" in body


def test_a_person_with_a_role_is_not_told_so(client, people):
    people.requester.set_password("pass-word-123")
    people.requester.save()
    response = client.post(
        reverse("login"), {"username": "requester", "password": "pass-word-123"}, follow=True
    )
    assert "ยังไม่ได้รับบทบาท" not in response.content.decode()


# --- every control of our admin forms is tied to its label ----------------------------------------

OUR_APPS = {"office", "catalog", "oia", "requests", "approvals", "notify", "outreach", "auth"}


def _our_admin_forms(people):
    """The add page, the list and the change page of one object of every model our apps
    register (lists have editable cells, e.g. a unit's order)."""
    from django.contrib import admin

    from tests.workflow import make_request

    make_request(people)
    pages = []
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in OUR_APPS:
            continue
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        pages += [reverse(f"{prefix}_add"), reverse(f"{prefix}_changelist")]
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"{prefix}_change", args=[first.pk]))
    pages += [reverse("admin:catalog_italist_import"), reverse("admin:catalog_italist_copy")]
    return pages


def test_every_control_of_our_admin_forms_and_lists_has_a_label(admin_client, people):
    from tests.form_controls import unnamed_controls

    checked, unnamed = 0, {}
    for url in _our_admin_forms(people):
        response = admin_client.get(url)
        if response.status_code == 403:  # models nobody adds by hand (the one office, decisions)
            continue
        assert response.status_code == 200, url
        checked += 1
        missing = unnamed_controls(response.content.decode())
        if missing:
            unnamed[url] = missing
    assert checked >= 20
    assert not unnamed, unnamed


def test_a_holiday_is_typed_and_listed_in_buddhist_era_years(admin_client):
    from esa_publish.office.models import Holiday

    response = admin_client.post(
        reverse("admin:office_holiday_add"), {"date": "5/12/2569", "name": "วันพ่อแห่งชาติ"}
    )
    assert response.status_code == 302, response.content.decode()
    assert Holiday.objects.get().date == dt.date(2026, 12, 5)
    listing = admin_client.get(reverse("admin:office_holiday_changelist")).content.decode()
    assert "5 ธ.ค. 2569" in listing and "2026" not in listing
    change = admin_client.get(
        reverse("admin:office_holiday_change", args=[Holiday.objects.get().pk])
    )
    assert 'value="05/12/2569"' in change.content.decode()


def test_a_christian_era_year_in_the_admin_is_refused_not_read_as_buddhist_era(admin_client):
    from esa_publish.office.models import Holiday

    response = admin_client.post(
        reverse("admin:office_holiday_add"), {"date": "5/12/2026", "name": "วันพ่อแห่งชาติ"}
    )
    assert response.status_code == 200 and not Holiday.objects.exists()
    assert "พ.ศ." in response.content.decode()


def test_a_delegation_is_typed_and_listed_in_buddhist_era_years(admin_client):
    from approvals.models import Delegation

    director = UserFactory()
    deputy = UserFactory()
    response = admin_client.post(
        reverse("admin:approvals_delegation_add"),
        {
            "principal": director.pk,
            "delegate": deputy.pk,
            "capacity": Delegation._meta.get_field("capacity").choices[0][0],
            "starts_on": "1 ธันวาคม 2569",
            "ends_on": "๓๑/๑๒/๒๕๖๙",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    delegation = Delegation.objects.get()
    assert (delegation.starts_on, delegation.ends_on) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )
    listing = admin_client.get(reverse("admin:approvals_delegation_changelist")).content.decode()
    assert "1 ธ.ค. 2569" in listing and "31 ธ.ค. 2569" in listing
