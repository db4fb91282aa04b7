"""How often the background sender asks Slack of the people it refused a Home for (handlers/home_readers.py).

`users.info` shares its workspace's Tier-4 limit with the listeners, whose calls show a 429 to the person clicking:
each ask waits its turn in the sender's bucket, a 429 pauses that bucket for its Retry-After, and a drain asks of each
person once, at most ASKS_A_DRAIN times a workspace. Past that, or while Slack asks to wait, a refused Home is still
dropped for good, and one line a workspace and drain counts them: an import of a mistyped org file, or its Homes
queued again, does not ask Slack once a Home.
"""

import logging
import threading
from collections import Counter
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from sqlalchemy.exc import SQLAlchemyError

from handlers.home_readers import REFUSED, USERS_INFO, Verdict, ask, log_no_persons_id, log_verdict
from handlers.pacing import Pacer

log = logging.getLogger(__name__)

ASKS_A_DRAIN = 10
"""A workspace's `users.info` asks a drain: within its bucket's burst, so none waits for another."""
OwnClient = Callable[[WebClient, int], WebClient | None]
"""A client with the workspace's own token (handlers/delivery.client_for); None once the app is not installed there."""


class ReaderAsks:
    """One drain's asks and Slack's answers, by workspace and person; shared by the drain's sending threads."""

    def __init__(self, pacer: Pacer, *, at_most: int = ASKS_A_DRAIN, own: OwnClient | None = None) -> None:
        self._pacer, self._at_most, self._own = pacer, at_most, own
        self._verdicts: dict[tuple[int, str], Verdict] = {}
        self._asked: Counter[int] = Counter()
        self._not_asked: Counter[int] = Counter()
        self._waiting: set[int] = set()  # workspaces whose users.info Slack asked to wait in this drain
        self._lock = threading.Lock()

    def log_refused(self, client: WebClient, workspace_id: int, home: str, user_id: str) -> Verdict | None:
        """Log why Slack found nobody of `user_id` for the Home `home` names, asking Slack with the workspace's own
        token (`own`, for a listener's send, whose client may hold another's; else `client`'s: the background sender
        sends with the workspace's own) unless this drain knows, may not ask, or the
        id is no person's; what Slack said, if asked. Another workspace's token would have Slack answer
        `user_not_found` of everyone, and HR be told of ids that are right: with the workspace's own, the Home's
        refusal is the app's bug (log_verdict)."""
        if log_no_persons_id(home, user_id):
            return None
        verdict = self._verdict(client, workspace_id, user_id)
        if verdict is not None:
            log_verdict(home, verdict)
        return verdict

    def _verdict(self, client: WebClient, workspace_id: int, user_id: str) -> Verdict | None:
        """Slack's answer of the person, asked in the bucket's turn or known; None when not asked (counted)."""
        key = (workspace_id, user_id)
        with self._lock:
            if key in self._verdicts:
                return self._verdicts[key]
            if not self._may_ask(workspace_id):
                self._not_asked[workspace_id] += 1
                return None
            self._asked[workspace_id] += 1
        self._pacer.wait_turn(workspace_id, USERS_INFO)
        own = self._own_client(client, workspace_id)
        verdict = own if isinstance(own, Verdict) else ask(own, user_id)
        with self._lock:
            if verdict.retry_after is None:
                self._verdicts[key] = verdict
            else:
                self._waiting.add(workspace_id)
                self._pacer.pause(workspace_id, USERS_INFO, verdict.retry_after)
        return verdict

    def _own_client(self, client: WebClient, workspace_id: int) -> WebClient | Verdict:
        """The workspace's own client, or why Slack cannot be asked with it now."""
        try:
            own = client if self._own is None else self._own(client, workspace_id)
        except (SlackClientError, OSError, SQLAlchemyError) as error:  # InstallGone is a SlackClientError
            return Verdict(unconfirmed=f"no token of the workspace ({type(error).__name__})")
        return Verdict(unconfirmed="the app is not installed in the workspace") if own is None else own

    def _may_ask(self, workspace_id: int) -> bool:
        """Under the cap, and Slack asked not to wait: not in this drain, nor in an earlier one still (the bucket's
        pause), which would hold up the batch for Retry-After."""
        if workspace_id in self._waiting or self._asked[workspace_id] >= self._at_most:
            return False
        return not self._pacer.paused(workspace_id, USERS_INFO)

    def log_not_asked(self) -> None:
        """One line a workspace for the Homes dropped without asking Slack of their person; once, as the drain ends."""
        for workspace_id, count in sorted(self._not_asked.items()):
            log.error(
                "workspace #%s: %d more Homes Slack refused (%s) were dropped without asking users.info whether it "
                "knows the person (at most %d asks a drain, none while Slack asks to wait)",
                workspace_id,
                count,
                REFUSED,
                self._at_most,
            )
        self._not_asked.clear()
