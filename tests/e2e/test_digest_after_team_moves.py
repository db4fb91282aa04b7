"""A team lead moves under another manager with their whole team: the week's fixes count where they were logged.

A fix records every manager above its giver when it was logged, so the fixes Lee's team logged while Lee reported to
Maya stay in Maya's digest (this week's and, next week, last week's) after the team joins Omar's, as the fixes of a
single person who moves do; only the fixes logged after the move count for Omar.
"""

from datetime import UTC, datetime

from sqlalchemy import delete, update

from handlers.blocks.digest import LAST_DIGEST, as_text
from handlers.jobs.send_weekly_digests import send_weekly_digests
from models import ResolutionManager, Workspace
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import load_org, load_policy

KIM_STAYS_WITH_MAYA = "U0AGENT4,Kim Agent,Support East,frontline,U0MGR1,kim@example.com,America/New_York,agent"
LEE_AS_LEAD = {
    "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,": "U0AGENT1,Sam Agent,Support East,frontline,U0AGENT2,",
    "U0AGENT2,Lee Senior,Support East,frontline,U0MGR1,": "U0AGENT2,Lee Senior,Support East,manager,U0MGR1,",
    "U0MGR2,Omar": f"{KIM_STAYS_WITH_MAYA}\nU0MGR2,Omar",
}
UNDER_OMAR = {"U0AGENT2,Lee Senior,Support East,manager,U0MGR1,": "U0AGENT2,Lee Senior,Support East,manager,U0MGR2,"}


def org_with(changes: dict[str, str], org: str | None = None) -> str:
    text = org if org is not None else (FIXTURES / "org.csv").read_text()
    for before, after in changes.items():
        assert before in text, before
        text = text.replace(before, after)
    return text


def digests(bot: RunningBot, now: datetime) -> dict[str, str]:
    """Every digest due at `now`, as text, by its manager's Slack id."""
    bot.clock.set(now)
    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)
    sent = [c for c in bot.slack.calls("chat.postMessage") if c.text.startswith("Your team")]
    bot.slack.reset()
    return {str(c.args["channel"]): as_text(c.args["blocks"]) for c in sent}


def test_a_teams_fixes_stay_with_the_manager_it_had_when_they_were_logged(bot: RunningBot) -> None:
    """Sam, in Lee's team under Maya, logs a fix on Tuesday; on Thursday Lee's team moves under Omar; Sam's Friday fix
    is Omar's. Monday's digests: Maya counts Tuesday's, Omar Friday's, Lee both; a week later Maya's last week still
    holds Tuesday's, as her digest said."""
    lead = org_with(LEE_AS_LEAD)
    load_org(bot.sessions, bot.clock.now(), lead)
    load_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    assert "Logged" in bot.driver.command("U0AGENT1", "/resolve", "credit 25 goodwill order 7").text
    bot.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), org_with(UNDER_OMAR, lead))
    bot.clock.set(datetime(2026, 3, 13, 15, 0, tzinfo=UTC))
    assert "Logged" in bot.driver.command("U0AGENT1", "/resolve", "credit 10 goodwill order 8").text

    sent = digests(bot, datetime(2026, 3, 16, 17, 0, tzinfo=UTC))  # Monday 13:00 in New York, 10:00 in Los Angeles

    assert "*Customer fixes:* 1 (last week 0), $25 given" in sent["U0MGR1"], sent["U0MGR1"]
    assert "*Customer fixes:* 1 (last week 0), $10 given" in sent["U0MGR2"], sent["U0MGR2"]
    assert "*Customer fixes:* 2 (last week 0), $35 given" in sent["U0AGENT2"], sent["U0AGENT2"]
    assert "*Customer fixes:* 2 (last week 0), $35 given" in sent["U0ADMIN"], sent["U0ADMIN"]

    bot.clock.set(datetime(2026, 3, 17, 15, 0, tzinfo=UTC))
    assert "Logged" in bot.driver.command("U0AGENT3", "/resolve", "credit 5 goodwill order 9").text
    later = digests(bot, datetime(2026, 3, 23, 17, 0, tzinfo=UTC))

    assert "(last week 1)" in later["U0MGR1"], later["U0MGR1"]
    assert "*Customer fixes:* 1 (last week 1), $5 given" in later["U0MGR2"], later["U0MGR2"]


