"""/resolve typed a little off: an amount before the category or a missing summary, answered with the command to type
instead and nothing logged, and a category written with a space or a hyphen, read as that category."""

import pytest
from sqlalchemy import func, select

from models import Resolution
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def logged(bot: RunningBot) -> int:
    with bot.sessions() as session:
        return session.scalar(select(func.count()).select_from(Resolution)) or 0


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [
        ("45 refund order 1234 arrived late", "/resolve refund 45 order 1234 arrived late"),
        ("$45 Refund order 1234", "/resolve refund $45 order 1234"),
        ("20 fee waiver order 77", "/resolve fee_waiver 20 order 77"),
        (
            "45 refund order 1234 arrived late and the customer was very upset about it",
            "/resolve refund 45 order 1234 arrived late and the customer…",
        ),
    ],
)
def test_an_amount_typed_before_the_category_is_answered_with_the_category_first(
    ready: RunningBot, typed: str, corrected: str
) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert f"Put the category first: `{corrected}`" in reply.text
    assert "isn't one of your categories" not in reply.text
    assert logged(ready) == 0


def test_an_amount_before_a_word_that_is_no_category_is_still_an_unknown_category(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", "45 teleport beamed it")

    assert "`45` isn't one of your categories" in reply.text
    assert logged(ready) == 0


@pytest.mark.parametrize("typed", ["fee waiver 20 order 77 late fee", "Fee-Waiver 20 order 77 late fee"])
def test_a_category_written_with_a_space_or_a_hyphen_is_that_category(ready: RunningBot, typed: str) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your *fee_waiver* of $20" in reply.text
    with ready.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        assert (fix.category, fix.amount, fix.summary) == ("fee_waiver", 20, "order 77 late fee")


def test_boundaries_reads_a_category_written_with_a_hyphen(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/boundaries", "fee-waiver")

    assert "*fee_waiver* — up to $30" in reply.text


@pytest.mark.parametrize(
    ("typed", "example"),
    [("reschedule", "/resolve reschedule order 1234 arrived late"), ("credit 20", "/resolve credit 45 order 1234")],
)
def test_a_missing_summary_is_shown_an_example_of_the_category_typed(
    ready: RunningBot, typed: str, example: str
) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Say what happened and what you did" in reply.text
    assert example in reply.text and "refund" not in reply.text
    assert logged(ready) == 0


@pytest.mark.parametrize("first", ["<@U0AGENT2|lee>", "<#C0SUPPORT|support>"])
def test_a_person_or_channel_named_before_the_category_is_answered_with_the_category_first(
    ready: RunningBot, first: str
) -> None:
    """Slack sends the person picked as `<@U0AGENT2|lee>`: the answer says to start with the category, not that
    `<@u0agent2>` (lowercased, its brackets escaped) is no category."""
    reply = ready.driver.command("U0AGENT1", "/resolve", f"{first} refund 45 order 1234 arrived late")

    assert "Start with the category, like `/resolve refund …`" in reply.text
    assert "u0agent2" not in reply.text and "&lt;" not in reply.text
    assert logged(ready) == 0


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("refund 20 ref:ABC 123 parcel lost", ("`ABC` or `ABC 123`", 'ref:"ABC 123"', "`ref:ABC for 123 …`")),
        ("credit 10 ref:020 7946 0018 called twice", ("`020` or `020 7946 0018`", "`ref:02079460018`", "")),
        ("refund 20 order 1234 56 arrived late", ("`1234` or `1234 56`", 'ref:"1234 56"', "`order 1234 for 56 …`")),
        ("refund 20 ref:ABC 123", ("`ABC` or `ABC 123`", 'ref:"ABC 123"', "`ref:ABC for 123 …`")),
        ("refund 20 ref:ABC 123 was lost", ("`ABC` or `ABC 123`", 'ref:"ABC 123"', "`ref:ABC for 123 …`")),
        ("credit 10 order 020 7946 0018", ("`020` or `020 7946 0018`", "`ref:02079460018`", "")),
        ("credit 10 ref:020 7946 0018 30 minutes late", ("`020` or `020 7946 0018`", "`ref:02079460018`", "")),
        ("refund 20 ref:ABC 123 arrives late", ("`ABC` or `ABC 123`", 'ref:"ABC 123"', "")),
        ("refund 20 ref:ABC 123 sometimes late", ("`ABC` or `ABC 123`", 'ref:"ABC 123"', "")),
        ("refund 20 ref:ABC 123 box crushed", ("`ABC` or `ABC 123`", 'ref:"ABC 123"', "")),
        ("refund 20 ref:ABC 2024 parcel lost", ("`ABC` or `ABC 2024`", 'ref:"ABC 2024"', "")),
        ("refund 20 ref:INV 2024.0012 late", ("`INV` or `INV 2024`", "", "")),
        ("refund 20 ref:ABC DEF late", ("`ABC` or `ABC DEF`", 'ref:"ABC DEF"', "`ref:ABC for DEF …`")),
        ("refund 20 ref:ABC 12B late", ("`ABC` or `ABC 12B`", 'ref:"ABC 12B"', "")),
        ("refund 20 ref:ABC 123 vouchers given", ("`ABC` or `ABC 123`", 'ref:"ABC 123"', "")),
        ("refund 20 order 1234 56 arrives tomorrow", ("`1234` or `1234 56`", 'ref:"1234 56"', "")),
        ("refund 20 ref:AB 12 needs a callback", ("`AB` or `AB 12`", 'ref:"AB 12"', "")),
        ("refund 20 ticket 4471 23 keeps crashing", ("`4471` or `4471 23`", 'ref:"4471 23"', "")),
        ("refund 20 order 5521 10 looks damaged", ("`5521` or `5521 10`", 'ref:"5521 10"', "")),
    ],
)
def test_a_customer_reference_pasted_with_spaces_is_asked_about_and_nothing_is_logged(
    ready: RunningBot, typed: str, meant: tuple[str, str, str]
) -> None:
    """Read as `ABC` and a summary starting `123`, the fix would count against another customer's limits. A word after
    the digits that counts nothing (`56 arrived`, `123 was`) leaves them as likely the reference's as the summary's;
    a count after them (`30 minutes`) is the summary's, and the groups before it are still asked about."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Is the customer reference" in reply.text and "Nothing was logged." in reply.text
    assert all(part in reply.text for part in meant)
    assert logged(ready) == 0


@pytest.mark.parametrize(
    ("typed", "reference", "summary"),
    [
        ("refund 20 order 1234 30 minutes late", "order 1234", "order 1234 30 minutes late"),
        ("refund 20 ticket 88213 10 days late", "ticket 88213", "ticket 88213 10 days late"),
        ("credit 15 order 5521 12 eggs broken", "order 5521", "order 5521 12 eggs broken"),
        ("refund 20 order 1234 10 am slot missed", "order 1234", "order 1234 10 am slot missed"),
        ("refund 20 order 1234 10:30 slot missed", "order 1234", "order 1234 10:30 slot missed"),
        ("refund 20 order 1234 2024 model recalled", "order 1234", "order 1234 2024 model recalled"),
        ("refund 20 order 1234 20 dollars back", "order 1234", "order 1234 20 dollars back"),
        ("refund 20 ref:ABC123 30 minutes late", "ABC123", "30 minutes late"),
        ("refund 20 order 1234 12.50, refunded shipping", "order 1234", "order 1234 12.50, refunded shipping"),
        ("refund 20 order 1234 10:30, courier missed", "order 1234", "order 1234 10:30, courier missed"),
        ("refund 20 order 1234 12 pizzas cold", "order 1234", "order 1234 12 pizzas cold"),
        ("refund 20 ref:ABC 12 vouchers given", "ABC", "12 vouchers given"),
        ("refund 20 order 5521 10 headsets broken", "order 5521", "order 5521 10 headsets broken"),
        ("refund 20 ref:Q77 12 scratches on screen", "Q77", "12 scratches on screen"),
        ("refund 20 ref:ABC 3 broken cups", "ABC", "3 broken cups"),
        ("refund 20 ref:ABC 1 item missing", "ABC", "1 item missing"),
        ("refund 20 order 5521 2 missing", "order 5521", "order 5521 2 missing"),
        ("refund 20 ref:Q77 2 of 3 missing", "Q77", "2 of 3 missing"),
        ("refund 20 ref:smith was late", "smith", "was late"),
        ("refund 20 ref:smith cc manager", "smith", "cc manager"),
    ],
)
def test_a_reference_followed_by_a_count_a_time_or_a_year_is_logged_with_it_in_what_happened(
    ready: RunningBot, typed: str, reference: str, summary: str
) -> None:
    """Asked "Is the customer reference `1234` or `1234 30`?", the agent was offered `ref:123430`, another customer;
    `ref:Q77 12 scratches on screen` was asked whether the reference was `Q77 12`."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Is the customer reference" not in reply.text
    with ready.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        assert (fix.customer_ref, fix.summary) == (reference, summary)


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ('refund 20 ref:"ABC 123" parcel lost', "ABC 123"),
        ("refund 20 ref:ABC123 2 parcels lost", "ABC123"),
        ("refund 20 order 1234 on 2026-03-01, 3 items", "order 1234"),
    ],
)
def test_a_reference_quoted_or_followed_by_words_is_logged_as_typed(
    ready: RunningBot, typed: str, reference: str
) -> None:
    ready.driver.command("U0AGENT1", "/resolve", typed)

    with ready.sessions() as session:
        assert session.scalars(select(Resolution.customer_ref)).one() == reference


