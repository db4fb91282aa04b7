"""/resolve lines whose amount was read smaller than the one given: a word multiplying the number, a point or a comma
set apart from its digits, pence before a reference. Each is answered with the amount to write in digits, and nothing
is logged nor sent to a manager."""

from decimal import Decimal

import pytest

from tests.conftest import RunningBot
from tests.e2e.test_resolutions_money import resolutions, with_policy
from tests.e2e.test_resolutions_typed_amounts import LIMITS, asked


@pytest.mark.parametrize(
    ("currency", "typed", "answer"),
    [
        ("USD", "refund 2 thousand for order 1234", "if you gave $2,000, write it in digits, `/resolve refund 2000 …`"),
        ("USD", "credit 2 grand to Lee", "if you gave $2,000, write it in digits, `/resolve credit 2000 …`"),
        ("USD", "credit 2 Thousand", "`2 Thousand` is read as $2: if you gave $2,000, write it in digits"),
        ("USD", "credit 2 grand :tada:", "`2 grand` is read as $2: if you gave $2,000, write it in digits"),
        ("JPY", "refund 2 thousand yen refund", "`2 thousand` is read as ¥2: if you gave ¥2,000"),
        ("USD", "credit 2 GRAND, sorry", "`2 GRAND` is read as $2: if you gave $2,000, write it in digits"),
        ("USD", "credit 10 million dollars", "`10 million` is read as $10: write the amount you gave in digits."),
        ("USD", "refund 2 hundred thousand", "`2 hundred thousand` is read as $2: write the amount you gave in digits"),
        ("USD", "refund 1 .200", "`1 .200` could be $1 or $1,200: write `1200` if that is the amount"),
        ("USD", "refund 1 . 200", "`1 . 200` could be $1 or $1,200: write `1200` if that is the amount"),
        ("USD", "refund 12. 50", "`12. 50` could be $12 or $12.50: write `12.50` if that is the amount"),
        ("USD", "refund 20, 1", "`20, 1` could be $20 or $20.10: write `20.10` if that is the amount"),
        ("USD", "refund 12. 50 for the wait", "`12. 50` could be $12 or $12.50"),
        ("USD", "refund 12. 50$ order 5", "`12. 50$` could be $12 or $12.50"),
        ("EUR", "refund 12, 50€", "`12, 50€` could be €12 or €12.50"),
        ("USD", "refund 1 .200,50", "Write the amount without a space: `1200.50` or `1,200.50`, not `1 200,50`."),
        ("USD", "refund 1. 200,50", "Write the amount without a space: `1200.50` or `1,200.50`, not `1 200,50`."),
        ("GBP", "replacement 3p order 55", "`3p` before `order 55` could be pence or a count: if you gave £0.03"),
        ("GBP", "refund 50p order 1234", "`50p` before `order 1234` could be pence or a count: if you gave £0.50"),
        ("GBP", "credit £1.50p", "`£1.50p` is marked both `£` and `p`: write `£1.50`."),
        ("INR", "refund 2 lakh late delivery", "put a word before `lakh`: `/resolve refund 2 for lakh …`."),
        ("INR", "refund 1 lakh late", "`1 lakh` is read as 1 INR: if you gave 100,000 INR, write it in digits"),
        ("INR", "refund 1.5 lakh 2nd complaint", "`1.5 lakh` is read as 1.50 INR: write the amount you gave"),
        ("USD", "refund 2 thousand paid twice", "`2 thousand` is read as $2: if you gave $2,000, write it in digits"),
        ("USD", "credit 1.5 grand late", "`1.5 grand` is read as $1.50: if you gave $1,500, write it in digits"),
        ("JPY", "refund 5 thousand late", "`5 thousand` is read as ¥5: if you gave ¥5,000, write it in digits"),
        ("USD", "credit 2 grand <@U0AGENT1> approved", "`2 grand` is read as $2: if you gave $2,000"),
        ("USD", "credit 5 hundred fifty", "`5 hundred fifty` is read as $5: write the amount you gave in digits."),
        ("USD", "credit 5 hundred and fifty", "`5 hundred and fifty` is read as $5: write the amount you gave in"),
        ("USD", "refund 2 thousand and 500", "`2 thousand and 500` is read as $2: write the amount you gave in"),
        ("USD", "refund $45. 5", "`$45. 5` could be $45 or $45.50: write `$45.50` if that is the amount"),
        ("USD", "refund 0. 99", "`0. 99` could be $0.99: write `0.99` if that is the amount. Nothing was logged."),
        ("USD", "refund 12. 50 <@U0AGENT1>", "`12. 50` could be $12 or $12.50"),
    ],
)
def test_an_amount_read_smaller_than_typed_is_asked_for_and_nothing_is_logged(
    bot: RunningBot, currency: str, typed: str, answer: str
) -> None:
    """Each was logged as the smaller number ($2, $1, $12, £0.03), or offered one (`£0.02` for `£1.50p`), within
    limits a fix of the amount given would have passed to a manager."""
    with_policy(bot, f"{LIMITS}\nreplacement = {{ per_incident = 500 }}", currency)

    assert answer in asked(bot, typed)


