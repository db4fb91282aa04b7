"""Markup typed key by key in a reason (`<@U0MGR1>`, kept from Slack by a word joiner after its `<`) reaches HR's
export as typed: without the joiner, which a spreadsheet shows as a stray character or a box, and formula-safe, from
Slack and from the command line (on PostgreSQL, through `COPY`), as CSV and as JSON lines."""

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import RunningBot
from tests.e2e.test_rewards_export_mentions import REASON, cli_export
from tests.rewards_helpers import set_up

TYPED = {
    "covered for &lt;@U0MGR1&gt; &amp; &lt;#C0KUDOS&gt;": "covered for <@U0MGR1> & <#C0KUDOS>",
    "&lt;@U0MGR1&gt; said it first, <@U0AGENT3|ines> too": "<@U0MGR1> said it first, @Ines Agent too",
    "=1+1 &lt;@U0MGR1&gt;,\nall week": "'=1+1 <@U0MGR1>,\nall week",
}
"""A reason as Slack sends it typed after `/nominate <@U0AGENT2|lee.senior>`, and its cell in the export."""


@pytest.fixture
def nominated(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    for typed in TYPED:
        fields = bot.driver.command_fields("U0AGENT1", "/nominate")
        bot.driver.post_form({**fields, "text": f"<@U0AGENT2|lee.senior> {typed}"})
    return bot


def reasons(content: str) -> list[str]:
    return sorted(row[REASON] for row in list(csv.reader(io.StringIO(content, newline="")))[1:])


def test_markup_typed_in_a_reason_is_exported_as_typed_from_slack(nominated: RunningBot) -> None:
    """The file held `<\u2060@U0MGR1>`: the joiner only keeps Slack from reading the markup."""
    nominated.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")
    nominated.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31 semicolons")

    commas, semicolons = (upload.files for upload in nominated.slack.files())
    [content] = commas.values()
    assert reasons(content.decode("utf-8-sig")) == sorted(TYPED.values())
    [content] = semicolons.values()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))[1:]
    assert sorted(row[REASON] for row in rows) == sorted(TYPED.values())


def test_markup_typed_in_a_reason_is_exported_as_typed_from_the_command_line(
    nominated: RunningBot, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    content = cli_export(tmp_path / "rewards.csv")
    lines = cli_export(tmp_path / "rewards.jsonl", "--format", "jsonl").splitlines()

    assert reasons(content) == sorted(TYPED.values())
    assert "\u2060" not in content
    shown = sorted(json.loads(line)["reason"] for line in lines)
    assert shown == sorted(cell.removeprefix("'") for cell in TYPED.values())
