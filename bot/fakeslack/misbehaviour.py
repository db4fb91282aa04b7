"""How the fake Slack is made to misbehave as the real one can: fail a call, hang up, answer late, hold a call."""

from bot.fakeslack.faults import HANG_UP, Fault
from bot.fakeslack.pauses import Pause
from bot.fakeslack.state import SlackState


class Misbehaviour:
    """What `FakeSlack` offers a test to make Slack misbehave; every fault is kept in its `state`."""

    state: SlackState

    def fail(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        hang_up: bool = False,
        hang_up_after_acting: bool = False,
        channel: str | None = None,
        messages: tuple[str, ...] = (),
    ) -> None:
        """Make the next `times` calls of `method` (to `channel`, when named) answer an HTTP status (429, 500...),
        with `error` as its body's error when given (`invalid_grant` in a 400, as an OAuth refusal comes), or
        a Slack error (with `messages` saying why, as `invalid_blocks` does), or close the connection unanswered:
        without doing what was asked (`hang_up`, as a dropped connection or a timeout), or after doing it
        (`hang_up_after_acting`, as a network drop once Slack acted)."""
        if status == 200 and error is None and not (hang_up or hang_up_after_acting):
            raise ValueError("say what to fail with: status=429/5xx, error='...', hang_up or hang_up_after_acting")
        status = HANG_UP if hang_up or hang_up_after_acting else status
        fault = Fault(times, status, error, retry_after, channel, acts=hang_up_after_acting, messages=messages)
        self.state.faults.add(method, fault)

    def hold_until_ack(self, method: str) -> None:
        """From now on, answer `method` only after the bot has acked the request in flight, as if Slack were slow.

        A listener that calls `method` before its ack then stalls its own ack: that is recorded as a violation.
        """
        self.state.hold_until_ack(method)

    def pause(self, method: str, *, channel: str | None = None) -> Pause:
        """Hold the next call of `method` (to `channel`, when named) before Slack does anything, until released."""
        pause = Pause(method, channel)
        self.state.pauses.add(pause)
        return pause

    def slow_down(self, method: str, seconds: float) -> None:
        """From now on, answer `method` (`upload`: the upload URL) `seconds` after doing what it asks (a message is
        posted at once), as when Slack is slow to answer: a caller that stops waiting does not know it was done."""
        self.state.latency[method] = seconds
