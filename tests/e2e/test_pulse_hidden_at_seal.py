"""A team the seal hid stays hidden on every read after: judged again on what is left inside it (an inner team's
cell), it would pass the rule and show only that inner team's figures under its own name.

Threshold 5. Anna leads two people of her own, Ben's team and Dan's team (six). Ben leads five people of his own
and Cara's team (five). Anna's two give 1, Ben's five give 2, Cara's five give 5, Dan's six give 3. At the seal
Anna's team less the teams inside would be her two people, so the rule hides Ben's team: his five's answers are
filed in Anna's cell, Cara's stay in hers. Ben's real team (ten answers, 3.5) is below target.
"""

from handlers.blocks.digest import as_text
from services import directory
from services.policy.versions import load_policy
from tests.conftest import RunningBot
from tests.e2e.test_digest_command import digest_command
from tests.e2e.test_pulse_results import answer_all, close
from tests.helpers import add_org_people, load_org
from tests.pulse_org import HEADER, POLICY, PULSE

ANNA_OWN = ["U0X01", "U0X02"]
BEN_OWN = [f"U0Y{n:02d}" for n in range(1, 6)]
CARA_OWN = [f"U0Z{n:02d}" for n in range(1, 6)]
DAN_OWN = [f"U0W{n:02d}" for n in range(1, 7)]
HIDDEN = "not shown, so that answers stay anonymous"
BEN_HIDDEN = f"• Ben Lead's team (Support B): {HIDDEN}"
CARA_SHOWN = "• Cara Lead's team (Support C): understand 5.0, valued 5.0, capacity 5.0"


def org() -> str:
    rows = [
        "U0ADMIN,Ada Admin,Operations,admin,,,Europe/London,",
        "U0HR,Hana Reyes,People,hr,U0ADMIN,,Europe/London,",
        "U0AAA,Anna Lead,Support,manager,U0ADMIN,,Europe/London,",
        "U0BBB,Ben Lead,Support B,manager,U0AAA,,Europe/London,",
        "U0CCC,Cara Lead,Support C,manager,U0BBB,,Europe/London,",
        "U0DDD,Dan Lead,Support D,manager,U0AAA,,Europe/London,",
    ]
    for people, team, lead in ((ANNA_OWN, "Support", "U0AAA"), (BEN_OWN, "Support B", "U0BBB")):
        rows += [f"{u},A {u},{team},frontline,{lead},,Europe/London," for u in people]
    for people, team, lead in ((CARA_OWN, "Support C", "U0CCC"), (DAN_OWN, "Support D", "U0DDD")):
        rows += [f"{u},A {u},{team},frontline,{lead},,Europe/London," for u in people]
    return "\n".join([HEADER, *rows]) + "\n"


def sealed_with_ben_hidden(bot: RunningBot) -> None:
    now = bot.clock.now()
    load_org(bot.sessions, now, org())
    add_org_people(bot.slack, org())
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        load_policy(session, workspace=workspace, text=POLICY + PULSE, loaded_by="test", now=now)
    assert "is open" in bot.driver.command("U0HR", "/pulse", "start").text
    for people, value in ((ANNA_OWN, 1), (BEN_OWN, 2), (CARA_OWN, 5), (DAN_OWN, 3)):
        answer_all(bot, people, value)
    close(bot)


def test_a_team_hidden_at_the_seal_is_not_shown_to_its_lead_with_an_inner_teams_figures(bot: RunningBot) -> None:
    sealed_with_ben_hidden(bot)

    ben = bot.driver.command("U0BBB", "/pulse", "results").text
    on_ben = bot.driver.command("U0HR", "/pulse", "results <@U0BBB>").text

    for seen in (ben, on_ben):
        assert HIDDEN.capitalize() in seen and "Response rate" not in seen and "Average" not in seen, seen
        assert CARA_SHOWN in seen, "Cara's team was shown at the seal, and stays so"
    assert bot.slack.files() == [], "no trend chart of a hidden team"


def test_the_teams_around_list_it_as_not_shown(bot: RunningBot) -> None:
    sealed_with_ben_hidden(bot)

    for viewer, asked in (("U0AAA", ""), ("U0HR", "<@U0AAA>"), ("U0HR", "")):
        seen = bot.driver.command(viewer, "/pulse", f"results {asked}".strip()).text
        assert BEN_HIDDEN in seen and CARA_SHOWN in seen, seen
        assert "Ben Lead's team (Support B): understand" not in seen, seen


def test_its_leads_digest_says_it_was_not_shown(bot: RunningBot) -> None:
    sealed_with_ben_hidden(bot)

    ben = as_text(digest_command(bot, "U0BBB").args["blocks"])

    assert f"*Team pulse, round 1:* {HIDDEN}: too few of your team answered" in ben, ben
    assert "scores at or above target" not in ben and "5.0" not in ben, ben


VIC_OWN = [f"U0V{n:02d}" for n in range(1, 6)]
MIA_OWN = [f"U0M{n:02d}" for n in range(1, 7)]


def test_a_team_whose_own_people_were_none_of_them_asked_stays_shown_with_its_inner_teams_figures(
    bot: RunningBot,
) -> None:
    """Dora's only direct report, Mia, left Slack before the round (the org file still lists her): nobody was asked
    in Dora's own cell, but the seal showed her team, whose figures are Mia's team's, whole."""
    rows = [
        "U0ADMIN,Ada Admin,Operations,admin,,,Europe/London,",
        "U0HR,Hana Reyes,People,hr,U0ADMIN,,Europe/London,",
        "U0VVV,Vic Lead,Support,manager,U0ADMIN,,Europe/London,",
        "U0DDD,Dora Lead,Support D,manager,U0VVV,,Europe/London,",
        "U0MMM,Mia Lead,Support M,manager,U0DDD,,Europe/London,",
        *(f"{u},A {u},Support,frontline,U0VVV,,Europe/London," for u in VIC_OWN),
        *(f"{u},A {u},Support M,frontline,U0MMM,,Europe/London," for u in MIA_OWN),
    ]
    now = bot.clock.now()
    load_org(bot.sessions, now, "\n".join([HEADER, *rows]) + "\n")
    add_org_people(bot.slack, "\n".join([HEADER, *rows]) + "\n")
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        load_policy(session, workspace=workspace, text=POLICY + PULSE, loaded_by="test", now=now)
    bot.slack.add_user("U0MMM", "Mia Lead")
    bot.driver.user_change("U0MMM", deleted=True)
    assert "is open" in bot.driver.command("U0HR", "/pulse", "start").text
    answer_all(bot, VIC_OWN, 4)
    answer_all(bot, MIA_OWN, 2)
    close(bot)

    vic = bot.driver.command("U0VVV", "/pulse", "results").text

    assert "• Dora Lead's team (Support D): understand 2.0, valued 2.0, capacity 2.0" in vic, vic
