"""`[suggestions.channels]` names a team as the org file does, whatever the letter case; a name no team of the
directory bears is pointed out when the policy is loaded, since nothing would ever go to its channel."""

from pathlib import Path

from bot.fakeslack import FakeSlack
from tests.conftest import RunningBot
from tests.e2e.test_cli import bot_environment, cli, prepared_database
from tests.helpers import POLICY_EXAMPLE
from tests.suggestions_helpers import SUGGESTIONS_POLICY, load_suggestion_org


def test_a_team_channel_written_in_another_letter_case_still_gets_the_teams_suggestions(bot: RunningBot) -> None:
    policy = SUGGESTIONS_POLICY.replace('"Support East" = "C0EAST"', '"support east" = "C0EAST"')
    load_suggestion_org(bot.sessions, bot.clock.now(), policy)

    bot.driver.command("U0AGENT1", "/suggest", "the returns desk needs a second card reader")

    [post] = bot.slack.calls("chat.postMessage", channel="C0EAST")
    assert "the returns desk needs a second card reader" in post.text


def test_policy_load_points_out_a_team_channel_for_a_team_the_directory_does_not_have(
    tmp_path: Path, slack: FakeSlack
) -> None:
    prepared_database(tmp_path)
    typo = tmp_path / "typo.toml"
    typo.write_text(POLICY_EXAMPLE.read_text().replace('"Support North" = "C0NORTH"', '"Support Est" = "C0EAST"'))
    cased = tmp_path / "cased.toml"
    cased.write_text(POLICY_EXAMPLE.read_text().replace('"Support North" = "C0NORTH"', '"support east" = "C0EAST"'))

    loaded_typo = cli(tmp_path, "policy", "load", str(typo), env=bot_environment(slack))
    loaded_cased = cli(tmp_path, "policy", "load", str(cased), env=bot_environment(slack))

    assert loaded_typo.returncode == 0, loaded_typo.stderr
    assert (
        "! [suggestions.channels] names the team 'Support Est', which the directory does not have (yet): nothing "
        "goes to its channel until a team of that name is in the org file's team column"
    ) in loaded_typo.stdout
    assert loaded_cased.returncode == 0, loaded_cased.stderr
    assert "[suggestions.channels]" not in loaded_cased.stdout
