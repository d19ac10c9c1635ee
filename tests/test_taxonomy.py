"""Default categories, the versioned ITA lists shipped as data, copying and opening a year."""

import datetime as dt
import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from catalog.defaults import ITA_FILES, shipped_ita_lists
from catalog.models import Category, ITAItem, ITAList
from catalog.services import ITAError, ita_confirm_year, ita_copy_year, ita_rollover
from esa_publish.thai.fiscal import fiscal_year

pytestmark = pytest.mark.django_db


def test_the_default_categories_are_the_nine_of_the_announcement():
    codes = list(Category.objects.active().values_list("code", flat=True))
    assert codes == [f"1.{n}" for n in range(1, 10)]
    assert Category.objects.get(code="1.5").needs_legal_review


def test_the_2566_and_2567_ita_lists_have_43_items_and_are_confirmed():
    for year in (2566, 2567):
        items = ITAItem.objects.for_year(year)
        assert items.count() == 43
        assert items.first().code == "O1"
        assert items.get(code="O10").name == "นโยบายคุ้มครองข้อมูลส่วนบุคคล"
        assert not items.filter(needs_check=True).exists()
        assert ITAList.objects.get(fiscal_year=year).is_confirmed


def test_the_2568_and_2569_lists_ship_with_their_sources_and_wait_for_the_office():
    for year in (2568, 2569):
        items = ITAItem.objects.for_year(year)
        assert items.count() == 26
        ita_list = ITAList.objects.get(fiscal_year=year)
        assert "rtrdasmartrailway/web-app-rtrda" in ita_list.source
        assert ita_list.verification == ITAList.Verification.TO_CHECK
        assert "not found" in ita_list.notes  # the NACC manual was not found: said so
        assert not ita_list.is_confirmed
        assert items.filter(needs_check=True).count() == 26
    # Codes are renumbered between years: O10 is E-Service in 2569, the PDPA policy in 2566.
    assert "E-Service" in ITAItem.objects.get(fiscal_year=2569, code="O10").name
    o11 = ITAItem.objects.get(fiscal_year=2569, code="O11")
    assert o11.parts == ITAItem.Parts.MONTHLY
    assert ITAItem.objects.get(fiscal_year=2569, code="O12").data_year == 2568


def test_every_shipped_list_says_where_it_comes_from_and_what_is_unsure():
    for path in ITA_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["source"] and data["verification"] in ("verified", "to_check")
        codes = [row["code"] for row in data["items"]]
        assert len(codes) == len(set(codes))
        for row in data["items"]:
            assert row["name"] and row["status"] in ("verified", "to_check")
            assert row["data_year"] in (0, -1)
        if data["verification"] == "to_check":
            assert data["disagreements"]
            inferred = [row for row in data["items"] if "inferred" in row["note"]]
            assert inferred, "items whose name was inferred must say so"
    assert set(shipped_ita_lists()) == {2566, 2567, 2568, 2569}


def test_a_fresh_install_confirms_no_list_for_the_current_year():
    year = fiscal_year(dt.date.today())
    if year <= 2569:
        pytest.skip("the current year has a shipped list")
    assert not ITAItem.objects.filter(fiscal_year=year).exists()
    assert not ITAList.objects.confirmed().filter(fiscal_year=year).exists()


def test_categories_map_to_the_list_they_were_written_for_only():
    category = Category.objects.get(code="1.3")
    codes = set(category.ita_items.filter(fiscal_year=2567).values_list("code", flat=True))
    assert codes == {"O11", "O12", "O13"}
    assert not category.ita_items.filter(fiscal_year__in=[2568, 2569]).exists()


def test_copying_a_year_keeps_mappings_only_when_asked_and_never_overwrites():
    ITAItem.objects.filter(fiscal_year__gt=2567).delete()
    assert ita_copy_year(from_year=2567, to_year=2568) == 43
    assert not Category.objects.get(code="1.3").ita_items.filter(fiscal_year=2568).exists()
    edited = ITAItem.objects.get(fiscal_year=2568, code="O1")
    edited.name = "โครงสร้างหน่วยงาน (แก้ไขแล้ว)"
    edited.save()
    assert ita_copy_year(from_year=2567, to_year=2568) == 0
    edited.refresh_from_db()
    assert edited.name == "โครงสร้างหน่วยงาน (แก้ไขแล้ว)"
    assert not ITAList.objects.get(fiscal_year=2568).is_confirmed

    assert ita_copy_year(from_year=2567, to_year=2590, with_mappings=True) == 43
    assert Category.objects.get(code="1.3").ita_items.filter(fiscal_year=2590).count() == 3


