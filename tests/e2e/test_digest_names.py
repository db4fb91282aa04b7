"""The digest names people as every other message does: a newcomer (someone the org file does not list, added on
first use) by mention, which Slack shows with their current name, never by the handle they were added under; its
dry run, read outside Slack, names everyone in words."""

from pathlib import Path

import pytest

from bot.cli import main
from bot.fakeslack.server import BOT_TOKEN
from handlers.blocks.digest import as_text
from handlers.jobs.send_weekly_digests import send_weekly_digests
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.fixture_week import MONDAY, load_fixture_week

FIX = "credit 40 gave <@U0PAT|pat.k> a goodwill credit, <@U0AGENT2|lee> agreed"


@pytest.fixture
def newcomer_waiting(bot: RunningBot) -> RunningBot:
    """A newcomer whom Slack knows by their handle alone (no real name in their profile) waits on the admins'
    decision: Slack said they are no guest, so their fix is logged."""
    load_fixture_week(bot.sessions)
    bot.clock.set(MONDAY)
    bot.slack.add_user("U0NEWBIE", "nora.handle")
    bot.driver.command("U0NEWBIE", "/resolve", FIX, user_name="nora.handle")
    [told] = bot.slack.calls("response_url")  # once Slack was asked whether they are a guest
    assert "sent it to Ada Admin to decide" in told.text
    return bot


def test_the_weekly_digest_mentions_a_newcomer_instead_of_the_handle_they_were_added_under(
    newcomer_waiting: RunningBot,
) -> None:
    send_weekly_digests(newcomer_waiting.runtime.deps, newcomer_waiting.runtime.app.client)

    [digest] = [c for c in newcomer_waiting.slack.calls("chat.postMessage", channel="U0ADMIN") if "week" in c.text]
    shown = str(digest.args["blocks"])
    assert "*<@U0NEWBIE>* — credit of $40" in shown
    assert "nora.handle" not in shown
    assert "gave <@U0PAT> a goodwill credit, <@U0AGENT2> agreed" in shown


def test_the_dry_run_names_the_newcomer_and_the_people_a_fix_mentions_in_words(
    newcomer_waiting: RunningBot,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    environment = {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": newcomer_waiting.slack.api_url,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert main(["digest", "send", "--dry-run", "--force"]) == 0

    printed = capsys.readouterr().out
    assert "*@nora.handle* — credit of $40" in printed
    assert "> gave @pat.k a goodwill credit, @Lee Senior agreed" in printed
    assert "<@" not in printed


def test_hrs_preview_of_a_team_reads_its_newcomer_by_mention(newcomer_waiting: RunningBot) -> None:
    newcomer_waiting.driver.command("U0HR", "/digest", "team:Operations")

    response = newcomer_waiting.slack.calls("response_url")[-1]  # after the answer to the newcomer's fix
    shown = [block["text"]["text"] for block in response.args["blocks"] if block["type"] == "section"]
    assert "*Waiting on Ada Admin (1), oldest first:*" in shown
    assert any(text.startswith("*<@U0NEWBIE>* — credit of $40") for text in shown), shown
    assert "@U0NEWBIE — credit of $40" in as_text(response.args["blocks"]).replace("*", "")
