"""/suggest: the owner's buttons, the submitter told of each change, "me too", and "you said, we did"."""

import io

import pytest
from sqlalchemy import select

from bot.fakeslack import Call
from handlers.jobs.drain_outbox import drain_outbox
from models import AuditEvent, Resolution, RewardGrant, Suggestion, SuggestionBacker, Workspace
from services.rewards.export import export_grants, parse_period
from tests.conftest import RunningBot
from tests.helpers import count, employee
from tests.rewards_helpers import newcomer_known_by_handle
from tests.suggestions_helpers import after_the_release, load_suggestion_org


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


def suggest(bot: RunningBot, text: str = "the returns desk needs a second card reader", user: str = "U0AGENT1") -> Call:
    reply = bot.driver.command(user, "/suggest", text)
    assert "Sent your suggestion" in reply.text
    return bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]


def the_suggestion(bot: RunningBot) -> Suggestion:
    with bot.sessions() as session:
        found = session.scalars(select(Suggestion)).one()
        session.expunge_all()
        return found


def test_a_one_line_suggestion_reaches_the_manager_with_buttons_and_the_team_channel(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/suggest", "the returns desk needs a <second> card reader")

    assert "Sent your suggestion #" in reply.text and "Maya Manager" in reply.text
    [card] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "Sam Agent" in card.text and "&lt;second&gt; card reader" in card.text
    assert {"suggestion_under_review", "suggestion_planned", "suggestion_done", "suggestion_not_doing"} <= set(
        str(card.args["blocks"]).split("'")
    )
    [post] = ready.slack.calls("chat.postMessage", channel="C0EAST")
    assert "suggestion_back" in str(post.args["blocks"])
    suggestion = the_suggestion(ready)
    assert (suggestion.status, suggestion.anonymous) == ("open", False)


def test_a_word_after_list_is_a_mistake_not_a_suggestion(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/suggest", "list all")

    assert "`/suggest list` takes nothing after it (you typed `list all`)" in reply.text
    assert ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert count(session, Suggestion) == 0


def test_each_status_change_is_told_to_the_submitter_and_the_card_follows(ready: RunningBot) -> None:
    card = suggest(ready)

    ready.driver.click("U0MGR1", card, "suggestion_under_review")
    ready.driver.double_click("U0MGR1", card, "suggestion_planned")  # two payloads, not a retry

    told = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert [("is looking at" in c.text, "plans to do" in c.text) for c in told] == [(True, False), (False, True)]
    updates = ready.slack.calls("chat.update", channel="D0MGR1")
    assert "Status: *Planned*" in updates[-1].text
    assert "already Planned" in ready.slack.calls("response_url")[-1].text
    assert the_suggestion(ready).status == "planned"


def test_a_suggestion_sent_back_to_a_status_it_had_is_told_again(ready: RunningBot) -> None:
    card = suggest(ready)

    for status in ("suggestion_under_review", "suggestion_planned", "suggestion_under_review"):
        ready.driver.click("U0MGR1", card, status)

    told = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert ["is looking at" in c.text for c in told] == [True, False, True]


def test_not_doing_asks_for_a_reason_and_the_submitter_reads_it(ready: RunningBot) -> None:
    card = suggest(ready)

    ready.driver.click("U0MGR1", card, "suggestion_not_doing")
    [opened] = ready.slack.calls("views.open")
    empty = ready.driver.submit("U0MGR1", opened.args["view"], {"note": "  "})
    assert empty.json["response_action"] == "errors" and the_suggestion(ready).status == "open"
    ready.driver.submit("U0MGR1", opened.args["view"], {"note": "The new tills next month have two readers"})

    [told] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "won't do" in told.text and "The new tills next month have two readers" in told.text
    suggestion = the_suggestion(ready)
    assert (suggestion.status, suggestion.reason) == ("not_doing", "The new tills next month have two readers")
    assert "suggestion_done" not in str(ready.slack.calls("chat.update", channel="D0MGR1")[-1].args["blocks"])


def test_colleagues_back_it_once_from_the_channel_and_the_manager_sees_the_count(ready: RunningBot) -> None:
    suggest(ready)
    post = ready.slack.calls("chat.postMessage", channel="C0EAST")[-1]

    ready.driver.click("U0AGENT2", post, "suggestion_back")
    ready.driver.click("U0AGENT2", post, "suggestion_back")
    ready.driver.click("U0AGENT3", post, "suggestion_back")
    own = ready.driver.click("U0AGENT1", post, "suggestion_back")

    assert own.status == 200
    answers = [c.text for c in ready.slack.calls("response_url")]
    assert "You back suggestion" in answers[0] and "already back" in answers[1]
    assert "your own suggestion" in answers[-1]
    assert "2 colleagues backed it" in ready.slack.calls("chat.update", channel="D0MGR1")[-1].text
    with ready.sessions() as session:
        assert count(session, SuggestionBacker) == 2


def test_done_says_you_said_we_did_thanks_by_name_and_counts_as_recognition(ready: RunningBot) -> None:
    card = suggest(ready)
    ready.driver.click("U0AGENT2", ready.slack.calls("chat.postMessage", channel="C0EAST")[-1], "suggestion_back")

    ready.driver.click("U0MGR1", card, "suggestion_done")
    [opened] = ready.slack.calls("views.open")
    ready.driver.submit("U0MGR1", opened.args["view"], {"note": "A second reader is on the returns desk since today"})

    [we_did] = [c for c in ready.slack.calls("chat.postMessage", channel="C0EAST") if "You said, we did" in c.text]
    assert "A second reader is on the returns desk" in we_did.text and "Sam Agent and Lee Senior" in we_did.text
    assert "has done" in ready.slack.calls("chat.postMessage", channel="U0AGENT1")[-1].text
    with ready.sessions() as session:
        grant = session.scalars(select(RewardGrant)).one()
        assert (grant.recipient.slack_id, grant.nominator.slack_id, grant.item_key) == (
            "U0AGENT1",
            "U0MGR1",
            "shoutout",
        )
        assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "suggestion.done")) is not None
        workspace = session.scalars(select(Workspace)).one()
        out = io.StringIO()
        period = parse_period(None, None, None, now=ready.clock.now())
        export_grants(session, workspace=workspace, requester=None, period=period, out=out)
    assert "You said, we did" in out.getvalue() and "Sam Agent" in out.getvalue()


