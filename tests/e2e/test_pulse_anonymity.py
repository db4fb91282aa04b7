"""Pulse anonymity against a determined reader: subtraction across sub-teams, comments, `/pulse close`.

Bo manages Sub A (Ann's five), Sub B (Ben's five) and Lee; everyone in the sub-teams and Lee answers.
Bo's team minus both sub-teams would be Lee alone, so the rule hides the smallest sub-team.
"""

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.fakeslack import Call
from handlers.blocks import pulse as blocks
from models import AuditEvent, PulseRound, Workspace
from services import directory
from services.policy.versions import load_policy
from tests.conftest import RunningBot
from tests.e2e.test_pulse_results import answer_all, close
from tests.e2e.test_pulse_rounds import answer_ids, questions_dm
from tests.helpers import add_org_people, load_org
from tests.pulse_org import HEADER, POLICY, PULSE

SUB_A = [f"U0SA{n}" for n in range(1, 6)]
SUB_B = [f"U0SB{n}" for n in range(1, 6)]
LEE_COMMENT = "Saturday shifts are too thin"
HIDDEN = "not shown, so that answers stay anonymous"


def org_csv(sub_c: int = 0) -> str:
    rows = [
        "U0ADA,Ada Admin,Operations,admin,,,Europe/London,",
        "U0HANA,Hana Reyes,People,hr,U0ADA,,Europe/London,",
        "U0BO,Bo Manager,Service,manager,U0ADA,,Europe/London,",
        "U0ANN,Ann Lead,Sub A,manager,U0BO,,Europe/London,",
        "U0BEN,Ben Lead,Sub B,manager,U0BO,,Europe/London,",
        "U0LEE,Lee Agent,Service,frontline,U0BO,,Europe/London,",
    ]
    rows += [f"{user},Agent {user[-3:]},Sub A,frontline,U0ANN,,Europe/London," for user in SUB_A]
    rows += [f"{user},Agent {user[-3:]},Sub B,frontline,U0BEN,,Europe/London," for user in SUB_B]
    if sub_c:
        rows.append("U0CAL,Cal Lead,Sub C,manager,U0BO,,Europe/London,")
        rows += [f"U0SC{n},Agent SC{n},Sub C,frontline,U0CAL,,Europe/London," for n in range(1, sub_c + 1)]
    return "\n".join([HEADER, *rows]) + "\n"


def load_bo_org(sessions: sessionmaker[Session], now: datetime, sub_c: int = 0) -> None:
    load_org(sessions, now, org_csv(sub_c))
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        load_policy(session, workspace=workspace, text=POLICY + PULSE, loaded_by="test", now=now)


def start_bo_round(bot: RunningBot, sub_c: int = 0) -> None:
    load_bo_org(bot.sessions, bot.clock.now(), sub_c)
    add_org_people(bot.slack, org_csv(sub_c))
    assert "Pulse round 1 is open" in bot.driver.command("U0HANA", "/pulse", "start").text


def comment(bot: RunningBot, user: str, text: str) -> None:
    bot.driver.click(user, questions_dm(bot, user), blocks.COMMENT_ACTION)
    opened = [c for c in bot.slack.calls("views.open") if c.args["view"]["callback_id"] == blocks.COMMENT_CALLBACK]
    bot.driver.submit(user, opened[-1].args["view"], {"comment": text})


def bo_round(bot: RunningBot) -> None:
    """Lee answers first and comments: click order and transactions would point at Lee if anything kept them."""
    start_bo_round(bot)
    answer_all(bot, ["U0LEE"], 2)
    comment(bot, "U0LEE", LEE_COMMENT)
    answer_all(bot, SUB_A, 4)
    answer_all(bot, SUB_B, 5)


def test_bo_sees_his_team_with_the_smallest_sub_team_hidden_and_the_reason(bot: RunningBot) -> None:
    bo_round(bot)
    close(bot)

    bo = bot.driver.command("U0BO", "/pulse", "results").text
    sub_a = bot.driver.command("U0BO", "/pulse", "results <@U0ANN>").text
    sub_b = bot.driver.command("U0BO", "/pulse", "results <@U0BEN>").text

    assert "Response rate: 11 of 13" in bo and "11 answers" in bo
    assert f"Ann Lead's team (Sub A): {HIDDEN}" in bo
    assert "Ben Lead's team (Sub B): understand 5.0" in bo
    assert "Not shown, so that answers stay anonymous" in sub_a and "Response rate" not in sub_a
    assert "Response rate: 5 of 5" in sub_b and "5 answers" in sub_b
    assert LEE_COMMENT in bo and LEE_COMMENT not in sub_b + sub_a, "Bo less Sub B is six people: not Lee alone"


def test_hrs_views_of_the_org_follow_the_same_rule(bot: RunningBot) -> None:
    bo_round(bot)
    close(bot)

    org = bot.driver.command("U0HANA", "/pulse", "results org").text
    ada = bot.driver.command("U0HANA", "/pulse", "results <@U0ADA>").text
    ann = bot.driver.command("U0HANA", "/pulse", "results <@U0ANN>").text

    for view in (org, ada):
        assert "Response rate: 11 of" in view and "11 answers" in view
        assert f"Ann Lead's team (Sub A): {HIDDEN}" in view
    assert "Not shown, so that answers stay anonymous" in ann and "answers ·" not in ann


