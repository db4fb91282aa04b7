"""The digest's Block Kit stays within Slack's limits whatever the data (its text too, before and after the manager's
decisions); the recognition and pulse parts render; multi-line summaries are quoted whole."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bot.fakeslack.blockkit import message_problems, posted_problems
from handlers.blocks.digest import TEXT_BUDGET, as_text, digest_blocks
from handlers.blocks.digest_waiting import decided_line
from handlers.blocks.kit import Block, text_length
from handlers.digest_chart import digest_chart
from models import Employee, Resolution
from services.digest.pulse import NO_TEAM_THEN, TOO_FEW
from services.digest.resolutions import CategoryLine, ResolutionsPart, Story, Theme
from services.digest.week import Week
from services.digest.weekly import Digest, Person, PulsePart, RecognitionPart, Waiting
from services.policy.digest import DigestSettings
from services.suggestions.digest import SuggestionLine, SuggestionsPart

START = datetime(2026, 2, 23, 5, tzinfo=UTC)
LONG = "<@channel> " + "x" * 1990


def someone(name: str, slack_id: str = "U0SOMEONE", *, in_directory: bool = True) -> Person:
    return Person(2, slack_id, name, 1, None, True, in_directory)


def a_digest(**parts: object) -> Digest:
    week = Week(
        START,
        START + timedelta(days=7),
        START - timedelta(days=7),
        START,
        date(2026, 2, 23),
        date(2026, 3, 1),
        "2026-W09",
    )
    resolutions = ResolutionsPart(
        count=400,
        last_week=380,
        within=350,
        escalated=50,
        happy=200,
        outcome_known=300,
        value=(("USD", Decimal("12345.5")),),
        categories=tuple(
            CategoryLine(f"category_{n:02d}_" + "y" * 50, 10, (("USD", Decimal(10)),), 9) for n in range(40)
        ),
        stories=(
            Story(someone("Sam <Agent>"), "refund", Decimal(45), "USD", LONG),
            Story(someone("Lee"), "credit", Decimal(0), "USD", LONG),
        ),
        category_themes=(Theme("refund", 3, 1),),
        word_themes=(Theme("late", 6, 1),),
    )
    waiting = tuple(
        Waiting(n, someone("N" * 200), "refund", Decimal(80), "USD", LONG, START + timedelta(minutes=n))
        for n in range(1, 40)
    )
    values: dict[str, object] = {
        "workspace_id": 1,
        "manager": Person(1, "U0MGR1", "Maya", None, "America/New_York", True),
        "team_size": 12,
        "week": week,
        "currency": "USD",
        "settings": DigestSettings(),
        "resolutions": resolutions,
        "waiting": waiting,
    }
    return Digest(**{**values, **parts})  # type: ignore[arg-type]


def test_long_lists_and_long_texts_stay_within_block_kit_limits() -> None:
    blocks = digest_blocks(a_digest())

    assert message_problems({"text": "digest", "blocks": blocks}) == []
    text = as_text(blocks)
    assert f"and {40 - text.count(': 10 · $10 (last week 9)')} more" in text
    assert "and 29 more: your App Home shows the oldest 10" in text
    assert "<@\u200bchannel>" in text and "<@channel>" not in text
    assert "Sam <Agent>" in text and "Sam &lt;Agent&gt;" in str(blocks)


def test_money_given_in_an_earlier_currency_is_shown_in_its_own() -> None:
    """The policy moved from dollars to yen: $185 given before it and ¥20,000 after are not ¥20,185."""
    money = (("JPY", Decimal(20000)), ("USD", Decimal(185)))
    line = CategoryLine("credit", 4, money, 1)
    story = Story(someone("Sam"), "refund", Decimal(45), "USD", "parcel lost, refunded before the change")
    resolutions = replace(a_digest().resolutions, value=money, categories=(line,), stories=(story,))

    text = as_text(digest_blocks(a_digest(currency="JPY", resolutions=resolutions)))

    assert "*Customer fixes:* 400 (last week 380), ¥20,000 + $185 given" in text
    assert "credit: 4 · ¥20,000 + $185 (last week 1)" in text
    assert "— Sam, refund $45" in text


def test_the_recognition_and_pulse_parts_render_when_a_feature_supplies_them() -> None:
    recognition = RecognitionPart(given=4, received=7, unrecognised=tuple(someone(f"Person {n}") for n in range(14)))
    pulse = PulsePart("March round", (("We know what great service is", 4.2, 4.5),), (("Jan", 3.9), ("Mar", 4.2)))

    digest = a_digest(recognition=recognition, pulse=pulse)
    text = as_text(digest_blocks(digest))

    assert "*Recognition:* 7 received by the team, 4 given by it" in text
    assert "• Person 9\nand 4 more" in text
    assert "• We know what great service is — 4.2 (target 4.5, gap -0.3)" in text
    assert "Trend (mean of the 1–5 questions): Jan 3.9 → Mar 4.2" in text
    assert text.count("Team pulse") == 1, "the pulse part is shown once"
    assert "*Team pulse, March round:* 0 of 1 scores at or above target\n• We know" in text
    assert message_problems({"text": "digest", "blocks": digest_blocks(digest)}) == []
    assert digest_chart(digest).startswith(b"\x89PNG")


def test_multi_line_summaries_are_quoted_line_by_line_in_stories_and_waiting_requests() -> None:
    summary = "Parcel lost twice\n<b>so</b> I refunded & apologised"
    quoted = "> Parcel lost twice\n> &lt;b&gt;so&lt;/b&gt; I refunded &amp; apologised"
    resolutions = replace(
        a_digest().resolutions, stories=(Story(someone("Sam"), "refund", Decimal(45), "USD", summary),)
    )
    waiting = (Waiting(1, someone("Lee"), "refund", Decimal(80), "USD", summary, START),)

    blocks = digest_blocks(a_digest(resolutions=resolutions, waiting=waiting))
    texts = [block["text"]["text"] for block in blocks if block["type"] == "section"]

    assert any(f"{quoted}\n— Sam, refund $45" in text for text in texts), texts
    since = (
        f"<!date^{int(START.timestamp())}^{{date_short_pretty}} at {{time}}|{START.astimezone(UTC):%a %d %b %H:%M} UTC>"
    )
    assert any(text.endswith(f"waiting since {since}\n{quoted}") for text in texts), "on the reader's own clock"


def test_summaries_full_of_escaped_characters_are_cut_inside_their_quote() -> None:
    heavy = "&" * 2000
    resolutions = replace(a_digest().resolutions, stories=(Story(someone("Sam"), "refund", Decimal(45), "USD", heavy),))
    waiting = (Waiting(1, someone("Lee"), "refund", Decimal(80), "USD", heavy, START),)

    blocks = digest_blocks(a_digest(resolutions=resolutions, waiting=waiting))
    texts = [block["text"]["text"] for block in blocks if block["type"] == "section"]

    assert any("&amp;…\n— Sam, refund $45" in text for text in texts), texts
    assert any(text.endswith("&amp;…") and "waiting since" in text for text in texts), texts
    assert message_problems({"text": "digest", "blocks": blocks}) == []


def test_a_team_of_one_reads_one_person() -> None:
    blocks = digest_blocks(replace(a_digest(), team_size=1))

    assert "Maya's team: 1 person, direct and indirect" in as_text(blocks)


def test_the_dry_run_text_shows_a_date_where_slack_would_render_one() -> None:
    """`python -m bot digest send --dry-run` prints `as_text`: a date token reads as its fallback."""
    waiting = (Waiting(1, someone("Lee"), "refund", Decimal(80), "USD", "parcel lost", START),)

    printed = as_text(digest_blocks(a_digest(waiting=waiting)))

    assert "waiting since Mon 23 Feb 05:00 UTC\n" in printed and "<!date" not in printed


def longest(text: str, length: int) -> str:
    """`text` repeated to a field's full length, with characters that escaping lengthens."""
    return (text * length)[:length]


