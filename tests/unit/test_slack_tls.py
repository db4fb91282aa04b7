"""Every Slack client the process builds shares one TLS context: without one, urllib builds a context for every
connection and reads the system's whole certificate bundle each time (bot/slack_tls.py)."""

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.base_client import BaseClient
from slack_sdk.webhook import WebhookClient

from bot.slack_tls import slack_tls
from tests.conftest import RunningBot
from tests.helpers import add_org_people, load_org_and_policy

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = {"WebClient", "WebhookClient"}
NOT_TO_SLACK = ("bot/fakeslack/",)
"""The stand-in's own code builds no client that calls Slack."""


def _client_names(tree: ast.Module) -> set[str]:
    """The names a module calls slack_sdk's clients by, aliases included."""
    imported = (
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("slack_sdk")
        for alias in node.names
        if alias.name in CLIENTS
    )
    return CLIENTS | set(imported)


def _given_a_context(call: ast.Call) -> bool:
    given = {keyword.arg: keyword.value for keyword in call.keywords}
    context = given.get("ssl")
    return context is not None and not (isinstance(context, ast.Constant) and context.value is None)


def _clients_built_without_a_context(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = _client_names(tree)
    return [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and getattr(call.func, "id", getattr(call.func, "attr", None)) in names
        and not _given_a_context(call)
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


@pytest.fixture
def clients_made(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every slack_sdk client made while the test runs, Bolt's own included (each request's client, `respond`)."""
    made: list[Any] = []
    for kind in (BaseClient, WebhookClient):

        def recorded(self: Any, *args: Any, _made_as: Any = kind.__init__, **kwargs: Any) -> None:
            _made_as(self, *args, **kwargs)
            made.append(self)

        monkeypatch.setattr(kind, "__init__", recorded)
    yield made


def test_the_clients_a_request_its_answers_and_the_sender_use_all_share_it(
    clients_made: list[Any], bot: RunningBot
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    add_org_people(bot.slack)
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    request = bot.slack.calls("chat.postMessage")[-1]
    bot.driver.click("U0AGENT2", request, "resolution_approve", forged=True)  # refused through its response URL
    bot.driver.click("U0MGR1", request, "resolution_approve")

    kinds = {type(client).__name__ for client in clients_made}
    assert {"WebClient", "WebhookClient"} <= kinds, kinds
    assert [client for client in clients_made if client.ssl is not slack_tls()] == []
