""" "You said, we did": the shout-out a manager's *Done* gives a suggestion's author is recognition the team received,
not recognition it gave. The digest counted it as given by the team of whoever marked it, so Ada read "1 given by it"
for a week in which nobody in her team chose to recognise anyone; the leaderboard and the App Home never counted it."""

from datetime import timedelta

from tests.conftest import RunningBot
from tests.e2e.test_figures_agree_given import mark_done
from tests.suggestions_helpers import load_suggestion_org


def digest_of(bot: RunningBot, user: str) -> str:
    """`user`'s digest of this week so far, read an hour later."""
    bot.clock.advance(timedelta(hours=1))
    bot.slack.reset()
    bot.driver.command(user, "/digest")
    [response] = bot.slack.calls("response_url")
    return response.text


def test_the_thanks_for_a_done_suggestion_is_received_by_the_team_not_given_by_it(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    mark_done(bot, "a second card reader on the returns desk")

    digest = digest_of(bot, "U0ADMIN")

    assert "*Recognition:* 1 received by the team, 0 given by it" in digest, digest


def test_a_shout_out_someone_chose_to_give_is_still_given_by_their_team(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    mark_done(bot, "a second card reader on the returns desk")
    bot.driver.command("U0MGR1", "/nominate", "<@U0AGENT2|lee> calm with a hard customer")

    digest = digest_of(bot, "U0ADMIN")

    assert "*Recognition:* 2 received by the team, 1 given by it" in digest, digest
