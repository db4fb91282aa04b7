"""An org-wide install in an Enterprise Grid org catches up on deactivations whose event was lost too: the daily
listing names each workspace of the org the install was added to (an org token must), and whoever Slack deactivated
meanwhile leaves with the same hand-over and notices as on the event."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.jobs.catch_up_departures import READ_EVERY
from models import Resolution
from tests.conftest import RunningBot
from tests.e2e.test_departures import audit_actions
from tests.e2e.test_departures_caught_up import catch_up
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import install_org_wide
from tests.e2e.test_installs_grid_team_access import active

LISTINGS = ("auth.teams.list", "users.list")
HANG_UPS = 3
"""Enough dropped connections for one workspace's listing to fail, its retries included."""


def listed_teams(bot: RunningBot) -> list[str]:
    return [str(call.args.get("team_id")) for call in bot.slack.calls("users.list")]


def test_a_manager_of_the_org_deactivated_while_the_event_was_lost_is_caught_up_with_the_hand_over(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Gus, who works in T0NORTH and T0SOUTH, is deactivated in Slack while Latitude is down: Sam's request that
    waits on him moves up to Gia, who is told, and HR hear he left."""
    org = install_org_wide(oauth_bot)
    org.command("W0SAM", "/resolve", "refund 900 order 42 parcel lost in transit")
    oauth_bot.slack.change_user("W0MGR", deleted=True)  # its user_change never reached Latitude
    before = len(oauth_bot.slack.calls("users.list"))

    assert catch_up(oauth_bot) == 1

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [True, False, True]
    with oauth_bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "W0HR"  # type: ignore[union-attr]
    to_gia = [call.text for call in oauth_bot.slack.calls("chat.postMessage", channel="W0HR")]
    assert [text for text in to_gia if "now waits on you" in text]
    [notice] = [text for text in to_gia if "Slack deactivated" in text]
    assert "Gus Manager" in notice
    assert audit_actions(oauth_bot)[-1:] == ["person.left_slack"]
    assert listed_teams(oauth_bot)[before:] == ["T0NORTH", "T0SOUTH"], "each workspace named, as an org token must"


def test_an_org_wide_install_reads_again_at_most_its_share_a_tick_paced_and_is_listed_once_done(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Gus (T0NORTH and T0SOUTH) and Sam (T0SOUTH) deactivated unheard: one share of reads covers the whole org,
    not each of its workspaces, and the org counts as listed only once both were followed."""
    install_org_wide(oauth_bot)
    for slack_id in ("W0MGR", "W0SAM"):
        oauth_bot.slack.change_user(slack_id, deleted=True)

    assert catch_up(oauth_bot, reads=1) == 2
    assert active(oauth_bot, "W0MGR", "W0SAM") == [False, True]
    oauth_bot.clock.advance(timedelta(hours=1))
    before = oauth_bot.clock.now()
    assert catch_up(oauth_bot, reads=1) == 1
    assert active(oauth_bot, "W0MGR", "W0SAM") == [False, False]
    assert oauth_bot.clock.now() == before, "one read, nothing to wait for"

    listings = len(oauth_bot.slack.calls("users.list"))
    oauth_bot.clock.advance(timedelta(hours=1))
    assert catch_up(oauth_bot) == 0 and len(oauth_bot.slack.calls("users.list")) == listings, "listed whole a day"


def test_the_reads_again_of_an_org_wide_install_are_paced(oauth_bot: RunningBot) -> None:  # noqa: F811
    install_org_wide(oauth_bot)
    for slack_id in ("W0MGR", "W0SAM"):
        oauth_bot.slack.change_user(slack_id, deleted=True)
    before = oauth_bot.clock.now()

    assert catch_up(oauth_bot) == 2

    assert oauth_bot.clock.now() - before == timedelta(seconds=READ_EVERY)
    assert active(oauth_bot, "W0MGR", "W0SAM") == [False, False]


def test_a_workspace_slack_removed_from_the_install_unheard_is_skipped_and_the_others_caught_up(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Slack removed T0SOUTH from the install while Latitude was down (that event lost too): Slack refuses to list it,
    which deactivates nobody, and Gia, deactivated in T0NORTH, is caught up all the same."""
    install_org_wide(oauth_bot)
    oauth_bot.slack.state.installs.change_team_access(
        "E0GROUP", {"type": "team_access_revoked", "team_ids": ["T0SOUTH"]}
    )
    oauth_bot.slack.change_user("W0HR", deleted=True)

    assert catch_up(oauth_bot) == 1

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [False, True, True]
    listings = len(oauth_bot.slack.calls("users.list"))
    oauth_bot.clock.advance(timedelta(hours=1))
    assert catch_up(oauth_bot) == 0 and len(oauth_bot.slack.calls("users.list")) == listings, "listed for the day"


def asked(bot: RunningBot) -> tuple[int, int]:
    """How many times `auth.teams.list` and `users.list` were called, refused calls counted."""
    teams, users = (len(bot.slack.calls(name)) + len(bot.slack.calls(f"{name}:failed")) for name in LISTINGS)
    return teams, users


def calls_of_a_tick(bot: RunningBot, **limits: int) -> tuple[int, int, int]:
    """What one tick found out of step, and how many `auth.teams.list` and `users.list` calls it made; an hour on."""
    before = asked(bot)
    found = catch_up(bot, **limits)
    after = asked(bot)
    bot.clock.advance(timedelta(hours=1))
    return found, after[0] - before[0], after[1] - before[1]


def test_someone_removed_from_one_workspace_and_active_in_another_is_not_deactivated(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """An org admin removed Gus from T0SOUTH while Latitude was down: T0SOUTH's listing shows him deactivated there,
    T0NORTH's active; he is still in Slack, nobody reads him again, and the org is listed for the day."""
    install_org_wide(oauth_bot)
    oauth_bot.slack.remove_from_workspace("W0MGR", "T0SOUTH")  # its user_change never reached Latitude

    assert calls_of_a_tick(oauth_bot) == (0, 1, 2)

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [True, True, True]
    assert not oauth_bot.slack.calls("users.info", user="W0MGR")
    assert calls_of_a_tick(oauth_bot) == (0, 0, 0), "listed for the day"


def test_a_workspace_slack_fails_to_list_stops_none_of_the_others_and_is_asked_once_a_tick(
    oauth_bot: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Slack fails T0NORTH's listing two ticks running: Sam, deactivated in T0SOUTH, is caught up at once; Gia,
    deactivated in T0NORTH, once T0NORTH is listed; the org stays due until then, each workspace asked once a tick."""
    install_org_wide(oauth_bot)
    for slack_id in ("W0HR", "W0SAM"):
        oauth_bot.slack.change_user(slack_id, deleted=True)

    oauth_bot.slack.fail("users.list", error="internal_error")  # T0NORTH's, listed first
    assert calls_of_a_tick(oauth_bot) == (1, 1, 2)
    assert active(oauth_bot, "W0HR", "W0SAM") == [True, False]
    oauth_bot.slack.fail("users.list", error="internal_error")
    assert calls_of_a_tick(oauth_bot) == (0, 1, 2)
    assert calls_of_a_tick(oauth_bot) == (1, 1, 2)
    assert active(oauth_bot, "W0HR", "W0SAM") == [False, False]
    assert calls_of_a_tick(oauth_bot) == (0, 0, 0), "listed for the day"
    assert [r for r in caplog.messages if "could not list the people of T0NORTH" in r and "internal_error" in r]


def test_a_workspace_slack_refuses_for_good_is_asked_again_the_next_day_not_every_hour(
    oauth_bot: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Slack refuses to list T0NORTH, archived (`team_not_found`): Sam, deactivated in T0SOUTH, is caught up, and the
    org is listed for the day (said in the log), not listed whole again each hour; the next day T0NORTH is asked
    again."""
    install_org_wide(oauth_bot)
    oauth_bot.slack.change_user("W0SAM", deleted=True)

    oauth_bot.slack.fail("users.list", error="team_not_found")  # T0NORTH's, listed first
    assert calls_of_a_tick(oauth_bot) == (1, 1, 2)
    assert active(oauth_bot, "W0SAM") == [False]
    assert calls_of_a_tick(oauth_bot) == (0, 0, 0), "listed for the day"
    assert [r for r in caplog.messages if "T0NORTH" in r and "team_not_found" in r and "tomorrow" in r]

    oauth_bot.clock.advance(timedelta(days=1))
    assert calls_of_a_tick(oauth_bot) == (0, 1, 2)
    assert calls_of_a_tick(oauth_bot) == (0, 0, 0)


def test_a_connection_dropped_listing_one_workspace_stops_none_of_the_others(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """The connection drops each time T0NORTH is asked: Sam, deactivated in T0SOUTH, is caught up all the same, and
    the org stays due, T0NORTH asked again at the next tick."""
    install_org_wide(oauth_bot)
    oauth_bot.slack.change_user("W0SAM", deleted=True)

    oauth_bot.slack.fail("users.list", hang_up=True, times=HANG_UPS)  # T0NORTH's, listed first, and its retries
    assert catch_up(oauth_bot) == 1
    assert active(oauth_bot, "W0SAM") == [False]
    oauth_bot.clock.advance(timedelta(hours=1))
    oauth_bot.slack.change_user("W0HR", deleted=True)
    assert catch_up(oauth_bot) == 1, "still due"
    assert active(oauth_bot, "W0HR") == [False]


def test_a_workspace_added_while_the_app_was_down_is_listed(oauth_bot: RunningBot) -> None:  # noqa: F811
    """Slack added the install to T0SOUTH while Latitude was down (the event lost): Slack names it among the
    workspaces the install reaches, and Sam, deactivated there meanwhile, is caught up."""
    install_org_wide(oauth_bot, granted=("T0NORTH",))
    oauth_bot.slack.state.installs.change_team_access(
        "E0GROUP", {"type": "team_access_granted", "team_ids": ["T0SOUTH"]}
    )
    oauth_bot.slack.change_user("W0SAM", deleted=True)
    before = len(oauth_bot.slack.calls("users.list"))

    assert catch_up(oauth_bot) == 1

    assert active(oauth_bot, "W0MGR", "W0SAM") == [True, False]
    assert listed_teams(oauth_bot)[before:] == ["T0NORTH", "T0SOUTH"]


def test_an_org_wide_install_that_reaches_no_workspace_lists_nothing_and_says_so(
    oauth_bot: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    install_org_wide(oauth_bot, granted=())

    assert calls_of_a_tick(oauth_bot) == (0, 1, 0)
    assert [message for message in caplog.messages if "reaches no workspace" in message]


def test_slack_not_saying_which_workspaces_the_install_reaches_lists_those_it_told_of_and_leaves_it_due(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    install_org_wide(oauth_bot)
    oauth_bot.slack.change_user("W0SAM", deleted=True)
    oauth_bot.slack.fail("auth.teams.list", error="internal_error")

    assert calls_of_a_tick(oauth_bot) == (1, 1, 2)
    assert active(oauth_bot, "W0SAM") == [False]
    assert calls_of_a_tick(oauth_bot) == (0, 1, 2), "still due"
    assert calls_of_a_tick(oauth_bot) == (0, 0, 0)


def joined(bot: RunningBot, slack_id: str, team_id: str) -> None:
    """Someone of the org now works in `team_id` too."""
    user = bot.slack.state.users[slack_id]
    for teams in (user["teams"], user["enterprise_user"]["teams"]):
        teams.append(team_id)


def read_times(bot: RunningBot, slack_id: str) -> int:
    """How many times `users.info` was asked of them, `user_not_found` counted."""
    return sum(len(bot.slack.calls(name, user=slack_id)) for name in ("users.info", "users.info:failed"))


def test_people_a_read_leaves_out_of_step_are_read_once_and_hold_nobody_back(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Gia and Gus moved to T0WEST, which the install does not reach, while Latitude was down: every listing shows
    them deactivated, which Slack's `users.info` does not say. Read once, they hold back neither Sam, deactivated
    meanwhile and found after them, nor the org being listed for the day."""
    install_org_wide(oauth_bot)
    for slack_id in ("W0HR", "W0MGR"):
        joined(oauth_bot, slack_id, "T0WEST")
    oauth_bot.slack.remove_from_workspace("W0HR", "T0NORTH")
    for team_id in ("T0NORTH", "T0SOUTH"):
        oauth_bot.slack.remove_from_workspace("W0MGR", team_id)
    oauth_bot.slack.change_user("W0SAM", deleted=True)  # these user_changes never reached Latitude

    assert calls_of_a_tick(oauth_bot, reads=2) == (3, 1, 2)
    assert calls_of_a_tick(oauth_bot, reads=2) == (3, 1, 2)

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [True, True, False]
    assert calls_of_a_tick(oauth_bot, reads=2) == (0, 0, 0), "listed for the day"
    read = [read_times(oauth_bot, slack_id) for slack_id in ("W0HR", "W0MGR", "W0SAM")]
    assert read == [1, 1, 1], "Gia and Gus not found, as the install reaches none of their workspaces"
    oauth_bot.clock.advance(timedelta(days=1))
    assert calls_of_a_tick(oauth_bot, reads=2) == (2, 1, 2)
    assert calls_of_a_tick(oauth_bot, reads=2) == (0, 0, 0), "read again the next day, listed for the day"
