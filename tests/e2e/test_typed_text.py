"""Text typed into a slash command reads, everywhere, exactly as the person typed it (Slack escapes it once on the
way in; the bot unescapes it once and escapes it once when it writes mrkdwn). Text typed on several lines never starts
a line that reads as the bot's own, and the control characters nobody sees are dropped where they come in."""

import pytest
from sqlalchemy import select

from handlers.blocks import nominations as nominate_form
from models import Nomination, Resolution, Suggestion
from services.text import escape_mrkdwn
from tests.conftest import RunningBot
from tests.helpers import count, load_org_and_policy
from tests.suggestions_helpers import load_suggestion_org


def test_a_summary_with_ampersand_and_brackets_is_stored_as_typed_and_shown_once_escaped(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 B&Q parcel <lost>")

    with bot.sessions() as session:
        [resolution] = session.scalars(select(Resolution))
        assert resolution.summary == "order 42 B&Q parcel <lost>"
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "B&amp;Q parcel &lt;lost&gt;" in request.text  # Slack shows "B&Q parcel <lost>"
    assert "&amp;amp;" not in request.text


def test_a_command_whose_text_says_payload_is_read_like_any_other(bot: RunningBot) -> None:
    """Bolt reads a form with the word `payload` anywhere in it as a click's, finds no payload field and reads
    nothing: the fix was dropped without a word to the person."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 42 the payload page crashed")

    with bot.sessions() as session:
        [resolution] = session.scalars(select(Resolution))
        assert resolution.summary == "order 42 the payload page crashed"
    assert "Logged your refund of $20" in reply.text, reply.text


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


def test_people_channels_and_links_picked_in_slack_read_as_such_and_several_people_can_be_named(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command(
        "U0AGENT1",
        "/nominate",
        "<@U0AGENT2|lee.senior> and <@U0AGENT3|ines>, covered for <@U0MGR2|omar> in <#C0SUPPORT|support> "
        "<!here> see <https://wiki.example.com/x?a=1&b=2|wiki.example.com/x> with <!subteam^S0SUP|@support> "
        "on <!date^1772441400^{date_short}|Mar 2, 2026>",
    )

    assert "Lee Senior" in reply.text and "Ines Agent" in reply.text
    with bot.sessions() as session:
        reasons = set(session.scalars(select(Nomination.reason)))
    assert reasons == {
        "covered for <@U0MGR2> in <#C0SUPPORT|support> @here see https://wiki.example.com/x?a=1&b=2 with @support "
        "on Mar 2, 2026"
    }
    [shoutout] = bot.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "covered for <@U0MGR2> in <#C0SUPPORT|support> @\u200bhere see https://wiki.example.com/x?a=1&amp;b=2" in (
        shoutout.text
    )


def test_a_list_of_people_ending_with_and_names_every_one(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee>, <@U0AGENT3|ines>, and <@U0MGR2|omar> covered")

    with bot.sessions() as session:
        named = sorted(nomination.nominee.slack_id for nomination in session.scalars(select(Nomination)))
        reasons = set(session.scalars(select(Nomination.reason)))
    assert named == ["U0AGENT2", "U0AGENT3", "U0MGR2"]
    assert reasons == {"covered"}


def test_a_reference_slack_linked_as_a_web_address_reads_as_typed_as_the_form_takes_it(bot: RunningBot) -> None:
    """Slack links what looks like a domain (`acme.com`, an order `AB12.io`) and sends the address with the words
    typed, `<http://acme.com|acme.com>`: the customer is the one the form's Customer reference names, `acme.com`,
    not another one called `http://acme.com` whose 30-day limit counts apart."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.command(
        "U0AGENT1", "/resolve", "credit 5 ref:<http://acme.com|acme.com> late, see <http://AB12.io|AB12.io>"
    )
    bot.driver.command("U0AGENT1", "/resolve", "credit 5 ref:<mailto:jo@acme.com|jo@acme.com> late again")

    with bot.sessions() as session:
        fixes = [(fix.customer_ref, fix.summary) for fix in session.scalars(select(Resolution).order_by(Resolution.id))]
    assert fixes == [("acme.com", "late, see AB12.io"), ("jo@acme.com", "late again")]


