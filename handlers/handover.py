"""Messages when a pending request or nomination changes hands: the new decider's DM with its buttons,
the old messages updated to say where it went, and a nomination's nominator told. Queued in the caller's
transaction; the outbox sends.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from handlers import handover_summary, home_again, suggestion_told
from handlers.blocks import nominations as nomination_blocks
from handlers.blocks import resolutions as resolution_blocks
from handlers.blocks import suggestions as suggestion_blocks
from handlers.blocks.kit import named, text_block, titled
from handlers.delivery import Outgoing
from handlers.digest_redraws import queue_digest_redraws
from handlers.message_updates import queue_updates
from handlers.reward_messages import request_key
from handlers.suggestion_shown import latest_handover
from models import Employee, Nomination, Resolution, Suggestion, Workspace
from services import follow_ups, outbox, outbox_series, settling
from services.handover import Handover
from services.money import format_money
from services.org_import import ImportReport
from services.outbox_keys import IN_SUMMARY
from services.rewards.approvals import went_up_key_prefix
from services.text import duration_words, escape_mrkdwn
from services.unsent import record_unsent


def describe_handover(handover: Handover) -> str:
    what = {"resolution": "request", "nomination": "reward nomination", "suggestion": "suggestion"}[handover.kind]
    previous = handover.previous.name if handover.previous else "nobody"
    whose = handover.requester.name if handover.requester else "an anonymous author"
    link = "by" if handover.kind == "suggestion" else "for"  # a nomination's requester is its nominee
    return f"{what} #{handover.number or handover.item_id} {link} {whose}: {previous} -> {handover.current.name}"


def queue_import_messages(session: Session, *, workspace: Workspace, report: ImportReport, now: datetime) -> None:
    """What an org import tells: its hand-overs, and the Homes of the managers it moved a requester with a request
    still waiting away from and to, which list it whoever decides it (services/org_moves.py)."""
    queue_handover_messages(
        session, workspace=workspace, handovers=report.handovers, now=now, homes_also=report.homes_moved
    )


def queue_handover_messages(
    session: Session,
    *,
    workspace: Workspace,
    handovers: list[Handover],
    now: datetime,
    gone: str | None = None,
    homes_also: Iterable[Employee] = (),
) -> None:
    """`gone`: someone no longer in the workspace (removed from it in a Grid org), whose DMs Slack no longer lets the
    bot reach: the copies sent to them stay as they are. Past `SUMMARY_OVER` requests (or nominations) handed to one
    person at once, they get one summary DM rather than one each (handlers/handover_summary.py). The Homes of those
    the items left and reached, and of `homes_also`, are published again (handlers/home_again.py)."""
    summarized = handover_summary.summarized(handovers)
    summaries = handover_summary.summary_keys(session, handovers=handovers, people=summarized, now=now)
    for handover in handovers:
        if handover.kind == "suggestion":
            _queue_suggestion_handover(session, workspace, handover, now, gone)
            continue
        if handover.kind == "resolution":
            prefix, dm = _resolution_dm(session, handover)
        else:
            prefix, dm = _nomination_dm(session, handover)
        item_key = prefix.removesuffix(":")
        goes_to = escape_mrkdwn(handover.current.name)
        moved = f":arrow_right: {_handed_over(session, handover)} now waits on *{goes_to}*, who decides it."
        shown = {"text": moved, "blocks": [text_block(moved)]}
        # The old copies not sent yet never will be; one on its way shows where the request went once it lands.
        settled = settling.settle(session, key=item_key, reason="handed over", shown=shown, now=now)
        # A summary that told of it (handed over among many before) no longer counts it as waiting on its reader.
        told_in = handover_summary.told_in(settled)
        handover_summary.queue_summary_updates(
            session, workspace_id=workspace.id, item_key=item_key, now=now, summaries=told_in
        )
        # Numbered: a request handed back and forth is announced each time, not only the first.
        number = outbox_series.count_under(session, key_prefix=f"{prefix}handover:") + 1
        for channel, ts in _reachable(session, item_key, settled.copies, gone):
            payload = {"channel": channel, "ts": ts, **shown}
            key = f"{prefix}moved:{number}:{ts}"
            outbox.enqueue(session, workspace=workspace, key=key, method="chat.update", payload=payload, now=now)
        # Keyed as gone up for good: a later hand-over restarts its wait, never hands it back down (services/handover).
        if handover.went_up:  # it says whom it waited on too: never handed back down to them either
            key = follow_ups.went_up_key(
                f"{went_up_key_prefix(handover.item_id)}{number}:", handover.previous, handover.current
            )
        else:
            key = f"{prefix}handover:{number}:{handover.current.slack_id}"
        summary = summaries.get(handover.current.id) if handover_summary.in_summary(handover, summarized) else None
        if summary is not None:
            handover_summary.count_as_reminded(session, handover, now)
            dm = {**dm, handover_summary.SUMMARY_NOTE: summary}
        _queue_decider_dm(session, workspace, key, dm, now, in_summary=summary is not None)
        asker, told = (_nominator_told if handover.kind == "nomination" else _requester_told)(session, handover, now)
        if asker.active:  # who asked was told who would decide: they hear who does now
            payload = {"channel": asker.slack_id, "text": told, "blocks": [text_block(told)]}
            key = f"{prefix}told-moved:{number}"
            outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now)
    handover_summary.queue_summaries(
        session, workspace=workspace, handovers=handovers, people=summarized, keys=summaries, now=now
    )
    home_again.queue_homes_again(session, workspace=workspace, handovers=handovers, now=now, also=homes_also)
    _queue_digest_redraws(session, handovers, now, gone)


def _queue_digest_redraws(session: Session, handovers: list[Handover], now: datetime, gone: str | None) -> None:
    """The weekly digests that offered a request handed on (its decider left, or no longer manages its requester)
    show it as no longer their reader's to decide; one gone up still is theirs (they may decide it yet)."""
    moved = [h for h in handovers if h.kind == "resolution" and not h.went_up]
    requests = [session.get_one(Resolution, handover.item_id) for handover in moved]
    before = {handover.previous.slack_id for handover in moved if handover.previous is not None}
    queue_digest_redraws(session, requests, now=now, held=False, gone=gone, readers=before)


