"""Finding the token of a request: one read of its workspace's install, whoever sends it. Latitude asks Slack for no
person's own token (no user scopes), so Bolt's look-up of the caller's own install is answered without a read."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

from tests.conftest import RunningBot
from tests.e2e.test_installs import ALPHA_ORG, install_in, oauth_bot  # noqa: F401


def test_a_command_from_someone_who_did_not_install_the_app_reads_the_install_once(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)  # installed by U0AHR

    with install_reads(oauth_bot.runtime.engine) as reads:
        reply = alpha.command("U0AAGENT", "/boundaries", "")

    assert reply.status == 200 and "refund" in reply.body
    assert len(reads) == 1, reads


def test_the_installer_is_still_served_with_the_workspaces_token(oauth_bot: RunningBot) -> None:  # noqa: F811
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)

    alpha.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    [request] = oauth_bot.slack.calls("chat.postMessage", channel="U0AMGR")
    with install_reads(oauth_bot.runtime.engine) as reads:
        alpha.command("U0AHR", "/boundaries", "")

    assert request.token == oauth_bot.slack.tokens_of("T0ALPHA")[0]
    assert len(reads) == 1, reads


@contextmanager
def install_reads(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM slack_installations" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
