"""Answers in time: a command or form answered later than Slack's 3 seconds is answered another way.

A slash command or a modal submission acks with its answer once its transaction has committed. When
that takes too long (the database busy with a migration, a fix waiting its turn), Slack shows the
person an error while the work still goes through, and they send it again: a refund logged twice.
Instead, what is not answered within `Settings.answer_within` seconds is acked with a holding answer,
and the real answer, whenever it comes, follows: a command's through its response URL, a form's in
the modal (`views.update`) and, for a form that was refused, in a DM as well.
"""

import heapq
import inspect
import itertools
import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse, Respond
from slack_bolt.context.ack import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from handlers.blocks.kit import notification_text, text_block
from handlers.late_replies import reply_or_dm

HOLDING_NOTE = (
    ":hourglass_flowing_sand: Got it. This is taking longer than usual: the answer will appear here in a moment. "
    "No need to send it again."
)
HOLDING_FORM = (
    ":hourglass_flowing_sand: Got it. This is taking longer than usual: the answer will appear here in a moment."
)
DONE_FORM = ":white_check_mark: Done. You can close this window."
LATE_DONE = "no need to send it again. Slack could not show it in the form, which you can close."
# Set by bot/server.py on every request (any such header from outside is overwritten) to when its last byte
# arrived, and by bot/socket_mode.py to when its envelope came off the WebSocket: the deadline counts from then, so
# time spent before Bolt (waiting for a free server thread or Socket Mode worker, the replay check, a wait for a
# database connection) counts too.
ARRIVED_HEADER = "x-latitude-arrived"
# A late answer waits this long after the holding ack was handed over, so that it lands after it.
AFTER_HOLDING = 0.5
# Bolt waits 3 s for a listener's ack (`ack_timeout`), then takes the request for one nothing listens to, which is
# told at once: what reaches the error handler this long after the listeners were looked for had one at work.
BOLT_STOPPED_WAITING = 2.5
LISTENERS_FROM = "latitude_listeners_from"
# Slack waits 3 s from sending, before the request arrived: an answer given later from arrival is held (its holding
# answer may still be taken) and goes late; one given later than Slack waits would reach nobody.
TOO_LATE_TO_ACK = 2.9
SLACK_WAITS = 3.0
Answer = dict[str, Any]
Late = Callable[[Answer, bool], None]
"""Sends an answer given after the holding one; told whether Slack showed the holding one (it came in time)."""
log = logging.getLogger(__name__)
_ACK_PARAMETERS = inspect.signature(Ack.__call__)


class KeptAck(Ack):
    """Bolt's `ack`, whose answer stays given once given.

    Bolt's thread runner wipes an answer already given when the listener raises after it, and then waits out
    Slack's 3 seconds for one: Slack shows the person an error although the click was answered. The error
    still reaches the global handler (handlers/errors.py), which tells the person with a reference.
    """

    _answer: BoltResponse | None = None

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    @property  # type: ignore[override]
    def response(self) -> BoltResponse | None:
        return self._answer

    @response.setter
    def response(self, answer: BoltResponse | None) -> None:
        if answer is not None or self._answer is None:
            self._answer = answer


