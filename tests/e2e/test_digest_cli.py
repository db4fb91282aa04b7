"""`python -m bot digest send [--force] [--dry-run]` against the fake Slack (the real clock: no digest is due)."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.fakeslack import FakeSlack
from bot.fakeslack.server import BOT_TOKEN
from models import Delivery
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.fixture_week import load_fixture_week


@pytest.fixture
def operator(bot: RunningBot, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunningBot:
    load_fixture_week(bot.sessions)
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": bot.slack.api_url,
    }.items():
        monkeypatch.setenv(name, value)
    return bot


def digests_sent(slack: FakeSlack) -> int:
    return len([c for c in slack.calls("chat.postMessage") if "Your team's week" in c.text])


def test_dry_run_prints_every_managers_digest_and_sends_nothing(
    operator: RunningBot, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "send", "--dry-run", "--force"]) == 0

    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("===")] == [
        "=== to Ada Admin (U0ADMIN)",
        "=== to Maya Manager (U0MGR1)",
        "=== to Omar Manager (U0MGR2)",
    ]
    assert "Waiting on you (1), oldest first:" in out
    assert operator.slack.calls("chat.postMessage") == []
    with operator.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Delivery)) == 0


def test_force_sends_every_manager_a_digest_again(operator: RunningBot, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", "send", "--force"]) == 0
    assert digests_sent(operator.slack) == 3

    assert main(["digest", "send", "--force"]) == 0
    assert digests_sent(operator.slack) == 6
    assert "queued 3 digests" in capsys.readouterr().out
