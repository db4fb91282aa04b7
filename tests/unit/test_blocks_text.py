"""User text in Block Kit: multi-line text quoted line by line, cut without breaking the quote; counts in words."""

import html
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from bot.fakeslack.blockkit import message_problems
from handlers.blocks import nominations, resolutions, rewards, suggestions
from handlers.blocks.digest_team import suggestions_section
from handlers.blocks.kit import closed_within, field_errors, one_line, plain, plural, quote
from handlers.blocks.packing import packed_sections
from handlers.blocks.rewards import revoked_dms
from handlers.blocks.suggestion_lists import list_blocks
from handlers.blocks.suggestions import channel_post, owner_card, status_for_author, we_did
from models import Employee, Nomination, Resolution, RewardGrant, Suggestion
from models.suggestion import SuggestionBacker
from services.policy.rewards import RewardItem
from services.rewards.grants import RecognitionSummary, Shoutout
from services.suggestions.digest import SuggestionLine, SuggestionsPart
from services.suggestions.listing import Listed

THREE_LINES = "The parcel was lost\n<b>twice</b> & late\n\nso I refunded it"
QUOTED = "> The parcel was lost\n> &lt;b&gt;twice&lt;/b&gt; &amp; late\n> \n> so I refunded it"


def test_every_line_of_a_quoted_text_is_quoted_and_escaped() -> None:
    assert quote(THREE_LINES) == QUOTED
    assert quote("@channel look") == "> @\u200bchannel look"


def test_an_email_address_at_a_domain_named_like_a_channel_mention_is_left_whole() -> None:
    assert quote("ref jo@here.com, cc sales@Everyone.net") == "> ref jo@here.com, cc sales@Everyone.net"
    assert quote("(@here) ,@everyone") == "> (@\u200bhere) ,@\u200beveryone"


@pytest.mark.parametrize("limit", [10, 11, 12, 13, 14, 50, 51, 52, 53, 54, 55, 101])
def test_a_quote_cut_to_its_limit_stays_a_quote_and_never_splits_an_escaped_character(limit: int) -> None:
    text = "&<>\n" * 40

    quoted = quote(text, limit)

    assert len(quoted) <= limit and quoted.endswith("…")
    assert all(line.startswith("> ") for line in quoted.split("\n"))
    shown = html.unescape("\n".join(line[2:] for line in quoted.split("\n")))[:-1]
    assert text.startswith(shown), "the cut falls between whole characters of the user's text"
    assert len(quote(text, limit + 5)) > limit - 5, "the cut keeps nearly all the room"


def test_a_text_that_fits_is_not_cut() -> None:
    assert quote("a\nb", 7) == "> a\n> b"
    assert quote("a\nbc", 7) == "> a\n> …"


def test_a_text_on_several_lines_set_in_one_line_reads_on_that_line() -> None:
    assert one_line("stayed late\n\n:tada:  <b>", 100) == "stayed late :tada: &lt;b&gt;"
    assert one_line("&&&&", 11) == "&amp;&amp;…"


def test_every_kind_of_line_break_starts_a_quoted_line() -> None:
    assert quote("a\r\nb\rc\u2028d\x85e") == "> a\n> b\n> c\n> d\n> e"


def person(name: str, slack_id: str) -> Employee:
    return Employee(name=name, slack_id=slack_id)


FORGED = "a\n:tada: X"
"""A text whose second line, left unquoted, would read as a line of the bot's own."""
MARCH = datetime(2026, 3, 2, 9, tzinfo=UTC)


def a_forged_suggestion(status: str) -> Suggestion:
    return Suggestion(
        id=7,
        what=FORGED,
        why=FORGED,
        reason=FORGED,
        change=FORGED,
        category=None,
        status=status,
        anonymous=True,
        author=None,
        owner=person("Mo", "U3"),
        created_at=MARCH,
    )


def a_forged_resolution() -> Resolution:
    return Resolution(
        id=5,
        employee=person("Ana", "U1"),
        category="refund",
        amount=Decimal(60),
        currency="USD",
        customer_ref=FORGED,
        summary=FORGED,
        status="declined",
        exceeded="per-incident limit",
        created_at=MARCH,
        decided_by=person("Mo", "U3"),
        decline_reason=FORGED,
    )


def a_forged_nomination() -> Nomination:
    return Nomination(
        id=3,
        nominator=person("Ana", "U1"),
        nominee=person("Ben", "U2"),
        approver=person("Mo", "U3"),
        item_key="voucher",
        title="Voucher",
        value=Decimal(20),
        unit="USD",
        reason=FORGED,
        status="declined",
        decline_reason=FORGED,
    )


