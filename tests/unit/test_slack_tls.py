"""Every Slack client the process builds shares one TLS context: without one, urllib builds a context for every
connection and reads the system's whole certificate bundle each time (bot/slack_tls.py)."""

import ast
from pathlib import Path

from bot.app import create_client, create_sender_client
from bot.fakeslack import FakeSlack
from bot.slack_tls import slack_tls
from tests.conftest import RunningBot, bot_settings

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = {"WebClient", "WebhookClient"}
NOT_TO_SLACK = ("bot/fakeslack/",)
"""The stand-in's own code builds no client that calls Slack."""


def _clients_built_without_a_context(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and getattr(call.func, "id", getattr(call.func, "attr", None)) in CLIENTS
        and "ssl" not in {keyword.arg for keyword in call.keywords}
    ]


def test_every_slack_client_built_in_the_app_is_given_a_tls_context() -> None:
    sources = [
        path
        for folder in ("bot", "handlers", "services")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if not str(path.relative_to(ROOT)).startswith(NOT_TO_SLACK)
    ]

    found = [where for path in sources for where in _clients_built_without_a_context(path)]

    assert found == [], "pass ssl=slack_tls() (or the context of the client it derives from) to these clients"


def test_the_app_and_the_sender_share_the_process_s_one_context(slack: FakeSlack) -> None:
    settings = bot_settings(slack, "sqlite://")

    app_client, sender = create_client(settings), create_sender_client(settings)

    assert app_client.ssl is not None
    assert app_client.ssl is sender.ssl is slack_tls()


def test_the_running_app_hands_its_context_to_each_request_s_client(bot: RunningBot) -> None:
    """Bolt builds each request's client and `respond` with its app client's context."""
    assert bot.runtime.app.client.ssl is slack_tls()
