"""An anonymous idea whose wait ends while its workspace is not served: it is never lost. Uninstalled, it waits, as
the workspace's messages do, and goes out once the app is installed again; taken over by the org's org-wide install,
it stays with the stopped workspace, as its open ideas do, and its author is told to send it again."""

from datetime import timedelta

from sqlalchemy import select

from bot.fakeslack import SlackDriver
from bot.fakeslack.browser import install
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.release_suggestions import release_suggestions
from models import Delivery, Suggestion
from tests.conftest import RunningBot
from tests.e2e.test_installs import install_in, load_org_and_policy, oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import driver_for
from tests.e2e.test_installs_grid_takeover import GROUP_ORG
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, install_in_the_org
from tests.suggestions_helpers import LONGEST_WAIT

IDEA = "Stop making us read the refund script word for word"
EAST_ORG = (
    "slack_id,name,team,role,manager_slack_id,email,tz,profile\n"
    "U0HR,Hana HR,People,hr,,,America/New_York,\n"
    "U0MGR1,Maya Manager,Support East,manager,U0HR,,America/New_York,\n"
    + "".join(f"U0AGENT{n},Agent {n},Support East,frontline,U0MGR1,,America/New_York,\n" for n in range(1, 7))
)
BIG_NORTH = NORTH_ORG + "".join(f"W0NAG{n},Agent {n},Support,frontline,W0NMGR,,Europe/London,\n" for n in range(1, 5))


def suggest_anonymously(driver: SlackDriver, bot: RunningBot, user: str) -> None:
    driver.command(user, "/suggest")
    view = bot.slack.calls("views.open")[-1].args["view"]
    assert driver.submit(user, view, {"what": IDEA, "anonymous": ["yes"]}).json == {}


def ticks_after_the_wait(bot: RunningBot) -> None:
    bot.clock.advance(LONGEST_WAIT + timedelta(seconds=1))
    release_suggestions(bot.runtime.deps, bot.runtime.sender_client)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def cards_to(bot: RunningBot, user: str) -> list[str]:
    return [str(call.args) for call in bot.slack.messages_to(user) if IDEA in str(call.args)]


def test_an_idea_released_in_a_workspace_installed_through_slacks_pages_reaches_its_owner(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Installed in several workspaces, the bot's ticks have no token of their own: the card goes with the
    workspace's."""
    east = install_in(oauth_bot, "T0EAST", EAST_ORG)
    suggest_anonymously(east, oauth_bot, "U0AGENT1")

    ticks_after_the_wait(oauth_bot)

    assert len(cards_to(oauth_bot, "U0MGR1")) == 1


def test_an_idea_held_when_the_app_is_uninstalled_goes_out_once_it_is_installed_again(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    east = install_in(oauth_bot, "T0EAST", EAST_ORG)
    suggest_anonymously(east, oauth_bot, "U0AGENT1")
    east.event({"type": "app_uninstalled"})

    ticks_after_the_wait(oauth_bot)
    with oauth_bot.sessions() as session:
        assert session.scalars(select(Suggestion.release_at)).one() is not None, "still held"
    assert cards_to(oauth_bot, "U0MGR1") == []

    oauth_bot.slack.installing(team_id="T0EAST", user_id="U0HR")
    assert install(oauth_bot.events_url).status == 200
    ticks_after_the_wait(oauth_bot)

    assert len(cards_to(oauth_bot, "U0MGR1")) == 1


def test_the_author_of_an_idea_held_when_the_org_takes_its_workspace_over_is_told_to_send_it_again(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    north = install_in_the_org(oauth_bot, "T0NORTH", BIG_NORTH)
    suggest_anonymously(north, oauth_bot, "W0NAGENT")
    oauth_bot.slack.add_user("W0GMGR", "Gus Manager", teams=("T0NORTH",), enterprise_id="E0GROUP")
    oauth_bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(oauth_bot.events_url).status == 200
    load_org_and_policy(oauth_bot.sessions, "E0GROUP", GROUP_ORG, oauth_bot.clock.now())

    driver_for(oauth_bot, "T0NORTH", "E0GROUP", org_wide=True).org_event(
        {"type": "team_access_granted", "team_ids": ["T0NORTH"]}
    )
    ticks_after_the_wait(oauth_bot)

    [told] = [call for call in oauth_bot.slack.messages_to("W0NAGENT") if "had not gone out" in str(call.args)]
    assert IDEA in str(told.args) and "`/suggest`" in str(told.args)
    assert told.args["text"] == "You have a new message from Latitude.", "the phone shows nothing of it"
    assert cards_to(oauth_bot, "W0NMGR") == [] and cards_to(oauth_bot, "W0GMGR") == []
    with oauth_bot.sessions() as session:
        assert (
            session.scalars(select(Delivery.idempotency_key).where(Delivery.idempotency_key.like("%not-sent%")))
            .one()
            .startswith("anonymous-dm:")
        )
