"""A message's notification text reads its mrkdwn plainly: bold where Slack draws it, and asterisks people typed
(a decline's reason, a customer reference) as they typed them."""

import pytest

from handlers.blocks.kit import notification_text


@pytest.mark.parametrize(
    ("mrkdwn", "read"),
    [
        ("Your *refund of $80* has waited 2 days", "Your refund of $80 has waited 2 days"),
        ("*Pulse round 2 opened late.* Everyone is asked now", "Pulse round 2 opened late. Everyone is asked now"),
        ("Use `/resolve help`", "Use \u201c/resolve help\u201d"),
        ("Declined: limit is 2*base, you asked 3*base", "Declined: limit is 2*base, you asked 3*base"),
        ("Rated 4* and 5*", "Rated 4* and 5*"),
        ("see item *42 and *43", "see item *42 and *43"),
        ("customer AB*12*CD", "customer AB*12*CD"),
    ],
)
def test_bold_is_read_plainly_only_where_slack_draws_it(mrkdwn: str, read: str) -> None:
    assert notification_text(mrkdwn) == read
