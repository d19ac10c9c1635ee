"""Is the workflow's record whole? Checks a database after concurrent load (not a test).

Run after bench/load_approvers.py (which calls it), or on any installation's database:

    DATABASE_URL=postgres://… .venv/bin/python bench/check_consistency.py [--client-log FILE]

For every request, its decisions in order (time, then id) must form one unbroken chain from
the draft: each decision starts from the state the previous one ended in, a workflow action
moves the state exactly as the state machine's transition for it does (and anything else, such
as creating the draft or changing files, leaves it), and the request's state is where the chain
ends. A lost decision breaks the chain or leaves the state ahead of it; a duplicated one starts
from a state the request had already left. Also checked: actions that need a reason have one;
memo numbers are unique per year, without gaps, and the year's counter matches them; a request
is published exactly when it has a live catalog item, and withdrawn items belong to unpublished
requests.

With ``--client-log`` (written by load_approvers.py), the decisions taken since the load started
must be exactly those the clients were told succeeded: none missing, none extra, and no client
saw a server error.

Prints what it found and exits with status 1 on any problem.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LISTED = 20


def setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esa_publish.settings")
    import django

    django.setup()


def expected_targets(action_name: str, from_state: str) -> set[str]:
    """The states the action's transition(s) may lead to from ``from_state`` (empty: none)."""
    from approvals.actions import ACTIONS
    from requests.models import PublicationRequest

    name = "submit" if action_name == "resubmit" else action_name
    transitions = [ACTIONS[name].transition]
    if name == "review.forward":  # a unit without a deputy goes straight to the director
        transitions.append("pass_first_review_to_director")
        transitions.append("agree_first_review")  # the first of two first reviewers
    targets = set()
    for transition in transitions:
        meta = getattr(PublicationRequest, transition)._django_fsm
        found = meta.get_transition(from_state)
        if found is not None:
            targets.add(str(found.target))
    return targets


def check_chains(problems: list[str]) -> dict:
    from approvals.actions import ACTIONS
    from approvals.models import Decision
    from requests.models import PublicationRequest
    from requests.states import State

    workflow_actions = set(ACTIONS) | {"resubmit"}
    decisions = defaultdict(list)
    for d in Decision.objects.order_by("created_at", "pk").iterator():
        decisions[d.request_id].append(d)
    counted = Counter()
    for req in PublicationRequest.objects.order_by("pk").iterator():
        state = str(State.DRAFT)
        for d in decisions.get(req.pk, []):
            counted["decisions"] += 1
            where = f"request {req.pk}, decision {d.pk} ({d.action})"
            if d.from_state != state:
                problems.append(f"{where}: starts from {d.from_state}, but the request was {state}")
            if d.action in workflow_actions:
                counted["state changes"] += 1
                targets = expected_targets(d.action, d.from_state)
                if d.to_state not in targets:
                    problems.append(
                        f"{where}: {d.from_state} → {d.to_state}, the transition gives "
                        f"{sorted(targets) or 'nothing'}"
                    )
                if ACTIONS["submit" if d.action == "resubmit" else d.action].comment_required and (
                    not d.comment.strip()
                ):
                    problems.append(f"{where}: needs a reason and has none")
            elif d.to_state != d.from_state:
                problems.append(f"{where}: not a workflow action, yet changes the state")
            state = d.to_state
        if req.state != state:
            problems.append(f"request {req.pk}: state {req.state}, its history ends at {state}")
        counted["requests"] += 1
        counted[f"state {req.state}"] += 1
    return dict(counted)


def check_memo_numbers(problems: list[str]) -> None:
    from requests.models import DocumentCounter, PublicationRequest

    by_year = defaultdict(list)
    for year, seq in PublicationRequest.objects.filter(doc_seq__isnull=False).values_list(
        "doc_year", "doc_seq"
    ):
        by_year[year].append(seq)
    counters = dict(DocumentCounter.objects.values_list("year", "last"))
    for year, seqs in sorted(by_year.items()):
        repeated = sorted(n for n, c in Counter(seqs).items() if c > 1)
        if repeated:
            problems.append(f"memo numbers used twice in {year}: {repeated[:MAX_LISTED]}")
        missing = sorted(set(range(1, max(seqs) + 1)) - set(seqs))
        if missing:
            problems.append(f"memo numbers skipped in {year}: {missing[:MAX_LISTED]}")
        if counters.get(year) != max(seqs):
            problems.append(
                f"the {year} counter is {counters.get(year)}, the highest number used {max(seqs)}"
            )


def check_catalog(problems: list[str]) -> None:
    from catalog.models import CatalogItem
    from requests.models import PublicationRequest
    from requests.states import State

    items = {item.request_id: item for item in CatalogItem.objects.filter(request__isnull=False)}
    for pk, state in PublicationRequest.objects.values_list("pk", "state"):
        item = items.get(pk)
        if state == State.PUBLISHED and (item is None or item.withdrawn_at is not None):
            problems.append(f"request {pk} is published but has no live catalog item")
        elif state == State.UNPUBLISHED and (item is None or item.withdrawn_at is None):
            problems.append(f"request {pk} is unpublished but its catalog item is not withdrawn")
        elif state not in (State.PUBLISHED, State.UNPUBLISHED) and item is not None:
            problems.append(f"request {pk} is {state} but has a catalog item ({item.pk})")


def check_against_clients(problems: list[str], path: Path) -> dict:
    """The decisions made during the run against the successes the clients were shown."""
    from approvals.actions import ACTIONS
    from approvals.models import Decision

    client = json.loads(path.read_text())
    started = dt.datetime.fromtimestamp(client["started"], dt.UTC)
    posts = client["posts"]
    server_errors = [p for p in posts if p.get("status", 0) >= 500 or p.get("get_status", 0) >= 500]
    server_errors += [p for p in posts if p.get("follow_status", 0) >= 500]
    if server_errors:
        problems.append(f"{len(server_errors)} server error(s) seen by the clients")
    unknown = [p for p in posts if p.get("outcome") in ("unknown", "no message", "ambiguous")]
    if unknown:
        problems.append(f"{len(unknown)} action(s) whose outcome the client could not read")

    told = Counter((p["request"], p["action"]) for p in posts if p.get("outcome") == "done")
    made = Counter()
    for request_id, action in Decision.objects.filter(
        created_at__gte=started, action__in=[*ACTIONS, "resubmit"]
    ).values_list("request_id", "action"):
        made[(request_id, "submit" if action == "resubmit" else action)] += 1
    lost = told - made
    extra = made - told
    if lost:
        problems.append(
            f"successes with no decision recorded: {sorted(lost.elements())[:MAX_LISTED]}"
        )
    if extra:
        problems.append(f"decisions no client was told of: {sorted(extra.elements())[:MAX_LISTED]}")
    return {
        "posts": len(posts),
        "decisions told": sum(told.values()),
        "decisions recorded since start": sum(made.values()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client-log", type=Path, help="the JSON file load_approvers.py wrote")
    args = parser.parse_args()
    setup_django()

    problems: list[str] = []
    counts = check_chains(problems)
    check_memo_numbers(problems)
    check_catalog(problems)
    if args.client_log:
        counts.update(check_against_clients(problems, args.client_log))

    print("consistency check:")
    for name, value in sorted(counts.items()):
        print(f"  {name}: {value}")
    if problems:
        print(f"{len(problems)} problem(s):")
        for problem in problems[:200]:
            print(f"  - {problem}")
        return 1
    print("  no problems: every chain unbroken, states, memo numbers and catalog agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
