"""The App Home published twice at once: the Home left shows the latest state, never the older one. The test holds
one publish at Slack's door while the other is made."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.conftest import RunningBot
from tests.e2e.test_resolutions_approvals import request_over_the_limit
from tests.helpers import load_org_and_policy


def buttons_of(view: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (element["action_id"], element.get("value", ""))
        for block in view["blocks"]
        for element in block.get("elements") or [block.get("accessory") or {}]
        if element.get("type") == "button"
    ]


def test_a_home_opened_as_a_request_in_it_is_approved_ends_showing_the_approval(bot: RunningBot) -> None:
    """Maya's Home shows Sam's request; another comes in, so opening the tab renders a new Home, while Maya approves
    the first from the Home she sees. The Home rendered before the approval must not be the one left showing."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    request_over_the_limit(bot)
    bot.driver.open_home("U0MGR1")
    [home] = bot.slack.calls("views.publish", user_id="U0MGR1")
    assert ("resolution_approve", "1") in buttons_of(home.args["view"])
    bot.driver.command("U0AGENT1", "/resolve", "refund 90 order 77 parcel lost in transit")
    older_home_at_the_door = bot.slack.pause("views.publish")

    with ThreadPoolExecutor(1) as tab:
        opened = tab.submit(bot.driver.open_home, "U0MGR1")
        older_home_at_the_door.wait_until_arrived()
        click = bot.driver.view_click_payload("U0MGR1", home.args["view"], "resolution_approve")
        bot.driver.post_payload(click, settle=False)
        bot.slack.wait_for("views.publish", count=2)  # the first Home, then the one the approval published
        older_home_at_the_door.release()
        opened.result(timeout=20)

    shown = bot.slack.state.home_view("U0MGR1")
    assert shown is not None
    assert ("resolution_approve", "1") not in buttons_of(shown), "the Home shows buttons on a request approved"
    assert ("resolution_approve", "2") in buttons_of(shown)