@pytest.mark.parametrize(
    "typed",
    [
        "credit 20, sorry for the wait",
        "credit $20. Sorry for the wait",
        "credit 20: sorry for the wait",
        "credit 20.00; sorry",
        "credit 20\u2026 sorry for the wait",
    ],
)
def test_a_mark_of_the_sentence_right_after_the_amount_ends_it(ready: RunningBot, typed: str) -> None:
    """Refused, `20,` was answered "isn't an amount I understand. Use digits, like `45`", to someone who had; so was
    `20…`, the one-character ellipsis a phone makes of three full stops."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your credit of $20." in reply.text
    assert logged(ready) == 1


@pytest.mark.parametrize("typed", ["Credit: 20 sorry for the wait", "\u201ccredit\u201d 20 sorry for the wait"])
def test_a_category_with_a_colon_or_in_quotes_is_that_category(ready: RunningBot, typed: str) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your credit of $20." in reply.text
    assert logged(ready) == 1


@pytest.mark.parametrize("dash", ["—", "–", "-"])
def test_a_dash_set_apart_between_the_category_and_the_amount_is_no_minus(ready: RunningBot, dash: str) -> None:
    """A phone makes `--` an em dash: `refund — 20 …` was refused as "The amount can't be negative (you typed `—`)"."""
    reply = ready.driver.command("U0AGENT1", "/resolve", f"refund {dash} 20 order 42 {dash} customer angry")

    assert "Logged your refund of $20." in reply.text and "negative" not in reply.text
    with ready.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        assert (fix.amount, fix.customer_ref, fix.summary) == (20, "order 42", f"order 42 {dash} customer angry")


@pytest.mark.parametrize(
    ("typed", "reference", "summary"),
    [
        ("refund 20 ref:12345 VIP customer", "12345", "VIP customer"),
        ("refund 20 ref:ABC123 TV arrived broken", "ABC123", "TV arrived broken"),
        ("refund 20 ref:4471 PS5 broken", "4471", "PS5 broken"),
        ("refund 20 ref:XK-99 ASAP", "XK-99", "ASAP"),
        ("refund 20 ref:ABC123 OK now", "ABC123", "OK now"),
    ],
)
def test_a_common_acronym_after_a_reference_is_logged_as_what_happened(
    ready: RunningBot, typed: str, reference: str, summary: str
) -> None:
    """`ref:12345 VIP customer` was asked "Is the customer reference `12345` or `12345 VIP`?" and nothing logged."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your refund of $20." in reply.text
    with ready.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        assert (fix.customer_ref, fix.summary) == (reference, summary)