def test_a_copied_list_cannot_be_confirmed_before_it_is_checked(people):
    ita_copy_year(from_year=2567, to_year=2590)
    with pytest.raises(ITAError, match="O1"):
        ita_confirm_year(fiscal_year=2590, user=people.webmaster)
    ITAItem.objects.filter(fiscal_year=2590).update(needs_check=False)
    confirmed = ita_confirm_year(fiscal_year=2590, user=people.webmaster)
    assert confirmed.is_confirmed and confirmed.confirmed_by == people.webmaster


def test_an_empty_year_cannot_be_confirmed(people):
    ita_rollover(today=dt.date(2033, 10, 1))  # FY 2577
    with pytest.raises(ITAError):
        ita_confirm_year(fiscal_year=2577, user=people.webmaster)


def test_the_rollover_opens_the_year_once_and_copies_nothing():
    ita_list, created = ita_rollover(today=dt.date(2030, 10, 1))  # FY 2574
    assert created and ita_list.fiscal_year == 2574 and not ita_list.is_confirmed
    assert ita_rollover(today=dt.date(2031, 9, 30)) == (ita_list, False)
    assert not ITAItem.objects.filter(fiscal_year=2574).exists()


def test_the_rollover_command_says_the_list_is_not_announced(capsys):
    call_command("ita_rollover")
    out = capsys.readouterr().out
    year = fiscal_year(dt.date.today())
    assert ITAList.objects.filter(fiscal_year=year).exists()
    if year > 2569:
        assert "not confirmed" in out


def test_migrate_no_longer_copies_a_list_into_the_current_year():
    year = fiscal_year(dt.date.today())
    ITAItem.objects.filter(fiscal_year=year).delete()
    call_command("migrate", "catalog", verbosity=0)
    if year > 2569:
        assert not ITAItem.objects.filter(fiscal_year=year).exists()


def test_the_upgrade_unconfirms_lists_copied_by_the_old_migrate(people):
    """Before this change migrate copied 2566's list into the current year, marked to check."""
    from tests.test_catalog_pages import a_category, make_items

    ITAList.objects.all().delete()
    ita_copy_year(from_year=2567, to_year=2570)  # what the old post-migrate hook did
    ITAList.objects.all().delete()
    o7 = ITAItem.objects.get(fiscal_year=2570, code="O7")
    item = make_items(1, a_category(), fiscal_year=2570)[0]
    item.ita_items.add(o7)

    migration = importlib.import_module("catalog.migrations.0015_unconfirm_copied_ita_lists")
    migration.forwards(apps, SimpleNamespace(connection=connection))

    assert ITAList.objects.get(fiscal_year=2566).is_confirmed
    assert not ITAList.objects.get(fiscal_year=2570).is_confirmed
    assert list(item.ita_items.all()) == [o7]  # nothing published loses its mapping
    assert not ITAItem.objects.confirmed().filter(fiscal_year=2570).exists()


def test_the_shipped_list_replaces_an_automatic_copy(capsys):
    ITAItem.objects.filter(fiscal_year=2569).delete()
    ita_copy_year(from_year=2567, to_year=2569)  # what the old migrate left in 2569
    call_command("ita_load_shipped", "2569")
    items = ITAItem.objects.for_year(2569)
    assert items.count() == 26 and items.filter(needs_check=True).count() == 26
    ita_list = ITAList.objects.get(fiscal_year=2569)
    assert "rtrdasmartrailway" in ita_list.source and not ita_list.is_confirmed
    assert "26 item(s) loaded" in capsys.readouterr().out


def test_the_shipped_list_never_replaces_a_confirmed_year():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("ita_load_shipped", "2567")
    with pytest.raises(CommandError):
        call_command("ita_load_shipped", "2599")
