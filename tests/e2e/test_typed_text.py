"""Text typed into a slash command reads, everywhere, exactly as the person typed it (Slack escapes it once on the
way in; the bot unescapes it once and escapes it once when it writes mrkdwn)."""

from sqlalchemy import select

from models import Nomination, Resolution
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy


def test_a_summary_with_ampersand_and_brackets_is_stored_as_typed_and_shown_once_escaped(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 B&Q parcel <lost>")

    with bot.sessions() as session:
        [resolution] = session.scalars(select(Resolution))
        assert resolution.summary == "order 42 B&Q parcel <lost>"
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "B&amp;Q parcel &lt;lost&gt;" in request.text  # Slack shows "B&Q parcel <lost>"
    assert "&amp;amp;" not in request.text


def test_a_shout_out_reason_reads_as_typed_in_the_channel_and_in_hrs_export(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2> calmed an M&S customer <3")
    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")

    with bot.sessions() as session:
        [nomination] = session.scalars(select(Nomination))
        assert nomination.reason == "calmed an M&S customer <3"
    [shoutout] = bot.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "calmed an M&amp;S customer &lt;3" in shoutout.text
    [export] = bot.slack.files()
    [content] = export.files.values()
    assert "calmed an M&S customer <3" in content.decode("utf-8")
