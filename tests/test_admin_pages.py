"""The admin pages for the office, units, people and taxonomy load for an administrator."""

import pytest
from django.urls import reverse

from catalog.models import Category, ITAItem
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
