"""The Slack stand-in speaks HTTPS when given a certificate, as Slack is reached, so what a call to Slack costs over TLS
and what a connection kept across calls saves (bot/slack_pool.py) can be seen against it."""

import ssl
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.fakeslack import FakeSlack
from bot.fakeslack.certificate import Certificate, make_certificate, trusting
from bot.slack_pool import PooledWebClient


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def slack(certificate: Certificate) -> Iterator[FakeSlack]:
    with FakeSlack(tls=certificate) as fake:
        fake.add_user("U0A", "Ada Admin")
        yield fake


def test_a_pooled_client_trusting_its_certificate_sends_several_calls_over_one_connection(
    slack: FakeSlack, certificate: Certificate
) -> None:
    client = PooledWebClient(
        token=slack.token, base_url=slack.api_url, ssl=ssl.create_default_context(cafile=certificate.cert)
    )

    for text in ("Thanks, Sam", "Your refund was approved", "Your refund was paid"):
        assert client.chat_postMessage(channel="U0A", text=text)["ok"]

    assert slack.api_url.startswith("https://127.0.0.1:")
    assert [call.text for call in slack.calls("chat.postMessage")] == [
        "Thanks, Sam",
        "Your refund was approved",
        "Your refund was paid",
    ]
    assert slack.state.connections_made == 1


def test_a_client_that_does_not_trust_its_certificate_is_refused(slack: FakeSlack) -> None:
    client = WebClient(token=slack.token, base_url=slack.api_url, retry_handlers=[])

    with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
        client.chat_postMessage(channel="U0A", text="hello")

    assert slack.calls("chat.postMessage") == []


def test_the_bundle_made_to_trust_it_is_read_by_a_default_context(
    slack: FakeSlack, certificate: Certificate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """How a benchmark has a server it starts trust the stand-in: `SSL_CERT_FILE` names the bundle, and the default
    context every client builds (bot/slack_tls.py's, or urllib's own) reads it."""
    monkeypatch.setenv("SSL_CERT_FILE", str(trusting(tmp_path, certificate)))
    client = WebClient(token=slack.token, base_url=slack.api_url, ssl=ssl.create_default_context())

    assert client.chat_postMessage(channel="U0A", text="hello")["ok"]
