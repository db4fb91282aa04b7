"""Each process keeps copies of people and the policy; a change made by any other process reaches it at once.

The other process is a second session factory with its own cache on the same database, as a CLI or another
worker would be.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from models.engine import make_session_factory
from services import directory
from services.config_cache import SESSION_KEY, ConfigCache, put_once_committed
from services.policy.versions import current_policy
from tests.conftest import RunningBot
from tests.e2e.test_people_leaving import WITHOUT_MAYA, reimport
from tests.helpers import POLICY_EXAMPLE, load_org_and_policy, load_policy

GENEROUS_CREDIT = POLICY_EXAMPLE.read_text().replace(
    'credit = { description = "Goodwill credit on the customer\'s account", per_incident = 25,',
    'credit = { description = "Goodwill credit on the customer\'s account", per_incident = 50,',
)


@pytest.fixture
def other_process(bot: RunningBot) -> sessionmaker[Session]:
    sessions = make_session_factory(bot.runtime.engine)
    sessions.configure(info={SESSION_KEY: ConfigCache()})
    return sessions


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_manager_deactivated_by_an_import_elsewhere_loses_their_powers_on_the_next_click(
    bot: RunningBot, other_process: sessionmaker[Session]
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    bot.driver.command("U0MGR1", "/resolve", "credit 5 order 7 late")  # Maya, active, now in this process's cache
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    reimport(other_process, bot.clock.now(), WITHOUT_MAYA)
    bot.driver.click("U0MGR1", request, "resolution_approve")

    [refused] = bot.slack.calls("response_url")
    assert "no longer active" in refused.text


def test_a_policy_loaded_elsewhere_applies_to_the_next_request(
    bot: RunningBot, other_process: sessionmaker[Session]
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    over = bot.driver.command("U0AGENT1", "/resolve", "credit 30 order 1 late")

    load_policy(other_process, bot.clock.now(), GENEROUS_CREDIT)
    within = bot.driver.command("U0AGENT1", "/resolve", "credit 30 order 2 late")

    assert "over your boundary" in over.text
    assert "over your boundary" not in within.text and "$30" in within.text, within.text


def test_a_profile_filled_in_from_slack_elsewhere_shows_here(
    bot: RunningBot, other_process: sessionmaker[Session]
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    now = bot.clock.now()
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        directory.identify(session, workspace=workspace, slack_id="U0NEW", name="", now=now)
    with other_process.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        assert (newcomer := directory.find_employee(session, workspace, "U0NEW")) is not None
        assert newcomer.name == "U0NEW"
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        found = directory.find_employee(session, workspace, "U0NEW")
        assert found is not None
        assert directory.update_slack_profile(found, name="Noor New", email=None, tz=None, now=now)
        directory.profile_updated(session, found)

    with other_process.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        again = directory.find_employee(session, workspace, "U0NEW")
    assert again is not None
    assert again.name == "Noor New"


def test_a_second_request_reads_neither_the_person_nor_the_policy_again(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    now = bot.clock.now()

    def look_up() -> tuple[str, int]:
        with bot.sessions.begin() as session:
            workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
            person = directory.find_employee(session, workspace, "U0AGENT1")
            active = current_policy(session, workspace)
            assert person is not None and active is not None
            return person.manager.name if person.manager else "", active.version.number

    first = look_up()
    with statements(bot.runtime.engine) as seen:
        second = look_up()

    assert first == second == ("Maya Manager", 1)
    assert not [s for s in seen if "FROM employees" in s or "FROM policy_versions" in s], seen


@pytest.mark.parametrize("savepoint", [False, True])
def test_a_copy_kept_once_committed_is_not_kept_when_the_transaction_rolls_back_after_a_savepoint(
    other_process: sessionmaker[Session], bot: RunningBot, savepoint: bool
) -> None:
    """A savepoint released in between is not the commit: the copy waits for the transaction's own end."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    now = bot.clock.now()
    with other_process() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        person = directory.find_employee(session, workspace, "U0AGENT1")
        assert person is not None
        person.home_opened_at = now
        put_once_committed(session, "employee", workspace, "U0AGENT1", person)
        if savepoint:
            with session.begin_nested():
                pass
        session.rollback()

    with other_process() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        again = directory.find_employee(session, workspace, "U0AGENT1")

    assert again is not None and again.home_opened_at is None
