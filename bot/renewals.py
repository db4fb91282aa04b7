"""Renewing a workspace's bot token with its refresh token, which is good once: one renewal of an installation at a
time, a token still good served meanwhile rather than held up by it, and a still-good token another process saved
taken when Slack refuses (that process spent the same refresh token first)."""

import logging
import threading
import time
import zlib
from collections.abc import Iterator
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as NotYet
from contextlib import contextmanager
from datetime import UTC, datetime
from http.client import HTTPException
from weakref import WeakSet

from slack_sdk.errors import SlackClientError, SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy.orm import Session

from bot.renewal_files import file_turn
from bot.settings import Settings
from bot.slack_pool import PooledWebClient
from bot.slack_tls import slack_tls
from bot.token_refusals import refusal
from handlers.deps import InstallGone
from models.engine import sqlite_file
from services.rows import take_turns

log = logging.getLogger(__name__)
QUIET = logging.getLogger("latitude.token_renewals")
"""The renewals' client's own slack_sdk lines, left out: a renewal Slack did not answer is one warning of ours."""
QUIET.setLevel(logging.CRITICAL)
ROTATE_MINUTES_BEFORE_EXPIRY = 120
REFUSAL_KEPT_SECONDS = 60.0
TOKEN_MARGIN_SECONDS = 60
REQUEST_WAITS_SECONDS = 1.0
"""Seconds a request, before its ack, waits for its token's renewal: then it is served with its token still good, or
told to try again in a moment when that has expired (with `auth.test`'s 1.5 s, well inside Slack's 3 s); the renewal
goes on without it."""
TOKEN_LOCKS = -4
"""The lock space of installations' renewals in `rows.take_turns` (people -1, policy changes -2, messages -3)."""

InstallationKey = tuple[str | None, str | None]
"""An installation as the store finds it: (enterprise id, team id or None for an org-wide install)."""


class RenewalUnanswered(SlackClientError):
    """Slack has not answered yet the renewal an expired token waits for, in the time a request can wait before its
    ack: the request fails as one Slack did not authorize for now, and the renewal goes on."""