def test_only_the_owner_or_hr_moves_a_suggestion_and_nobody_their_own(ready: RunningBot) -> None:
    card = suggest(ready)

    ready.driver.click("U0MGR2", card, "suggestion_planned", forged=True)
    ready.driver.click("U0AGENT2", card, "suggestion_done", forged=True)

    answers = [c.text for c in ready.slack.calls("response_url")]
    assert all("Suggestion #1 is not yours to answer" in text for text in answers) and len(answers) == 2
    assert the_suggestion(ready).status == "open"
    listed = ready.driver.command("U0HR", "/suggest", "list").json
    ready.driver.click("U0HR", Call("ack", listed, 0, response={"ephemeral": True}), "suggestion_answer", value="1")
    hr_card = ready.slack.calls("chat.postMessage", channel="U0HR")[-1]
    ready.driver.click("U0HR", hr_card, "suggestion_under_review")
    assert the_suggestion(ready).status == "under_review"


def test_a_stranger_with_a_forwarded_card_learns_what_a_made_up_id_tells_whether_it_is_open_closed_or_never_was(
    ready: RunningBot,
) -> None:
    """Omar, who may not answer it, clicks a card forwarded to him before and after it closes, and a card
    naming a suggestion that never existed: one answer, which names nobody (an anonymous idea's owner would
    name its author's team)."""
    ready.driver.command("U0AGENT1", "/suggest")
    view = ready.slack.calls("views.open")[-1].args["view"]
    assert ready.driver.submit("U0AGENT1", view, {"what": "Fewer surveys, please", "anonymous": ["yes"]}).json == {}
    after_the_release(ready)
    card = ready.slack.calls("chat.postMessage", channel="U0MGR1")[-1]

    ready.driver.click("U0MGR2", card, "suggestion_planned", forged=True)
    ready.driver.click("U0MGR2", card, "suggestion_planned", value="999", forged=True)
    ready.driver.click("U0MGR1", card, "suggestion_done")
    ready.driver.submit("U0MGR1", ready.slack.calls("views.open")[-1].args["view"], {"note": "One a quarter now"})
    ready.driver.click("U0MGR2", card, "suggestion_under_review", forged=True)

    answers = [c.text.replace("#999", "#1") for c in ready.slack.calls("response_url")]
    assert len(answers) == 3 and len(set(answers)) == 1
    assert "Maya" not in answers[0] and "Done" not in answers[0]


