"""What someone types key by key stays characters: `<@U0AGENT2>` typed (not picked from Slack's list) names nobody,
and a user group Slack sends without its handle is still seen as a user group."""

import json

import pytest
from sqlalchemy import select

from handlers.blocks import nominations as nominate_form
from models import Resolution
from tests.conftest import RunningBot
from tests.rewards_helpers import nominations, set_up


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    return bot


def test_a_person_typed_as_markup_key_by_key_is_nobody_nominated(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2> great work", as_characters=True)

    assert "Start with the people you recognise" in reply.text
    assert ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert nominations(session) == []


def test_markup_typed_in_a_reason_shows_as_typed_and_pings_nobody(ready: RunningBot) -> None:
    typed = "<@U0AGENT2|lee.senior> covered for <@U0MGR1> & <#C0KUDOS>"
    # Lee picked from Slack's list; the rest typed key by key, as Slack escapes it
    text = typed.replace("<@U0MGR1> & <#C0KUDOS>", "&lt;@U0MGR1&gt; &amp; &lt;#C0KUDOS&gt;")
    ready.driver.post_form({**ready.driver.command_fields("U0AGENT1", "/nominate"), "text": text})

    [post] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "<@U0AGENT1> recognised <@U0AGENT2>" in post.text
    assert "<@U0MGR1>" not in post.text and "<#C0KUDOS>" not in post.text, "typed, never a mention"
    assert "&lt;\u2060@U0MGR1&gt; &amp; &lt;\u2060#C0KUDOS&gt;" in post.text, "shown as typed"
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert nomination.reason == "covered for <\u2060@U0MGR1> & <\u2060#C0KUDOS>"


def test_a_resolution_summary_with_a_person_typed_as_markup_names_nobody(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "credit 10 late parcel, told <@U0MGR1>", as_characters=True)

    with ready.sessions() as session:
        [resolution] = session.scalars(select(Resolution))
        assert "<@U0MGR1>" not in resolution.summary
        assert resolution.summary.endswith("<\u2060@U0MGR1>")


@pytest.mark.parametrize(
    "text", ["<!subteam^S0EAST> great work", "<@U0AGENT2|lee.senior> <!subteam^S0EAST> covered the queue"]
)
def test_a_user_group_sent_without_its_handle_is_told_apart_from_a_person(ready: RunningBot, text: str) -> None:
    reply = ready.driver.command("U0AGENT1", "/nominate", text)

    assert "`@group` is not a person picked from Slack's list (a user group" in reply.text
    with ready.sessions() as session:
        assert nominations(session) == []


def test_a_reason_typed_over_two_lines_keeps_its_lines_as_the_form_does(ready: RunningBot) -> None:
    typed = "<@U0AGENT2|lee.senior> voucher_25 covered the whole queue,   alone\n\nand stayed late  "

    reply = ready.driver.command("U0AGENT1", "/nominate", typed)

    assert "waiting for approval" in reply.text
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert nomination.reason == "covered the whole queue, alone\n\nand stayed late"
    [request] = [c for c in ready.slack.calls("chat.postMessage") if "covered the whole queue" in str(c.args)]
    assert "covered the whole queue, alone\n" in str(request.args["blocks"]).replace("\\n", "\n")


def test_markup_typed_in_a_forms_reason_shows_as_typed_and_pings_nobody(ready: RunningBot) -> None:
    """A form's text comes as the characters typed, never escaped: a person typed there is no person picked."""
    ready.driver.command("U0AGENT1", "/nominate")
    view = ready.slack.calls("views.open")[-1].args["view"]
    reason = "covered for <@U0MGR1> & <#C0KUDOS>"

    ready.driver.submit("U0AGENT1", view, {nominate_form.PEOPLE: ["U0AGENT2"], nominate_form.REASON: reason})

    [post] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "<@U0AGENT1> recognised <@U0AGENT2>" in post.text, "the person picked stays a mention"
    assert "<@U0MGR1>" not in str(post.args) and "<#C0KUDOS>" not in str(post.args), "typed, never a mention"
    assert "&lt;\u2060@U0MGR1&gt; &amp; &lt;\u2060#C0KUDOS&gt;" in post.text, "shown as typed"
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert nomination.reason == "covered for <\u2060@U0MGR1> & <\u2060#C0KUDOS>"


def test_a_summary_typed_in_the_resolve_form_with_a_person_as_markup_names_nobody(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve")
    [opened] = ready.slack.calls("views.open")
    values = {"category": "refund", "amount": "$500", "summary": "lost parcel, told <@U0AGENT2>", "outcome": "happy"}

    ready.driver.submit("U0AGENT1", opened.args["view"], {**values, "customer_ref": "order 42"})

    [request] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    shown = json.dumps(request.args, ensure_ascii=False)
    assert "<@U0AGENT2>" not in shown and "&lt;\u2060@U0AGENT2&gt;" in shown, "typed, never a mention"
    with ready.sessions() as session:
        [resolution] = session.scalars(select(Resolution))
        assert resolution.summary.endswith("<\u2060@U0AGENT2>")