class Renewals:
    """Renews an installation's bot token when it is due: one thread at a time in this process, and one process at a
    time; those that find it renewing go on with the token while it is still good."""

    def __init__(self, settings: Settings, store: SQLAlchemyInstallationStore) -> None:
        assert settings.slack_client_id and settings.slack_client_secret
        self._store = store
        self._rotator = TokenRotator(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            client=PooledWebClient(base_url=settings.slack_api_url, timeout=10, logger=QUIET, ssl=slack_tls()),
        )
        self._lock = threading.Lock()
        self._locks: dict[InstallationKey, threading.Lock] = {}
        self._refusals: dict[InstallationKey, tuple[str, Exception, float]] = {}
        self._warned: dict[InstallationKey, str] = {}
        self._under_way: dict[InstallationKey, Future[tuple[Installation, bool]]] = {}
        self._given_up: WeakSet[Future[tuple[Installation, bool]]] = WeakSet()
        self._background = ThreadPoolExecutor(max_workers=4, thread_name_prefix="token-renewals")

    def renewed_for_request(self, installation: Installation) -> tuple[Installation, bool]:
        """`renewed`, for a request before its ack: on a thread of its own (one per installation at a time), which the
        request waits for `REQUEST_WAITS_SECONDS` at most. A token still good then serves as it is; an expired one
        raises `RenewalUnanswered`, for the person to be told to try again in a moment rather than Slack's own error
        (it wants the ack within 3 s). The renewal is not cut short (Slack may have spent the refresh token by then):
        it goes on to Slack's answer or the client's timeout, and saves what it gets."""
        serves = _serves(installation)
        if serves and self._renewing(_key(installation)):
            return installation, False
        renewal = self._renewal(installation)
        if renewal is not None:  # None: the process is stopping (`close`), and starts no renewal
            try:
                return renewal.result(timeout=REQUEST_WAITS_SECONDS)
            except NotYet:
                self._unheard(renewal)
            except CancelledError:  # dropped by `close` before it started
                pass
        if serves:
            return installation, False
        key = _key(installation)
        raise RenewalUnanswered(f"Slack has not answered yet the renewal of {key[1] or key[0]}'s expired bot token")

    def _renewal(self, installation: Installation) -> Future[tuple[Installation, bool]] | None:
        """The installation's renewal under way on a thread of this process, or a new one: requests that find it
        renewing wait for the same one, rather than each queue another (behind a Slack that does not answer, they would
        fill the threads and hold up the renewals of other installations)."""
        key = _key(installation)
        with self._lock:
            renewal = self._under_way.get(key)
            if renewal is not None and not renewal.done():
                return renewal
            try:
                renewal = self._background.submit(self.renewed, installation)
            except RuntimeError:
                return None
            self._under_way[key] = renewal
            return renewal

    def _unheard(self, renewal: Future[tuple[Installation, bool]]) -> None:
        """Nobody waits for the renewal any more to hear how it went: `_log_failure` says it, once."""
        with self._lock:
            if renewal in self._given_up:
                return
            self._given_up.add(renewal)
        renewal.add_done_callback(_log_failure)

    def _renewing(self, key: InstallationKey) -> bool:
        """Another thread of this process renews the installation now: a request need not queue a renewal to learn
        it (one per request would pile up behind a Slack that does not answer)."""
        with self._lock:
            lock = self._locks.get(key)
        return lock is not None and lock.locked()

    def close(self) -> None:
        """Let the renewals under way end (cut short, a refresh token Slack spent would be lost); drop those not
        started."""
        self._background.shutdown(wait=True, cancel_futures=True)

    def renewed(self, installation: Installation) -> tuple[Installation, bool]:
        """The installation as last saved, renewed first if its token is due, and whether Slack refused (or did not
        answer) to renew it: the token still good serves meanwhile. While another thread or process renews it, a token
        still good serves as it is, without waiting (a renewal Slack does not answer holds its turn for the client's
        10 s, past Slack's 3 s for an ack); only an expired one waits for that renewal. Raises
        SlackTokenRotationError when refused with no saved token still good (`refusal` says which), SlackClientError
        or OSError when Slack did not answer then."""
        key = _key(installation)
        with self._turn(key, wait=not _serves(installation)) as turn:
            if not turn:
                return installation, False
            latest = self._find(key) or installation
            try:
                refreshed = self._rotate(key, latest)
            except (SlackClientError, OSError, HTTPException) as error:
                saved = self._find(key)
                if saved is not None and _serves(saved):
                    self._warn_if_stopping(key, error, offered=latest, saved=saved)
                    return saved, True
                if isinstance(error, SlackTokenRotationError):
                    raise refusal(error, offered=latest, saved=saved) from error.api_error
                raise
            if refreshed is None:
                return latest, False
            self._store.save(refreshed)
            return refreshed, False

    @contextmanager
    def _turn(self, key: InstallationKey, *, wait: bool) -> Iterator[bool]:
        """The installation's turn to renew, one thread at a time in this process and one process at a time: False
        at once, when not to `wait`, while another holds it."""
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        if not lock.acquire(blocking=wait):
            yield False
            return
        try:
            with self._one_process_at_a_time(key, wait=wait) as taken:
                yield taken
        finally:
            lock.release()

    @contextmanager
    def _one_process_at_a_time(self, key: InstallationKey, *, wait: bool) -> Iterator[bool]:
        """Until the renewed token is saved, another process renewing the same installation waits, or, when not to
        `wait`, is told False: PostgreSQL's advisory lock, or with SQLite a lock on a file beside the database's (two
        `run`s on one file both serve requests). Without it, a process refused the refresh token that another had
        just spent, before that one saved what it got, found the spent one still stored and took the install for
        gone."""
        engine = self._store.engine
        digest = zlib.crc32(repr(key).encode())
        if engine.dialect.name == "sqlite":
            with file_turn(sqlite_file(engine.url), digest, wait=wait) as taken:
                yield taken
            return
        if engine.dialect.name != "postgresql":
            yield True
            return
        with Session(engine) as session, session.begin():
            yield take_turns(session, TOKEN_LOCKS, [digest - 2**32 if digest >= 2**31 else digest], wait=wait)

    def _rotate(self, key: InstallationKey, installation: Installation) -> Installation | None:
        """Slack's renewal; a refresh token Slack refused, or whose renewal it did not answer, within the last minute
        is not offered again (the threads and messages waiting behind the first refusal would each be refused in
        turn, or each wait out the client's timeout). Called under the installation's lock."""
        spent = str(installation.bot_refresh_token)
        refused = self._refusals.get(key)
        if refused is not None and refused[0] == spent and refused[2] > time.monotonic():
            raise refused[1]
        try:
            return self._rotator.perform_token_rotation(
                installation=installation, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
            )
        except (SlackClientError, OSError, HTTPException) as error:
            self._refusals[key] = (spent, error, time.monotonic() + REFUSAL_KEPT_SECONDS)
            if not isinstance(error, SlackTokenRotationError):
                log.warning("Slack did not answer the renewal of %s's bot token (%s)", key[1] or key[0], _said(error))
            raise

    def _warn_if_stopping(
        self, key: InstallationKey, error: Exception, *, offered: Installation, saved: Installation
    ) -> None:
        """One ERROR line per refresh token when Slack refused for good the one still stored while the token still
        serves: Slack renewed with it and its answer was lost on the way (or the app was uninstalled there without a
        word), so the workspace stops when the token expires, unless installed again before; the operator hears of it
        now, not at the stop."""
        if not isinstance(error, SlackTokenRotationError):
            return
        if not isinstance(refusal(error, offered=offered, saved=saved), InstallGone):
            return
        spent = str(saved.bot_refresh_token)
        if self._warned.get(key) == spent:
            return
        self._warned[key] = spent
        log.error(
            "Slack refused to renew %s's bot token (%s): it renewed it before and its answer was lost, or the app was "
            "uninstalled there. Its token serves until %s; then the workspace stops, until the app is installed there "
            "again (/slack/install)",
            key[1] or key[0],
            error.api_error.response.get("error"),
            _until(saved),
        )

    def _find(self, key: InstallationKey) -> Installation | None:
        enterprise_id, team_id = key
        return self._store.find_installation(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=team_id is None
        )


