"""Default categories, the versioned ITA lists and copying a year forward."""

import datetime as dt

import pytest

from catalog.models import Category, ITAItem
from catalog.services import ita_copy_year, ita_ensure_year
from esa_publish.thai.fiscal import fiscal_year

pytestmark = pytest.mark.django_db


def test_the_default_categories_are_the_nine_of_the_announcement():
    codes = list(Category.objects.active().values_list("code", flat=True))
    assert codes == [f"1.{n}" for n in range(1, 10)]
    assert Category.objects.get(code="1.5").needs_legal_review


def test_the_2566_and_2567_ita_lists_have_43_items():
    for year in (2566, 2567):
        items = ITAItem.objects.for_year(year)
        assert items.count() == 43
        assert items.first().code == "O1"
        assert items.get(code="O10").name == "นโยบายคุ้มครองข้อมูลส่วนบุคคล"
        assert not items.filter(needs_check=True).exists()


def test_the_current_year_gets_a_copy_marked_to_check():
    year = fiscal_year(dt.date.today())
    items = ITAItem.objects.for_year(year)
    assert items.count() == 43
    assert all(items.values_list("needs_check", flat=True))


def test_a_category_maps_to_ita_items_of_a_year():
    category = Category.objects.get(code="1.3")
    codes = set(category.ita_items.filter(fiscal_year=2567).values_list("code", flat=True))
    assert codes == {"O11", "O12", "O13"}


def test_copying_a_year_keeps_mappings_and_never_overwrites():
    ITAItem.objects.filter(fiscal_year__gt=2567).delete()
    assert ita_copy_year(from_year=2567, to_year=2568) == 43
    edited = ITAItem.objects.get(fiscal_year=2568, code="O1")
    edited.name = "โครงสร้างหน่วยงาน (แก้ไขแล้ว)"
    edited.save()
    assert ita_copy_year(from_year=2567, to_year=2568) == 0
    edited.refresh_from_db()
    assert edited.name == "โครงสร้างหน่วยงาน (แก้ไขแล้ว)"
    assert Category.objects.get(code="1.3").ita_items.filter(fiscal_year=2568).count() == 3


def test_ensure_year_copies_the_latest_list_once():
    ITAItem.objects.filter(fiscal_year__gt=2567).delete()
    assert ita_ensure_year(today=dt.date(2025, 10, 1)) == 43  # FY 2569
    assert ita_ensure_year(today=dt.date(2026, 9, 30)) == 0
    assert ITAItem.objects.filter(fiscal_year=2569).count() == 43
    assert not ITAItem.objects.filter(fiscal_year=2568).exists()