FORGED_LINE = ":tada: X"
BUILDERS: dict[str, Callable[[], Any]] = {
    "suggestion card": lambda: owner_card(a_forged_suggestion("not_doing")),
    "suggestion post": lambda: channel_post(a_forged_suggestion("done")),
    "suggestion note": lambda: suggestions.note_modal(a_forged_suggestion("planned"), "done", "C1", "1.2"),
    "suggestion to its author": lambda: status_for_author(a_forged_suggestion("done"), "Mo"),
    "you said, we did": lambda: we_did(a_forged_suggestion("done"), person("Mo", "U3")),
    "digest suggestions": lambda: suggestions_section(
        SuggestionsPart(
            waiting=(SuggestionLine(7, FORGED, "open", 2, MARCH),),
            waiting_count=1,
            done=(SuggestionLine(8, "idea", "done", 0, MARCH, change=FORGED),),
        ),
        3000,
        tz=None,
    ),
    "home shout-outs": lambda: rewards.recognition_home(
        RecognitionSummary(
            1, 1, 3, 2, datetime(2026, 4, 1, tzinfo=UTC), [Shoutout("Ana", "Ben", FORGED)], may_nominate=True
        )
    ),
    "revoked, for HR": lambda: rewards.hr_grant(
        RewardGrant(
            id=4,
            title="Voucher",
            value=Decimal(20),
            unit="USD",
            recipient=person("Ben", "U2"),
            nominator=person("Ana", "U1"),
        ),
        rewards.revoked_outcome("Hana HR", FORGED),
    ),
    "revoked, for both": lambda: revoked_dms(
        RewardGrant(
            id=4, title="Voucher", revoke_reason=FORGED, recipient=person("Ben", "U2"), nominator=person("Ana", "U1")
        )
    ),
    "customer history": lambda: resolutions.history_blocks([a_forged_resolution()]),
    "approval request": lambda: resolutions.approval_request(
        a_forged_resolution(), [a_forged_resolution()], heading="*Needs you*"
    ),
    "decided request": lambda: resolutions.decided(a_forged_resolution()),
    "outcome for the employee": lambda: resolutions.outcome_for_employee(a_forged_resolution()),
    "shout-out": lambda: nominations.shoutout("C1", [a_forged_nomination()], FORGED),
    "recognised": lambda: nominations.recipient_dm(a_forged_nomination()),
    "reward approval": lambda: nominations.approval_request(a_forged_nomination()),
    "reward decided": lambda: nominations.decided_request(a_forged_nomination(), "Mo"),
    "reward declined": lambda: nominations.declined_dm(a_forged_nomination(), person("Mo", "U3")),
    "suggestion list": lambda: list_blocks(Listed([], 0), Listed([a_forged_suggestion("open")], 1), tz=None),
}


