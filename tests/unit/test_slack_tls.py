"""Every Slack client the process builds shares one TLS context: without one, urllib builds a context for every
connection and reads the system's whole certificate bundle each time (bot/slack_tls.py). And every Web API client
that calls Slack keeps its connections open across calls (bot/slack_pool.py): a plain `WebClient` opens one, and
makes a TLS handshake, per call."""

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.base_client import BaseClient
from slack_sdk.webhook import WebhookClient

from bot.slack_pool import PooledWebClient
from bot.slack_tls import slack_tls
from tests.conftest import RunningBot
from tests.helpers import add_org_people, load_org_and_policy

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = {"WebClient", "WebhookClient"}
NOT_TO_SLACK = ("bot/fakeslack/",)
"""The stand-in's own code builds no client that calls Slack."""


def _client_names(tree: ast.Module, clients: set[str] = CLIENTS) -> set[str]:
    """The names a module calls slack_sdk's clients by, aliases included."""
    imported = (
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("slack_sdk")
        for alias in node.names
        if alias.name in clients
    )
    return clients | set(imported)


def _calls_to(tree: ast.Module, names: set[str]) -> list[ast.Call]:
    return [
        call
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", None)) in names
    ]


def _given_a_context(call: ast.Call) -> bool:
    given = {keyword.arg: keyword.value for keyword in call.keywords}
    context = given.get("ssl")
    return context is not None and not (isinstance(context, ast.Constant) and context.value is None)


def _clients_built_without_a_context(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    calls = _calls_to(tree, _client_names(tree) | {"PooledWebClient"})
    return [f"{path.relative_to(ROOT)}:{call.lineno}" for call in calls if not _given_a_context(call)]


def _plain_web_clients_built(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return [f"{path.relative_to(ROOT)}:{call.lineno}" for call in _calls_to(tree, _client_names(tree, {"WebClient"}))]


def _app_sources() -> list[Path]:
    return [
        path
        for folder in ("bot", "handlers", "services")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if not str(path.relative_to(ROOT)).startswith(NOT_TO_SLACK)
    ]


def test_every_slack_client_built_in_the_app_is_given_a_tls_context() -> None:
    found = [where for path in _app_sources() for where in _clients_built_without_a_context(path)]

    assert found == [], "pass ssl=slack_tls() (or the context of the client it derives from) to these clients"


def test_every_web_api_client_built_in_the_app_keeps_its_connections() -> None:
    found = [where for path in _app_sources() for where in _plain_web_clients_built(path)]

    assert found == [], "build bot.slack_pool.PooledWebClient (or the kind of the client it derives from) here"


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


@pytest.fixture
def clients_calling(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every Web API client that calls Slack while the test runs, Bolt's own included."""
    calling: list[Any] = []
    perform = BaseClient._perform_urllib_http_request

    def recorded(self: Any, **kwargs: Any) -> Any:
        calling.append(self)
        return perform(self, **kwargs)

    monkeypatch.setattr(BaseClient, "_perform_urllib_http_request", recorded)
    return calling


def test_the_clients_a_request_its_answers_and_the_sender_use_all_share_it_and_keep_their_connections(
    clients_made: list[Any], clients_calling: list[Any], bot: RunningBot
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
    assert clients_calling != []
    assert [client for client in clients_calling if not isinstance(client, PooledWebClient)] == []