def a_busy_week_at_field_maxima() -> Digest:
    """Every name, category, summary, question and suggestion as long as the database or the form lets it be."""
    name, category = longest("Ana <María> & Co ", 200), longest("goodwill_&_gesture_", 64)
    summary = longest("Parcel <lost> & refunded, then\nre-sent; ", 2000)
    resolutions = replace(
        a_digest().resolutions,
        categories=tuple(
            CategoryLine(f"{n:02}{category}"[:64], 10, (("EUR", Decimal("99999.99")), ("USD", Decimal("99999.99"))), 9)
            for n in range(40)
        ),
        stories=(Story(someone(name), category, Decimal("99999.99"), "USD", summary),) * 2,
        category_themes=(Theme(category, 300, 200),) * 3,
        word_themes=(Theme(longest("parcel-", 300), 300, 200),) * 5,
    )
    waiting = tuple(
        Waiting(n, someone(name), category, Decimal("99999.99"), "USD", summary, START + timedelta(minutes=n))
        for n in range(1, 301)
    )
    question = longest("Do you have the <tools> & the authority ", 300)
    pulse = PulsePart("round 52", ((question, 3.3, 4.5),) * 20, tuple((f"R{n}", 3.9) for n in range(1, 53)))
    lines = [SuggestionLine(n, longest("Let us <refund> & re-send ", 1000), "open", 40, START) for n in range(5)]
    done = [replace(line, status="done", change=longest("We <did> & it works ", 500)) for line in lines * 2]
    return a_digest(
        manager=Person(1, "U0MGR1", name, None, "America/Argentina/ComodRivadavia", True),
        resolutions=resolutions,
        waiting=waiting,
        recognition=RecognitionPart(given=900, received=900, unrecognised=(someone(name),) * 60, rewards_given=9),
        pulse=pulse,
        suggestions=SuggestionsPart(waiting=tuple(lines), waiting_count=40, done=tuple(done)),
    )


