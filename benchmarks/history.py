"""Benchmark history beyond resolutions: peer nominations with their grants, and closed pulse rounds' answers.

Each is one step of `HISTORY` in benchmarks/generate.py, written in bulk like the resolutions.
"""

import random
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert

from benchmarks.bulk import Org, Span, bulk, reset_sequences
from models import Nomination, PulseCellGroup, PulseQuestion, PulseRound, PulseTally, PulseTurnout, RewardGrant
from services.policy.pulse import PulseSettings
from services.pulse.rounds import questions_for

NOMINATIONS_PER_YEAR = 300_000
PULSE_ANSWERS_PER_YEAR = 250_000
REASONS = ("stayed late to fix a refund", "calmed an angry customer", "found the lost parcel", "covered my shift")


def generate_recognition(connection: Connection, org: Org, span: Span, rng: random.Random) -> int:
    """NOMINATIONS_PER_YEAR peer nominations in time order (4 in 5 shout-outs) and the grants of the accepted ones."""
    total = round(NOMINATIONS_PER_YEAR * (span.end - span.start).days / 365)
    seed = rng.random()

    def made() -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
        """The same nominations on every call (a seed per row): one pass writes them, a second their grants."""
        return (_nomination(org, span, n, total, random.Random(f"{seed}:{n}")) for n in range(total))

    written = bulk(connection, Nomination.__table__, (nomination for nomination, _ in made()))  # type: ignore[arg-type]
    written += bulk(connection, RewardGrant.__table__, (grant for _, grant in made() if grant))  # type: ignore[arg-type]
    reset_sequences(connection, ("nominations", "reward_grants"))
    return written


def _nomination(
    org: Org, span: Span, n: int, total: int, rng: random.Random
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    at = span.start + (span.end - span.start) * (n / total)  # timedelta * n overflows past about 3 years of them
    nominee = rng.choice(org.frontline)
    nominator = rng.choice([p for p in (rng.choice(org.frontline), org.manager_of[nominee]) if p != nominee])
    shoutout = rng.random() < 0.8
    status = "approved" if shoutout or rng.random() < 0.8 else "declined"
    if not shoutout and span.end - at < timedelta(days=7):
        status = "pending"
    approver = None if shoutout else org.manager_of[nominee]
    decided = at + timedelta(hours=5) if status != "pending" and not shoutout else None
    common = {
        "workspace_id": org.workspace_id,
        "nominator_id": nominator,
        "item_key": "shoutout" if shoutout else "voucher_25",
        "title": "Shout-out" if shoutout else "Coffee & cake voucher",
        "kind": "praise" if shoutout else "voucher",
        "value": Decimal(0 if shoutout else 25),
        "unit": "USD",
        "reason": rng.choice(REASONS),
        "resolution_id": None,
        "approver_id": approver,
    }
    nomination = common | {
        "id": n + 1,
        "nominee_id": nominee,
        "needs_approval": not shoutout,
        "public": True,
        "fingerprint": f"bench-{n + 1}",
        "status": status,
        "created_at": at,
        "decided_by_id": approver if decided else None,
        "decided_at": decided,
        "decline_reason": "not this time" if status == "declined" else None,
    }
    if status != "approved":
        return nomination, None
    grant = common | {
        "nomination_id": n + 1,
        "recipient_id": nominee,
        "manager_id": org.manager_of[nominee],
        "public": True,
        "status": "approved",
        "granted_at": decided or at,
    }
    return nomination, grant


def generate_pulse(connection: Connection, org: Org, span: Span, rng: random.Random) -> int:
    """A closed round every 30 days (3 questions of the default bank each); about PULSE_ANSWERS_PER_YEAR answers."""
    people = sorted({*org.manager_of, *org.manager_of.values()})
    per_round = min(len(people), round(PULSE_ANSWERS_PER_YEAR / (365 / 30) / 3))
    written, number, opens = 0, 1, span.start
    while opens + timedelta(hours=72) <= span.end:
        questions = _pulse_round(connection, org, number, opens)
        answering = rng.sample(people, per_round)
        tallies: Counter[tuple[int, int, int | None, int]] = Counter(
            _answer(org, question_id, nps, person, round_id, rng)
            for person in answering
            for round_id, question_id, nps in questions
        )
        rows = [
            {"round_id": r, "question_id": q, "group_manager_id": m, "value": v, "answers": n}
            for (r, q, m, v), n in sorted(tallies.items(), key=lambda item: (item[0][1], item[0][2] or 0, item[0][3]))
        ]
        turnout = Counter(org.manager_of.get(person) for person in answering)
        bulk(
            connection,
            PulseTurnout.__table__,  # type: ignore[arg-type]
            (
                {"round_id": questions[0][0], "group_manager_id": m, "invited": n, "answered": n}
                for m, n in turnout.items()
            ),
        )
        written += sum(tallies.values())
        bulk(connection, PulseTally.__table__, iter(rows))  # type: ignore[arg-type]
        bulk(connection, PulseCellGroup.__table__, _tree_at_close(org, questions[0][0]))  # type: ignore[arg-type]
        number, opens = number + 1, opens + timedelta(days=30)
    return written


def _tree_at_close(org: Org, round_id: int) -> Iterator[dict[str, int]]:
    """Every manager with each manager above them, themselves included: the tree results read a round through."""
    for leader in sorted(set(org.manager_of.values())):
        outer: int | None = leader
        seen: set[int] = set()
        while outer is not None and outer not in seen:
            seen.add(outer)
            yield {"round_id": round_id, "cell_leader_id": leader, "group_manager_id": outer}
            outer = org.manager_of.get(outer)


def _pulse_round(connection: Connection, org: Org, number: int, opens: datetime) -> list[tuple[int, int, bool]]:
    closes = opens + timedelta(hours=72)
    round_id = connection.execute(
        insert(PulseRound)
        .values(
            workspace_id=org.workspace_id,
            number=number,
            opens_on=opens.date(),
            local_time=None,
            started_at=opens,
            closes_at=closes,
            open_hours=72,
            reminder_hours=24,
            anonymity_threshold=5,
            status="closed",
            salt=None,
            started_by="benchmark",
            closed_at=closes,
        )
        .returning(PulseRound.id)
    ).scalar_one()
    questions = []
    for position, bank in enumerate(questions_for(number, PulseSettings())):
        low, high = bank.scale_range
        question_id = connection.execute(
            insert(PulseQuestion)
            .values(
                round_id=round_id,
                position=position,
                key=bank.key,
                text=bank.text,
                scale_min=low,
                scale_max=high,
                target=bank.target,
            )
            .returning(PulseQuestion.id)
        ).scalar_one()
        questions.append((round_id, question_id, (low, high) == (0, 10)))
    return questions


def _answer(
    org: Org, question_id: int, nps: bool, person: int, round_id: int, rng: random.Random
) -> tuple[int, int, int | None, int]:
    """(round, question, cell, value): a closed round keeps counts per cell, here each manager's direct reports."""
    value = rng.choice((6, 7, 8, 9, 9, 10, 3)) if nps else rng.choice((2, 3, 4, 4, 4, 5, 5))
    return round_id, question_id, org.manager_of.get(person), value
