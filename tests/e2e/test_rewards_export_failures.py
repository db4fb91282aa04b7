"""HR's export when something is wrong: a clear message, in Slack or on the command line, and nothing half-made."""

import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from models import AuditEvent
from services.rewards import export as reward_export
from tests.conftest import RunningBot
from tests.e2e.test_rewards_export import HEADER, MARCH_CSV, make_history

OUT_OF_RANGE = "TO 9999-12-31 is out of range: an export covers days from 2000-01-01 to 2099-12-31."


def exports_audited(sessions: sessionmaker[Session]) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "reward.export")))


def broken_query(*_args: Any) -> int:
    raise OperationalError("SELECT ... FROM reward_grants", {}, Exception("disk I/O error"))


def full_disk(*args: Any) -> int:
    """Writes the header, then fails as a full disk does."""
    out = args[4]
    out.write(HEADER)
    raise OSError(28, "No space left on device")


# -- in Slack -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("2026-01-01 9999-12-31", OUT_OF_RANGE),
        ("1999-12-31 2026-03-31", "FROM 1999-12-31 is out of range: an export covers days from 2000-01-01"),
    ],
)
def test_a_range_beyond_the_accepted_days_is_refused_before_anything_is_promised(
    bot: RunningBot, words: str, expected: str
) -> None:
    make_history(bot.sessions)

    reply = bot.driver.command("U0HR", "/rewards", f"export {words}")

    assert expected in reply.text
    assert "Preparing" not in reply.text
    assert bot.slack.files() == []
    assert bot.slack.calls("response_url") == []
    assert exports_audited(bot.sessions) == []


def fail_slack_upload(bot: RunningBot, _monkeypatch: pytest.MonkeyPatch) -> None:
    bot.slack.fail("files.completeUploadExternal", error="internal_error")


def fail_slack_dm(bot: RunningBot, _monkeypatch: pytest.MonkeyPatch) -> None:
    bot.slack.fail("conversations.open", error="user_disabled")


def fail_the_query(_bot: RunningBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reward_export, "_write", broken_query)


@pytest.mark.parametrize(("failing", "audited"), [(fail_slack_upload, 1), (fail_slack_dm, 1), (fail_the_query, 0)])
def test_an_export_that_fails_after_the_ack_tells_hr_with_a_reference(
    bot: RunningBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    failing: Callable[[RunningBot, pytest.MonkeyPatch], None],
    audited: int,
) -> None:
    """The audit line comes before the file is handed over: an export that was built is recorded, one that
    could not be built is not."""
    make_history(bot.sessions)
    failing(bot, monkeypatch)

    with caplog.at_level(logging.ERROR, logger="latitude.errors"):
        reply = bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")

    assert "Preparing the reward export for 2026-03-01 to 2026-03-31" in reply.text
    [told] = bot.slack.calls("response_url")
    assert told.text.startswith("The reward export for 2026-03-01 to 2026-03-31 failed: no file is coming. Sorry,")
    assert told.args["response_type"] == "ephemeral"
    found = re.search(r"reference `([0-9a-f]+)`", told.text)
    assert found is not None
    assert any(f"[ref {found.group(1)}]" in message for message in caplog.messages), "the log has the same reference"
    assert bot.slack.files() == []
    assert len(exports_audited(bot.sessions)) == audited


# -- on the command line --------------------------------------------------------------------------