class TimelyAck(KeptAck):
    """Bolt's `ack` for one request: the answer while it is in time; past the deadline `holding`, then `late`. An
    answer given too late for Slack (`TOO_LATE_TO_ACK` from `arrived`) before the deadline's hold is held then."""

    def __init__(self, holding: Answer, late: Late, *, arrived: float | None = None) -> None:
        super().__init__()
        self._holding = holding
        self._late = late
        self._lock = threading.Lock()
        self._held_at: float | None = None
        self._arrived = time.monotonic() if arrived is None else arrived

    @property
    def held(self) -> bool:
        return self._held_at is not None

    @property
    def held_in_time(self) -> bool:
        """Whether Slack may have taken the holding answer (held before its 3 s from arrival): a form then shows it,
        not the form as submitted. When unsure, it may have: the outcome then replaces whatever the modal shows."""
        return self._held_at is not None and self._held_at < self._arrived + SLACK_WAITS

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        with self._lock:
            in_time = time.monotonic() < self._arrived + TOO_LATE_TO_ACK
            if self._held_at is None and (in_time or self.response is not None):  # or a second after one in time
                return super().__call__(*args, **kwargs)
            self._hold_unless_answered()
        given = _ACK_PARAMETERS.bind(self, *args, **kwargs).arguments
        self._answer_late({key: value for key, value in given.items() if key != "self"})
        assert self.response is not None
        return self.response

    def hold_if_unanswered(self) -> None:
        with self._lock:
            self._hold_unless_answered()

    def _hold_unless_answered(self) -> None:
        if self.response is None:
            super().__call__(**self._holding)
            self._held_at = time.monotonic()

    def fail(self, message: str) -> None:
        """The listener failed after the holding answer: say so where its answer would have gone."""
        self._answer_late({"text": message, "response_action": "errors", "errors": {"failure": message}})

    def _answer_late(self, answer: Answer) -> None:
        """Never raises: the listener goes on with what follows its ack (its DMs, its outbox)."""
        assert self._held_at is not None
        time.sleep(max(0.0, self._held_at + AFTER_HOLDING - time.monotonic()))
        try:
            self._late(answer, self.held_in_time)
        except Exception:
            log.exception("a late answer could not be delivered")