def test_a_fix_logged_before_its_managers_were_kept_counts_as_it_did(bot: RunningBot) -> None:
    """A fix logged before the upgrade that keeps every manager above its giver (only the giver's own manager kept)
    counts for that manager and the managers above them now, as it did: Lee's team's Tuesday fix is Omar's."""
    lead = org_with(LEE_AS_LEAD)
    load_org(bot.sessions, bot.clock.now(), lead)
    load_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    assert "Logged" in bot.driver.command("U0AGENT1", "/resolve", "credit 25 goodwill order 7").text
    with bot.sessions.begin() as session:
        session.execute(delete(ResolutionManager))
        session.execute(update(Workspace).values(managers_kept_since=datetime(2026, 3, 11, tzinfo=UTC)))
    bot.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), org_with(UNDER_OMAR, lead))

    sent = digests(bot, datetime(2026, 3, 16, 17, 0, tzinfo=UTC))

    assert "*Customer fixes:* none logged (last week 0)." in sent["U0MGR1"], sent["U0MGR1"]
    assert "*Customer fixes:* 1 (last week 0), $25 given" in sent["U0MGR2"], sent["U0MGR2"]


def test_a_teams_recognition_stays_with_the_manager_it_had_when_it_was_granted(bot: RunningBot) -> None:
    """On Tuesday Kim (staying with Maya) thanks Sam, in Lee's team under Maya, and Sam thanks Kim; on Thursday Lee's
    team moves under Omar. Monday's digests file both thanks, received and given, under Maya's team, where they were
    given, as HR's export files them; Omar's team received and gave none that week."""
    lead = org_with(LEE_AS_LEAD)
    load_org(bot.sessions, bot.clock.now(), lead)
    load_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    assert "Sam" in bot.driver.command("U0AGENT4", "/nominate", "<@U0AGENT1|sam> calmed the Tuesday rush").text
    assert "Kim" in bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT4|kim> covered my calls").text
    bot.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), org_with(UNDER_OMAR, lead))

    sent = digests(bot, datetime(2026, 3, 16, 17, 0, tzinfo=UTC))

    assert "*Recognition:* 2 received by the team, 2 given by it" in sent["U0MGR1"], sent["U0MGR1"]
    assert "*Recognition:* 0 received by the team, 0 given by it" in sent["U0MGR2"], sent["U0MGR2"]
    assert "*Recognition:* 1 received by the team, 1 given by it" in sent["U0AGENT2"], sent["U0AGENT2"]


def test_a_manager_whose_whole_team_moved_away_gets_a_last_digest_once_and_those_above_count_its_fixes(
    bot: RunningBot,
) -> None:
    """Without Kim, nobody reports to Maya after Thursday. She had her digest that Monday; the next Monday brings her
    a last one, of the week she still had a team (the team's Tuesday fix in it, and said to be her last); Ada's (above
    Maya then) counts the fix too; the Monday after brings Maya nothing."""
    lead = org_with({k: v for k, v in LEE_AS_LEAD.items() if k != "U0MGR2,Omar"})
    load_org(bot.sessions, bot.clock.now(), lead)
    load_policy(bot.sessions, bot.clock.now())
    assert "U0MGR1" in digests(bot, datetime(2026, 3, 9, 17, 0, tzinfo=UTC))
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    assert "Logged" in bot.driver.command("U0AGENT1", "/resolve", "credit 25 goodwill order 7").text
    bot.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), org_with(UNDER_OMAR, lead))

    sent = digests(bot, datetime(2026, 3, 16, 17, 0, tzinfo=UTC))
    again = digests(bot, datetime(2026, 3, 16, 18, 0, tzinfo=UTC))

    assert "Your team's week: Mon 09 Mar – Sun 15 Mar" in sent["U0MGR1"], sent["U0MGR1"]
    assert "*Customer fixes:* 1 (last week 0), $25 given" in sent["U0MGR1"], sent["U0MGR1"]
    assert LAST_DIGEST in sent["U0MGR1"] and "It comes again once someone reports to you." in sent["U0MGR1"]
    assert "*Customer fixes:* 1 (last week 0), $25 given" in sent["U0ADMIN"], sent["U0ADMIN"]
    assert LAST_DIGEST not in sent["U0ADMIN"]
    assert "*Customer fixes:* none logged (last week 0)." in sent["U0MGR2"], sent["U0MGR2"]
    assert again == {}
    assert "U0MGR1" not in digests(bot, datetime(2026, 3, 23, 17, 0, tzinfo=UTC))