def _queue_decider_dm(
    session: Session, workspace: Workspace, key: str, dm: dict[str, object], now: datetime, *, in_summary: bool
) -> None:
    """The new decider's DM with the buttons; one a summary stands for is written unsent, its key numbering the next."""
    if not in_summary:
        outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=dm, now=now)
        return
    reason, method = IN_SUMMARY, "chat.postMessage"
    record_unsent(session, workspace_id=workspace.id, key=key, method=method, payload=dm, reason=reason, now=now)


def _resolution_dm(session: Session, handover: Handover) -> tuple[str, dict[str, object]]:
    resolution = session.get_one(Resolution, handover.item_id)
    heading = (
        f"*{named(resolution.employee)}'s request now waits on you* "
        "(the person who was to decide it left or may no longer decide it):"
    )
    blocks = resolution_blocks.approval_request(resolution, [], heading=heading)
    text = resolution_blocks.decision_needed_text(resolution)
    return f"resolution:{resolution.id}:", {"channel": handover.current.slack_id, "text": text, "blocks": blocks}


def _handed_over(session: Session, handover: Handover) -> str:
    """What an old copy now stands for, named: once updated it is one line, all that is read aloud of it, and
    "This" would not say which of the decider's requests went."""
    if handover.kind == "resolution":
        resolution = session.get_one(Resolution, handover.item_id)
        return f"{named(resolution.employee)}'s {resolution_blocks.fix_words(resolution)}"
    nomination = session.get_one(Nomination, handover.item_id)
    return f"The nomination of {named(nomination.nominee)} for {titled(nomination.title)}"


def _nomination_dm(session: Session, handover: Handover) -> tuple[str, dict[str, object]]:
    nomination = session.get_one(Nomination, handover.item_id)
    request = nomination_blocks.approval_request(nomination)
    if handover.went_up:
        waited_on = named(handover.previous) if handover.previous else "its approver"
        heading = f"⏫ This nomination has waited too long for {waited_on}, so it comes to you:"
        request = {**request, "blocks": [text_block(heading), *request["blocks"]]}
    return f"{request_key(nomination.id)}:", dict(request)


def _nominator_told(session: Session, handover: Handover, now: datetime) -> tuple[Employee, str]:
    nomination = session.get_one(Nomination, handover.item_id)
    nominated = f"Your nomination of {named(nomination.nominee)} ({titled(nomination.title)})"
    if handover.went_up:
        waited_on = f"for {named(handover.previous)} " if handover.previous else ""
        waited = duration_words(now - nomination.created_at)
        return nomination.nominator, (
            f"{nominated} has waited {waited} {waited_on}without a decision, so it now goes to "
            f"{named(handover.current)} to approve."
        )
    told = (
        f"{nominated} now waits for approval by {named(handover.current)}: the person it was with has left or no "
        "longer manages them."
    )
    return nomination.nominator, told


def _requester_told(session: Session, handover: Handover, _now: datetime) -> tuple[Employee, str]:
    resolution = session.get_one(Resolution, handover.item_id)
    amount = f" of {format_money(resolution.amount, resolution.currency)}" if resolution.amount else ""
    told = (
        f"Your *{escape_mrkdwn(resolution.category)}*{amount} now waits on {named(handover.current)} to decide: "
        "the person it was with has left or may no longer decide it. I'll tell you the outcome here."
    )
    return resolution.employee, told


