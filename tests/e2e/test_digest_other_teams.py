"""A manager reads only their own team's digest: naming a team below them, or its leader, tells them nothing.

A lead's digest is theirs, unfiltered: it holds what their team logged before it came under its present managers
(which stays with the managers it had then), ideas they own by category from anywhere, and, for an admin, requests
from anywhere. So a senior manager naming the team of someone below them gets the answer a team that does not exist
gets, and "Did you mean" offers them nothing but their own team.
"""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from handlers.blocks.digest import as_text
from models import Workspace
from services.suggestions.lifecycle import SuggestionRequest, submit
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import around_the_clock, employee, load_org, load_policy

ORG = (FIXTURES / "org.csv").read_text()
SARA = """\
U0SEN,Sara Senior,Operations,manager,U0ADMIN,sara@example.com,Europe/London,
U0SENA,Sid Agent,Operations,frontline,U0SEN,sid@example.com,Europe/London,agent
"""
MAYA_UNDER_ADA = "U0MGR1,Maya Manager,Support East,manager,U0ADMIN"
MAYA_UNDER_SARA = "U0MGR1,Maya Manager,Support East,manager,U0SEN"
NOBODY = "<@U0NOBODY|ghost>"
SEEN = "⟨typed⟩"
USAGE = "\n\n*/digest* — "


def answer(bot: RunningBot, user: str, typed: str) -> str:
    """What `/digest typed` shows the user."""
    bot.slack.reset()
    reply = bot.driver.command(user, "/digest", typed)
    assert reply.status == 200, reply.text
    responses = bot.slack.calls("response_url")
    if not responses:
        return reply.text
    [response] = responses
    blocks = response.args.get("blocks")
    return as_text(blocks) if blocks else response.text


def learns_nothing(bot: RunningBot, user: str, typed: str, *secrets: str) -> None:
    """`typed` is answered as words, a team or a person that does not exist would be, and none of `secrets` is in
    what is said before the usage (which is the same for everyone)."""
    listing, named = (
        ("recognition ", typed.removeprefix("recognition ")) if typed.startswith("recognition ") else ("", typed)
    )
    ghost = NOBODY if named.startswith("<@") else "team:Nowhere At All" if "team:" in named else "Nowhere At All"
    said = without(answer(bot, user, typed), named)
    assert said == without(answer(bot, user, listing + ghost), ghost), (typed, said)
    told = said.partition(USAGE)[0]
    for secret in secrets:
        assert secret not in told, (typed, secret, told)


def without(said: str, typed: str) -> str:
    """The answer with what was typed taken out of what it says of it (the usage after it names a team of its own)."""
    head, usage, rest = said.partition(USAGE)
    return head.replace(typed, SEEN) + usage + rest


@pytest.mark.parametrize(
    "typed",
    ["team:Support East", "Support East", "<@U0MGR1|maya>", "recognition team:Support East", "recognition <@U0MGR1>"],
)
def test_a_senior_manager_naming_a_team_that_came_under_them_learns_nothing_of_what_it_logged_before(
    bot: RunningBot, typed: str
) -> None:
    """Sara read Maya's digest, unfiltered: Monday's fix and its customer story, logged while Maya's team was Ada's."""
    bot.clock.set(datetime(2026, 2, 2, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), ORG + SARA)
    load_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 16, 15, 0, tzinfo=UTC))
    bot.driver.command("U0AGENT1", "/resolve", "credit 5 order 77 outcome:happy Zebedee Quux waited an hour")
    bot.clock.set(datetime(2026, 3, 17, 12, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), ORG.replace(MAYA_UNDER_ADA, MAYA_UNDER_SARA) + SARA)
    bot.clock.set(datetime(2026, 3, 18, 12, 0, tzinfo=UTC))

    learns_nothing(bot, "U0SEN", typed, "Zebedee", "Customer fixes", "Maya", "Sam Agent", "Lee Senior")
    assert "Zebedee" not in answer(bot, "U0SEN", ""), "her own digest leaves it with the managers of the day"
    if not typed.startswith("recognition"):
        assert "Zebedee" in answer(bot, "U0ADMIN", typed), "HR and admins still read Maya's team's digest"


