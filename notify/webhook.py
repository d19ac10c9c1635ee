"""LINE's webhook: accept only calls signed with the channel secret; link, unlink.

Refusals go to the security log (esa_publish.security), with the caller's address. The answer
is quick (LINE expects one within seconds and retries otherwise): a signature check, a JSON
parse and at most a couple of small writes per event; anything to send goes to the queue.
"""

from __future__ import annotations

import json
import logging

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from esa_publish.security import client_address
from notify import line
from notify.linking import line_link, line_unlink
from notify.models import LineChannel

security_log = logging.getLogger("esa_publish.security")
log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # LINE's webhook bodies are a few kilobytes


def _refuse(request, reason: str, response):
    security_log.warning(
        "LINE webhook refused: %s address=%s",
        reason,
        client_address(request),
        extra={"event": "line_webhook_refused", "reason": reason},
    )
    return response


@csrf_exempt  # LINE cannot send a CSRF token; the signature authenticates the call instead
@require_POST
def webhook(request):
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        return _refuse(request, "body too large", HttpResponseBadRequest())
    body = request.body
    secret = LineChannel.current().secret
    if not secret:
        return _refuse(request, "LINE is not set up", HttpResponse(status=503))
    if not line.signature_is_valid(secret, body, request.headers.get("X-Line-Signature")):
        return _refuse(request, "bad or missing signature", HttpResponseForbidden())
    try:
        payload = json.loads(body)
        events = payload["events"]
    except (ValueError, KeyError, TypeError):
        return _refuse(request, "not a webhook body", HttpResponseBadRequest())
    for event in events if isinstance(events, list) else []:
        _handle(event)
    return HttpResponse("ok", content_type="text/plain")


def _handle(event) -> None:
    if not isinstance(event, dict):
        return
    source = event.get("source") or {}
    line_user_id = source.get("userId") if source.get("type") == "user" else None
    if not line_user_id:
        return  # group and room events: nothing of ours
    kind = event.get("type")
    if kind == "unfollow":
        if line_unlink(line_user_id=line_user_id):
            log.info("LINE unlinked by unfollow")
    elif kind == "message":
        message = event.get("message") or {}
        if message.get("type") == "text":
            line_link(text=str(message.get("text", ""))[:200], line_user_id=line_user_id)
    elif kind == "follow":
        # Adding the account links nothing by itself: the person must send their code.
        log.info("LINE follow event; waiting for a link code")
