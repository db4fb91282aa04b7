"""HR opens the reward export in Excel: the file from Slack, and the command line's with `--excel`, start with the
UTF-8 byte order mark Excel needs to read names like José Núñez; the command line's default stays plain for
scripts. `semicolons` lays the file out for Excel in a language whose decimal mark is a comma. Both databases write
the same bytes."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from models import AuditEvent, Employee, RewardGrant
from services import directory
from services.errors import InvalidInput
from services.rewards.export import export_grants, parse_period
from tests.conftest import RunningBot
from tests.e2e.test_rewards_export import MARCH_CSV, TRICKY_CELLS, at, give, make_history
from tests.helpers import load_org
from tests.rewards_helpers import load_policy_text

BOM = b"\xef\xbb\xbf"
MARCH = ["export", "rewards", "--from", "2026-03-01", "--to", "2026-03-31"]
STAFF = """slack_id,name,team,role,manager_slack_id,email
U0HR,Hana Reyes,People,hr,,hana@example.com
U0JOSE,José Núñez,Support,frontline,,jose@example.com
U0ZOE,Zoë Brontë,Support,frontline,,zoe@example.com
U0KHAI,Nguyễn Thị Minh Khai,Support,frontline,,khai@example.com
U0FANG,王芳,Support,frontline,,fang@example.com
U0OLI,Ólafur Þórsson,Support,frontline,,olafur@example.com
"""


def international_staff(sessions: sessionmaker[Session]) -> None:
    load_org(sessions, at(1, 8), STAFF)
    load_policy_text(sessions, at(1, 8))
    with sessions.begin() as session:
        directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=at(1, 8))
        for hour, (giver, to) in enumerate([("U0JOSE", "U0FANG"), ("U0FANG", "U0KHAI"), ("U0KHAI", "U0OLI")]):
            give(session, giver, to, "shoutout", "Merci, ¡gracias!, 谢谢", at(2, 9 + hour))
        give(session, "U0OLI", "U0ZOE", "shoutout", "Takk fyrir", at(2, 12))


def test_the_file_hr_gets_in_slack_starts_with_the_mark_excel_reads_utf_8_by(bot: RunningBot) -> None:
    """Double-clicked on Windows, a CSV without it is read in the legacy code page: Zoë Ñúñez becomes ZoÃ« Ã‘ÃºÃ±ez."""
    make_history(bot.sessions)
    bot.clock.set(at(1, 9, month=4))

    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")

    [upload] = bot.slack.files()
    [content] = upload.files.values()
    assert content == BOM + MARCH_CSV.encode("utf-8"), "the mark once, then the same CSV as the command line's"


def test_every_name_reads_as_typed_in_a_spreadsheet_and_in_a_payroll_script(bot: RunningBot) -> None:
    international_staff(bot.sessions)
    bot.clock.set(at(3, 9))

    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")

    [upload] = bot.slack.files()
    [content] = upload.files.values()
    assert content.startswith(BOM) and content.count(BOM) == 1
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert [(row["nominator"], row["recipient_name"]) for row in rows] == [
        ("José Núñez", "王芳"),
        ("王芳", "Nguyễn Thị Minh Khai"),
        ("Nguyễn Thị Minh Khai", "Ólafur Þórsson"),
        ("Ólafur Þórsson", "Zoë Brontë"),
    ]
    assert rows[0]["reason"] == "Merci, ¡gracias!, 谢谢" and rows[0]["value"] == "0.00"


def test_the_command_line_writes_the_mark_only_when_asked_for_excel(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)
    plain, excel = tmp_path / "payroll.csv", tmp_path / "for-hr.csv"

    assert main([*MARCH, "--out", str(plain)]) == 0
    assert main([*MARCH, "--excel", "--out", str(excel)]) == 0

    assert plain.read_bytes() == MARCH_CSV.encode("utf-8"), "a script reading the default gets no stray mark"
    assert excel.read_bytes() == BOM + MARCH_CSV.encode("utf-8")


@pytest.mark.parametrize("encoding", [None, "latin-1", "utf-8-sig"])
def test_the_mark_comes_first_on_standard_output_too(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, encoding: str | None
) -> None:
    """On PostgreSQL the rows go to the bytes under standard output: the mark must be out before them. Written in
    UTF-8 whatever the terminal's encoding (a Windows redirect, a C locale), and the mark once."""
    make_history(sessions)
    env = {**os.environ, "DATABASE_URL": database_url, **({"PYTHONIOENCODING": encoding} if encoding else {})}

    done = subprocess.run(
        [sys.executable, "-m", "bot", *MARCH, "--excel"], cwd=tmp_path, capture_output=True, env=env, timeout=60
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout == BOM + MARCH_CSV.encode("utf-8")


def test_the_mark_is_refused_for_json_lines_before_anything_is_written(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "march.jsonl"

    assert main([*MARCH, "--excel", "--format", "jsonl", "--out", str(out)]) == 2

    said = capsys.readouterr().err
    assert "--excel is for a CSV opened in Excel: JSON lines have no byte order mark, leave it out" in said
    assert not out.exists()
    with sessions() as session:
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "reward.export")).all() == []


