"""Global middleware: inject dependencies, drop unseen characters from what people type, keep a mention typed in a
form as characters, read slash-command text as typed (without the command typed again at its start), drop Slack's
retried events."""

import html
import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse

from handlers.deps import Deps
from handlers.event_attempts import EVENT_ATTEMPT, Attempt
from handlers.event_retries import RETRIED_EVENTS, kept_body
from models import ProcessedEvent
from services import event_retries
from services.rows import insert_new
from services.text import SLACK_MENTION, WORD_JOINER, labels_in, mention_label, without_unseen_characters

Middleware = Callable[..., BoltResponse | None]
log = logging.getLogger(__name__)
_SLACK_MARKUP = re.compile(
    r"<(?P<kind>[@#])(?P<id>[A-Z0-9]+)(?:\|(?P<name>[^<>]*))?>"
    r"|<(?P<link>(?:https?|mailto):[^<>|]*)(?:\|(?P<shown>[^<>]*))?>"
    r"|<!(?P<broadcast>here|channel|everyone)(?:\|[^<>]*)?>"
    r"|<!(?:(?P<subteam>subteam)\^[A-Z0-9]+|date\^[^<>|]*)(?:\|(?P<label>[^<>]*))?>"
)
USER_GROUP = "@group"
"""A user group Slack sent without its handle (`<!subteam^S123>`): still seen as one, never a ping."""
PERSON_LABELS = "person_labels"
"""The context key of the names Slack sent with the people a command's text mentions (`labels_sent`)."""


def drop_unseen_characters(body: dict[str, Any], next: Callable[[], None]) -> None:
    """Take NUL, the other control characters and those that take no room (a zero-width space, a byte order mark:
    `without_unseen_characters`) out of a command's text and a modal's inputs, where they enter.

    Nobody sees them (a paste can carry them), so refusing them would ask for a fix nobody can make, and
    PostgreSQL refuses NUL in text: dropping them is kinder. Line breaks and tabs stay.
    """
    if body.get("command") and isinstance(body.get("text"), str):
        body["text"] = without_unseen_characters(body["text"])
    view = body.get("view")
    if isinstance(view, dict) and isinstance(view.get("state"), dict) and "values" in view["state"]:
        view["state"]["values"] = _cleaned(view["state"]["values"], _prefilled_mentions(view.get("blocks")))
    next()


def _prefilled_mentions(node: Any) -> frozenset[str]:
    """The people and channels the form was filled in with (an idea held from `/suggest`'s text, where Slack made
    them mentions): kept as they were, they stay mentions; only one typed key by key is kept as characters."""
    if isinstance(node, dict):
        found = {m[0] for m in SLACK_MENTION.finditer(str(node.get("initial_value") or ""))}
        return frozenset(found).union(*(_prefilled_mentions(value) for value in node.values()))
    if isinstance(node, list):
        return frozenset().union(*(_prefilled_mentions(item) for item in node))
    return frozenset()


def drop_the_command_typed_again(body: dict[str, Any], next: Callable[[], None]) -> None:
    """`/resolve /resolve refund 20 …`: the command typed (or pasted with an example) again at the start of its text
    is left out, so the rest reads as meant rather than as an unknown category or idea."""
    command, text = body.get("command"), body.get("text")
    if isinstance(command, str) and isinstance(text, str):
        first, *rest = text.split(None, 1) or [""]
        if first.lower() == command.lower():
            body["text"] = rest[0].strip() if rest else ""
    next()


def _cleaned(node: Any, prefilled: frozenset[str]) -> Any:
    """Every string in a view's state values without the characters nobody sees, and a person or channel typed in
    it as `<@U1>` kept as characters (`typed_mentions`): text inputs hold `value`, rich text inputs nest theirs (a
    person picked there, or in a users_select, is an element of its own, not text); the ids and option values are
    ours and hold none."""
    if isinstance(node, str):
        return typed_mentions(without_unseen_characters(node), keep=prefilled)
    if isinstance(node, dict):
        return {key: _cleaned(value, prefilled) for key, value in node.items()}
    if isinstance(node, list):
        return [_cleaned(item, prefilled) for item in node]
    return node