def test_with_three_sub_teams_only_the_smallest_is_hidden(bot: RunningBot) -> None:
    start_bo_round(bot, sub_c=6)
    answer_all(bot, ["U0LEE"], 3)
    answer_all(bot, SUB_A, 4)
    answer_all(bot, [*SUB_B, "U0BEN"], 4)  # Ben counts in Bo's team; Sub A and B (five) tie: the first by key goes
    answer_all(bot, [f"U0SC{n}" for n in range(1, 7)], 2)
    close(bot)

    bo = bot.driver.command("U0BO", "/pulse", "results").text

    assert "Response rate: 18 of 20" in bo
    assert f"Ann Lead's team (Sub A): {HIDDEN}" in bo
    assert "Ben Lead's team (Sub B): understand 4.0" in bo
    assert "Cal Lead's team (Sub C): understand 2.0" in bo


def test_hr_closes_a_round_early_and_results_show_at_once(bot: RunningBot) -> None:
    bo_round(bot)

    closed = bot.driver.command("U0HANA", "/pulse", "close")
    again = bot.driver.command("U0ADA", "/pulse", "close")
    results = bot.driver.command("U0BO", "/pulse", "results")

    assert "Pulse round 1 is closed: 11 of 16 asked answered. Its results are ready" in closed.text
    assert "Pulse round 1 is already closed" in again.text
    assert "Response rate: 11 of 13" in results.text
    with bot.sessions() as session:
        [pulse_round] = session.scalars(select(PulseRound))
        assert pulse_round.status == "closed" and pulse_round.closed_at == bot.clock.now()
        assert session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "pulse.close").order_by(AuditEvent.id)
        ).all() == ["pulse.close"]


def test_closing_is_for_hr_and_there_must_be_a_round(bot: RunningBot) -> None:
    load_bo_org(bot.sessions, bot.clock.now())
    add_org_people(bot.slack, org_csv())

    nothing = bot.driver.command("U0HANA", "/pulse", "close")
    start_bo_round_again = bot.driver.command("U0HANA", "/pulse", "start")
    refused = bot.driver.command("U0BO", "/pulse", "close")
    answer = bot.driver.command("U0LEE", "/pulse", "close now")

    assert "No pulse round has been opened yet" in nothing.text
    assert "Pulse round 1 is open" in start_bo_round_again.text
    assert "Closing a pulse round early is for HR and admins" in refused.text
    assert "/pulse close" in answer.text
    with bot.sessions() as session:
        workspace = session.scalars(select(Workspace)).one()
        assert session.scalars(select(PulseRound.status).where(PulseRound.workspace_id == workspace.id)).all() == [
            "open"
        ]


def test_a_click_after_an_early_close_is_told_the_round_closed(bot: RunningBot) -> None:
    bo_round(bot)
    changing_an_answer = change_click(bot, "U0SA1", 0, 3)  # she had answered; she changes it
    bot.driver.command("U0HANA", "/pulse", "close")

    bot.driver.send_click(changing_an_answer)  # clicked before the close took the buttons away

    [told] = bot.slack.calls("response_url")
    assert "has closed" in told.args["text"]


def change_click(bot: RunningBot, user: str, question: int, value: int) -> dict[str, Any]:
    """The person clicks Change on an answered question, then (not sent yet) `value` among the buttons it shows."""
    dm = questions_dm(bot, user)
    answered = dm_now(bot, dm)
    accessories = [str((block.get("accessory") or {}).get("action_id")) for block in answered.args["blocks"]]
    bot.driver.click(user, answered, [a for a in accessories if a.startswith(blocks.CHANGE_PREFIX)][question])
    shown = dm_now(bot, dm)
    ids = answer_ids(shown)[0]
    return bot.driver.click_payload(user, shown, ids[value - int(ids[0].rsplit(":", 1)[1])])


def dm_now(bot: RunningBot, dm: Call) -> Call:
    """The questions DM as the app last changed it."""
    updates = [c for c in bot.slack.calls("chat.update") if c.response.get("ts") == dm.response["ts"]]
    return updates[-1] if updates else dm


def test_the_cli_closes_the_open_round_and_a_second_close_says_it_is_closed_without_failing(
    bot: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    load_bo_org(bot.sessions, bot.clock.now())
    add_org_people(bot.slack, org_csv())
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["pulse", "start"]) == 0
    assert main(["pulse", "close"]) == 0
    assert main(["pulse", "close"]) == 0

    out, err = capsys.readouterr()
    assert "closed pulse round 1: 0 of 0 asked answered, fewer than the 5 a result needs, so it shows none" in out
    assert "Pulse round 1 is already closed" in out
    assert err == ""
    with bot.sessions() as session:
        assert session.scalars(select(PulseRound.status)).all() == ["closed"]


def test_the_cli_says_how_many_answered_the_round_it_closed(
    bot: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bo_round(bot)
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["pulse", "close"]) == 0

    invited = len(org_csv().splitlines()) - 1
    said = f"closed pulse round 1: 11 of {invited} asked answered; its results are ready (`/pulse results` in Slack)"
    assert said in capsys.readouterr().out