NIA = "U0NEW,Nia New,Support East,frontline,U0MGR1,nia@example.com,America/New_York,agent"
NIA_UNDER_MAYA = {"U0MGR2,Omar": f"{NIA}\nU0MGR2,Omar"}


def test_what_a_newcomer_did_before_the_org_file_put_them_under_a_manager_is_not_that_managers(
    bot: RunningBot,
) -> None:
    """Nia, whom the org file does not list yet, logs a fix and thanks Sam on Tuesday, with no manager; on Thursday
    the org file puts her under Maya. Monday's digest: Maya's team received Sam's thanks, but neither the fix nor the
    thanks given were her team's when they were made (a workspace that always kept the managers above its people,
    and one upgraded before Tuesday alike)."""
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        session.execute(update(Workspace).values(managers_kept_since=datetime(2026, 3, 3, tzinfo=UTC)))
    bot.slack.add_user("U0NEW", "Nia New")
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    bot.driver.command("U0NEW", "/resolve", "credit 25 goodwill order 7")
    thanks = bot.driver.command("U0NEW", "/nominate", "<@U0AGENT1|sam> calmed the Tuesday rush").text
    answers = " ".join([thanks, *(call.text for call in bot.slack.calls("response_url"))])
    assert "Sent your credit of $25" in answers and "Sam" in answers, answers
    bot.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), org_with(NIA_UNDER_MAYA))

    sent = digests(bot, datetime(2026, 3, 16, 17, 0, tzinfo=UTC))

    assert "*Recognition:* 1 received by the team, 0 given by it" in sent["U0MGR1"], sent["U0MGR1"]
    assert "*Customer fixes:* none logged (last week 0)." in sent["U0MGR1"], sent["U0MGR1"]


def test_a_team_leaving_after_this_weeks_digest_brings_one_last_digest_the_next_week_not_a_second_this_week(
    bot: RunningBot,
) -> None:
    """Maya had her digest on Monday 9 March; her team moves on Thursday: nothing more that week, one last digest
    (of 9-15 March) on Monday 16."""
    lead = org_with({k: v for k, v in LEE_AS_LEAD.items() if k != "U0MGR2,Omar"})
    bot.clock.set(datetime(2026, 2, 20, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), lead)
    load_policy(bot.sessions, bot.clock.now())
    assert "U0MGR1" in digests(bot, datetime(2026, 3, 2, 17, 0, tzinfo=UTC))  # W10, of Feb 23-Mar 1
    assert "U0MGR1" in digests(bot, datetime(2026, 3, 9, 17, 0, tzinfo=UTC))  # W11, of Mar 2-8
    bot.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))  # Thursday of W11: the team goes
    load_org(bot.sessions, bot.clock.now(), org_with(UNDER_OMAR, lead))
    thursday = digests(bot, datetime(2026, 3, 12, 15, 5, tzinfo=UTC))
    monday = digests(bot, datetime(2026, 3, 16, 17, 0, tzinfo=UTC))
    assert "U0MGR1" not in thursday, thursday["U0MGR1"][:120]
    assert LAST_DIGEST in monday["U0MGR1"]


def test_a_team_coming_back_in_the_week_of_the_last_digest_brings_no_second_digest_that_week(bot: RunningBot) -> None:
    lead = org_with({k: v for k, v in LEE_AS_LEAD.items() if k != "U0MGR2,Omar"})
    load_org(bot.sessions, bot.clock.now(), lead)
    load_policy(bot.sessions, bot.clock.now())
    assert "U0MGR1" in digests(bot, datetime(2026, 3, 9, 17, 0, tzinfo=UTC))
    bot.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    moved = org_with(UNDER_OMAR, lead)
    load_org(bot.sessions, bot.clock.now(), moved)
    sent = digests(bot, datetime(2026, 3, 16, 17, 0, tzinfo=UTC))
    assert LAST_DIGEST in sent["U0MGR1"]
    bot.clock.set(datetime(2026, 3, 17, 15, 0, tzinfo=UTC))  # Tuesday: Nia joins Maya's team
    nia = "U0NEW,Nia New,Support East,frontline,U0MGR1,nia@example.com,America/New_York,agent"
    load_org(bot.sessions, bot.clock.now(), moved.replace("U0MGR2,Omar", f"{nia}\nU0MGR2,Omar", 1))
    tuesday = digests(bot, datetime(2026, 3, 17, 15, 5, tzinfo=UTC))
    assert "U0MGR1" not in tuesday, tuesday["U0MGR1"][:300]
