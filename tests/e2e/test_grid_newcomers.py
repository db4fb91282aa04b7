"""A Grid newcomer's click or form: Slack says whether they are of the workspace (`users.info`) before the request
holds a database connection or their new row, so a Slack slow to answer holds up nobody else, and what it said
fills their profile without asking again."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select

from bot.fakeslack import SlackDriver
from models import Employee, Resolution
from tests.conftest import RunningBot
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, install_in_the_org

WITH_AN_ADMIN = NORTH_ORG + "W0ADMIN,Ada Admin,People,admin,,,Europe/London,\n"
"""A newcomer has no manager yet: their fixes go to an admin."""
FIX = {
    "category": "refund",
    "amount": "20",
    "summary": "Sorry for the wait",
    "outcome": "happy",
    "customer_ref": "order 1234",
}


def a_newcomer_of_the_org(bot: RunningBot) -> SlackDriver:
    north = install_in_the_org(bot, "T0NORTH", WITH_AN_ADMIN)
    bot.slack.add_user("W0NEW", "Nora New", teams=("T0NORTH",), enterprise_id="E0GROUP", tz="Europe/Paris")
    return north


def newcomers_form(bot: RunningBot, north: SlackDriver) -> dict[str, object]:
    """The form the newcomer opened, filled in: her command first asked Slack about her."""
    north.command("W0NEW", "/resolve")
    form = bot.slack.calls("views.open")[-1].args["view"]
    return north.submit_payload("W0NEW", form, FIX)


def test_a_grid_newcomers_form_asks_slack_about_them_once(oauth_bot: RunningBot) -> None:  # noqa: F811
    bot = oauth_bot
    north = a_newcomer_of_the_org(bot)

    reply = north.post_payload(newcomers_form(bot, north))

    assert reply.status == 200 and "errors" not in reply.body
    assert len(bot.slack.calls("users.info", user="W0NEW")) == 1, "asked whether she is of the workspace, once"
    with bot.sessions() as session:
        nora = session.scalars(select(Employee).where(Employee.slack_id == "W0NEW")).one()
        assert (nora.name, nora.tz) == ("Nora New", "Europe/Paris"), "her profile from that one answer"
        assert session.scalars(select(Resolution)).one().employee_id == nora.id


def test_while_slack_answers_about_a_grid_newcomer_the_request_holds_no_database_connection(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    bot = oauth_bot
    north = a_newcomer_of_the_org(bot)
    north.command("W0NAGENT", "/resolve")
    form = bot.slack.calls("views.open")[-1].args["view"]
    # Her first request is a click or form (a button in a shared channel's message takes the same path): this form,
    # opened by a colleague, stands in for it.
    payload = north.submit_payload("W0NEW", form, FIX, forged=True)
    pause = bot.slack.pause("users.info")
    sent = threading.Thread(target=north.post_payload, args=(payload,))
    sent.start()
    try:
        pause.wait_until_arrived()
        held = bot.runtime.engine.pool.checkedout()  # type: ignore[attr-defined]
    finally:
        pause.release()
        sent.join(timeout=30)

    assert held == 0, "no connection, no row, no lock held while Slack answers"
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one() is not None


def test_a_grid_colleague_the_directory_knows_is_read_once_per_click(oauth_bot: RunningBot) -> None:  # noqa: F811
    """Slack names the org, not the workspace, in a Grid click (`user.team_id`): the directory is read before the
    request's transaction only until it was seen to know the person, not again on each of their clicks."""
    bot = oauth_bot
    north = a_newcomer_of_the_org(bot)
    north.command("W0NAGENT", "/resolve")
    north.post_payload(north.submit_payload("W0NAGENT", bot.slack.calls("views.open")[-1].args["view"], FIX))
    north.command("W0NAGENT", "/resolve")
    payload = north.submit_payload("W0NAGENT", bot.slack.calls("views.open")[-1].args["view"], FIX)
    assert payload["user"]["team_id"] == "E0GROUP"

    with workspace_reads(bot) as reads:
        reply = north.post_payload(payload)

    assert reply.status == 200 and "errors" not in reply.body
    assert len(reads) == 1, reads
    with bot.sessions() as session:
        assert len(session.scalars(select(Resolution)).all()) == 2


@contextmanager
def workspace_reads(bot: RunningBot) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM workspaces" in statement:
            seen.append(statement)

    event.listen(bot.runtime.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(bot.runtime.engine, "before_cursor_execute", record)