def _reachable(session: Session, key: str, copies: list[tuple[str, str]], gone: str | None) -> list[tuple[str, str]]:
    """The copies sent under `key` that were not sent to `gone`."""
    if gone is None:
        return copies
    return [
        (channel, ts)
        for channel, ts in copies
        if (outbox.sent_payload(session, key_prefix=key, channel=channel, ts=ts) or {}).get("channel") != gone
    ]


def _queue_suggestion_handover(
    session: Session, workspace: Workspace, handover: Handover, now: datetime, gone: str | None
) -> None:
    """The new owner's card with its buttons, the old cards saying where it went, and the author told (an anonymous one
    after a random wait, the latest move in place of one still waiting: handlers/suggestion_told.py). An anonymous
    one still held back (services/suggestions/release.py) has no card nor post yet: it reaches whoever owns it when
    released, and only its author hears of the move."""
    suggestion = session.get_one(Suggestion, handover.item_id)
    number = _suggestion_handover_number(session, suggestion.id)
    goes_to = escape_mrkdwn(handover.current.name)
    messages = _cards_handed_over(session, workspace, handover, number, now, gone) if suggestion.is_released else []
    if suggestion.author is None or suggestion.author.active:  # an anonymous author is told through the seal
        author = suggestion.author.slack_id if suggestion.author is not None else suggestion.author_seal
        which = f"suggestion #{suggestion.number}" if suggestion.number is not None else "suggestion, still on its way,"
        told = f"Your {which} now goes to {goes_to}: the person it was with has left or no longer answers it."
        payload = {
            "channel": author,
            "text": suggestion_blocks.to_the_author(suggestion, told),
            "blocks": [text_block(told)],
        }
        moves = suggestion_told.moves_key_prefix(suggestion.id)
        news = Outgoing(f"{moves}{number}", "chat.postMessage", payload)
        if suggestion.anonymous:
            suggestion_told.queue_waiting(session, workspace, news, key_prefix=moves, now=now)
        else:
            messages.append((news.key, news.method, news.payload))
    for key, method, payload in messages:
        outbox.enqueue(session, workspace=workspace, key=key, method=method, payload=payload, now=now)


def _suggestion_handover_number(session: Session, suggestion_id: int) -> int:
    """Each hand-over queues the new owner's card (none while the idea is held back) or its author's word (none to a
    named author who left), or both: numbering after the highest either used (not how many each has, which skip
    numbers) never reuses a number, whose message would be dropped as already queued."""
    return 1 + max(
        latest_handover(session, suggestion_id),
        outbox_series.highest_number_under(session, key_prefix=suggestion_told.moves_key_prefix(suggestion_id)),
    )


def _cards_handed_over(
    session: Session, workspace: Workspace, handover: Handover, number: int, now: datetime, gone: str | None
) -> list[tuple[str, str, dict[str, Any]]]:
    """The old cards updated, the channel's post too (queued here), and the new owner's card (to queue)."""
    suggestion = session.get_one(Suggestion, handover.item_id)
    cards = f"suggestion:{suggestion.id}:owner"
    moved = (
        f":arrow_right: Suggestion #{suggestion.number} now goes to *{escape_mrkdwn(handover.current.name)}*, "
        "who answers it."
    )
    shown = {"text": moved, "blocks": [text_block(moved)]}
    # The old cards not sent yet never will be; one on its way says where the suggestion went once it lands.
    old_cards = settling.settle(session, key=cards, reason="handed over", shown=shown, now=now).copies
    messages: list[tuple[str, str, dict[str, Any]]] = [
        (f"suggestion:{suggestion.id}:moved:{number}:{ts}", "chat.update", {"channel": channel, "ts": ts, **shown})
        for channel, ts in _reachable(session, cards, old_cards, gone)
    ]
    # The channel's post is updated in the series of its other updates: a newer one (a status change, a "me too")
    # then drops this one, should Slack still hold it back, rather than be overwritten by it.
    posts = outbox.sent_messages(session, key_prefix=f"suggestion:{suggestion.id}:channel")
    post = {"text": suggestion_blocks.headline(suggestion), "blocks": suggestion_blocks.channel_post(suggestion)}
    queue_updates(session, workspace.id, posts, dict.fromkeys(posts, 0.0), post, now=now, channel_use="suggestions")
    card = suggestion_blocks.owner_card(suggestion)
    text = f"Suggestion #{suggestion.number} now comes to you"
    messages.append(
        (
            f"{cards}:handover:{number}:{handover.current.slack_id}",
            "chat.postMessage",
            {"channel": handover.current.slack_id, "text": text, "blocks": card},
        )
    )
    return messages
