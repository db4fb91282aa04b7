"""Bolt's authorize with OAuth installs: each request's token looked up, renewed through the process's `Renewals`
(bot/renewals.py) and checked with Slack (`auth.test`), Slack failing that check for now told apart from a refusal."""

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from http.client import HTTPException
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError, SlackRequestError, SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.web import SlackResponse

from bot.renewals import ROTATE_MINUTES_BEFORE_EXPIRY, Renewals
from bot.retries import retry_handlers
from bot.slack_pool import PooledWebClient
from bot.slack_tls import slack_tls
from handlers.deps import AuthorizationFailedForNow, InstallGone
from handlers.event_retries import may_pass, note_failure, tried_again

OnGone = Callable[[Installation, InstallGone], None]


NotAnswered = SlackClientError | OSError | HTTPException
"""Slack refusing, or not answering at all (a dropped connection, a timeout, an answer cut short or garbled)."""


class SlackFailedToAuthorize(Exception):
    """Slack's failure to answer `auth.test` or to renew the token, carried past Bolt's authorize (which answers any
    as a refusal) to `RenewingAuthorize`, which tells the two apart."""

    def __init__(self, error: NotAnswered) -> None:
        super().__init__(str(error))
        self.error = error


CHECK_TIMEOUT = 1.5
"""Seconds Bolt's authorize waits for `auth.test`: it runs before the ack, which Slack wants within 3 s."""
CHECK_KEPT_SECONDS = 60.0
"""Seconds a token Slack accepted is taken as good without asking again (as the sender keeps a token a minute)."""
CHECKS_LOGGER = "latitude.token_checks"
"""slack_sdk's own lines about the token checks' client, left out: each failure is one warning of ours."""


def token_check_client(api_url: str) -> WebClient:
    """The client of Bolt's authorize: a short timeout (no check past Slack's 3 s, when Slack hangs), the listeners'
    immediate retries, and slack_sdk's ERROR line per failed try left out (`_not_authorized` says it once)."""
    quiet = logging.getLogger(CHECKS_LOGGER)
    quiet.setLevel(logging.CRITICAL)
    client = PooledWebClient(base_url=api_url, retry_handlers=retry_handlers(), logger=quiet, ssl=slack_tls())
    client.timeout = CHECK_TIMEOUT  # type: ignore[assignment]  # typed int, handed to urllib, which takes a float
    return client


class AuthTests:
    """`auth.test` as Bolt's authorize calls it, failing as `SlackFailedToAuthorize`. A token Slack accepted is
    taken as good for `CHECK_KEPT_SECONDS` on the process's clock: a request asks Slack at most once a minute
    per token, not every time. A renewed token is a new one, checked again; an uninstall drops the install, so its
    token is no longer found to be checked; one revoked without an uninstall serves at most that minute more, its
    calls refused."""

    def __init__(self, client: WebClient, now: Callable[[], datetime]) -> None:
        self._client = client
        self._now = now
        self._kept: dict[str, tuple[SlackResponse, float]] = {}
        self._lock = threading.Lock()

    def auth_test(self, *, token: str, **kwargs: Any) -> SlackResponse:
        moment = self._now().timestamp()
        with self._lock:
            kept = self._kept.get(token)
        if kept is not None and moment < kept[1]:
            return kept[0]
        try:
            answer = self._client.auth_test(token=token, **kwargs)
        except (SlackApiError, SlackRequestError, OSError, HTTPException) as error:
            raise SlackFailedToAuthorize(error) from error
        with self._lock:
            self._kept = {key: held for key, held in self._kept.items() if moment < held[1]}
            self._kept[token] = (answer, moment + CHECK_KEPT_SECONDS)
        return answer


class RenewingAuthorize(InstallationStoreAuthorize):
    """Bolt's authorize, renewing through the process's `Renewals` (its own renews alone, so a listener and
    the sender renewing together would spend the refresh token twice and the listener's request fail); a request
    waits for its token's renewal a second at most (`Renewals.renewed_for_request`), then goes on with its token still
    good, or, expired, fails as one Slack failed to authorize for now (below).
    A renewal Slack refuses for good (`InstallGone`) is handed to `on_gone`, which stops the workspace as the sender
    does: its install is then forgotten, and its next requests ask Slack nothing.
    A request Slack refused to authorize (`auth.test` or the renewal: the token or the install refused) is not served,
    as in Bolt. One Slack failed to authorize for now (down, busy, not answering) fails as a listener's error does:
    an event gets a 5xx, for Slack to send it again (a kept one is kept for the app's own tries instead:
    handlers/event_retries.kept_for_later), a command the apology that says to try again. For the app's own
    try of a kept event, the failure is noted as one that may pass (the try waits for the next) or not (forgotten)."""

    def __init__(
        self, *, renewals: Renewals | None, checks: AuthTests, on_gone: OnGone | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._renewals = renewals
        self._checks = checks
        self._on_gone = on_gone

    def __call__(self, *, context: BoltContext, **kwargs: Any) -> AuthorizeResult | None:
        client = context.client
        context["client"] = self._checks
        try:
            return super().__call__(context=context, **kwargs)
        except SlackFailedToAuthorize as failed:
            self._not_authorized(context, failed.error)
            return None
        finally:
            context["client"] = client

    def _not_authorized(self, context: BoltContext, error: NotAnswered) -> None:
        """Slack's own request failed for now goes to the one error handler; the app's own try waits for its next."""
        passing, said = may_pass(error), f"Slack did not authorize a {context.team_id} request ({_answer(error)})"
        if passing and not tried_again(context):
            raise AuthorizationFailedForNow(said) from error
        self.logger.log(logging.WARNING if passing else logging.DEBUG, said)  # a refusal: Bolt logs it
        note_failure(error, context)

    def _rotate_and_save_tokens_if_necessary(self, installation: Installation | None) -> Installation | None:
        if self._renewals is None or installation is None or not installation.bot_refresh_token:
            return super()._rotate_and_save_tokens_if_necessary(installation)
        if not _due(installation):
            return None  # most requests: nothing to renew, so no lock and no second read
        try:
            latest, _refused = self._renewals.renewed_for_request(installation)
        except InstallGone as gone:
            if self._on_gone is not None:
                self._on_gone(installation, gone)
            raise SlackFailedToAuthorize(gone) from gone
        except (SlackClientError, OSError, HTTPException) as error:
            raise SlackFailedToAuthorize(error) from error
        return latest


def _answer(error: NotAnswered) -> str:
    """`HTTP 503 internal_error`: Slack's answer in a few words, not slack_sdk's two lines."""
    failed = error.api_error if isinstance(error, SlackTokenRotationError) else error
    if isinstance(failed, SlackApiError):
        return f"HTTP {failed.response.status_code} {failed.response.get('error')}"
    said = str(error).strip().splitlines()
    return f"{type(error).__name__}: {said[0][:200]}" if said else type(error).__name__


def _due(installation: Installation) -> bool:
    """Inside the window before expiry in which a token is renewed."""
    expires_at = installation.bot_token_expires_at
    return expires_at is not None and expires_at <= time.time() + ROTATE_MINUTES_BEFORE_EXPIRY * 60
