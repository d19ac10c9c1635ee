"""Parallel uploads to one draft stay within the per-request limits (PostgreSQL: real row locks).

Issue 14.6: with 28 files on a draft, six posts of one file at the same moment each counted 28
and all went in (33 files, past the limit of 30).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from requests.models import Attachment
from requests.services import attachments_add, photos_add
from requests.uploads import UploadRejected
from tests.workflow import jpeg_bytes, make_request, pdf_bytes, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PARALLEL = 6


def post_at_once(calls) -> list[str]:
    """Run each call in its own thread (own connection), released together; "ok" or the code."""
    barrier = threading.Barrier(len(calls))
    results = [""] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            call()
            results[index] = "ok"
        except UploadRejected as exc:
            results[index] = exc.code
        except Exception as exc:  # anything else is a bug the assertions should show
            results[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_parallel_uploads_never_pass_the_file_count(people, settings):
    settings.UPLOAD_MAX_FILES = 30
    req = make_request(people)  # one file already
    attachments_add(
        req=req,
        user=people.requester,
        files=[upload(f"แนบ{n}.pdf", pdf_bytes()) for n in range(27)],
    )
    assert req.attachments.count() == 28

    def one_more(n, photo):
        if photo:
            return lambda: photos_add(
                req=req, user=people.requester, files=[upload(f"ภาพ{n}.jpg", jpeg_bytes())]
            )
        return lambda: attachments_add(
            req=req, user=people.requester, files=[upload(f"เพิ่ม{n}.pdf", pdf_bytes())]
        )

    results = post_at_once([one_more(n, photo=n % 2 == 1) for n in range(PARALLEL)])
    assert sorted(results) == ["ok", "ok"] + ["too_many_files"] * (PARALLEL - 2)
    assert req.attachments.count() + req.photos.count() == 30


def test_parallel_uploads_never_pass_the_byte_total(people, settings):
    req = make_request(people)
    size = len(pdf_bytes())
    existing = sum(Attachment.objects.filter(request=req).values_list("size", flat=True))
    settings.UPLOAD_MAX_REQUEST_BYTES = existing + 2 * size
    results = post_at_once(
        [
            lambda n=n: attachments_add(
                req=req, user=people.requester, files=[upload(f"เพิ่ม{n}.pdf", pdf_bytes())]
            )
            for n in range(PARALLEL)
        ]
    )
    assert results.count("ok") == 2
    assert sum(req.attachments.values_list("size", flat=True)) <= existing + 2 * size