@pytest.mark.parametrize(
    ("typed", "summary"),
    [
        ("credit 5 ref:ABC123:tada: thanks for waiting", ":tada: thanks for waiting"),
        ("credit 5 ref:ABC123, sorry for the wait", "sorry for the wait"),
        ("credit 5 late parcel (ref:ABC123), sorry", "late parcel sorry"),
        ("credit 5 ref:ABC123. Sorry for the wait", "Sorry for the wait"),
        ("credit 5 ref:ABC123 outcome:happy:tada: sorted", ":tada: sorted"),
        ("credit 5 \u201cref:ABC123\u201d sorry for the wait", "sorry for the wait"),
        ("credit 5 ref:ABC123\u2019s parcel late", "parcel late"),
    ],
)
def test_a_mark_or_an_emoji_typed_onto_a_reference_is_the_sentences_not_the_customers(
    ready: RunningBot, typed: str, summary: str
) -> None:
    """Slack sends a picked emoji as its code: `ref:ABC123:tada:` was customer `ABC123:tada:`, another customer than
    `ABC123` to the 30-day limit and the history; `ref:ABC123,` showed the comma in every message about the fix."""
    ready.driver.command("U0AGENT1", "/resolve", "credit 5 ref:ABC123 first call")
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Earlier for this customer" in reply.text
    with ready.sessions() as session:
        first, second = session.scalars(select(Resolution).order_by(Resolution.id))
        assert (second.customer_ref, second.customer_key, second.summary) == ("ABC123", first.customer_key, summary)


