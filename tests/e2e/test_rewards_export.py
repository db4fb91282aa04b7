"""/rewards and HR's export: history, refusals, the exact CSV uploaded to Slack and written by the CLI."""

import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.fakeslack.server import Call
from models import AuditEvent, Delivery, Employee, Nomination, RewardGrant, Team
from services import directory
from services.rewards import approvals as reward_approvals
from services.rewards import grants as rewards
from services.rewards import nominations
from services.rewards.export import BATCH, EXPORT_COLUMNS, export_grants, parse_period
from services.rewards.export_sql import export_query
from services.rewards.nominations import NominationRequest
from services.text import FORMULA_START
from tests.conftest import RunningBot
from tests.helpers import employee, load_org
from tests.rewards_helpers import load_policy_text

ORG = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0ADMIN,Ada Admin,Operations,admin,,ada@example.com,Europe/London,
U0HR,Hana Reyes,People,hr,U0ADMIN,hana@example.com,Europe/London,
U0MGR1,Maya Manager,Support East,manager,U0ADMIN,maya@example.com,America/New_York,
U0AGENT1,"Sam ""Sunny"" Agent",Support East,frontline,U0MGR1,sam@example.com,America/New_York,agent
U0AGENT2,Zoë Ñúñez,Support East,frontline,U0MGR1,zoe@example.com,America/New_York,agent
U0MGR2,Omar Manager,Support West,manager,U0ADMIN,omar@example.com,America/Los_Angeles,
U0AGENT3,"-Ines, Agent",Support West,frontline,U0MGR2,ines@example.com,America/Los_Angeles,agent
"""

HEADER = (
    "grant_id,granted_at,recipient_id,recipient_name,recipient_email,team,manager,reward_key,title,kind,value,"
    "currency,nominator,approver,reason,resolution_id,status,fulfilled_at\r\n"
)
MARCH_CSV = (
    HEADER + "2,2026-03-02T09:00:00Z,U0AGENT2,Zoë Ñúñez,zoe@example.com,Support East,Maya Manager,shoutout,Shout-out,"
    'praise,0.00,USD,"Sam ""Sunny"" Agent",,"\'=HYPERLINK(""x"")",,approved,\r\n'
    + '3,2026-03-03T10:30:00Z,U0AGENT1,"Sam ""Sunny"" Agent",sam@example.com,Support East,Maya Manager,shoutout,'
    'Shout-out,praise,0.00,USD,"\'-Ines, Agent",,"Kept calm, said ""no problem"",\nthen fixed it",,approved,\r\n'
    + "4,2026-03-04T15:00:00Z,U0AGENT2,Zoë Ñúñez,zoe@example.com,Support East,Maya Manager,voucher_25,"
    'Coffee & cake voucher,voucher,25.00,USD,"Sam ""Sunny"" Agent",Maya Manager,Saved the Müller account,,'
    "fulfilled,2026-03-05T08:00:00Z\r\n"
    + '6,2026-03-06T11:00:00Z,U0AGENT3,"\'-Ines, Agent",ines@example.com,Support West,Omar Manager,shoutout,'
    "Shout-out,praise,0.00,USD,Zoë Ñúñez,,'@here thanks,,approved,\r\n"
)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def give(session: Session, giver: str, to: str, item: str, reason: str, now: datetime) -> int:
    workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
    outcome = nominations.nominate(
        session,
        workspace=workspace,
        nominator=employee(session, giver),
        request=NominationRequest((to,), item, reason),
        slack_people={},
        bot_user_id=None,
        now=now,
    )
    return outcome.nominations[0].id


def make_history(sessions: sessionmaker[Session]) -> None:
    """Grants 1 (February) to 6: the March export holds 2, 3, 4 (fulfilled) and 6; 5 is revoked."""
    load_org(sessions, at(1, 8), ORG)
    load_policy_text(sessions, at(1, 8))
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=at(1, 8))
        give(session, "U0AGENT3", "U0AGENT1", "shoutout", "February thanks", at(27, 10, month=2))
        give(session, "U0AGENT1", "U0AGENT2", "shoutout", '=HYPERLINK("x")', at(2, 9))
        give(session, "U0AGENT3", "U0AGENT1", "shoutout", 'Kept calm, said "no problem",\nthen fixed it', at(3, 10, 30))
        voucher = give(session, "U0AGENT1", "U0AGENT2", "voucher_25", "Saved the Müller account", at(4, 12))
        approver = employee(session, "U0MGR1")
        grant = reward_approvals.approve(
            session, workspace=workspace, nomination_id=voucher, approver=approver, now=at(4, 15)
        )
        rewards.fulfil_grant(session, workspace=workspace, grant_id=grant.id, hr=None, actor="test", now=at(5, 8))
        give(session, "U0AGENT2", "U0AGENT1", "shoutout", "Oops, wrong person", at(6, 10))
        rewards.revoke_grant(
            session, workspace=workspace, grant_id=5, hr=None, actor="test", reason="typo", now=at(6, 10)
        )
        give(session, "U0AGENT2", "U0AGENT3", "shoutout", "@here thanks", at(6, 11))


def test_rewards_shows_what_you_received_and_gave_and_your_allowance(bot: RunningBot) -> None:
    make_history(bot.sessions)
    bot.clock.set(at(10, 9))

    reply = bot.driver.command("U0AGENT1", "/rewards")

    april = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp())
    assert (
        f"3 of 5 nominations left this month (renews <!date^{april}^{{date_short}} at {{time}}|01 April 00:00 UTC>)"
        in (reply.text)
    ), "the new month starts at midnight UTC, which Slack shows on each reader's own clock"
    assert "*Shout-out* from -Ines, Agent: _Kept calm" in reply.text
    assert "*Coffee &amp; cake voucher* to Zoë Ñúñez" in reply.text


def test_the_catalog_lists_every_reward(bot: RunningBot) -> None:
    load_policy_text(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/rewards", "catalog")

    assert "voucher_25: Coffee &amp; cake voucher (voucher, 25 USD, needs approval)" in reply.text
    assert "half_day: Half a day off (time off, 4 hours, needs approval)" in reply.text


def test_the_export_is_for_hr_only(bot: RunningBot) -> None:
    make_history(bot.sessions)

    reply = bot.driver.command("U0AGENT1", "/rewards", "export 2026-03-01 2026-03-31")

    assert "The reward export is for HR and admins" in reply.text
    assert bot.slack.files() == []


def test_the_export_tells_someone_not_in_hr_that_it_is_for_hr_before_anything_about_dates(bot: RunningBot) -> None:
    make_history(bot.sessions)

    reply = bot.driver.command("U0AGENT1", "/rewards", "export 01/02/2026")

    assert "The reward export is for HR and admins" in reply.text
    assert "not a date" not in reply.text


def test_an_unknown_team_is_named_cut_short(bot: RunningBot) -> None:
    make_history(bot.sessions)

    reply = bot.driver.command("U0HR", "/rewards", f"export team:{'N' * 300}")

    assert f"no team called '{'N' * 40}…' in the directory" in reply.text
    assert "N" * 41 not in reply.text


def test_team_names_in_an_export_refusal_show_as_typed_and_cannot_broadcast(bot: RunningBot) -> None:
    make_history(bot.sessions)
    with bot.sessions.begin() as session:
        session.execute(update(Team).where(Team.name == "People").values(name="R&D <Tier 2>"))

    reply = bot.driver.command("U0HR", "/rewards", "export team:<!here> & co")

    assert "no team called '@\u200bhere &amp; co' in the directory" in reply.text
    assert "(teams: Operations, R&amp;D &lt;Tier 2&gt;, Support East, Support West)" in reply.text


def test_the_catalogue_spelt_the_british_way_is_the_catalog(bot: RunningBot) -> None:
    load_policy_text(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/rewards", "catalogue")

    assert "voucher_25: Coffee &amp; cake voucher" in reply.text


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("2026-03-31 2026-03-01", "ends (2026-03-01) before it starts (2026-03-31)"),
        ("2026-13-01", "FROM `2026-13-01` is not a date: write it as YYYY-MM-DD"),
        ("2026-03-01 03/02/2026", "TO `03/02/2026` could be 3 February 2026 (day first) or 2 March 2026 (month first)"),
        ("2026-W09", "FROM `2026-W09` is not a date: write it as YYYY-MM-DD"),
        ("2026-03-01 2026-03-02 2026-03-03", "at most two dates"),
        ("2026-04-01 2026-06-30", "FROM 2026-04-01 is after today (2026-03-"),
        (
            "team:Nowhere",
            "no team called 'Nowhere' in the directory (teams: Operations, People, Support East, Support West)",
        ),
        ("team:", "Name the team after `team:` (teams: Operations, People, Support East, Support West)."),
        ("2026-03-01 team:  ", "Name the team after `team:`"),
        ("team:%", "no team called '%'"),
        ("team:Support_East", "no team called 'Support_East'"),
    ],
)
def test_a_bad_export_range_is_explained(bot: RunningBot, words: str, expected: str) -> None:
    make_history(bot.sessions)

    reply = bot.driver.command("U0HR", "/rewards", f"export {words}")

    assert expected in reply.text
    assert bot.slack.files() == []


def test_dates_typed_after_the_team_are_the_range_not_part_of_the_teams_name(bot: RunningBot) -> None:
    make_history(bot.sessions)

    reply = bot.driver.command("U0HR", "/rewards", "export team:Support East 2026-03-01 2026-03-31")

    assert "Preparing the reward export for 2026-03-01 to 2026-03-31, team Support East" in reply.text
    [complete] = bot.slack.files()
    assert complete.args["channel_id"] == "D0HR"


@pytest.mark.parametrize("between", ["to", "-", "until"])
def test_a_range_written_with_a_word_between_its_dates_is_that_range(bot: RunningBot, between: str) -> None:
    make_history(bot.sessions)

    reply = bot.driver.command("U0HR", "/rewards", f"export 2026-03-01 {between} 2026-03-31")

    assert "Preparing the reward export for 2026-03-01 to 2026-03-31 (whole days in UTC" in reply.text


@pytest.mark.parametrize("joined", ["..", "\u2013", "-", "/"])
def test_a_range_written_as_one_word_is_that_range(bot: RunningBot, joined: str) -> None:
    """`2026-03-01..2026-03-31` was refused as "FROM `2026-03-01..2026-03-` is not a date", the date cut mid-way."""
    make_history(bot.sessions)

    reply = bot.driver.command("U0HR", "/rewards", f"export 2026-03-01{joined}2026-03-31")

    assert "Preparing the reward export for 2026-03-01 to 2026-03-31 (whole days in UTC" in reply.text


def test_team_written_with_a_capital_is_the_team_as_in_digest(bot: RunningBot) -> None:
    make_history(bot.sessions)

    reply = bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31 Team:Support West")

    assert "Preparing the reward export for 2026-03-01 to 2026-03-31, team Support West" in reply.text
    [complete] = bot.slack.files()
    [content] = complete.files.values()
    assert [line.split(",")[0] for line in content.decode("utf-8-sig").splitlines()] == ["grant_id", "6"]


def test_hr_gets_the_exact_csv_in_a_dm_through_the_two_step_upload_and_it_is_audited(bot: RunningBot) -> None:
    make_history(bot.sessions)
    bot.clock.set(at(1, 9, month=4))  # March is over: the file holds all of it

    reply = bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")

    assert "Preparing the reward export for 2026-03-01 to 2026-03-31 (whole days in UTC" in reply.text
    [url] = bot.slack.calls("files.getUploadURLExternal")
    assert url.args["filename"] == "rewards_2026-03-01_2026-03-31.csv"
    assert len(bot.slack.calls("upload")) == 1
    [complete] = bot.slack.files()
    assert complete.args["channel_id"] == "D0HR"
    assert complete.args["initial_comment"].startswith("4 reward grants, 2026-03-01 to 2026-03-31 (whole days in UTC")
    [content] = complete.files.values()
    assert content == b"\xef\xbb\xbf" + MARCH_CSV.encode("utf-8"), "the byte order mark Excel reads UTF-8 by"
    named = re.findall(r"`([a-z_]+)`", complete.args["initial_comment"])
    assert (
        {"recipient_name", "value", "currency", "granted_at"}
        <= set(named)
        <= set(MARCH_CSV.split("\r\n")[0].split(","))
    )
    assert "UTC times" in complete.args["initial_comment"] and "README" not in complete.args["initial_comment"]
    with bot.sessions() as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "reward.export"))
        assert (event.actor, event.subject) == ("U0HR", "2026-03-01 to 2026-03-31")
        assert event.details["rows"] == 4


def test_a_range_exported_before_it_ends_says_it_holds_the_grants_so_far(bot: RunningBot) -> None:
    """HR exporting the month (or quarter) before it is over must not take the file for the whole of it."""
    make_history(bot.sessions)
    bot.clock.set(at(10, 9))

    early = bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")
    bot.clock.set(at(1, 0, month=4))
    complete = bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")

    so_far = "it ends after today in UTC (2026-03-10), so it holds the grants made so far"
    assert so_far in early.text, early.text
    first, second = bot.slack.files()
    assert so_far in first.args["initial_comment"]
    assert "so far" not in complete.text and "so far" not in second.args["initial_comment"]
    early_name, complete_name = (call.args["filename"] for call in bot.slack.calls("files.getUploadURLExternal"))
    assert (early_name, complete_name) == ("rewards_2026-03-01_2026-03-10.csv", "rewards_2026-03-01_2026-03-31.csv")
    assert [file_title(first), file_title(second)] == [
        "Reward grants 2026-03-01 to 2026-03-10 (so far)",
        "Reward grants 2026-03-01 to 2026-03-31",
    ], "the file outlives the message that says so far: it is named for what it holds"


def file_title(complete: Call) -> str:
    files = complete.args["files"]
    [shared] = json.loads(files) if isinstance(files, str) else files
    return str(shared["title"])


def test_the_cli_says_a_range_ending_after_today_holds_the_grants_so_far(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["export", "rewards", "--from", "2026-03-01", "--to", "2099-12-31", "--out", str(tmp_path / "x")]) == 0

    said = capsys.readouterr().err.strip()
    assert said.startswith("4 reward grants, 2026-03-01 to 2099-12-31 — it ends after today in UTC (20"), said
    assert said.endswith("so it holds the grants made so far"), said


def test_the_cli_writes_the_same_csv_and_filters_by_team_as_json_lines(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)
    csv_file, jsonl_file = tmp_path / "march.csv", tmp_path / "west.jsonl"

    assert main(["export", "rewards", "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(csv_file)]) == 0
    west = ["--team", "support west", "--format", "jsonl", "--out", str(jsonl_file)]
    assert main(["export", "rewards", "--from", "2026-03-01", "--to", "2026-03-31", *west]) == 0

    assert csv_file.read_bytes().decode("utf-8") == MARCH_CSV
    [row] = [json.loads(line) for line in jsonl_file.read_text(encoding="utf-8").splitlines()]
    assert (row["grant_id"], row["recipient_name"], row["reason"]) == (6, "-Ines, Agent", "@here thanks")


def test_the_cli_refuses_a_reversed_range_without_writing(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)

    code = main(["export", "rewards", "--from", "2026-03-31", "--to", "2026-03-01", "--out", str(tmp_path / "x.csv")])

    assert code == 2
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("dates", "opening", "ending"),
    [
        (
            ("--from", "2026-13-01"),
            "error: --from `2026-13-01` is not a date",
            "write it as YYYY-MM-DD, like 2026-03-01.",
        ),
        (("--to", "2026-01-31"), "error: --to 2026-01-31 is before ", "range starts without --from: give --from too."),
        (("--from", ""), "error: --from is empty", "or leave it out (the 1st of this month)."),
        (("--from", "2026-03-01", "--to", " "), "error: --to is empty", "or leave it out (today)."),
        (("--to", "2026-W13"), "error: --to `2026-W13` is not a date", "write it as YYYY-MM-DD, like 2026-03-01."),
    ],
)
def test_the_cli_names_a_wrong_date_by_its_option(
    sessions: sessionmaker[Session],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    dates: tuple[str, ...],
    opening: str,
    ending: str,
) -> None:
    """The command line has no FROM and TO, as `/rewards export` has: it has --from and --to."""
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["export", "rewards", *dates]) == 2
    said = capsys.readouterr().err.strip()
    assert said.startswith(opening) and said.endswith(ending), said


def test_the_cli_refuses_a_range_that_has_not_begun_and_writes_nothing(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A year typed wrong (2099 for 2026) would give an empty file and an audit line, read as a quarter of nothing."""
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "q4.csv"

    code = main(["export", "rewards", "--from", "2099-10-01", "--to", "2099-12-31", "--out", str(out)])

    assert code == 2
    said = capsys.readouterr().err.strip()
    assert said.startswith("error: --from 2099-10-01 is after today (") and "in UTC" in said, said
    assert not out.exists()
    with sessions() as session:
        assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "reward.export")) == 0