def test_a_multiplier_or_spaced_cents_ending_the_amount_say_nothing_was_logged(bot: RunningBot) -> None:
    with_policy(bot, LIMITS)

    assert asked(bot, "credit 2 grand :tada:") == (
        ":warning: `2 grand` is read as $2: if you gave $2,000, write it in digits, `/resolve credit 2000 …`. "
        "Nothing was logged."
    )
    assert asked(bot, "refund 12. 50.") == (
        ":warning: `12. 50` could be $12 or $12.50: write `12.50` if that is the amount, or put a word before `50`: "
        "`/resolve refund 12 for 50 …`. Nothing was logged."
    )


@pytest.mark.parametrize(
    "typed",
    [
        "refund 20, 1 item missing",
        "refund 20. 1 item missing",
        "credit 5. 1 coffee spilled",
        "refund 45. 1 pizza cold",
        "refund 20. 3 missing",
        "refund 20. 2 cold",
        "refund 30. 12 June order lost",
        "refund 20. 12 noon slot",
        "credit 10. 5 star customer",
        "credit 5, 1 star review threat",
        "refund 25. 2 of 3 boxes damaged",
        "refund 20, 10 of them broken",
        "credit 15, 2 for 1 deal",
        "refund 30, 15 each",
        "refund 5, 1 for each day",
        "credit 10, 1 more time",
        "refund 20. 6 pack broken",
        "refund 20. 12 pack of water missing",
        "refund 20. 40 error at checkout",
        "credit 50 grand opening voucher",
        "credit 10 grand prix tickets",
        "refund 20 Thousand Oaks store",
        "refund 3 Hundred Acre Wood book",
        "replacement 1 hundred piece puzzle",
        "replacement 2 thousand piece jigsaw",
        "credit 1 million apologies",
        "credit 5 grand total wrong",
        "credit 3 hundred year egg",
        "credit 3 k cups missing",
        "refund 100. 00 order 5",
        "refund 100, 00",
        "credit 5 k cup pods",
        "credit 4 k tv remote",
    ],
)
def test_an_everyday_line_logs_the_amount_typed(bot: RunningBot, typed: str) -> None:
    """Each was asked for in digits or as "`20, 1` could be 20 or 20.1", though nothing in it is ambiguous about the
    amount: a comma or full stop then a count, a date or a word ends the amount's sentence, and a multiplier before
    a word of what happened is that word's."""
    with_policy(bot, f"{LIMITS}\nreplacement = {{ per_incident = 500 }}")

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    category, number, summary = typed.split(maxsplit=2)
    assert f"Logged your *{category}* of ${number.rstrip('.,')}" in reply.text, reply.text
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [(Decimal(number.rstrip(".,")), summary)]