@pytest.mark.parametrize(
    "typed",
    [
        "credit 5 booking 2 nights cancelled",
        "credit 5 the order 3 days late",
        "credit 5 account 3 months overcharged",
        "credit 5 ticket 30 minutes on hold",
        "credit 5 order 10:30 slot missed",
        "credit 5 booking 2 nights cancelled, case 5521 later",
    ],
)
def test_a_label_before_a_span_of_time_names_no_customer(ready: RunningBot, typed: str) -> None:
    """`booking 2 nights cancelled` was logged for customer `booking 2`: every fix written so was one customer to the
    30-day limit and to the history a manager reads."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your credit of $5." in reply.text and "Earlier for this customer" not in reply.text
    with ready.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        assert (fix.customer_ref, fix.summary) == (None, typed.removeprefix("credit 5 "))


def test_a_refund_written_with_a_span_of_time_after_its_label_is_asked_for_the_customer(ready: RunningBot) -> None:
    refused = ready.driver.command("U0AGENT1", "/resolve", "refund 20 the order 3 days late")
    later = ready.driver.command("U0AGENT1", "/resolve", "refund 20 the order 3 days late, order 5521")

    assert "customer reference" in refused.text and "customer reference" in later.text
    assert logged(ready) == 0


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("refund 10 order 42 items missing, see also case 5521", "order 42"),
        ("credit 5 order #42 items missing", "order 42"),
        ("credit 5 order 42 toppings wrong", "order 42"),
        ("credit 5 order #3 days late", "order 3"),
    ],
)
def test_a_label_before_things_counted_names_its_customer_not_a_later_one(
    ready: RunningBot, typed: str, reference: str
) -> None:
    """`refund 10 order 42 items missing, see also case 5521` was logged for `case 5521`, and `credit 5 order #42 items
    missing` for no customer at all: a plural after a label's two digits made them a count."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your" in reply.text
    with ready.sessions() as session:
        assert session.scalars(select(Resolution.customer_ref)).one() == reference


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("credit 5 order 1234 <#C0SUPPORT|support> 56 arrived", "order 1234"),
        ("credit 5 ref:ABC <@U0AGENT2|lee.senior> 12 was there", "ABC"),
    ],
)
def test_a_person_or_channel_named_after_a_reference_ends_it(ready: RunningBot, typed: str, reference: str) -> None:
    """With the mention left out, `order 1234 <#C…|support> 56` read as `order 1234 56`: asked about, nothing logged."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your credit of $5." in reply.text
    with ready.sessions() as session:
        assert session.scalars(select(Resolution.customer_ref)).one() == reference


@pytest.mark.parametrize(
    "typed",
    [":tada: credit 5 sorry for the wait", "credit:tada: 5 sorry for the wait", "credit 5:tada: sorry for the wait"],
)
def test_an_emoji_before_or_onto_the_category_or_the_amount_goes_to_what_happened(
    ready: RunningBot, typed: str
) -> None:
    """Slack sends a picked emoji as its code: `:tada: credit 5 …` was "`:tada:` isn't one of your categories", and
    `credit 5:tada:` "`5:tada` isn't an amount I understand", to someone who had typed both."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your credit of $5." in reply.text
    with ready.sessions() as session:
        assert session.scalars(select(Resolution.summary)).one() == ":tada: sorry for the wait"