def test_the_export_help_says_every_default_and_that_a_team_is_the_one_at_granting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["export", "rewards", "--help"])

    helped = " ".join(capsys.readouterr().out.split())
    assert "first day, UTC (default: 1st of this month)" in helped
    assert "last day included, UTC (default: today)" in helped
    assert "written as /rewards export takes it: 2026-03-01, '1 March 2026', 'March 2026'" in helped
    assert "while the recipient was in this team, wherever they work now (default: all)" in helped
    assert "csv (RFC 4180, UTF-8; the default) or jsonl" in helped
    assert "standard output (default)" in helped


def test_rewards_help_says_the_defaults_of_top_and_export(bot: RunningBot) -> None:
    reply = bot.driver.command("U0HR", "/rewards", "help")

    assert "most recognition (default: this month; HR also sees mutual pairs)" in reply.text
    assert (
        "dates like 2026-03-01, 1 March 2026 or Q1 2026 (a month or quarter alone, or `last month`: all of it; without "
        "its year, `Mar 3` or `Q4`, the latest, as the reply says), whole days in UTC (default" in (reply.text)
    )


def test_hr_fulfils_and_revokes_grants_from_the_cli_once(
    sessions: sessionmaker[Session],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["rewards", "revoke", "6", "--reason", "sent by mistake"]) == 0
    assert main(["rewards", "revoke", "6", "--reason", "again"]) == 0, "what was asked already holds"
    assert main(["rewards", "fulfil", "2"]) == 2
    assert main(["rewards", "fulfil", "99"]) == 2
    assert main(["rewards", "fulfill", "98"]) == 2

    out, err = capsys.readouterr()
    assert "reward grant #6 (Shout-out for -Ines, Agent) is revoked" in out
    assert "reward grant #6 was already revoked on " in out
    assert "grant #2 is a Shout-out with no value: there is nothing to fulfil" in err
    assert "There is no reward grant #99 here." in err
    assert "There is no reward grant #98 here." in err, "`fulfill`, spelt the US way, is `fulfil`"
    with pytest.raises(SystemExit):
        main(["rewards", "--help"])
    assert capsys.readouterr().out.count("mark a grant paid or delivered") == 1, "one action, however it is spelt"
    with sessions() as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.subject == "grant 6"))
        assert (event.action, event.details) == ("reward.revoke", {"reason": "sent by mistake"})
        queued = {delivery.idempotency_key: delivery.payload for delivery in session.scalars(select(Delivery))}
        assert sorted(queued) == ["reward-revoked:6:U0AGENT2", "reward-revoked:6:U0AGENT3"]
        assert "sent by mistake" in queued["reward-revoked:6:U0AGENT3"]["blocks"][0]["text"]["text"]