def test_user_text_keeps_mentions_of_people_and_channels_and_nothing_else() -> None:
    typed = (
        "<@U0AGENT2> <#C0SUPPORT> <#C0SUPPORT|a&b @here> <@U0AGENT2|fake label> <!channel> @here "
        "<https://evil.example|bank> a&b"
    )

    assert escape_mrkdwn(typed) == (
        "<@U0AGENT2> <#C0SUPPORT> <#C0SUPPORT|a&amp;b @\u200bhere> <@U0AGENT2> &lt;!channel&gt; "
        "@\u200bhere "
        "&lt;https://evil.example|bank&gt; a&amp;b"
    )


def test_a_reason_written_on_several_lines_reads_as_one_italic_line_in_rewards(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate")
    [opened] = bot.slack.calls("views.open")
    reason = "stayed late\n\nand calmed a very upset customer"
    bot.driver.submit(
        "U0AGENT1", opened.args["view"], {nominate_form.PEOPLE: ["U0AGENT2"], nominate_form.REASON: reason}
    )

    reply = bot.driver.command("U0AGENT2", "/rewards", "")

    [line] = [line for line in reply.text.splitlines() if "stayed late" in line]
    assert line.endswith(": _stayed late and calmed a very upset customer_")


def test_an_earlier_fix_on_several_lines_cannot_forge_the_customer_history_a_manager_decides_on(
    bot: RunningBot,
) -> None:
    """ "Earlier for this customer" gives each earlier fix one line: a summary's second line would read as another
    earlier fix, here a refund Maya herself approved."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT2", "/resolve")
    view = bot.slack.calls("views.open")[-1].args["view"]
    summary = "box dented\n• 01/03/2026: Maya Manager — refund $500 (approved): goodwill"
    values = {"category": "refund", "amount": "10", "customer_ref": "order 4471", "summary": summary}
    assert bot.driver.submit("U0AGENT2", view, values).json == {}

    bot.driver.command("U0AGENT1", "/resolve", "refund 60 order 4471 parcel lost twice")

    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    history = next(b["text"]["text"] for b in request.args["blocks"] if "Earlier for this customer" in str(b))
    assert [line for line in history.splitlines() if line.startswith("•")] == [
        f"• <!date^{int(bot.clock.now().timestamp())}^{{date_num}}|{bot.clock.now():%Y-%m-%d} UTC>: Lee Senior — "
        "refund $10 (within): box dented • 01/03/2026: Maya Manager — refund $500 (approved): goodwill"
    ], history


def test_a_nul_character_in_a_command_is_dropped_not_answered_with_an_error_reference(bot: RunningBot) -> None:
    """Nobody sees a NUL (a paste can carry one) and PostgreSQL refuses it in text: it is dropped where it comes in,
    with the other control characters; line breaks and tabs stay."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", "reschedule moved it\x07 to Friday \x00")

    told = [reply.text] + [call.text for call in bot.slack.calls("response_url")]
    assert reply.status == 200 and not any("went wrong" in text for text in told), told
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.summary)).one() == "moved it to Friday"


def test_control_characters_typed_in_a_form_are_dropped_and_its_line_breaks_kept(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest")
    view = bot.slack.calls("views.open")[-1].args["view"]

    reply = bot.driver.submit("U0AGENT1", view, {"what": "Fewer\x00 surveys\r\nplease", "why": "in\ttime\x1b"})

    assert reply.json == {}
    with bot.sessions() as session:
        suggestion = session.scalars(select(Suggestion)).one()
        assert (suggestion.what, suggestion.why) == ("Fewer surveys\nplease", "in\ttime")


def test_a_zero_width_space_pasted_as_the_reason_is_no_reason_and_nothing_is_posted(bot: RunningBot) -> None:
    """A zero-width space, a word joiner or a byte order mark takes no room: a reason of only those is none, and no
    shout-out goes up in the channel saying nothing."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee> \u200b\u2060\ufeff")

    assert "Say why you are recognising them" in reply.text
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Nomination) == 0


@pytest.mark.parametrize(
    "typed",
    ["\ufeffcredit 20 sorry for the wait", "\u200bcredit 20 sorry for the wait", "credit 20\u200b sorry for the wait"],
)
def test_a_character_that_takes_no_room_in_a_pasted_fix_is_dropped_and_the_fix_is_logged(
    bot: RunningBot, typed: str
) -> None:
    """Answered, the person would read back `credit` or `20` as typed with no way to see what is wrong with it."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your credit of $20." in reply.text
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.summary)).one() == "sorry for the wait"


def test_a_summary_of_only_characters_that_take_no_room_is_asked_for(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", "credit 20 \u200b\u00ad")

    assert "Say what happened" in reply.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 0
