"""Several people acting on the same request at the same moment (PostgreSQL: real row locks)."""

import threading

import pytest
from django.db import connection

from approvals import errors
from approvals.models import Decision
from approvals.services import request_act
from requests.models import PublicationRequest
from requests.states import State
from tests.workflow import make_request

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 50


def run_at_once(calls):
    """Run each call in its own thread (own database connection), all released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except errors.WorkflowError as exc:
            results[index] = (type(exc).__name__, exc.message)
        except Exception as exc:  # anything else is a bug the assertions should show
            results[index] = ("crash", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_only_one_of_several_simultaneous_decisions_wins(people):
    for _ in range(ROUNDS):
        req = make_request(people, State.RECOMMENDED)
        calls = [
            lambda req=req: request_act(
                request_id=req.pk,
                user=people.director,
                action="director.allow",
                expected_state=State.RECOMMENDED,
            ),
            lambda req=req: request_act(
                request_id=req.pk,
                user=people.director,
                action="director.deny",
                comment="ไม่อนุญาต",
                expected_state=State.RECOMMENDED,
            ),
            lambda req=req: request_act(
                request_id=req.pk,
                user=people.director,
                action="director.return",
                comment="แก้ไข",
                expected_state=State.RECOMMENDED,
            ),
            lambda req=req: request_act(
                request_id=req.pk,
                user=people.requester,
                action="withdraw",
                expected_state=State.RECOMMENDED,
            ),
        ]
        results = run_at_once(calls)
        outcomes = sorted(kind for kind, _ in results)
        assert outcomes == ["AlreadyDecided", "AlreadyDecided", "AlreadyDecided", "ok"], results
        for kind, message in results:
            if kind == "AlreadyDecided":
                assert message == errors.ALREADY_DECIDED
        decisions = Decision.objects.filter(request=req, from_state=State.RECOMMENDED)
        assert decisions.count() == 1
        req.refresh_from_db()
        assert req.state == decisions.get().to_state


def test_simultaneous_submissions_get_distinct_numbers(people):
    drafts = [make_request(people, State.DRAFT) for _ in range(8)]
    results = run_at_once(
        [
            (lambda pk=d.pk: request_act(request_id=pk, user=people.requester, action="submit"))
            for d in drafts
        ]
    )
    assert [kind for kind, _ in results] == ["ok"] * 8, results
    numbers = list(
        PublicationRequest.objects.filter(pk__in=[d.pk for d in drafts]).values_list(
            "doc_seq", flat=True
        )
    )
    assert sorted(numbers) == list(range(1, 9))
