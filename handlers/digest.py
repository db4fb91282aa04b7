"""/digest: a private preview of this week's digest so far (the weekly DMs are handlers/jobs/send_weekly_digests.py)."""

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers.blocks import digest as blocks
from handlers.blocks.digest_unrecognised import unrecognised_blocks
from handlers.commands import Usage, is_help, unknown_argument, without_courtesy
from handlers.deps import deps_of
from handlers.people import command_caller, learn_if_wanted, person_labels
from models import Employee
from services.digest import access as digest_access
from services.digest.choice import Asked, UnknownWords, reads_any_team
from services.digest.weekly import Digest
from services.emoji import emoji_trimmed, has_words
from services.errors import DomainError
from services.sentence_words import as_written, plain_word
from services.text import SLACK_MENTION, as_slack_shows, echoed
from services.typed_words import meant_word, one_slip_apart

USAGE = Usage(
    command="/digest",
    purpose="your team's weekly digest so far, only for you (managers; HR and admins for any team).",
    forms=(
        ("/digest", "this week so far for your team: fixes, customers, what waits on you"),
        ("/digest team:Support East", "HR and admins: that team's digest (`team:` may be left out)"),
        (
            "/digest @Maya",
            "HR and admins: the digest of the team that person leads (to pick one of two teams of the same name)",
        ),
        (
            "/digest recognition",
            "everyone in your team nobody has recognised in 30 days (the digest lists the first few); "
            "HR and admins add `team:NAME` or `@leader` for that team",
        ),
        ("/digest help", "show this help"),
    ),
)
_TEAM = re.compile(r"^team:\s*(.*)$", re.IGNORECASE | re.DOTALL)
_TEAM_SAID = re.compile(r"^(?P<word>[^\s:]+)(?::\s*|\s+)(?P<name>\S.*)$", re.DOTALL)


def show_digest(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient) -> None:
    text = command.get("text", "").strip()
    if is_help(text):
        ack(text=USAGE.text())
        return
    reads = reads_of(text, person_labels(context))
    if isinstance(reads[0], str):
        ack(text=reads[0])
        return
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            caller = identity.employee
            shown = first_shown(session, caller, reads, deps.now())
    except UnknownWords as unknown:
        respond(text=unknown_words(unknown), response_type="ephemeral")
        return
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral")
        return
    if isinstance(shown, str):
        respond(text=shown, response_type="ephemeral")
        return
    listing, preview = shown
    mine = preview.manager.id == caller.id
    if listing:
        respond(
            **unrecognised_blocks(preview, to_its_manager=mine, narrower=reads_any_team(caller)),
            response_type="ephemeral",
        )
        return
    respond(
        text=blocks.digest_text(preview, to_its_manager=mine),
        blocks=blocks.digest_blocks(preview, to_its_manager=mine),
        response_type="ephemeral",
    )
    learn_if_wanted(client, deps, identity)


Read = tuple[bool, Asked | None] | str


def reads_of(text: str, labels: Mapping[str, str]) -> list[Read]:
    """What `text` asks, read as typed (a team may be called `Night Shift 🌙` or `Thanks Team`), then without the
    courtesy and emoji around it (`Support East please`, `:tada: Support East`), each read only when it differs; a
    read as typed that can name no team (a slip of a command word, a channel) is left out for the other."""
    typed = read_asked(text, labels, trimmed=False)
    polite = read_asked(" ".join(without_courtesy(text.split())) or text, labels, trimmed=True)
    return [polite] if isinstance(typed, str) or typed == polite else [typed, polite]


def first_shown(session: Session, caller: Employee, reads: list[Read], now: datetime) -> tuple[bool, Digest] | str:
    """The digest the first read names that the caller may see, else what the last says: its digest, its answer,
    or why it names none (raised)."""
    *tried, last = reads
    for read in tried:
        if not isinstance(read, str):
            try:
                return read[0], digest_access.preview_for(session, caller=caller, asked=read[1], now=now)
            except DomainError:
                continue
    if isinstance(last, str):
        return last
    return last[0], digest_access.preview_for(session, caller=caller, asked=last[1], now=now)