def test_the_modal_takes_a_category_with_its_owner_and_one_of_my_fixes(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 late parcel")
    ready.driver.command("U0AGENT1", "/suggest")
    [opened] = ready.slack.calls("views.open")
    view = opened.args["view"]
    with ready.sessions() as session:
        fix_id = session.scalars(select(Resolution.id)).one()
    reply = ready.driver.submit(
        "U0AGENT1",
        view,
        {
            "what": "Scanners keep dropping wifi",
            "why": "Customers wait",
            "category": "tools",
            "resolution": str(fix_id),
        },
    )

    assert reply.status == 200 and reply.body == ""
    [card] = ready.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "Scanners keep dropping wifi" in card.text
    assert "Sent your suggestion" in ready.slack.calls("chat.postMessage", channel="U0AGENT1")[-1].text
    suggestion = the_suggestion(ready)
    assert (suggestion.category, suggestion.resolution_id, suggestion.owner_id) == ("tools", fix_id, admin_id(ready))


def test_the_modal_lists_a_fix_mentioning_a_colleague_by_name_not_by_its_markup(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 <@U0AGENT2|lee> re-sent the parcel & <b>")

    ready.driver.command("U0AGENT1", "/suggest")

    [opened] = ready.slack.calls("views.open")
    options = [
        o["text"]["text"]
        for block in opened.args["view"]["blocks"]
        for o in block.get("element", {}).get("options", [])
    ]
    fix = next(option for option in options if option.startswith("refund:"))
    assert "@" in fix and "<@" not in fix and "U0AGENT2" not in fix, fix
    assert fix.endswith("re-sent the parcel & <b>"), fix


def admin_id(bot: RunningBot) -> int:
    with bot.sessions() as session:
        return employee(session, "U0ADMIN").id


def test_bad_input_gets_a_clear_message_and_writes_nothing(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/suggest")
    view = ready.slack.calls("views.open")[-1].args["view"]

    empty = ready.driver.submit("U0AGENT1", view, {"what": "   "})
    too_long = ready.driver.command("U0AGENT1", "/suggest", "x" * 1001)
    help_text = ready.driver.command("U0AGENT1", "/suggest", "help")

    assert empty.json["errors"] == {"what": "Say what you suggest: the text is empty."}
    assert "under 1000 characters" in too_long.text
    assert "/suggest list" in help_text.text
    with ready.sessions() as session:
        assert count(session, Suggestion) == 0


def test_suggest_list_shows_mine_and_what_waits_on_the_manager_oldest_first(ready: RunningBot) -> None:
    suggest(ready, "first idea")
    suggest(ready, "second idea", user="U0AGENT2")

    mine = ready.driver.command("U0AGENT1", "/suggest", "list")
    waiting = ready.driver.command("U0MGR1", "/suggest", "list")

    assert "first idea" in mine.text and "second idea" not in mine.text
    assert waiting.text.index("first idea") < waiting.text.index("second idea")
    assert "Waiting on you* (2" in waiting.text


def test_a_managers_list_shows_the_teams_open_suggestions_that_a_category_owner_holds(ready: RunningBot) -> None:
    suggest(ready, "first idea")
    ready.driver.command("U0AGENT2", "/suggest", "")
    form = ready.slack.calls("views.open")[-1].args["view"]
    ready.driver.submit("U0AGENT2", form, {"what": "a faster label printer", "category": "tools"})

    listed = ready.driver.command("U0MGR1", "/suggest", "list")
    owner = ready.driver.command("U0ADMIN", "/suggest", "list")

    waiting, team = listed.text.split("Your team's open suggestions")
    assert "first idea" in waiting and "label printer" not in waiting
    assert "label printer" in team and "first idea" not in team
    assert "label printer" in owner.text.split("Waiting on you")[1]


def test_without_a_team_channel_you_said_we_did_goes_to_each_teammate(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT3", "/suggest", "a quiet room for difficult calls")
    assert "Omar Manager" in reply.text
    card = ready.slack.calls("chat.postMessage", channel="U0MGR2")[-1]

    ready.driver.click("U0MGR2", card, "suggestion_done", forged=True)
    ready.driver.submit("U0MGR2", ready.slack.calls("views.open")[-1].args["view"], {"note": "Room 4 is now quiet"})

    told = {c.channel for c in ready.slack.calls("chat.postMessage") if "You said, we did" in c.text}
    assert told == {"U0MGR2"}
    assert "Room 4 is now quiet" in ready.slack.calls("chat.postMessage", channel="U0AGENT3")[-1].text


def test_the_digest_lists_what_waits_on_the_manager_and_what_was_done_this_week(ready: RunningBot) -> None:
    done = suggest(ready, "label the returns shelves")
    suggest(ready, "a second card reader", user="U0AGENT2")
    ready.driver.click("U0MGR1", done, "suggestion_done")
    ready.driver.submit("U0MGR1", ready.slack.calls("views.open")[-1].args["view"], {"note": "Shelves are labelled"})

    ready.driver.command("U0MGR1", "/digest")
    preview = next(c for c in reversed(ready.slack.calls()) if "Customer fixes" in c.text)

    assert "Suggestions waiting on you:* 1" in preview.text and "a second card reader" in preview.text
    assert "You said, we did this week:*" in preview.text and "Shelves are labelled" in preview.text


def test_the_thanks_for_done_suggestions_do_not_spend_the_deciders_nomination_allowance(ready: RunningBot) -> None:
    """The example policy allows 5 nominations a month; Maya marks five of Sam's ideas done, then thanks Lee."""
    for n in range(5):
        suggest(ready, f"idea number {n}")
    for card in ready.slack.calls("chat.postMessage", channel="U0MGR1"):
        ready.driver.click("U0MGR1", card, "suggestion_done")
        ready.driver.submit("U0MGR1", ready.slack.calls("views.open")[-1].args["view"], {"note": "Done it"})

    reply = ready.driver.command("U0MGR1", "/nominate", "<@U0AGENT2|lee> shoutout covered the phones all afternoon")

    assert "You recognised Lee Senior" in reply.text and "4 nominations left" in reply.text
    with ready.sessions() as session:
        assert count(session, RewardGrant) == 6


def test_hrs_preview_of_a_managers_digest_says_the_suggestions_wait_on_that_manager(ready: RunningBot) -> None:
    suggest(ready)

    ready.driver.command("U0HR", "/digest", "team:Support East")
    mine = ready.driver.command("U0MGR1", "/digest")

    [preview, own] = [c.text for c in ready.slack.calls("response_url") if "Suggestions waiting" in c.text]
    assert "*Suggestions waiting on Maya Manager:* 1" in preview and "waiting on you" not in preview
    assert "*Suggestions waiting on you:* 1" in own and mine.status == 200


def test_a_newcomers_suggestion_names_them_as_slack_shows_them_not_by_the_handle_they_were_added_under(
    ready: RunningBot,
) -> None:
    nora = newcomer_known_by_handle(ready)

    reply = ready.driver.command(nora, "/suggest", "a second card reader at the returns desk")

    assert "Sent your suggestion" in reply.text
    [card] = [c for c in ready.slack.calls("chat.postMessage") if "Suggestion #" in str(c.args.get("blocks"))]
    assert f"from <@{nora}>" in str(card.args["blocks"]) and "nora.newbie" not in str(card.args["blocks"])


def test_me_too_answers_the_same_for_a_suggestion_never_sent_as_for_one_not_shown_where_it_was_clicked(
    ready: RunningBot,
) -> None:
    suggest(ready)
    ready.driver.command("U0AGENT3", "/suggest", "Support West wants a quieter break room")
    post = ready.slack.calls("chat.postMessage", channel="C0EAST")[-1]
    west = max(s.id for s in all_suggestions(ready))

    ready.driver.click("U0AGENT2", post, "suggestion_back", value=str(west), forged=True)
    ready.driver.click("U0AGENT2", post, "suggestion_back", value=str(west + 1), forged=True)

    other_team, never_sent = [c.text for c in ready.slack.calls("response_url")]
    assert other_team.replace(f"#{west}", "#N") == never_sent.replace(f"#{west + 1}", "#N")
    with ready.sessions() as session:
        assert count(session, SuggestionBacker) == 0


def all_suggestions(bot: RunningBot) -> list[Suggestion]:
    with bot.sessions() as session:
        found = list(session.scalars(select(Suggestion)))
        session.expunge_all()
        return found


def test_you_said_we_did_by_dm_from_a_team_an_admin_leads_directly_reaches_no_other_teams_manager(
    ready: RunningBot,
) -> None:
    # Ada (admin, Operations) leads Hana (People) directly, and the managers of Support East and West.
    reply = ready.driver.command("U0HR", "/suggest", "a shared calendar for leave requests")
    assert "Ada Admin" in reply.text
    card = ready.slack.calls("chat.postMessage", channel="U0ADMIN")[-1]

    ready.driver.click("U0ADMIN", card, "suggestion_done")
    ready.driver.submit("U0ADMIN", ready.slack.calls("views.open")[-1].args["view"], {"note": "The calendar is up"})
    drain_outbox(ready.runtime.deps, ready.runtime.app.client)

    told = {c.channel for c in ready.slack.calls("chat.postMessage") if "You said, we did" in c.text}
    assert told == {"U0ADMIN"}, "Maya and Omar lead other teams"
    assert "The calendar is up" in ready.slack.calls("chat.postMessage", channel="U0HR")[-1].text
