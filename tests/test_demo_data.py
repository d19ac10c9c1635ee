"""``seed_demo``'s requests and catalog: every state, a browsable catalog, safe to run again."""

from __future__ import annotations

import pytest
from django.db.models import Count

from approvals.models import Decision
from catalog.demo import MARKER_TITLE
from catalog.models import CatalogFile, CatalogItem, CatalogPhoto
from esa_publish import demo
from requests.models import PublicationRequest
from requests.states import State

pytestmark = pytest.mark.django_db


def counts() -> dict:
    return {
        "requests": PublicationRequest.objects.count(),
        "items": CatalogItem.objects.count(),
        "decisions": Decision.objects.count(),
        "files": CatalogFile.objects.count(),
        "photos": CatalogPhoto.objects.count(),
    }


def test_the_demo_has_every_state_and_a_catalog_and_runs_again_harmlessly():
    lines = []
    demo.seed(lines.append)
    assert PublicationRequest.objects.filter(publish_title=MARKER_TITLE).exists()
    states = set(PublicationRequest.objects.values_list("state", flat=True))
    assert states == set(State.values)

    live = CatalogItem.objects.live()
    assert live.count() >= 30
    by_year = dict(live.values_list("fiscal_year").annotate(n=Count("pk")))
    assert set(by_year) >= {2568, 2569}
    assert live.values("category").distinct().count() >= 9
    assert len(set(live.values_list("published_at__date", flat=True))) >= 25
    assert CatalogFile.objects.filter(kind="pdf").exists()
    assert CatalogPhoto.objects.filter(is_cover=True).exists()
    # Every item came from a request that went through the workflow.
    assert not CatalogItem.objects.filter(request__isnull=True).exists()
    assert not CatalogItem.objects.filter(memo_file="").exists()

    withdrawn = CatalogItem.objects.get(withdrawn_at__isnull=False)
    assert withdrawn.withdrawal_reason
    assert withdrawn.request.state == State.UNPUBLISHED
    old = CatalogItem.objects.get(replaced_by__isnull=False)
    assert old.replaced_by.request.replaces == old

    scheduled = PublicationRequest.objects.get(
        state=State.APPROVED, publish_plan__publish_at__isnull=False
    )
    assert scheduled.publish_plan.webmaster.username == "webmaster"

    before = counts()
    demo.seed(lines.append)
    assert counts() == before
    assert any("already there" in line for line in lines)
