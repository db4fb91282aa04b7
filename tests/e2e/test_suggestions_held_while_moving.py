"""An anonymous idea held back before its release (services/suggestions/release.py) while its owner changes: it
follows the change, its author hears of each move, and nobody else learns it exists before its release."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from bot.cli import main
from bot.cli.org import describe_report
from handlers.handover import queue_handover_messages
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.release_suggestions import release_suggestions
from models import AuditEvent, Delivery, Employee, Suggestion
from services import directory, org_takeover
from services.handover import hand_over_pending, hand_over_suggestions
from services.policy.versions import load_policy
from tests.conftest import RunningBot
from tests.e2e.test_people_leaving import WITHOUT_MAYA, reimport
from tests.e2e.test_suggestions_anonymous import IDEA, suggest_anonymously
from tests.helpers import skip_unless_writers_overlap
from tests.suggestions_helpers import (
    EXTRA_AGENTS,
    LONGEST_WAIT,
    SUGGESTIONS_POLICY,
    after_the_release,
    after_the_wait,
    load_suggestion_org,
)

OWNED_BY_OMAR = SUGGESTIONS_POLICY.replace('tools = "U0ADMIN"', 'tools = "U0MGR2"')


def owner_of_tools_becomes(bot: RunningBot, slack_id: str) -> None:
    """HR loads a policy naming another owner of the `tools` category (as `policy load` does)."""
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=bot.clock.now())
        text = SUGGESTIONS_POLICY.replace('tools = "U0ADMIN"', f'tools = "{slack_id}"')
        load_policy(session, workspace=workspace, text=text, loaded_by="hr", now=bot.clock.now())
        handovers = hand_over_suggestions(session, workspace=workspace)
        queue_handover_messages(session, workspace=workspace, handovers=handovers, now=bot.clock.now())


def suggest_a_tool_anonymously(bot: RunningBot) -> None:
    bot.driver.command("U0AGENT1", "/suggest")
    view = bot.slack.calls("views.open")[-1].args["view"]
    assert bot.driver.submit("U0AGENT1", view, {"what": IDEA, "category": "tools", "anonymous": ["yes"]}).json == {}


def test_its_author_hears_of_a_move_after_its_release_as_of_the_one_before(bot: RunningBot) -> None:
    """Moved from Omar to Lee while held, then to Ines once released: the author is told both times."""
    load_suggestion_org(bot.sessions, bot.clock.now(), OWNED_BY_OMAR)
    suggest_a_tool_anonymously(bot)
    owner_of_tools_becomes(bot, "U0AGENT2")
    after_the_release(bot)
    owner_of_tools_becomes(bot, "U0AGENT3")
    after_the_wait(bot)

    told = [call.text for call in bot.slack.calls("chat.postMessage") if "now goes to" in str(call.text)]
    assert len(told) == 2 and "Lee" in told[0] and "Ines" in told[1]
    assert "Your suggestion, still on its way, now goes to Lee" in told[0] and "#None" not in told[0], told[0]
    assert "Your suggestion #1 now goes to Ines" in told[1], told[1]


def test_an_idea_released_while_an_import_moves_its_team_reaches_its_new_owner(bot: RunningBot, engine: Engine) -> None:
    """The import reads the team's ideas (the held one among them), the release tick sends its card to Maya and
    commits, then the import finds Maya gone: the card follows it to whoever owns it now."""
    skip_unless_writers_overlap(engine)
    load_suggestion_org(bot.sessions, bot.clock.now())
    assert suggest_anonymously(bot) == {}
    bot.clock.advance(LONGEST_WAIT)
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=bot.clock.now())
        [read_by_the_import] = session.scalars(select(Suggestion)).all()
        assert not read_by_the_import.is_released
        release_suggestions(bot.runtime.deps, bot.runtime.sender_client)
        session.scalars(select(Employee).where(Employee.slack_id == "U0MGR1")).one().active = False
        session.flush()
        handovers = hand_over_pending(session, workspace=workspace, now=bot.clock.now())
        queue_handover_messages(session, workspace=workspace, handovers=handovers, now=bot.clock.now())
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    with bot.sessions() as session:
        idea = session.scalars(select(Suggestion)).one()
        owner, moved = idea.owner.slack_id, f"suggestion:{idea.id}:moved:%"
        updated = session.scalars(select(Delivery.method).where(Delivery.idempotency_key.like(moved)))
        assert list(updated) == ["chat.update"]  # Maya's card says where it went
    assert owner != "U0MGR1"
    assert owner in [call.channel for call in bot.slack.calls("chat.postMessage") if IDEA in str(call.args)]


def rerouted_in_the_audit(bot: RunningBot, action: str) -> list[object]:
    with bot.sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()
        return [(event.details or {}).get("rerouted") for event in events]


def test_a_policy_load_moving_a_held_idea_names_it_to_nobody_but_its_author(
    bot: RunningBot,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """HR reading `policy load` would learn that an anonymous idea nobody has seen exists, and was sent before then."""
    load_suggestion_org(bot.sessions, bot.clock.now(), OWNED_BY_OMAR)
    suggest_a_tool_anonymously(bot)
    monkeypatch.setenv("DATABASE_URL", database_url)
    policy = tmp_path / "policy.toml"
    policy.write_text(SUGGESTIONS_POLICY.replace('tools = "U0ADMIN"', 'tools = "U0AGENT2"'))

    assert main(["policy", "load", str(policy)]) == 0

    assert "re-routed" not in capsys.readouterr().out
    with bot.sessions() as session:
        assert session.scalars(select(Suggestion)).one().owner.slack_id == "U0AGENT2"


def test_an_org_import_moving_a_held_idea_neither_lists_nor_counts_it(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    assert suggest_anonymously(bot) == {}

    everyone_but_maya = WITHOUT_MAYA + "\n" + EXTRA_AGENTS.replace(",U0MGR1,", ",U0ADMIN,")
    report = reimport(bot.sessions, bot.clock.now(), everyone_but_maya)

    assert "suggestion" not in describe_report(report) and "re-routed" not in describe_report(report)
    assert rerouted_in_the_audit(bot, "org.import")[-1] == 0
    with bot.sessions() as session:
        assert session.scalars(select(Suggestion)).one().owner.slack_id != "U0MGR1", "it still moved"


def test_hr_told_of_a_departure_does_not_count_a_held_idea_among_what_moved(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    assert suggest_anonymously(bot) == {}
    bot.slack.add_user("U0MGR1", "Maya Manager", tz="America/New_York")

    bot.driver.user_change("U0MGR1", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    [notice] = [call.text for call in bot.slack.calls("chat.postMessage", channel="U0HR") if "deactivated" in call.text]
    assert "report to them" in notice and "moved" not in notice, notice
    assert rerouted_in_the_audit(bot, "person.left_slack") == [0]


def test_hr_told_what_a_takeover_left_open_does_not_count_a_held_idea(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    assert suggest_anonymously(bot) == {}
    assert "Sent your suggestion" in bot.driver.command("U0AGENT2", "/suggest", "A second card reader").text

    with bot.sessions() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        assert org_takeover.left_open(session, workspace).suggestions == 1


def test_a_held_idea_nobody_can_take_from_someone_who_left_is_not_counted_as_still_waiting_on_them(
    bot: RunningBot,
) -> None:
    """With no HR person or admin left, Maya's departure leaves her idea with her: what HR is told (and the audit
    trail keeps) does not count it, or it would say that an idea nobody has seen was sent."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    assert suggest_anonymously(bot) == {}
    with bot.sessions.begin() as session:
        for slack_id in ("U0HR", "U0ADMIN"):
            session.scalars(select(Employee).where(Employee.slack_id == slack_id)).one().active = False
    bot.slack.add_user("U0MGR1", "Maya Manager", tz="America/New_York")

    bot.driver.user_change("U0MGR1", deleted=True)

    with bot.sessions() as session:
        [left] = session.scalars(select(AuditEvent).where(AuditEvent.action == "person.left_slack")).all()
        assert session.scalars(select(Suggestion)).one().owner.slack_id == "U0MGR1", "nobody could take it"
    needs = (left.details or {})["needs"]
    assert needs and not any("still wait on them" in need for need in needs), needs