def test_a_senior_manager_naming_a_team_below_them_learns_nothing_of_ideas_its_lead_owns_from_elsewhere(
    bot: RunningBot,
) -> None:
    """Maya owns the `tools` ideas of the whole workspace: Sara, above her, read one from Support West."""
    bot.clock.set(datetime(2026, 2, 2, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), ORG.replace(MAYA_UNDER_ADA, MAYA_UNDER_SARA) + SARA)
    load_policy(bot.sessions, bot.clock.now(), around_the_clock() + '\n[suggestions.owners]\ntools = "U0MGR1"\n')
    bot.clock.set(datetime(2026, 3, 16, 15, 0, tzinfo=UTC))
    with bot.sessions.begin() as session:
        submit(
            session,
            workspace=session.scalars(select(Workspace)).one(),
            author=employee(session, "U0AGENT3"),
            request=SuggestionRequest(what="Omar's rota is unfair to West", category="tools"),
            relay=None,
            now=bot.clock.now(),
        )
    bot.clock.set(datetime(2026, 3, 18, 12, 0, tzinfo=UTC))

    for typed in ("team:Support East", "<@U0MGR1|maya>"):
        learns_nothing(bot, "U0SEN", typed, "rota", "Ines", "Maya")
    assert "rota" in answer(bot, "U0MGR1", ""), "the idea is Maya's to read"


def test_a_senior_manager_naming_an_admin_below_them_learns_nothing_of_requests_waiting_on_that_admin(
    bot: RunningBot,
) -> None:
    """Abe, an admin under Sara, decides Ada's own requests: Sara read one of them in Abe's digest."""
    abe = (
        "U0ABE,Abe Admin,Tooling,admin,U0SEN,abe@example.com,Europe/London,\n"
        "U0ABEA,Ann Agent,Tooling,frontline,U0ABE,ann@example.com,Europe/London,agent\n"
    )
    bot.clock.set(datetime(2026, 2, 2, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), ORG + SARA + abe)
    load_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 16, 15, 0, tzinfo=UTC))
    assert bot.driver.command("U0ADMIN", "/resolve", "refund 900 order 4242 brother-in-law complaint").status == 200
    bot.clock.set(datetime(2026, 3, 18, 12, 0, tzinfo=UTC))

    for typed in ("<@U0ABE|abe>", "team:Tooling", "Tooling"):
        learns_nothing(bot, "U0SEN", typed, "brother-in-law", "4242", "Ada", "Abe", "Ann")
    assert "brother-in-law" in answer(bot, "U0ABE", ""), "the request waits on Abe"


@pytest.mark.parametrize("dan_still_works_here", [True, False], ids=["in a matrix team", "gone"])
@pytest.mark.parametrize("typed", ["Night Owl", "Night Owls", "night owls", "team:Night Owls", "Nigth Owls"])
def test_did_you_mean_offers_a_manager_no_team_outside_their_own(
    bot: RunningBot, typed: str, dan_still_works_here: bool
) -> None:
    """Dan reports to Sara from Nora's team, Night Owls (or did, before he left): `/digest Night Owl` was answered
    "Did you mean `/digest team:Night Owls`?", telling Sara the team exists though she cannot read it."""
    night_owls = (
        "U0DAN,Dan Gone,Night Owls,frontline,U0SEN,dan@example.com,Europe/London,agent\n"
        "U0NORA,Nora Lead,Night Owls,manager,U0ADMIN,nora@example.com,Europe/London,\n"
        "U0NORAA,Ned Agent,Night Owls,frontline,U0NORA,ned@example.com,Europe/London,agent\n"
    )
    bot.clock.set(datetime(2026, 2, 2, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), ORG + SARA + night_owls)
    load_policy(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        employee(session, "U0DAN").active = dan_still_works_here
    bot.clock.set(datetime(2026, 3, 18, 12, 0, tzinfo=UTC))

    learns_nothing(bot, "U0SEN", typed, "Night Owls", "Did you mean", "Nora", "Ned")
    assert "Did you mean `/digest team:Operations`?" in answer(bot, "U0SEN", "Operatons"), "her own team is offered"
    assert "Did you mean `/digest team:Night Owls`?" in answer(bot, "U0HR", "Night Owl")