def test_the_export_help_says_when_to_ask_for_excel(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "rewards", "--help"])

    helped = " ".join(capsys.readouterr().out.split())
    assert "--excel [semicolons] start the CSV with a UTF-8 byte order mark, without which Excel on Windows" in helped
    assert "`--excel semicolons` also separates cells with semicolons and writes values as 25,00" in helped
    assert "(default: neither, for scripts)" in helped


def test_the_export_service_refuses_a_mark_on_json_lines(sessions: sessionmaker[Session]) -> None:
    make_history(sessions)
    out = io.StringIO()

    with sessions() as session, pytest.raises(InvalidInput, match="JSON lines have none"):
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=at(1, 8))
        period = parse_period("2026-03-01", "2026-03-31", None, now=at(1, 9, month=4))
        export_grants(
            session, workspace=workspace, requester=None, period=period, out=out, fmt="jsonl", byte_order_mark=True
        )

    assert out.getvalue() == ""


VALUE = MARCH_CSV.split("\r\n")[0].split(",").index("value")


def with_semicolons(comma_separated: str) -> str:
    """The same rows as Python's CSV writer lays them out with semicolons, values with a decimal comma."""
    rows = list(csv.reader(io.StringIO(comma_separated, newline="")))
    for row in rows[1:]:
        row[VALUE] = row[VALUE].replace(".", ",")
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def test_hr_in_a_decimal_comma_language_asks_slack_for_semicolons(bot: RunningBot) -> None:
    """Excel in German or French splits a CSV at semicolons only, and would take `25.00` for text or a date."""
    make_history(bot.sessions)
    bot.clock.set(at(1, 9, month=4))

    reply = bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31 semicolons")
    bot.driver.command("U0HR", "/rewards", "export Semicolon team:Support East")

    assert "2026-03-31 (whole days in UTC, the clock of the file's times), cells separated by semicolons" in reply.text
    whole, east = (next(iter(upload.files.values())) for upload in bot.slack.files())
    assert whole == BOM + with_semicolons(MARCH_CSV).encode("utf-8")
    lines = whole.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("grant_id;granted_at;recipient_id;recipient_name;")
    assert ";voucher;25,00;USD;" in lines[3] and ';"\'-Ines, Agent";' not in whole.decode("utf-8")
    assert [line.split(";")[0] for line in east.decode("utf-8-sig").splitlines()][:1] == ["grant_id"]


def test_every_kind_of_cell_is_laid_out_with_semicolons_as_pythons_csv_writer_does_it(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quoted where a semicolon (not a comma) is, formula-safe, a reason naming someone included: the same bytes on
    both databases, by their different ways of writing the CSV."""
    make_history(sessions)
    cells = [*TRICKY_CELLS, "a;b", "=a;b", "; first", "<@U0AGENT1> said; fine", "<#C0SUP|support>;then"]
    slots = [(RewardGrant, RewardGrant.id == grant_id, "reason") for grant_id in (1, 2, 3, 4, 6)]
    slots += [(RewardGrant, RewardGrant.id == grant_id, "title") for grant_id in (1, 2, 3, 4, 6)]
    slots += [(Employee, Employee.slack_id == slack_id, "name") for slack_id in ("U0MGR1", "U0MGR2", "U0AGENT3")]
    with sessions.begin() as session:
        for (model, where, column), cell in zip(slots, reversed(cells), strict=False):
            session.execute(update(model).where(where).values({column: cell}))
    monkeypatch.setenv("DATABASE_URL", database_url)
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    february_march = ["export", "rewards", "--from", "2026-02-01", "--to", "2026-03-31"]

    assert main([*february_march, "--out", str(plain)]) == 0
    assert main([*february_march, "--excel", "semicolons", "--out", str(excel)]) == 0

    comma_separated = plain.read_bytes().decode("utf-8")
    assert "@Sam" in comma_separated and "#support" in comma_separated
    assert excel.read_bytes() == BOM + with_semicolons(comma_separated).encode("utf-8")


def test_a_layout_the_command_line_does_not_know_is_named_with_the_ones_it_does(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "march.csv"

    with pytest.raises(SystemExit) as exited:
        main([*MARCH, "--excel", "semicolon", "--out", str(out)])

    assert exited.value.code == 2
    said = capsys.readouterr().err
    assert "argument --excel: invalid choice: 'semicolon' (choose from 'commas', 'semicolons')" in said
    assert not out.exists()