def texts_in(node: object) -> list[str]:
    if isinstance(node, (list, tuple)):
        return [text for item in node for text in texts_in(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if isinstance(node.get("text"), str) else []
    return own + [text for value in node.values() if isinstance(value, (dict, list, tuple)) for text in texts_in(value)]


@pytest.mark.parametrize("builder", BUILDERS.values(), ids=BUILDERS.keys())
def test_text_typed_on_several_lines_never_starts_a_line_of_the_bots_own(builder: Callable[[], Any]) -> None:
    """Each line of it stays inside its quote, or the text is set on one line: never a line that reads as ours."""
    texts = texts_in(builder())

    assert any("X" in text for text in texts), "the builder shows the text"
    assert not [line for text in texts for line in text.splitlines() if line.startswith(FORGED_LINE)], texts


def test_a_multi_line_revoke_reason_is_quoted_whole_in_both_dms() -> None:
    grant = RewardGrant(
        id=4,
        title="Voucher",
        revoke_reason=THREE_LINES,
        recipient=person("Ana", "U1"),
        nominator=person("Ben", "U2"),
    )

    dms = revoked_dms(grant)

    for _who, message in dms:
        assert QUOTED in message["blocks"][0]["text"]["text"]
        assert message_problems(message) == []
    assert "so I refunded it\nIt no longer counts" in dms[1][1]["blocks"][0]["text"]["text"]


def a_suggestion(what: str) -> Suggestion:
    return Suggestion(
        id=9, what=what, why=None, category=None, status="planned", author=person("Ana", "U1"), owner=person("Mo", "U3")
    )


def test_a_multi_line_suggestion_is_quoted_whole_wherever_it_is_shown() -> None:
    suggestion = a_suggestion(THREE_LINES)

    texts = [
        owner_card(suggestion)[0]["text"]["text"],
        channel_post(suggestion)[0]["text"]["text"],
        status_for_author(suggestion, "Mo")[0]["text"]["text"],
    ]

    assert all(QUOTED in text for text in texts), texts


def test_a_long_suggestion_full_of_escaped_characters_still_fits_its_section() -> None:
    blocks = owner_card(a_suggestion("<&>\n" * 1000))

    assert message_problems({"text": "suggestion", "blocks": blocks}) == []
    assert blocks[0]["text"]["text"].endswith("…") and len(blocks[0]["text"]["text"]) < 1100


def test_counts_are_written_in_words_singular_or_plural() -> None:
    assert [plural(n, "question") for n in (0, 1, 2)] == ["0 questions", "1 question", "2 questions"]
    assert plural(2, "person", "people") == "2 people"


def test_a_form_error_reads_as_plain_text_and_keeps_what_the_person_typed() -> None:
    typed = field_errors("amount", "`5*2*` isn't an amount *here*; &lt;b&gt; &amp; more")

    assert typed == {"response_action": "errors", "errors": {"amount": "“5*2*” isn't an amount here; <b> & more"}}


def test_a_form_error_names_a_mentioned_person_in_words_not_as_a_raw_mention() -> None:
    refused = field_errors("people", "<@U0NEWBIE> is not an active member of this workspace")
    labelled = field_errors("people", "Nobody can approve a reward for <@U0NEWBIE|nora>: no manager")

    assert refused["errors"]["people"] == "This person is not an active member of this workspace"
    assert labelled["errors"]["people"] == "Nobody can approve a reward for nora: no manager"


def test_a_form_error_too_long_for_its_field_is_cut_before_its_last_sentence_which_survives() -> None:
    long = field_errors("people", "Refused because " + "very " * 80 + "long. Try again on Tuesday 31 March.")
    one_sentence = field_errors("people", "x" * 400)

    assert len(long["errors"]["people"]) == 300
    assert long["errors"]["people"].endswith("… Try again on Tuesday 31 March.")
    assert one_sentence["errors"]["people"] == "x" * 299 + "…"


def test_lines_too_many_for_their_room_end_with_how_many_were_left_out_and_where() -> None:
    short = packed_sections([f"line {n}" for n in range(100)], 3)
    long = packed_sections([f"{n}: " + "&amp;" * 500 for n in range(10)], 4, where="`/boundaries`")

    assert len(short) == 1 and short[0]["text"]["text"].count("\n") == 99
    assert len(long) == 4 and long[-1]["elements"][0]["text"] == "…and 7 more: `/boundaries`"
    assert message_problems({"text": "t", "blocks": long}) == []


def test_you_said_we_did_names_the_first_twenty_and_counts_the_other_backers() -> None:
    """160 colleagues backed the idea: every name would run past a section's 3,000 characters, cut mid-name."""

    def someone(number: int, name: str, *, in_directory: bool = True) -> Employee:
        return Employee(id=number, slack_id=f"U{number:08d}", name=name, in_directory=in_directory)

    idea = Suggestion(id=42, anonymous=False, what="Courier claim form in the help centre", status="done")
    idea.change = "The form is linked from every order page."
    idea.author = someone(1, "Sam Agent")
    idea.backers = [
        SuggestionBacker(employee=someone(100 + n, f"Colleague {n:03d}", in_directory=n % 2 == 0)) for n in range(160)
    ]

    blocks = we_did(idea, someone(2, "Maya Manager"))
    thanks = blocks[2]["text"]["text"]

    assert thanks.startswith("Thank you, Sam Agent, Colleague 000, <@U00000101>, Colleague 002,")
    assert thanks.endswith(", Colleague 018 and 141 other colleagues!")
    assert message_problems({"text": "You said, we did", "blocks": blocks}) == []


@pytest.mark.parametrize("opened", ["\u202e", "\u2067", "\u202b\u2066"])
def test_a_plain_text_cut_keeps_what_closes_its_direction_within_the_limit(opened: str) -> None:
    shown = plain(f"{opened}{'x' * 100}", 75)["text"]

    assert len(shown) == 75 and shown.startswith(opened)
    assert shown.endswith("…" + closed_within(opened, 10)[len(opened) :])


def test_a_label_of_nothing_but_overrides_still_fits() -> None:
    assert len(closed_within("\u202e" * 10, 1)) <= 1


def test_a_reward_titled_right_to_left_in_the_policy_closes_before_its_value_in_the_nominate_menu() -> None:
    voucher = RewardItem("voucher", "\u202eVoucher", "", "voucher", Decimal(25), "USD", True)

    modal = nominations.nominate_modal([voucher], [], channel=False)

    [reward] = [block for block in modal["blocks"] if block.get("block_id") == nominations.REWARD]
    assert reward["element"]["options"][0]["text"]["text"] == "\u202eVoucher\u202c (25 USD)"
