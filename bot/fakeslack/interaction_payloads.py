"""The interaction payloads the driver sends (a click in a message or a view, a submission), shaped as Slack shapes
them, and only for someone Slack shows the message or view to (`audience`) unless the test forges one."""

from dataclasses import dataclass
from typing import Any

from bot.fakeslack.audience import check_sees_message, check_sees_view
from bot.fakeslack.current import as_shown_now, check_open, check_value, shown_now
from bot.fakeslack.entries import check_entries
from bot.fakeslack.grid import Grid, payload_team
from bot.fakeslack.message_clicks import ClickedMessage, channel_name
from bot.fakeslack.payloads import clicked_action, find_element, view_as_sent, view_state
from bot.fakeslack.server import FakeSlack
from bot.fakeslack.state import Call

Json = dict[str, Any]


@dataclass(frozen=True)
class Seen:
    """A message as one person's screen showed it at some moment (`InteractionPayloads.seen`): Slack sends a click
    with the copy the person was looking at, which the app may have changed since, on its way to their screen."""

    message: Call
    copy: ClickedMessage


class InteractionPayloads:
    """What `SlackDriver` builds its clicks and submissions from; `forged=True` builds one for someone who cannot
    see the message or view, as an attacker signing a payload by hand would (tests of the app's own checks)."""

    slack: FakeSlack
    team_id: str
    grid: Grid

    def click_payload(
        self, user: str, message: Call, action_id: str, *, value: str | None = None, forged: bool = False
    ) -> Json:
        """A block_actions payload shaped for the message's container (an ephemeral one's has no `message`)."""
        clicked = ClickedMessage.of(message)
        if forged:
            block, element = find_element(clicked.blocks, action_id, value)
        else:
            check_sees_message(self.slack.state, user, message, clicked)
            clicked, block, element = as_shown_now(self.slack.state, clicked, action_id, value)
        payload = self._block_actions(user, block, element, value, forged=forged)
        payload.update(clicked.fields(self._channel_name(clicked.channel), self.team_id))
        return payload | {"response_url": self.slack.response_url(clicked.channel, clicked.ts, user=user)}

    def seen(self, message: Call) -> Seen:
        """The message as Slack shows it now, kept: a click made later on this copy (`click_payload_on`) is one made
        on a screen the app's changes since have not reached yet."""
        return Seen(message, shown_now(self.slack.state, ClickedMessage.of(message)))

    def click_payload_on(self, user: str, seen: Seen, action_id: str, *, value: str | None = None) -> Json:
        """A click on the button `action_id` (`value`: among buttons alike) of the copy `seen`, carrying that copy as
        the `message`, however the app changed the message since."""
        check_sees_message(self.slack.state, user, seen.message, seen.copy)
        block, element = find_element(seen.copy.blocks, action_id, value)
        payload = self._block_actions(user, block, element, value, forged=False)
        payload.update(seen.copy.fields(self._channel_name(seen.copy.channel), self.team_id))
        return payload | {"response_url": self.slack.response_url(seen.copy.channel, seen.copy.ts, user=user)}

    def view_click_payload(
        self, user: str, view: Json, action_id: str, value: str | None = None, *, forged: bool = False, **entered: Any
    ) -> Json:
        """The view carries its inputs' state as Slack sends it: what the person has `entered` so far (by action_id
        or block_id, as for `submit`), the others at their initial values."""
        view_id, view_hash, view = self._seen_view(user, view, forged)
        block, element = find_element(view.get("blocks") or [], action_id, value)
        payload = self._block_actions(user, block, element, value, view_id, forged=forged)
        shown = {**self._view_as_sent(view, view_id, view_hash), "state": view_state(view, entered)}
        payload.update(container={"type": "view", "view_id": view_id}, view=shown)
        return payload

    def submit_payload(self, user: str, view: Json, values: Json, *, forged: bool = False) -> Json:
        """Only what Slack's client lets the person send (`entries`), unless `forged`."""
        view_id, view_hash, view = self._seen_view(user, view, forged)
        shown = self._view_as_sent(view, view_id, view_hash)
        state = view_state(view, values)
        if not forged:
            check_entries(view, state["values"])
        return {
            "type": "view_submission",
            **self.grid.interaction_fields(self.team_id),
            "user": self._user(user),
            "api_app_id": "A0LATITUDE",
            "token": "verification-token-unused",
            "trigger_id": self.slack.trigger_id(user, view_id),
            "view": {**shown, "state": state},
            "response_urls": [],
        }

    def home_as_sent(self, user: str) -> Json | None:
        """The person's Home as an `app_home_opened` event carries it, once one was published for them."""
        home = self.slack.state.home_view(user)
        if home is None:
            return None
        view_id, view_hash = self.slack.state.views.identify(home, user)
        return self._view_as_sent(home, view_id, view_hash)

    def _seen_view(self, user: str, view: Json, forged: bool) -> tuple[str, str, Json]:
        """The id, hash and definition of the view the test holds, which `user` must see unless the payload is
        `forged`: the payload carries the view as Slack holds it (its `private_metadata`, `callback_id`...), not
        the test's copy, which only a forged payload sends."""
        if forged:
            return *self.slack.state.views.identify(view, user), view
        shown = self.slack.state.views.held(view, user)
        check_sees_view(user, shown)
        check_open(self.slack.state, view, shown)
        assert shown is not None
        return shown.view_id, shown.hash, shown.definition

    def _block_actions(
        self, user: str, block: Json, element: Json, value: str | None, view_id: str | None = None, *, forged: bool
    ) -> Json:
        if not forged:
            check_value(element, value)
        return {
            "type": "block_actions",
            **self.grid.interaction_fields(self.team_id),
            "user": self._user(user),
            "api_app_id": "A0LATITUDE",
            "token": "verification-token-unused",
            "trigger_id": self.slack.trigger_id(user, view_id),
            "actions": [clicked_action(block, element, value)],
        }

    def _user(self, user: str) -> dict[str, str]:
        home = payload_team(self.slack.users.get(user) or {}, self.team_id)
        return {"id": user, "username": self._user_name(user), "name": self._user_name(user), "team_id": home}

    def _view_as_sent(self, view: Json, view_id: str, view_hash: str) -> Json:
        installed_by = self.grid.enterprise_id if self.grid.org_wide and self.grid.enterprise_id else self.team_id
        shown = self.slack.state.views.find(view_id)
        stack = {"root_view_id": shown.root_view_id, "previous_view_id": shown.previous_view_id} if shown else {}
        return view_as_sent(view, view_id, view_hash, self.team_id, installed_by=installed_by, **stack)

    def _channel_name(self, channel: str) -> str:
        known = self.slack.state.channels.find(channel)
        return channel_name(channel, known.name if known else None, private=bool(known and known.private))

    def _user_name(self, user: str) -> str:
        return str(self.slack.users[user]["name"]) if user in self.slack.users else user.lower()