@pytest.fixture
def history(sessions: sessionmaker[Session], database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    make_history(sessions)
    monkeypatch.setenv("DATABASE_URL", database_url)


MARCH = ["export", "rewards", "--from", "2026-03-01", "--to", "2026-03-31"]


def test_an_export_slack_shared_but_confirmed_too_late_says_it_may_have_arrived(bot: RunningBot) -> None:
    make_history(bot.sessions)
    bot.runtime.app.client.timeout = 1  # production's is 10 s; a slower Slack is the same, only later
    bot.slack.slow_down("files.completeUploadExternal", 1.5)  # shared at once, answered after the client gave up

    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")

    [shared] = bot.slack.files()
    assert shared.args["channel_id"].startswith("D")
    [told] = bot.slack.calls("response_url")
    assert "no file is coming" not in told.text
    assert "may still have arrived" in told.text and "Check our DM before you export again" in told.text
    assert len(exports_audited(bot.sessions)) == 1


def test_an_export_whose_upload_got_no_answer_in_time_says_no_file_is_coming(bot: RunningBot) -> None:
    make_history(bot.sessions)
    bot.runtime.app.client.timeout = 1
    bot.slack.slow_down("upload", 1.5)  # the bytes taken, answered after the client gave up: nothing is shared yet

    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")

    assert bot.slack.files() == [] and bot.slack.calls("files.completeUploadExternal") == []
    [told] = bot.slack.calls("response_url")
    assert "no file is coming" in told.text and "may still have arrived" not in told.text


@pytest.mark.parametrize(
    ("extra", "failing", "expected"),
    [
        (
            ["--team", "Nope"],
            None,
            "error: There is no team called 'Nope' in the directory (teams: Operations, People, Support East, "
            "Support West).",
        ),
        ([], full_disk, "error: could not write {out}: No space left on device (an existing file is left as it was)"),
        ([], broken_query, "disk I/O error"),
    ],
)
@pytest.mark.usefixtures("history")
def test_a_failing_cli_export_leaves_an_existing_file_untouched_and_no_partial_file(
    sessions: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    failing: Callable[..., int] | None,
    expected: str,
) -> None:
    previous = tmp_path / "prev.csv"
    previous.write_bytes(b"last month's export\r\n")
    if failing is not None:
        monkeypatch.setattr(reward_export, "_write", failing)

    if failing is broken_query:  # not a user mistake: the traceback, logged, is the operator's clue; the file is kept
        assert main([*MARCH, *extra, "--out", str(previous)]) == 1
        told = capsys.readouterr().err
        assert expected in told and "Traceback" in told
        assert told.splitlines()[-1].startswith("error: `python -m bot export rewards` stopped on an unexpected error")
    else:
        assert main([*MARCH, *extra, "--out", str(previous)]) == 2
        assert capsys.readouterr().err.splitlines() == [expected.format(out=previous)]

    assert previous.read_bytes() == b"last month's export\r\n"
    assert os.listdir(tmp_path) == ["prev.csv"], "no temporary file is left behind"
    assert exports_audited(sessions) == []


@pytest.mark.usefixtures("history")
def test_a_cli_export_replaces_an_existing_file_whole_and_keeps_its_permissions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous, fresh = tmp_path / "prev.csv", tmp_path / "new.csv"
    previous.write_bytes(b"last month's export, and longer than this month's header line\r\n" * 10)
    previous.chmod(0o640)

    assert main([*MARCH, "--team", "Support West", "--out", str(previous)]) == 0
    assert main([*MARCH, "--out", str(fresh)]) == 0

    assert previous.read_bytes().decode("utf-8") == HEADER + MARCH_CSV[MARCH_CSV.index("\r\n6,") + 2 :]
    assert fresh.read_bytes().decode("utf-8") == MARCH_CSV
    assert previous.stat().st_mode & 0o777 == 0o640
    assert fresh.stat().st_mode & 0o777 == 0o600, "a new file holding names and emails is its owner's only"
    assert sorted(os.listdir(tmp_path)) == ["new.csv", "prev.csv"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--to", "9999-12-31"], f"--to {OUT_OF_RANGE.removeprefix('TO ')}"),
        (
            ["--from", "2026-01-01", "--to", "9999-12-31", "--format", "jsonl"],
            f"--to {OUT_OF_RANGE.removeprefix('TO ')}",
        ),
        (["--to", "2000-01-01"], "--to 2000-01-01 is before "),
        (["--from", "2099-12-31"], "--from 2099-12-31 is after "),
        (["--out", "{tmp}/missing/x.csv"], "--out {tmp}/missing/x.csv: {tmp}/missing does not exist"),
        (["--out", "{tmp}"], "--out {tmp} is a folder: name a file in it, like {tmp}/rewards.csv"),
        (["--out", "{tmp}/a.csv/x.csv"], "--out {tmp}/a.csv/x.csv: {tmp}/a.csv is not a folder"),
        (["--team", " "], "--team is empty: name a team, or leave --team out to export every team"),
    ],
)
@pytest.mark.usefixtures("history")
def test_cli_export_mistakes_are_one_line_with_nothing_written(
    sessions: sessionmaker[Session],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    (tmp_path / "a.csv").write_text("kept")

    code = main(["export", "rewards", *[arg.format(tmp=tmp_path) for arg in args]])

    out, err = capsys.readouterr()
    assert code == 2
    [line] = err.splitlines()
    assert line.startswith("error: ") and expected.format(tmp=tmp_path) in line
    assert out == "", "not even the CSV header"
    assert os.listdir(tmp_path) == ["a.csv"] and (tmp_path / "a.csv").read_text() == "kept"
    assert exports_audited(sessions) == []


def test_an_export_that_fails_after_its_response_url_expired_is_told_to_hr_in_a_dm(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack takes a response URL for 30 minutes only: an export that long in failing is told in a DM instead."""
    make_history(bot.sessions)
    bot.slack.fail("files.completeUploadExternal", error="internal_error")
    at_the_door = bot.slack.pause("files.completeUploadExternal")

    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31", settle=False)
    at_the_door.wait_until_arrived()
    bot.slack.expire_response_urls()
    at_the_door.release()

    [told] = bot.slack.wait_for("chat.postMessage", lambda call: call.channel == "U0HR")
    assert told.text.startswith("The reward export for 2026-03-01 to 2026-03-31 failed: no file is coming. Sorry,")
    assert "reference `" in told.text
    assert bot.slack.calls("response_url") == []
    assert any("the response URL refused the apology (HTTP 404 expired_url)" in m for m in caplog.messages)


def test_an_export_confirmed_too_late_after_its_response_url_expired_says_it_may_have_arrived_in_a_dm(
    bot: RunningBot,
) -> None:
    """Slack takes a response URL for 30 minutes only: "it may have arrived" is then said in a DM, not lost."""
    make_history(bot.sessions)
    bot.runtime.app.client.timeout = 1
    bot.slack.slow_down("files.completeUploadExternal", 1.5)
    at_the_door = bot.slack.pause("files.completeUploadExternal")

    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31", settle=False)
    at_the_door.wait_until_arrived()
    bot.slack.expire_response_urls()
    at_the_door.release()

    [told] = bot.slack.wait_for("chat.postMessage", lambda call: "may still have arrived" in call.text)
    assert told.channel == "U0HR" and "Check our DM before you export again" in told.text
    assert len(bot.slack.files()) == 1
    assert bot.slack.calls("response_url") == []