def unescape_command_text(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> None:
    """Turn a command's text back into what the person typed, once, where it enters.

    With `should_escape: true` Slack sends `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;` (mentions and links stay
    markup): https://api.slack.com/reference/surfaces/formatting#escaping. Listeners and the database see the
    text as typed, with a person picked from Slack's list as `<@U123>` and a channel as `<#C123|support>` (its
    name kept: exports outside Slack show it, `#support`), which `escape_mrkdwn` lets through as mentions, a
    link as typed and `@here` as the words (which it defuses); builders escape the rest once. The name
    Slack wrote after each person goes on the context (`PERSON_LABELS`), for someone the directory does not know.
    """
    if body.get("command") and isinstance(body.get("text"), str):
        context[PERSON_LABELS] = labels_sent(body["text"])
        body["text"] = as_typed(body["text"])
    next()


def labels_sent(escaped: str) -> dict[str, str]:
    """`<@U1|sam> and <@U2>` -> `{"U1": "sam"}`: the name Slack wrote with each person (their handle or display
    name when they were picked), by Slack user id."""
    labels = {slack_id: mention_label(html.unescape(label)) for slack_id, label in labels_in([escaped]).items()}
    return {slack_id: label for slack_id, label in labels.items() if label}


def as_typed(escaped: str) -> str:
    """`&lt;3 <@U1|lee> <#C1|support> <https://x.example> <http://y.example|y.example> <!here> <!subteam^S1|@support>`
    -> `<3 <@U1> <#C1|support> https://x.example y.example @here @support` (a link as typed: `typed_link`; a user
    group or a date as its label, a user group Slack sent without one as `@group`: never a ping). A person's label is
    the name Slack shows for them, which the directory's replaces (`labels_sent` keeps it for someone the directory
    does not know); a channel's is its name.

    Only Slack's own markup is read as markup; what was typed key by key comes back as characters after it was
    recognised, and `<@U1>` typed so stays words (`typed_characters`): never a person named."""
    parts: list[str] = []
    position = 0
    for markup in _SLACK_MARKUP.finditer(escaped):
        parts += [typed_characters(escaped[position : markup.start()]), _plain(markup)]
        position = markup.end()
    return "".join([*parts, typed_characters(escaped[position:])])


def _plain(markup: re.Match[str]) -> str:
    if markup["kind"] == "#" and markup["name"]:
        return f"<#{markup['id']}|{html.unescape(markup['name'])}>"
    if markup["kind"]:
        return f"<{markup['kind']}{markup['id']}>"
    if markup["link"]:
        return typed_characters(typed_link(str(markup["link"]), markup["shown"]))
    if markup["broadcast"]:
        return f"@{markup['broadcast']}"
    if markup["label"]:
        return typed_characters(markup["label"])
    return USER_GROUP if markup["subteam"] else ""


def typed_characters(escaped: str) -> str:
    """Text Slack escaped, as typed (`typed_mentions`)."""
    return typed_mentions(html.unescape(escaped))


def typed_mentions(typed: str, keep: frozenset[str] = frozenset()) -> str:
    """A person or channel typed as `<@U1>` or `<#C1>` key by key keeps a word joiner after its `<` (unseen, as
    typed on screen), so nothing reading the text takes it for one picked from the list; those in `keep` stay."""
    return SLACK_MENTION.sub(
        lambda mention: mention[0] if mention[0] in keep else f"<{WORD_JOINER}{mention[0][1:]}", typed
    )


def typed_link(address: str, shown: str | None) -> str:
    """What the person typed that Slack made a link: the words shown when Slack linked them as typed (`acme.com`
    sent as `<http://acme.com|acme.com>`, as a customer reference or an order `AB12.io` is), else the address."""
    typed = address.removeprefix("mailto:")
    return shown if shown and shown == typed.split("://", 1)[-1] else typed


def drop_repeated_events(deps: Deps) -> Middleware:
    """An event id is handled once, whichever worker gets it; a retry is acked and dropped. A state-changing event is
    kept with it, for the app to run again itself if its listener fails (handlers/event_retries.py); the app's own
    run of one (its `Attempt` on the context, which no request from outside carries) goes through.

    This runs its own short transaction before the listener starts: it must not wrap `next()`,
    which in Bolt's sync App only marks the chain as passed.
    """

    def middleware(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        attempt = context.get(EVENT_ATTEMPT)
        if isinstance(attempt, Attempt):
            attempt.reached = True
            next()
            return None
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not _first_delivery(deps, str(event_id), body, context):
            log.info("dropping repeated delivery of event %s", event_id)
            return BoltResponse(status=200, body="")
        next()
        return None

    return middleware


def _first_delivery(deps: Deps, event_id: str, body: dict[str, Any], context: BoltContext) -> bool:
    event_type = str((body.get("event") or {}).get("type") or "")
    with deps.sessions.begin() as session:
        now = deps.now()
        row = {"event_id": event_id, "received_at": now}
        if insert_new(session.connection(), ProcessedEvent, ProcessedEvent.event_id, row) is None:
            return False
        if event_type in RETRIED_EVENTS:
            kept = kept_body(body)
            event_retries.keep(session.connection(), event_id=event_id, event_type=event_type, body=kept, now=now)
            context[EVENT_ATTEMPT] = Attempt(event_id, event_type, reached=True)
        return True
