"""Writes to the ITA lists: opening a fiscal year, copying, importing, confirming, mapping
categories, and the office's "none" statements and part coverage.

Each function is one business action; it checks, writes inside one transaction and raises
:class:`ITAError` with a message the view shows as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.evidence import part_labels
from catalog.models import (
    Category,
    ITAItem,
    ITAList,
    ITANilStatement,
    ITAPartCoverage,
    PublishPlan,
)
from esa_publish.thai.fiscal import fiscal_year


class ITAError(Exception):
    """A refused ITA action; the message is for the person who asked."""


def _name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "full_name", "") or user.get_username()


def ita_list_for(year: int, *, using="default") -> ITAList:
    ita_list, _created = ITAList.objects.using(using).get_or_create(fiscal_year=year)
    return ita_list


def ita_rollover(*, today: dt.date | None = None, using="default") -> tuple[ITAList, bool]:
    """Open the current fiscal year: its list record, with no items and not confirmed.

    Run daily by the scheduler; does nothing once the year is open. The year's public page then
    says that its list is not yet announced until the office imports or copies and confirms one.
    """
    year = fiscal_year(today or timezone.localdate())
    return ITAList.objects.using(using).get_or_create(fiscal_year=year)


def ita_copy_year(
    *,
    from_year: int,
    to_year: int,
    needs_check: bool = True,
    with_mappings: bool = False,
    using="default",
) -> int:
    """Copy fiscal year ``from_year``'s ITA items to ``to_year``; returns how many were created.

    The copy is a draft for the office to edit and confirm: items are marked to check and the
    year is not confirmed by copying. Items whose code already exists in ``to_year`` are left as
    they are. Category mappings are copied only when asked (``with_mappings``): codes and meanings
    move between years, so carrying them over is the administrator's decision.
    """
    created = 0
    with transaction.atomic(using=using):
        target = ita_list_for(to_year, using=using)
        if target.is_confirmed:
            raise ITAError(
                _("รายการ ITA ปี %(year)s ยืนยันแล้ว ยกเลิกการยืนยันก่อนคัดลอก") % {"year": to_year}
            )
        if not target.source:
            target.source = _("คัดลอกจากรายการปีงบประมาณ %(year)s") % {"year": from_year}
            target.verification = ITAList.Verification.TO_CHECK
            target.save(update_fields=["source", "verification"])
        existing = set(
            ITAItem.objects.using(using).filter(fiscal_year=to_year).values_list("code", flat=True)
        )
        for item in ITAItem.objects.using(using).for_year(from_year).prefetch_related("categories"):
            if item.code in existing:
                continue
            copy = ITAItem.objects.using(using).create(
                fiscal_year=to_year,
                code=item.code,
                order=item.order,
                name=item.name,
                group=item.group,
                description=item.description,
                data_year_offset=item.data_year_offset,
                parts=item.parts,
                needs_check=needs_check,
            )
            if with_mappings:
                copy.categories.set(item.categories.all())
            created += 1
    return created


def _cited(items) -> list[str]:
    """Codes of ``items`` that a published item, a publishing plan, a request or a "none"
    statement refers to."""
    planned = set(
        PublishPlan.ita_items.through.objects.filter(itaitem__in=items).values_list(
            "itaitem_id", flat=True
        )
    )
    return sorted(
        {
            item.code
            for item in items
            if item.pk in planned
            or item.catalog_items.exists()
            or item.requests.exists()
            or item.nil_statements.exists()
        }
    )


@transaction.atomic
def ita_import_year(
    *,
    fiscal_year: int,
    rows: Iterable[Mapping],
    source: str,
    user,
    confirm: bool = False,
    notes: str = "",
    verification: str = ITAList.Verification.VERIFIED,
) -> ITAList:
    """Replace ``fiscal_year``'s list with ``rows`` (already validated), all or nothing.

    Refused when the year's list is confirmed, or when any of its current items is already cited
    (published items, requests, "none" statements): those must be corrected by hand so nothing
    published loses its item.
    """
    ita_list = ITAList.objects.select_for_update().filter(fiscal_year=fiscal_year).first()
    if ita_list is None:
        ita_list = ITAList.objects.create(fiscal_year=fiscal_year)
    if ita_list.is_confirmed:
        raise ITAError(
            _("รายการ ITA ปี %(year)s ยืนยันแล้ว ยกเลิกการยืนยันก่อนนำเข้ารายการใหม่") % {"year": fiscal_year}
        )
    current = list(ITAItem.objects.for_year(fiscal_year))
    cited = _cited(current)
    if cited:
        raise ITAError(
            _("ข้อ %(codes)s ของปี %(year)s มีรายการที่อ้างถึงแล้ว แก้ไขรายการเดิมในหน้าผู้ดูแลแทนการนำเข้า")
            % {"codes": ", ".join(cited), "year": fiscal_year}
        )
    ITAItem.objects.filter(pk__in=[i.pk for i in current]).delete()
    ITAItem.objects.bulk_create(
        ITAItem(
            fiscal_year=fiscal_year,
            order=order,
            code=row["code"],
            name=row["name"],
            group=row.get("group", ""),
            description=row.get("evidence", ""),
            data_year_offset=row.get("data_year_offset", 0),
            parts=row.get("parts", ""),
            needs_check=row.get("needs_check", False),
            source_note=row.get("note", ""),
        )
        for order, row in enumerate(rows, start=1)
    )
    ita_list.source = source
    ita_list.notes = notes
    ita_list.verification = verification
    ita_list.save()
    if confirm:
        ita_confirm_year(fiscal_year=fiscal_year, user=user)
        ita_list.refresh_from_db()
    return ita_list


@transaction.atomic
def ita_confirm_year(*, fiscal_year: int, user) -> ITAList:
    """The office confirms ``fiscal_year``'s list as the one announced for that year.

    Refused while the year has no items or any item is still marked to check: a confirmed list
    goes public, so every item on it must have been compared with the announcement.
    """
    ita_list = ITAList.objects.select_for_update().filter(fiscal_year=fiscal_year).first()
    items = ITAItem.objects.for_year(fiscal_year)
    if ita_list is None or not items.exists():
        raise ITAError(_("ปีงบประมาณ %(year)s ยังไม่มีรายการ ITA ให้ยืนยัน") % {"year": fiscal_year})
    unchecked = list(items.filter(needs_check=True).values_list("code", flat=True))
    if unchecked:
        raise ITAError(
            _("ยังยืนยันไม่ได้: ข้อ %(codes)s ยังต้องตรวจสอบกับประกาศของปี %(year)s")
            % {"codes": ", ".join(unchecked), "year": fiscal_year}
        )
    if ita_list.is_confirmed:
        return ita_list
    ita_list.confirmed_at = timezone.now()
    ita_list.confirmed_by = user
    ita_list.confirmed_by_name = _name(user)
    ita_list.save(update_fields=["confirmed_at", "confirmed_by", "confirmed_by_name"])
    return ita_list


def ita_unconfirm_year(*, fiscal_year: int) -> None:
    """Take the year's list off the public pages again (to correct it)."""
    ITAList.objects.filter(fiscal_year=fiscal_year).update(
        confirmed_at=None, confirmed_by=None, confirmed_by_name=""
    )