def decided_by_everyone(blocks: list[Block]) -> list[Block]:
    """The digest as the manager's decisions leave it: every request declined, with the longest reason."""
    decider = Employee(name=longest("Ana <María> & Co ", 200))
    reason = longest("Out of <policy> & too late ", 1000)
    declined = Resolution(status="declined", decided_by=decider, decline_reason=reason)
    return [decided_line(declined) if block["type"] == "actions" else block for block in blocks]


@pytest.mark.parametrize("to_its_manager", [True, False], ids=["to the manager", "in HR's preview"])
def test_a_busy_week_at_field_maxima_fits_what_slack_accepts_in_one_message(to_its_manager: bool) -> None:
    blocks = digest_blocks(a_busy_week_at_field_maxima(), to_its_manager=to_its_manager)
    refreshed = decided_by_everyone(blocks)

    assert posted_problems({"text": "digest", "blocks": blocks}) == ("", [])
    assert posted_problems({"text": "digest", "blocks": refreshed}) == ("", [])
    assert max(text_length(blocks), text_length(refreshed)) <= TEXT_BUDGET
    text = as_text(blocks)
    assert text.count("waiting since") >= 5, "what waits on the manager comes first"
    assert "Waiting on" in text and "(300), oldest first" in text and "more" in text.split("(300)")[1]
    assert "*Recognition:* 900 received" in text and "*Team pulse, round 52:* 0 of 20 scores" in text
    assert "*Suggestions waiting on" in text and "*Customers:*" in text


@pytest.mark.parametrize(
    ("hidden", "to_the_manager", "in_hrs_preview"),
    [
        (
            NO_TEAM_THEN,
            "not shown: you had no team of your own when it closed",
            "not shown: Maya had no team of their own when it closed",
        ),
        (TOO_FEW, "too few of your team answered", "too few of Maya's team answered"),
    ],
)
def test_why_a_teams_pulse_is_not_shown_names_the_manager_in_hrs_preview(
    hidden: str, to_the_manager: str, in_hrs_preview: str
) -> None:
    digest = a_digest(pulse=PulsePart("round 1", (), (), hidden=hidden, threshold=5))

    [own] = [line for line in as_text(digest_blocks(digest)).splitlines() if line.startswith("*Team pulse")]
    [preview] = [
        line for line in as_text(digest_blocks(digest, to_its_manager=False)).splitlines() if "Team pulse" in line
    ]

    assert to_the_manager in own
    assert in_hrs_preview in preview and " you" not in preview and "your" not in preview
