"""/resolve lines whose amount was read smaller than the one given: a word multiplying the number, a point or a comma
set apart from its digits, pence before a reference. Each is answered with the amount to write in digits, and nothing
is logged nor sent to a manager."""

import pytest

from tests.conftest import RunningBot
from tests.e2e.test_resolutions_money import with_policy
from tests.e2e.test_resolutions_typed_amounts import LIMITS, asked


@pytest.mark.parametrize(
    ("currency", "typed", "answer"),
    [
        ("USD", "refund 2 thousand for order 1234", "if you gave $2,000, write it in digits, `/resolve refund 2000 …`"),
        ("USD", "credit 2 grand to Lee", "if you gave $2,000, write it in digits, `/resolve credit 2000 …`"),
        ("USD", "credit 2 Thousand", "`2 Thousand` is read as $2: if you gave $2,000, write it in digits"),
        ("USD", "credit 2 grand :tada:", "`2 grand` is read as $2: if you gave $2,000, write it in digits"),
        ("JPY", "refund 2 thousand yen refund", "`2 thousand` is read as ¥2: if you gave ¥2,000"),
        ("USD", "credit 5 thousand island dressing missing", "If you gave $5, put a word before `thousand`"),
        ("USD", "credit 8 grand slam breakfast cold", "If you gave $8, put a word before `grand`"),
        ("USD", "credit 10 million dollar shake cold", "if you gave $10,000,000, write it in digits"),
        ("USD", "refund 1 .200", "`1 .200` could be 1 or 1,200: write `1200` if that is the amount"),
        ("USD", "refund 1 . 200", "`1 . 200` could be 1 or 1,200: write `1200` if that is the amount"),
        ("USD", "refund 12. 50", "`12. 50` could be 12 or 12.50: write `12.50` if that is the amount"),
        ("GBP", "replacement 3p order 55", "`3p` isn't an amount I understand. Use digits"),
        ("GBP", "credit £1.50p", "`£1.50p` is marked both `£` and `p`: write `£1.50`."),
    ],
)
def test_an_amount_read_smaller_than_typed_is_asked_for_and_nothing_is_logged(
    bot: RunningBot, currency: str, typed: str, answer: str
) -> None:
    """Each was logged as the smaller number ($2, $1, $12, £0.03), or offered one (`£0.02` for `£1.50p`), within
    limits a fix of the amount given would have passed to a manager."""
    with_policy(bot, f"{LIMITS}\nreplacement = {{ per_incident = 500 }}", currency)

    assert answer in asked(bot, typed)
