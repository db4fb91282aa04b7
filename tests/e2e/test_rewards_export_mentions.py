"""HR's export shows a person or channel picked from Slack's list as Slack shows it (`@Lee Senior`, `#support`),
formula-safe and quoted exactly as Python's CSV writer would, from Slack and from the command line."""

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from handlers.blocks import nominations as blocks
from models import Employee, Nomination, RewardGrant
from services import directory
from services.rewards.export import BATCH, export_grants, parse_period
from tests.conftest import RunningBot
from tests.e2e.test_rewards_export import ORG, at, give
from tests.helpers import load_org
from tests.rewards_helpers import load_policy_text, set_up

NOMINATOR, REASON = 12, 14
ELSEWHERE = "slack_id,name,team,role,manager_slack_id\nU0STRANGER,Someone Elsewhere,Elsewhere,frontline,\n"
"""Another workspace, whose people a mention in this one never names."""


def rows_of(content: str) -> list[list[str]]:
    """The CSV's rows, after checking it is byte for byte what Python's CSV writer writes for them."""
    rows = list(csv.reader(io.StringIO(content, newline="")))
    rewritten = io.StringIO()
    csv.writer(rewritten, lineterminator="\r\n").writerows(rows)
    assert rewritten.getvalue() == content
    return rows


def cli_export(out: Path, *more: str) -> str:
    command = ["export", "rewards", "--from", "2026-02-01", "--to", "2026-03-31", "--out", str(out), *more]
    assert main([*command, "--workspace", "T0LATITUDE"]) == 0
    return out.read_bytes().decode("utf-8")


def test_a_person_picked_in_a_nomination_reads_by_name_in_hrs_export_from_slack_and_the_cli(
    bot: RunningBot, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command(
        "U0AGENT1",
        "/nominate",
        "<@U0AGENT2|lee.senior> voucher_25 <@U0AGENT3|ines> says it too: covered for <@U0MGR2|omar> "
        "in <#C0SUPPORT|support>, and <@U0NOBODY|someone> & <@W0GONE> helped",
    )
    [request] = [call for call in bot.slack.messages_to("U0MGR1") if call.method == "chat.postMessage"]
    bot.driver.click("U0MGR1", request, blocks.APPROVE)

    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")
    monkeypatch.setenv("DATABASE_URL", database_url)
    from_cli = cli_export(tmp_path / "rewards.csv")

    [upload] = bot.slack.files()
    [content] = upload.files.values()
    assert content.decode("utf-8") == "\ufeff" + from_cli, "the file for Excel starts with a byte order mark"
    [_, grant] = rows_of(from_cli)
    assert grant[REASON] == (
        "'@Ines Agent says it too: covered for @Omar Manager in #support, and @someone & @W0GONE helped"
    )
    with bot.sessions() as session:
        reason = session.scalars(select(Nomination.reason)).one()
    assert reason.startswith("<@U0AGENT3> says it too: covered for <@U0MGR2> in")  # the directory's names win
    assert reason.endswith("and <@U0NOBODY|someone> & <@W0GONE> helped")


def test_mentions_are_named_from_the_workspaces_own_directory_and_every_cell_stays_as_pythons_writer_writes_it(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_org(sessions, at(1, 8), ORG)
    load_org(sessions, at(1, 8), ELSEWHERE, team_id="T0ELSEWHERE")
    load_policy_text(sessions, at(1, 8))
    reasons = {
        "<@U0AGENT1> and <@U0AGENT3|ines>": '\'@Sam "Sunny" Agent and @-Ines, Agent',
        "=<@U0AGENT2> again": "'=@Zoë Ñúñez again",  # a reason of mentions alone is asked for in words
        "Thanks <@U0STRANGER|stranger> and <@U0STRANGER>": "Thanks @stranger and @U0STRANGER",
        "Covered <#C0456|support> and <#G0789>\nall week": "Covered #support and #G0789\nall week",
        "<#C0456|support> rota": "#support rota",
        "typed <@ nobody> and <@U0AGENT2|>": "typed <@ nobody> and @Zoë Ñúñez",
        "less <@u0agent2> and <#x>": "less <@u0agent2> and <#x>",
        "<@U0NOBODY|> too": "'@U0NOBODY too",
        '<@U0AGENT2> line\r\nbreaks\rand, "quotes"': '\'@Zoë Ñúñez line\r\nbreaks\rand, "quotes"',
    }
    givers = ("U0AGENT2", "U0AGENT3", "U0MGR1", "U0MGR2")  # within each one's monthly allowance
    with sessions.begin() as session:
        for day, reason in enumerate(reasons, start=2):
            give(session, givers[day % len(givers)], "U0AGENT1", "shoutout", reason, at(day, 9))

    monkeypatch.setenv("DATABASE_URL", database_url)
    content = cli_export(tmp_path / "march.csv")
    lines = cli_export(tmp_path / "march.jsonl", "--format", "jsonl").splitlines()

    assert [row[REASON] for row in rows_of(content)[1:]] == list(reasons.values())
    shown = [json.loads(line)["reason"] for line in lines]
    assert shown == [cell[1:] if cell.startswith("'") else cell for cell in reasons.values()]


def test_a_mention_among_thousands_of_plain_reasons_is_rendered_in_its_own_line_only(
    sessions: sessionmaker[Session],
) -> None:
    """On PostgreSQL, lines come from COPY a thousand at a time: only a line whose reason holds a mention changes."""
    load_org(sessions, at(1, 8), ORG)
    load_policy_text(sessions, at(1, 8))
    with sessions.begin() as session:
        give(session, "U0AGENT2", "U0AGENT1", "shoutout", "plain, with a\nline break", at(2, 9))
        template = session.execute(select(RewardGrant.__table__)).mappings().one()
        nomination = session.execute(select(Nomination.__table__)).mappings().one()
        copies = range(100, 100 + 2 * BATCH)
        session.execute(
            Nomination.__table__.insert(), [{**nomination, "id": n, "fingerprint": f"copy{n}"} for n in copies]
        )
        session.execute(RewardGrant.__table__.insert(), [{**template, "id": n, "nomination_id": n} for n in copies])
        mentioning = {1500: "<@U0AGENT1>, thanks", 1999: 'A "quote" for <@U0AGENT3>'}
        for number, reason in mentioning.items():
            session.execute(update(RewardGrant).where(RewardGrant.id == number).values(reason=reason))
        session.execute(update(Employee).where(Employee.slack_id == "U0AGENT1").values(name="Sam, =1+1"))
        session.execute(update(Employee).where(Employee.slack_id == "U0AGENT2").values(name="Zoë <@U0AGENT1>"))
    period = parse_period("2026-03-01", "2026-03-31", None, now=at(10, 9))
    with sessions() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        out = io.StringIO()
        assert export_grants(session, workspace=workspace, requester=None, period=period, out=out) == 1 + 2 * BATCH

    rows = rows_of(out.getvalue())[1:]
    assert {row[NOMINATOR] for row in rows} == {"Zoë <@U0AGENT1>"}  # only a reason is rendered
    reasons = {int(row[0]): row[REASON] for row in rows}
    assert reasons[1500] == "'@Sam, =1+1, thanks"
    assert reasons[1999] == 'A "quote" for @-Ines, Agent'
    others = {number: reason for number, reason in reasons.items() if number not in mentioning}
    assert set(others.values()) == {"plain, with a\nline break"}