def read_asked(text: str, labels: Mapping[str, str], *, trimmed: bool) -> Read:
    """Whether the whole recognition list is asked for (`recognition` first), and whose digest: none (the caller's),
    a team after `team:`, a person picked from Slack's list, or words that may name a team; or, as a string, the
    answer to give at once (a channel, a slip of a command word, `team` alone). `trimmed`: the emoji around a
    team's name are left out."""
    first, *rest = text.split(maxsplit=1) or [""]
    listing = bool(first) and is_recognition_word(first)
    said = "".join(rest).strip() if listing else text
    said = emoji_trimmed(said) if trimmed else said
    if not said:
        return listing, None
    if team := _TEAM.match(said):
        name = team.group(1).strip()
        return listing, Asked(team=emoji_trimmed(name) if trimmed else name)
    if (person := SLACK_MENTION.fullmatch(as_written(said))) and person["person"]:  # `@maya.`
        return listing, Asked(person=person["person"])
    if SLACK_MENTION.search(said) or _is_command_word(said) or _is_team_word(said.rstrip(":")):
        return not_a_team(said, labels)
    return listing, Asked(words=tuple(dict.fromkeys((said, _team_named(said)))))


def _is_command_word(text: str) -> bool:
    """One word that is, or nearly is, one of the command's own: not a team's name."""
    return " " not in text and (text.lower() in USAGE.words() or meant_word(text, USAGE.words()) is not None)


def unknown_words(unknown: UnknownWords) -> str:
    """Words that name no team the caller may see: the one they nearly typed, else how a team is named."""
    typed = echoed(unknown.words[0])
    if unknown.words[0].startswith("@"):
        return USAGE.text(
            f"I don't know `{typed}` here. To name a team by its leader, pick them from Slack's list as you type "
            "their name; or name the team, like `/digest team:Support East`."
        )
    if unknown.meant:
        return USAGE.text(f"I don't know `{typed}` here. Did you mean `/digest team:{echoed(unknown.meant)}`?")
    if not has_words(unknown.words[-1]):  # `:tada:`, `👍`: no name to put after `team:`
        return USAGE.text(f"I don't know `{typed}` here. Name a team in words, like `/digest team:Support East`.")
    return USAGE.text(
        f"I don't know `{typed}` here. For a team's digest, write `team:` before its name: "
        f"`/digest team:{echoed(unknown.words[-1])}`."
    )


def is_recognition_word(text: str) -> bool:
    """`recognition` (or `unrecognised`), maybe with one slip: the whole list the digest cuts short."""
    typed = plain_word(text.strip())
    return typed in ("unrecognised", "unrecognized") or one_slip_apart(typed, "recognition")


def not_a_team(text: str, labels: Mapping[str, str]) -> str:
    """What to type instead of words that cannot name a team: a channel, several people, or people among words (the
    digest is a team's), a slip of a command word alone (a word close to `help` with more
    words after it, `/digest Help Desk`, begins a team's name, as no command word takes any), or `team` alone."""
    first = text.split()[0]
    if SLACK_MENTION.match(first):
        return USAGE.text(
            "The digest is a team's week, not a channel's: `/digest` shows your team's; name a team, like "
            "`/digest team:Support East`, or its leader alone, like `/digest @Maya`."
        )
    if text == first and (first.lower() in USAGE.words() or meant_word(first, USAGE.words())):
        return unknown_argument(USAGE, text, labels)
    if text == first and _is_team_word(first.rstrip(":")):
        return USAGE.text("Name the team after `team:`, like `/digest team:Support East`.")
    shown = as_slack_shows(text, labels, stranger="someone")
    return USAGE.text(
        f"I don't know `{echoed(shown)}` here. For a team's digest, write `team:` before its name: "
        f"`/digest team:{echoed(_team_named(shown))}`."
    )


def _team_named(text: str) -> str:
    """`team Support East`, `taem:Support East` -> `Support East`: the word team, maybe with a slip, said first."""
    said = _TEAM_SAID.match(text)
    return said["name"] if said and _is_team_word(said["word"]) else text


def _is_team_word(word: str) -> bool:
    return len(word) >= len("team") and one_slip_apart(word.lower(), "team")


def register(app: App) -> None:
    app.command("/digest")(show_digest)