def _key(installation: Installation) -> InstallationKey:
    return (installation.enterprise_id, None if installation.is_enterprise_install else installation.team_id)


def _log_failure(renewal: Future[tuple[Installation, bool]]) -> None:
    """A renewal its request stopped waiting for failed: said here, or nobody hears of it (a Slack that did not answer
    is already a warning of `_rotate`'s)."""
    if renewal.cancelled() or (error := renewal.exception()) is None:
        return
    if isinstance(error, SlackClientError | OSError | HTTPException) and not isinstance(error, SlackTokenRotationError):
        return
    log.error("A bot token's renewal failed after its request went on without it", exc_info=error)


def _serves(installation: Installation) -> bool:
    """Its bot token can serve a call now."""
    return bool(installation.bot_token) and not _expired(installation)


def _until(installation: Installation) -> str:
    """When its token expires, in UTC."""
    expires_at = installation.bot_token_expires_at
    if expires_at is None:
        return "it expires"
    return datetime.fromtimestamp(expires_at, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _expired(installation: Installation) -> bool:
    """Expired, or too close to it to finish a call with it."""
    expires_at = installation.bot_token_expires_at
    return expires_at is not None and expires_at <= time.time() + TOKEN_MARGIN_SECONDS


def _said(error: Exception) -> str:
    """The failure in a few words: its first line, or its kind."""
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