@pytest.mark.parametrize(
    "typed",
    [
        "refund 20 ref:AB12: customer called twice",
        "refund 20 Ref:AB12: customer called twice",
        "refund 20 ref:ab12: customer called twice",
        "refund 20 (ref:AB12:) customer called twice",
    ],
)
def test_a_reference_between_colons_is_the_customer_not_an_emoji(ready: RunningBot, typed: str) -> None:
    """Read as the emoji code `:AB12:`, `ref:AB12:` named no customer: the refund skipped the 30-day limit and the
    history, and was refused for a reference the agent had typed."""
    ready.driver.command("U0AGENT1", "/resolve", "refund 20 ref:AB12 first call")
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Earlier for this customer" in reply.text
    with ready.sessions() as session:
        first, second = session.scalars(select(Resolution).order_by(Resolution.id))
        assert second.customer_key == first.customer_key
        assert second.summary == "customer called twice"


@pytest.mark.parametrize(
    ("typed", "outcome", "summary"),
    [
        ("credit 5 ref:INC-1234 sorted outcome:happy:", "happy", "sorted"),
        ("credit 5 ref:INC-1234 10:30am: customer ok", None, "10:30am: customer ok"),
        ("credit 5 ref:INC-1234 re:late: call back", None, "re:late: call back"),
    ],
)
def test_an_outcome_a_time_or_a_label_ending_in_a_colon_is_read_as_typed(
    ready: RunningBot, typed: str, outcome: str | None, summary: str
) -> None:
    """`outcome:happy:` logged no outcome and `10:30am:` was asked about as part of the reference: their colons read
    as an emoji code's."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your credit of $5." in reply.text
    with ready.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        assert (fix.customer_ref, fix.customer_outcome, fix.summary) == ("INC-1234", outcome, summary)


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("credit 5 ref: LATE delivery order 4471", "order 4471"),
        ("credit 5 Ref: ORDER 4471 late", "order 4471"),
        ("credit 5 ref: NONE walk in customer", None),
        ("credit 5 ref: WALK-IN", None),
        ("credit 5 ref: AB12 late", "AB12"),
    ],
)
def test_capitals_after_ref_and_a_space_are_the_sentences_unless_they_hold_a_digit(
    ready: RunningBot, typed: str, reference: str | None
) -> None:
    """`ref: LATE delivery order 4471` was logged for customer `LATE`, `ref: NONE walk in customer` for `NONE`, every
    walk-in one customer to the 30-day limit; `Ref: ORDER 4471 late` was asked about."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your credit of $5." in reply.text
    with ready.sessions() as session:
        assert session.scalars(select(Resolution.customer_ref)).one() == reference