@transaction.atomic
def ita_set_mapping(*, fiscal_year: int, mapping: Mapping[int, Iterable[Category]]) -> None:
    """Set which categories feed each ITA item of ``fiscal_year`` (item id → categories).

    Only the year's own items change; other years' mappings stay as they are.
    """
    for item in ITAItem.objects.for_year(fiscal_year):
        if item.pk in mapping:
            item.categories.set(mapping[item.pk])


def _check_part(item: ITAItem, part: int | None) -> None:
    if part is None:
        return
    if not item.parts or part not in range(1, len(part_labels(item)) + 1):
        raise ITAError(_("ช่วงที่ระบุไม่มีในข้อนี้"))


def ita_record_nil(
    *, ita_item: ITAItem, text: str, stated_on: dt.date, user, part: int | None = None
) -> ITANilStatement:
    """Record the office's explicit "none" for an item (or one part of it)."""
    text = text.strip()
    if not text:
        raise ITAError(_("กรุณาระบุข้อความชี้แจง"))
    _check_part(ita_item, part)
    return ITANilStatement.objects.create(
        ita_item=ita_item,
        part=part,
        text=text,
        stated_on=stated_on,
        recorded_by=user,
        recorded_by_name=_name(user),
    )


def ita_cover_part(*, ita_item: ITAItem, catalog_item, part: int) -> ITAPartCoverage:
    """Say that published ``catalog_item`` is the evidence of ``part`` of ``ita_item``."""
    _check_part(ita_item, part)
    if part is None:
        raise ITAError(_("ช่วงที่ระบุไม่มีในข้อนี้"))
    if catalog_item.fiscal_year != ita_item.data_year:
        raise ITAError(
            _("รายการนี้เป็นข้อมูลปีงบประมาณ %(year)s ไม่ใช่ปีของข้อนี้") % {"year": catalog_item.fiscal_year}
        )
    coverage, _created = ITAPartCoverage.objects.get_or_create(
        ita_item=ita_item, catalog_item=catalog_item, part=part
    )
    catalog_item.ita_items.add(ita_item)
    return coverage
