"""An email the org file does not give is Slack's, and follows a change there: HR's export names the address the
person uses now. One the file gives stays the file's."""

from datetime import UTC, datetime

from tests.conftest import FIXTURES, RunningBot
from tests.helpers import employee, load_org, load_policy

ORG = (FIXTURES / "org.csv").read_text()
WITHOUT_EMAILS = "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != 5) for line in ORG.splitlines())


def thank_sam_and_export(bot: RunningBot) -> str:
    assert "Sam" in bot.driver.command("U0AGENT2", "/nominate", "<@U0AGENT1|sam> calmed the Tuesday rush").text
    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")
    [upload] = bot.slack.files()
    return next(iter(upload.files.values())).decode()


def test_an_email_slack_gave_follows_a_change_there_into_hrs_export(bot: RunningBot) -> None:
    """The org file gives no emails; Sam's comes from Slack, then changes there (a new surname): the export names the
    new one."""
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), WITHOUT_EMAILS)
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT1", "Sam Agent", tz="America/New_York", email="sam@example.com")
    bot.driver.user_change("U0AGENT1", title="Support agent")  # any change tells the app all Slack shows
    with bot.sessions() as session:
        assert employee(session, "U0AGENT1").email == "sam@example.com"

    bot.driver.user_change("U0AGENT1", email="sam.rivera@example.com")
    bot.clock.set(datetime(2026, 3, 11, 15, 0, tzinfo=UTC))

    export = thank_sam_and_export(bot)
    assert "sam.rivera@example.com" in export and "sam@example.com" not in export, export
    load_org(bot.sessions, bot.clock.now(), WITHOUT_EMAILS.replace("profile", "profile,email").replace("\n", ",\n"))
    with bot.sessions() as session:
        assert employee(session, "U0AGENT1").email == "sam.rivera@example.com", "an empty cell keeps Slack's"


def test_an_email_the_org_file_gives_stays_the_files(bot: RunningBot) -> None:
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), ORG)
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT1", "Sam Agent", tz="America/New_York", email="sam@example.com")

    bot.driver.user_change("U0AGENT1", email="sam.private@example.org")

    assert "sam@example.com" in thank_sam_and_export(bot)


def test_an_email_kept_as_the_files_follows_slack_once_a_file_without_the_email_column_is_imported(
    bot: RunningBot,
) -> None:
    """Everyone listed before revision 0037 had their email marked as the file's, even when the file never had the
    column: the next import of such a file hands their address back to Slack."""
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), ORG)  # as an upgrade leaves them: the file's
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT1", "Sam Agent", tz="America/New_York", email="sam@example.com")
    load_org(bot.sessions, bot.clock.now(), WITHOUT_EMAILS)

    bot.driver.user_change("U0AGENT1", email="sam.rivera@example.com")
    bot.clock.set(datetime(2026, 3, 11, 15, 0, tzinfo=UTC))

    export = thank_sam_and_export(bot)
    assert "sam.rivera@example.com" in export and "sam@example.com" not in export, export
