"""Who works only in workspaces Slack removed from an org-wide install: learnt from Slack's listings of each workspace
while the install reaches it, and used only on a removal. Deactivating someone wrongly is worse than messaging a few
too many, so nobody leaves on an addition, when a listing fails, or without having been seen in a removed workspace."""

import logging
from pathlib import Path

import pytest

from bot.fakeslack import SlackDriver
from bot.fakeslack.browser import install
from tests.conftest import RunningBot
from tests.e2e.test_cli import cli
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import install_org_wide
from tests.helpers import employee


def active(bot: RunningBot, *slack_ids: str) -> list[bool]:
    with bot.sessions() as session:
        return [employee(session, slack_id).active for slack_id in slack_ids]


def added_everywhere(bot: RunningBot) -> SlackDriver:
    """The org-wide install of E0GROUP, added by an org admin to both its workspaces: Gia in T0NORTH, Gus in
    T0NORTH and T0SOUTH, Sam in T0SOUTH."""
    return install_org_wide(bot)


def test_someone_who_works_only_in_a_removed_workspace_leaves_latitude_and_comes_back_with_it(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    org = added_everywhere(oauth_bot)

    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})
    after_the_removal = active(oauth_bot, "W0HR", "W0MGR", "W0SAM")
    org.org_event({"type": "team_access_granted", "team_ids": ["T0SOUTH"]})

    assert after_the_removal == [True, True, False], "Gus also works in T0NORTH, which the install still reaches"
    assert active(oauth_bot, "W0SAM") == [True], "added back, back in Latitude"
    [notice] = [call for call in oauth_bot.slack.messages_to("W0HR") if "T0SOUTH" in call.text]
    assert "deactivated as if they had left" in notice.text


def test_adding_the_install_to_one_workspace_deactivates_nobody_of_the_others(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Slack adds an org-wide install to the org's workspaces one at a time: Sam's is not added yet."""
    org = install_org_wide(oauth_bot, granted=())

    org.org_event({"type": "team_access_granted", "team_ids": ["T0NORTH"]})

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [True, True, True]


def test_nobody_leaves_on_the_removal_of_a_workspace_never_listed(oauth_bot: RunningBot) -> None:  # noqa: F811
    """Added to T0SOUTH while Latitude was down (or before it listened): who works there was never learnt."""
    org = install_org_wide(oauth_bot, granted=("T0NORTH",))
    oauth_bot.slack.state.installs.change_team_access(
        "E0GROUP", {"type": "team_access_granted", "team_ids": ["T0SOUTH"]}
    )

    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [True, True, True]


def test_nobody_leaves_when_slack_cannot_list_who_the_install_still_reaches(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    org = added_everywhere(oauth_bot)
    oauth_bot.slack.fail("users.list", error="internal_error")

    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [True, True, True]


def test_a_page_slack_rate_limits_is_asked_again_after_its_retry_after_and_the_removal_is_followed(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """users.list is Tier 2: a large org's listing meets 429s. Each is waited out (on the clock) and asked again."""
    org = added_everywhere(oauth_bot)
    oauth_bot.slack.fail("users.list", status=429, retry_after=30, times=2)
    before = oauth_bot.clock.now()

    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [True, True, False]
    assert (oauth_bot.clock.now() - before).total_seconds() >= 60, "each 429's Retry-After was waited out"


def test_nobody_leaves_when_the_process_stops_before_its_listing_is_whole(
    oauth_bot: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A deploy stops the process while a large org is being listed: the listing ends unfinished, as a failed one."""
    org = added_everywhere(oauth_bot)
    oauth_bot.runtime.deps.stopping.set()

    with caplog.at_level(logging.WARNING, logger="handlers.org_access"):
        org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [True, True, True]
    [given_up] = [record.getMessage() for record in caplog.records if "nobody leaves" in record.getMessage()]
    assert "the process is stopping" in given_up, "the removal was never followed, or not given up for the stop"


def test_hr_are_told_the_truth_of_someone_also_in_a_workspace_the_install_was_never_added_to(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Gus, who manages Sam, moved from T0NORTH to T0WEST, which the org-wide install was never added to: once T0SOUTH
    is removed Latitude reaches him nowhere, but he does not work only in removed workspaces."""
    org = added_everywhere(oauth_bot)
    gus = oauth_bot.slack.users["W0MGR"]
    gus["teams"] = gus["enterprise_user"]["teams"] = ["T0SOUTH", "T0WEST"]

    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})

    assert active(oauth_bot, "W0MGR") == [False]
    texts = [call.text for call in oauth_bot.slack.messages_to("W0HR")]
    [about_gus] = [text for text in texts if "W0MGR" in text]
    assert "no workspace of the org that Latitude" in about_gus and "left Slack" not in about_gus
    assert not [text for text in texts if "only in" in text or "work only there" in text]


def test_nobody_leaves_when_slacks_list_of_workspaces_lacks_one_it_told_of_adding(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Slack's auth.teams.list lags behind (or falls short of) the additions it told of: T0WEST, where Gus moved from
    T0NORTH, is missing from it just after T0SOUTH's removal. Gus must not be taken for gone."""
    org = added_everywhere(oauth_bot)
    gus = oauth_bot.slack.users["W0MGR"]
    gus["teams"] = gus["enterprise_user"]["teams"] = ["T0SOUTH", "T0WEST"]
    org.org_event({"type": "team_access_granted", "team_ids": ["T0WEST"]})
    oauth_bot.slack.state.installs.granted_teams["E0GROUP"].discard("T0WEST")

    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [True, True, True]


def test_after_an_org_wide_reinstall_only_the_workspaces_added_since_count_as_reached(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Uninstalled org-wide, the install left T0WEST with the rest; installed again, an org admin adds it to T0NORTH
    and T0SOUTH only. Slack's list lacking T0WEST is no lag: Sam, seen only in T0SOUTH, leaves at its removal."""
    org = install_org_wide(oauth_bot, granted=("T0NORTH", "T0SOUTH", "T0WEST"))
    org.event({"type": "app_uninstalled"})
    oauth_bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(oauth_bot.events_url).status == 200
    org.org_event({"type": "team_access_granted", "team_ids": ["T0NORTH", "T0SOUTH"]})

    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})

    assert active(oauth_bot, "W0HR", "W0MGR", "W0SAM") == [True, True, False]


def test_hr_told_of_hundreds_of_workspaces_removed_at_once_still_read_what_to_do_and_where_all_are_named(
    oauth_bot: RunningBot,  # noqa: F811
    database_url: str,
    tmp_path: Path,
) -> None:
    """An org admin removing the install from a large org's workspaces in one go: the notice names a few and counts
    the rest, so what goes on meanwhile and how to undo it are not cut off the end of the message, and says where HR
    finds every one of them: the command line lists the removal's workspaces from the audit trail."""
    org = added_everywhere(oauth_bot)
    others = [f"T1{n:08}" for n in range(299)]

    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH", *others]})

    [notice] = [call for call in oauth_bot.slack.messages_to("W0HR") if "T0SOUTH" in call.text]
    assert "`T0SOUTH`, `T100000000`" in notice.text and "and 290 more" in notice.text
    assert "ask your Slack org admin to add the workspaces back" in notice.text
    assert oauth_bot.slack.violations == []
    assert "`python -m bot workspace removed`" in notice.text
    removed = cli(tmp_path, "workspace", "removed", env={"DATABASE_URL": database_url})
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.splitlines()[0].endswith(" UTC, E0GROUP: 300 workspaces removed")
    assert removed.stdout.splitlines()[1:] == [f"  {team}" for team in ("T0SOUTH", *others)]