TRICKY_CELLS = [
    *("", " ", "a,b", 'say "hi"', "two\nlines", "cr\ronly", "crlf\r\nend", "=1+1", "+1", "-1", "@sum", "\tx"),
    *("\rx", '=a,"b"', "Zoë ✓", "tab\tinside", "back\\slash", '"', ","),
]
"""Every kind of cell the CSV writer treats apart: quoted or not, formula-like or not, empty, non-ASCII."""
AGENTS = ("U0AGENT1", "U0AGENT2", "U0AGENT3")


def test_every_kind_of_cell_is_written_exactly_as_pythons_csv_writer_writes_it(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_history(sessions)
    grants = [(RewardGrant.id == grant_id, column) for grant_id in (1, 2, 3, 4, 6) for column in ("title", "reason")]
    people = [(Employee.slack_id == slack_id, "name") for slack_id in ("U0MGR1", "U0MGR2")]
    people += [(Employee.slack_id == slack_id, column) for slack_id in AGENTS for column in ("name", "email")]
    teams = [(Team.name == name, "name") for name in ("Support East", "Support West")]
    slots = [(RewardGrant, *slot) for slot in grants] + [(Employee, *slot) for slot in people]
    slots += [(Team, *slot) for slot in teams]
    assert len(slots) >= len(TRICKY_CELLS)
    with sessions.begin() as session:
        for (model, where, column), cell in zip(slots, TRICKY_CELLS, strict=False):
            session.execute(update(model).where(where).values({column: cell}))
    period = parse_period("2026-02-01", "2026-03-31", None, now=at(10, 9))
    with sessions() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        dialect = session.get_bind().dialect.name
        rows = session.execute(export_query(workspace, period, None, dialect, neutralise=True)).all()
        in_memory = io.StringIO()
        export_grants(session, workspace=workspace, requester=None, period=period, out=in_memory)
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerows([EXPORT_COLUMNS, *rows])
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert (
        main(["export", "rewards", "--from", "2026-02-01", "--to", "2026-03-31", "--out", str(tmp_path / "x.csv")]) == 0
    )

    written = {cell for row in rows for cell in row}
    assert len(rows) == 5 and written >= {"'" + cell if cell[:1] in FORMULA_START else cell for cell in TRICKY_CELLS}
    assert in_memory.getvalue() == expected.getvalue()
    assert (tmp_path / "x.csv").read_bytes() == expected.getvalue().encode("utf-8")


class FullDisk(io.StringIO):
    """A destination that takes the header, then fails like a full disk."""

    def write(self, text: str) -> int:
        if self.tell() > 0:
            raise OSError(28, "No space left on device")
        return super().write(text)


def test_an_export_that_fails_midway_leaves_the_connection_usable(sessions: sessionmaker[Session]) -> None:
    """The database stops sending rows (PostgreSQL's COPY is ended) and the same session goes on working."""
    make_history(sessions)
    with sessions.begin() as session:
        nomination = session.execute(select(Nomination.__table__).where(Nomination.id == 2)).mappings().one()
        grant = session.execute(select(RewardGrant.__table__).where(RewardGrant.id == 2)).mappings().one()
        copies = range(100, 100 + 3 * BATCH)
        session.execute(
            Nomination.__table__.insert(), [{**nomination, "id": n, "fingerprint": f"copy{n}"} for n in copies]
        )
        session.execute(RewardGrant.__table__.insert(), [{**grant, "id": n, "nomination_id": n} for n in copies])
    period = parse_period("2026-03-01", "2026-03-31", None, now=at(10, 9))
    with sessions() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        with pytest.raises(OSError, match="No space"):
            export_grants(session, workspace=workspace, requester=None, period=period, out=FullDisk())
        session.rollback()
        assert session.scalar(select(func.count(RewardGrant.id))) == 6 + 3 * BATCH

        whole = io.StringIO()
        count = export_grants(session, workspace=workspace, requester=None, period=period, out=whole)
    assert count == 4 + 3 * BATCH and whole.getvalue().count("\r\n") >= count + 1


@pytest.mark.parametrize("quoted", ['"Support East"', "“Support East”", "‘support east’", "«Support East»"])
def test_a_team_named_in_quotes_as_a_phone_types_them_is_that_team(bot: RunningBot, quoted: str) -> None:
    make_history(bot.sessions)

    reply = bot.driver.command("U0HR", "/rewards", f"export 2026-03-01 2026-03-31 team:{quoted}")

    assert "Preparing the reward export for 2026-03-01 to 2026-03-31, team" in reply.text
    [complete] = bot.slack.files()
    assert complete.args["channel_id"] == "D0HR"
