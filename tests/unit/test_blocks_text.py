"""User text in Block Kit: multi-line text quoted line by line, cut without breaking the quote; counts in words."""

import html

import pytest

from bot.fakeslack.blockkit import message_problems
from handlers.blocks.kit import field_errors, packed_sections, plural, quote
from handlers.blocks.rewards import revoked_dms
from handlers.blocks.suggestions import channel_post, owner_card, status_for_author, we_did
from models import Employee, RewardGrant, Suggestion
from models.suggestion import SuggestionBacker

THREE_LINES = "The parcel was lost\n<b>twice</b> & late\n\nso I refunded it"
QUOTED = "> The parcel was lost\n> &lt;b&gt;twice&lt;/b&gt; &amp; late\n> \n> so I refunded it"


def test_every_line_of_a_quoted_text_is_quoted_and_escaped() -> None:
    assert quote(THREE_LINES) == QUOTED
    assert quote("@channel look") == "> @\u200bchannel look"


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


def person(name: str, slack_id: str) -> Employee:
    return Employee(name=name, slack_id=slack_id)


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
