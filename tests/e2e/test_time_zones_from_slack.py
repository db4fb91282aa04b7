"""A time zone the org file leaves to Slack stays Slack's: it follows a move in Slack, and an org import's empty
`tz` cell does not put the person back on UTC. A time zone the file gives stays the file's."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot.fakeslack import Call
from handlers.jobs.send_weekly_digests import send_weekly_digests
from models.schema import upgrade
from tests.conftest import FIXTURES, MONDAY_MORNING, RunningBot
from tests.e2e.test_upgrades import add_workspace, at_revision
from tests.helpers import load_org, load_policy

ORG = (FIXTURES / "org.csv").read_text()
MAYA_WITHOUT_TZ = ORG.replace("maya@example.com,America/New_York", "maya@example.com,")
MONDAY_9_LONDON = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # London keeps UTC's clock until 29 March
MONDAY_9_NEW_YORK = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
MONDAY_9_CHICAGO = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def digests_to(bot: RunningBot, user: str) -> list[Call]:
    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)
    return [c for c in bot.slack.calls("chat.postMessage", channel=user) if "Your team's week" in c.text]


def maya_learnt_from_slack(bot: RunningBot, tz: str) -> None:
    """Maya's row has no time zone; Slack gives hers when she first uses Latitude (the week before)."""
    bot.clock.set(datetime(2026, 2, 25, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), MAYA_WITHOUT_TZ)
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0MGR1", "Maya Manager", tz=tz, email="maya@example.com")
    bot.driver.command("U0MGR1", "/boundaries")


def test_a_manager_who_moves_to_london_in_slack_gets_the_digest_at_nine_in_london(bot: RunningBot) -> None:
    maya_learnt_from_slack(bot, "America/New_York")

    bot.driver.user_change("U0MGR1", tz="Europe/London", tz_label="Greenwich Mean Time", tz_offset=0)
    bot.clock.set(MONDAY_9_LONDON)

    assert len(digests_to(bot, "U0MGR1")) == 1, "09:00 in London, where Slack now says she is"
    bot.clock.set(MONDAY_9_NEW_YORK)
    assert len(digests_to(bot, "U0MGR1")) == 1, "and not once more at 09:00 in New York"


UNKNOWN_ZONE = "America/Nowhere"
"""A zone name the server's time zone database does not hold (as one newer than it would be)."""


def test_a_zone_slack_names_that_the_server_does_not_know_leaves_the_one_known(bot: RunningBot) -> None:
    maya_learnt_from_slack(bot, "America/New_York")

    bot.driver.user_change("U0MGR1", tz=UNKNOWN_ZONE, tz_label="Nowhere Time", tz_offset=-14400)
    bot.clock.set(MONDAY_9_LONDON)

    assert digests_to(bot, "U0MGR1") == [], "09:00 UTC is 04:00 in New York, where she still counts"
    bot.clock.set(MONDAY_9_NEW_YORK)
    (digest,) = digests_to(bot, "U0MGR1")
    assert "Monday to Sunday in America/New_York" in str(digest.args["blocks"])


def test_a_newcomer_whose_slack_zone_the_server_does_not_know_is_on_utc_and_told_so(bot: RunningBot) -> None:
    maya_learnt_from_slack(bot, UNKNOWN_ZONE)
    bot.clock.set(MONDAY_9_LONDON)

    (digest,) = digests_to(bot, "U0MGR1")

    assert "Monday to Sunday in UTC" in str(digest.args["blocks"]), "the week is UTC's, and the digest says so"
    assert UNKNOWN_ZONE not in str(digest.args["blocks"])


def test_an_org_import_with_an_empty_tz_cell_keeps_the_time_zone_slack_gave(bot: RunningBot) -> None:
    maya_learnt_from_slack(bot, "America/Chicago")

    load_org(bot.sessions, bot.clock.now(), MAYA_WITHOUT_TZ)  # HR's weekly re-import, her cell still empty
    bot.clock.set(MONDAY_9_LONDON)

    assert digests_to(bot, "U0MGR1") == [], "09:00 UTC is 03:00 in Chicago"
    bot.clock.set(MONDAY_9_CHICAGO)
    assert len(digests_to(bot, "U0MGR1")) == 1


def test_a_time_zone_the_org_file_gives_stays_whatever_slack_says(bot: RunningBot) -> None:
    bot.clock.set(datetime(2026, 2, 25, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0MGR1", "Maya Manager", tz="America/New_York", email="maya@example.com")

    bot.driver.user_change("U0MGR1", tz="Europe/London", tz_label="Greenwich Mean Time", tz_offset=0)
    bot.clock.set(MONDAY_9_LONDON)

    assert digests_to(bot, "U0MGR1") == [], "the org file says New York"
    bot.clock.set(MONDAY_9_NEW_YORK)
    assert len(digests_to(bot, "U0MGR1")) == 1


def test_a_time_zone_the_org_file_stops_giving_is_slacks_again(bot: RunningBot) -> None:
    bot.clock.set(datetime(2026, 2, 25, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0MGR1", "Maya Manager", tz="Europe/London", email="maya@example.com")
    load_org(bot.sessions, bot.clock.now(), MAYA_WITHOUT_TZ)

    bot.driver.command("U0MGR1", "/boundaries")
    bot.clock.set(MONDAY_9_LONDON)

    assert len(digests_to(bot, "U0MGR1")) == 1


def test_the_upgrade_takes_a_newcomers_stored_time_zone_as_slacks(tmp_path: Path) -> None:
    """Someone the org file never listed was given only Slack's zone; for the people it lists, nothing says."""
    engine = at_revision(tmp_path, "0025")
    workspace = add_workspace(engine, "T0LATITUDE")
    with engine.begin() as connection:
        for slack_id, listed in (("U0LISTED", True), ("U0NEWBIE", False)):
            connection.execute(
                text(
                    "INSERT INTO employees (workspace_id, slack_id, name, role, tz, active, in_directory, created_at, "
                    "updated_at) VALUES (:workspace, :slack_id, :slack_id, 'frontline', 'Asia/Tokyo', 1, :listed, "
                    ":at, :at)"
                ),
                {"workspace": workspace, "slack_id": slack_id, "listed": listed, "at": MONDAY_MORNING},
            )

    upgrade(engine, "0026")

    with engine.begin() as connection:
        rows = connection.execute(text("SELECT slack_id, tz_from_slack FROM employees"))
        flags = {slack_id: bool(flag) for slack_id, flag in rows}
    assert flags == {"U0LISTED": False, "U0NEWBIE": True}
    engine.dispose()
