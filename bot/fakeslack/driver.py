"""Sends correctly signed Slack requests (slash commands, button clicks, modal submissions, events) to the bot."""

import dataclasses
import json
import threading
import time
from itertools import count
from typing import Any

from bot.fakeslack.blockkit import ack_problems, posted_problems
from bot.fakeslack.command_acks import ack_message
from bot.fakeslack.envelopes import event_envelope, url_verification
from bot.fakeslack.interaction_payloads import InteractionPayloads
from bot.fakeslack.payloads import slack_escaped
from bot.fakeslack.reply import Reply, as_retried
from bot.fakeslack.signed_requests import JSON, SignedRequests
from bot.fakeslack.state import BOT_USER_ID, Call, dm_channel

_ids = count(1)
Json = dict[str, Any]


class SlackDriver(SignedRequests, InteractionPayloads):
    """Plays the Slack side: commands, events, clicks and submissions, each signed as Slack signs it (see
    `SignedRequests`)."""

    # -- slash commands --------------------------------------------------------------------
    def command(self, user: str, command: str, text: str = "", *, settle: bool = True, **where: Any) -> Reply:
        """Type `command text` in Slack (escaped as Slack does; `where`: channel, user_name, as_characters); the ack is
        checked like a message. `settle=False` returns at the ack, before the work the listener does after it."""
        ack_ts = self.slack.state.new_ts()
        fields = self.command_fields(user, command, text, ack_ts=ack_ts, **where)
        self.slack.state.acks_on_their_way.add(ack_ts)
        try:
            reply = self._checked("ack of " + command, self.post_form(fields, settle=False))
            reply = self._show_ack(reply, user, fields["channel_id"], ack_ts)
        finally:
            self.slack.state.acks_on_their_way.discard(ack_ts)
        if settle:
            self._settle()
        return reply

    def _show_ack(self, reply: Reply, user: str, channel: str, ts: str) -> Reply:
        """Slack shows an ack's message to the person (to the channel, `in_channel`): `reply.shown`, a message the
        command's response URL replaces or deletes."""
        ack = reply.json or {"text": reply.body}
        message = ack_message(ack, ts) if reply.status == 200 else None
        if message is None:
            return reply
        in_channel = ack.get("response_type") == "in_channel"
        if in_channel:
            self.slack.state.store_message(channel, ts, {**message, "user": BOT_USER_ID})
        else:
            self.slack.state.store_ephemeral(channel, ts, message, reader=user)
        shown = Call("ack", ack, time.time(), response={"channel": channel, "ts": ts, "ephemeral": not in_channel})
        return dataclasses.replace(reply, shown=shown)

    def command_fields(
        self,
        user: str,
        command: str,
        text: str = "",
        *,
        channel: str = "C0GENERAL",
        user_name: str | None = None,
        ack_ts: str | None = None,
        as_characters: bool = False,
    ) -> dict[str, str]:
        """`ack_ts`: where the ack's message shows, which the command's response URL replaces; `as_characters`: the
        text was typed key by key, `<@U123>` included, none of it picked from Slack's list (Slack escapes every `<`,
        `>`), else what reads as Slack's markup is taken as Slack's."""
        return {
            "token": "verification-token-unused",
            "team_id": self.team_id,
            "team_domain": "latitude-demo",
            "channel_id": channel,
            "channel_name": self._channel_name(channel),
            "user_id": user,
            "user_name": user_name or self._user_name(user),
            "command": command,
            "text": slack_escaped(text, as_characters=as_characters),
            "api_app_id": "A0LATITUDE",
            **self.grid.command_fields(),
            "response_url": self.slack.response_url(channel, ack_ts, user=user),
            "trigger_id": self.slack.trigger_id(user),
        }

    # -- events ----------------------------------------------------------------------------
    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None, sent_at: int = 0
    ) -> Reply:
        """An Events API delivery. `app_uninstalled` (and `tokens_revoked` of bot tokens) come once Slack revoked the
        bot tokens, so they stop working here first; `sent_at`: the event_time of a late retry, revoked back then."""
        revoking = event.get("type") == "app_uninstalled" or (event.get("tokens") or {}).get("bot")
        if revoking and not sent_at:
            self.slack.state.installs.revoke_team(self.team_id, org=self.grid.org_install)
        event_id, sent = event_id or f"Ev{next(_ids):08d}", sent_at or int(time.time())
        auth = self.grid.authorization(self.team_id)
        envelope = event_envelope(event, team_id=self.team_id, event_id=event_id, event_time=sent, authorization=auth)
        envelope |= self.grid.event_fields()
        if self.socket_mode:
            return self._over_socket("events_api", envelope, retry_num or 0)
        return self.post(json.dumps(envelope), JSON, **as_retried(retry_num))

    def org_event(self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int = 0) -> Reply:
        """An event about the Grid org itself, sent to an org-wide install (see `Grid.org_envelope`), once in effect."""
        self.slack.state.installs.change_team_access(self.grid.enterprise_id, event)
        envelope = self.grid.org_envelope(event, event_id or f"Ev{next(_ids):08d}", self.team_id)
        return self.post(json.dumps(envelope), JSON, **as_retried(retry_num))

    def user_change(self, user_id: str, **changes: Any) -> Reply:
        """Change someone in Slack (`deleted=True` deactivates them) and send the `user_change` Slack then sends."""
        return self.event(self.slack.change_user(user_id, **changes))

    def open_home(self, user: str, *, event_id: str | None = None, retry_num: int | None = None) -> Reply:
        """Once a Home was published for the person, the event carries it as it stands (`view`)."""
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": user,
            "channel": dm_channel(user),
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        }
        shown = self.home_as_sent(user)
        if shown is not None:
            event["view"] = shown
        return self.event(event, event_id=event_id, retry_num=retry_num)

    def open_messages_tab(self, user: str) -> Reply:
        """The person opens the app's Messages tab: `tab: messages`, with no `view` (a Home tab's alone has one)."""
        event = {"type": "app_home_opened", "user": user, "channel": dm_channel(user), "tab": "messages"}
        return self.event({**event, "event_ts": f"{time.time():.6f}"})

    def verify_url(self, challenge: str) -> Reply:
        """Slack checks the Events API Request URL when it is saved in the app's settings (Event Subscriptions)."""
        return self.post(json.dumps(url_verification(challenge)), JSON)

    # -- interactivity ---------------------------------------------------------------------
    def click(
        self, user: str, message: Call, action_id: str, *, value: str | None = None, forged: bool = False
    ) -> Reply:
        """Click the button `action_id` in a message the fake Slack recorded, as Slack shows it now: one the app
        replaced or deleted since is gone (`current`); `value` picks among buttons alike (one per request in a list).
        Each click is its own payload (a new trigger_id and response URL), a double click included: Slack never
        retries one. Only someone who sees the message clicks in it (`audience`); `forged=True`: an attacker's
        hand-signed payload (an old copy replayed, a value of their own), for a test of the app's own checks."""
        reply = self.post_payload(self.click_payload(user, message, action_id, value=value, forged=forged))
        return self._checked("ack of a click", reply)

    def double_click(self, user: str, message: Call, action_id: str) -> tuple[Reply, Reply]:
        """Click twice before the app's answer to the first click reaches the screen: both payloads are built from
        the message as shown now, each with its own trigger_id and response URL, and sent one after the other."""
        first, second = (self.click_payload(user, message, action_id) for _ in range(2))
        return self.send_click(first), self.send_click(second)

    def send_click(self, payload: Json) -> Reply:
        """Send a click built earlier (`click_payload`): one made on the message as it stood then, which reaches the
        app after what happened since (another person's click that changed every copy, say): a race Slack allows."""
        return self._checked("ack of a click", self.post_payload(payload))

    def send_clicks_at_once(self, *payloads: Json) -> list[Reply]:
        """Send clicks built earlier (`click_payload`, `click_payload_on`) at the same instant, each on its own
        connection, as two quick clicks (two people's, or one person's on two buttons) reach the app: their listeners
        run side by side. Returns once every one is acked and the work after the acks has finished."""
        ready = threading.Barrier(len(payloads))
        replies: dict[int, Reply] = {}

        def send(n: int, payload: Json) -> None:
            ready.wait()
            replies[n] = self.post_payload(payload, settle=False)

        senders = [threading.Thread(target=send, args=(n, payload)) for n, payload in enumerate(payloads)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
        self._settle()
        return [self._checked("ack of a click", replies[n]) for n in range(len(payloads))]

    def close_modal(self, view: Json) -> None:
        """The person closes the modal with its Cancel button or ×: Slack stops showing it (with no
        `notify_on_close`, it tells the app nothing: https://docs.slack.dev/surfaces/modals#modal_cancellations); with
        `clear_on_close`, it closes every view of the stack, else only this one."""
        shown = self.slack.state.views.held(view)
        assert shown is not None, "no such modal is open"
        assert not self.slack.state.views.covered(shown.view_id), "another view is pushed over it: close that first"
        self.slack.state.views.close(shown.view_id, whole_stack=bool(shown.definition.get("clear_on_close")))

    def click_in_view(
        self, user: str, view: Json, action_id: str, *, value: str | None = None, forged: bool = False
    ) -> Reply:
        """Click a button in a published view (the App Home) or an open modal, the clicker's own (or `forged`).

        Such a click has a `view` container and no `response_url`: the app answers in the view (views.publish,
        views.update) or elsewhere (a DM).
        """
        payload = self.view_click_payload(user, view, action_id, value, forged=forged)
        return self._checked("ack of a click", self.post_payload(payload))

    def submit(self, user: str, view: Json, values: Json, *, settle: bool = True, forged: bool = False) -> Reply:
        """Submit a modal the bot opened; `values` maps an input's action_id (or block_id) to what the user entered.

        An input left out of `values` is one the person left alone: it sends its initial value, as Slack does (a box
        ticked by default stays ticked). To untick every box or empty a field, say so: `[]` for checkboxes and
        multi-selects, `None` or `""` for a text input or a date (see `payloads.state_value`). The ack is checked as
        Slack checks it (errors only for the view's inputs, a valid pushed view...) and decides whether the modal
        stays open for a later views.update. Only the person the modal was opened for submits it (or a `forged` one).
        """
        payload = self.submit_payload(user, view, values, forged=forged)
        reply = self.post_payload(payload, settle=False)
        if reply.status == 200:
            problems = ack_problems(payload["view"], reply.json) + self.slack.state.views.answered(
                payload["view"]["id"], reply.json
            )
            if problems:
                self.slack.state.reject("ack of a view submission", problems)
        if settle:
            self._settle()
        return reply

    def _checked(self, what: str, reply: Reply) -> Reply:
        """An ack that carries a message must be one Slack can show: JSON, or plain text, which Slack shows as the
        message's text (https://api.slack.com/interactivity/slash-commands#responding_to_commands)."""
        data = reply.json or {"text": reply.body}
        if reply.status == 200 and (data.get("text") or data.get("blocks")):
            _, problems = posted_problems(data)
            if problems:
                self.slack.state.reject(what, problems)
        return reply