class Deadlines:
    """One thread that runs each action at its moment, for the whole process (started on first use)."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def at(self, moment: float, action: Callable[[], None]) -> None:
        """Run `action` once `time.monotonic()` reaches `moment`."""
        with self._changed:
            entry = (moment, next(self._order), action)
            heapq.heappush(self._due, entry)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ack-deadlines", daemon=True)
                self._thread.start()
            if self._due[0] is entry:  # else the thread already wakes earlier than this one is due
                self._changed.notify()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._changed.wait(self._due[0][0] - time.monotonic() if self._due else None)
                _, _, action = heapq.heappop(self._due)
            try:
                action()
            except Exception:
                log.exception("a deadline's action failed")


DEADLINES = Deadlines()


def answer_in_time(within: float) -> Callable[..., None]:
    """Global middleware: give each slash command and modal submission `within` seconds from its arrival, and
    every request an `ack` whose answer, once given, stays given (`KeptAck`)."""

    def middleware(body: dict[str, Any], context: BoltContext, request: BoltRequest, next: Callable[[], None]) -> None:
        arrived = _arrival(request)
        ack = _timely_ack(body, context, arrived)
        if ack is not None:
            DEADLINES.at(arrived + within, ack.hold_if_unanswered)
        context["ack"] = ack or KeptAck()
        context[LISTENERS_FROM] = time.monotonic()
        next()

    return middleware


def bolt_stopped_waiting(context: BoltContext | None) -> bool:
    """Whether Bolt gave up on a listener of this request that had not acked, and went on to the next that matches
    (a click's is the catch-all of handlers/unhandled.py) or to the error handler, as for a request nothing takes."""
    since = context.get(LISTENERS_FROM) if context is not None else None
    return since is not None and time.monotonic() - since >= BOLT_STOPPED_WAITING


def answer_bolt_stopped_waiting_for(context: BoltContext | None) -> BoltResponse | None:
    """A command or form whose listener had not acked when Bolt stopped waiting (its deadline run late: a process
    too busy, or one given more than 3 s): its holding answer, and its own follows when given, as for any held ack,
    rather than "no such command" and an answer dropped. None for a request nothing listens to."""
    ack = context.get("ack") if context is not None else None
    if not isinstance(ack, TimelyAck) or not bolt_stopped_waiting(context):
        return None
    log.warning("a listener had not answered when Bolt stopped waiting: its answer follows the holding one")
    ack.hold_if_unanswered()
    return ack.response


def _arrival(request: BoltRequest) -> float:
    """When the request arrived (stamped by bot/server.py, or off the WebSocket by bot/socket_mode.py), else now."""
    stamps = request.headers.get(ARRIVED_HEADER) or []
    try:
        return float(stamps[0])
    except (IndexError, ValueError):
        return time.monotonic()


def _timely_ack(body: dict[str, Any], context: BoltContext, arrived: float) -> TimelyAck | None:
    respond = context.respond
    if body.get("command") and respond is not None:
        user, client = str(body.get("user_id") or ""), context.client
        holding: Answer = {"text": HOLDING_NOTE}
        return TimelyAck(holding, lambda answer, _: respond_late(respond, answer, client, user), arrived=arrived)
    if body.get("type") == "view_submission" and isinstance(body.get("view"), dict):
        form = body["view"]
        holding = {"response_action": "update", "view": notice_view(form, HOLDING_FORM)}
        return TimelyAck(holding, partial(_answer_form_late, context, body), arrived=arrived)
    return None


def respond_late(respond: Respond, answer: Answer, client: WebClient | None, user: str) -> None:
    """A command's answer through its response URL; in a DM when Slack no longer takes it there (half an hour on),
    an answer meant for the channel too: Latitude may not be a member of it, and the person who asked can share it."""
    if not (answer.get("text") or answer.get("blocks")):
        return
    visibility = str(answer.get("response_type") or "ephemeral")
    if client is None or not user:
        respond(
            text=answer.get("text", ""), blocks=answer.get("blocks"), response_type=visibility, replace_original=False
        )
        return
    reply_or_dm(respond, client, user, str(answer.get("text", "")), answer.get("blocks"), visibility)


def _answer_form_late(context: BoltContext, body: dict[str, Any], answer: Answer, shown: bool) -> None:
    """The modal shows the outcome in place of the holding view; a refusal also goes to a DM, in case it was closed,
    and so does a plain "done" the modal could not show (it would go on saying "taking longer" otherwise). A form
    whose holding view Slack never showed (`shown` false: it came too late) still shows what was typed, kept for sending
    again once a refusal told in a DM is put right."""
    form, person, client = body["view"], body["user"]["id"], context.client
    title, errors = form["title"]["text"], answer.get("errors") or {}
    if answer.get("response_action") == "errors" and errors:
        told = f":warning: Your *{title}* was not saved: " + " ".join(errors.values())
        if shown:
            _show_in_the_modal(client, form["id"], notice_view(form, told + "\nOpen it again to try once more."))
        else:
            told += "\nThe form still holds what you typed: put it right there and submit it again."
    elif answer.get("response_action") in ("update", "push") and answer.get("view"):
        told = ""
        _show_in_the_modal(client, form["id"], answer["view"])
    else:
        updated = _show_in_the_modal(client, form["id"], notice_view(form, DONE_FORM))
        told = "" if updated else f":white_check_mark: Your *{title}* went through: {LATE_DONE}"
    if told:
        client.chat_postMessage(channel=person, text=notification_text(told), blocks=[text_block(told)])


def _show_in_the_modal(client: WebClient, view_id: str, shown: dict[str, Any]) -> bool:
    """Best effort: a modal closed meanwhile, or Slack failing just now, leaves the outcome to a DM."""
    try:
        client.views_update(view_id=view_id, view=shown)
    except SlackApiError as error:
        log.warning("late answer to a form not shown: Slack answered %s", error.response.get("error"))
    except (OSError, SlackClientError) as error:
        log.warning("late answer to a form not shown: Slack did not answer (%s)", type(error).__name__)
    else:
        return True
    return False


def notice_view(form: dict[str, Any], text: str) -> dict[str, Any]:
    """A modal with the form's title saying `text`, with a Close button only."""
    return {
        "type": "modal",
        "callback_id": form.get("callback_id", ""),
        "title": form["title"],
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [text_block(text)],
    }
