"""A fake Slack Web API: a real HTTP (or HTTPS) server on 127.0.0.1 that answers like Slack and records every call.

`FakeSlack` is what tests and the demo hold: it starts the server (`listener`, `transport`), sets up the workspace,
makes Slack misbehave (`misbehaviour`: faults, pauses, slowness) and answers questions about what happened (`state`);
the methods it emulates live in `methods`.
"""

import copy
import time
from collections.abc import Callable
from typing import Any

from bot.fakeslack.certificate import Certificate
from bot.fakeslack.channels import Channel
from bot.fakeslack.installs import CLIENT_ID, CLIENT_SECRET, Grant, Installer
from bot.fakeslack.listener import Listener
from bot.fakeslack.manifest import manifest_scopes
from bot.fakeslack.misbehaviour import Misbehaviour
from bot.fakeslack.people import Guest, Person, user_object
from bot.fakeslack.socket_mode import SocketModeServer
from bot.fakeslack.state import APP_TOKEN, BOT_TOKEN, BOT_USER_ID, TEAM_ID, Call, SlackState, dm_channel
from bot.fakeslack.transport import RESPOND_PATH

__all__ = ["APP_TOKEN", "BOT_TOKEN", "BOT_USER_ID", "CLIENT_ID", "CLIENT_SECRET", "TEAM_ID", "Call", "FakeSlack"]

MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update")


class FakeSlack(Misbehaviour):
    """Start with `with FakeSlack() as slack:`; point the bot's SLACK_API_URL at `slack.api_url`."""

    def __init__(
        self,
        *,
        token: str = BOT_TOKEN,
        team_id: str = TEAM_ID,
        scopes: frozenset[str] | None = None,
        tls: Certificate | None = None,
    ) -> None:
        """`scopes` are the bot token's scopes: by default those `manifest.yml` grants. With `tls`, it speaks HTTPS
        with that certificate (its clients must trust it: `certificate.trusting`), else plain HTTP."""
        granted = scopes if scopes is not None else manifest_scopes()
        self.state = SlackState(token=token, team_id=team_id, scopes=granted)
        self._listener = Listener(self.state, tls)
        self.state.base_url = self.url
        self.socket: SocketModeServer | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "FakeSlack":
        self._listener.start()
        return self

    def stop(self) -> None:
        if self.socket is not None:
            self.socket.stop()
        self._listener.stop()

    def socket_mode(self) -> SocketModeServer:
        """Speak Socket Mode too: `apps.connections.open` (with the app-level token) returns this server's URL."""
        if self.socket is None:
            self.socket = SocketModeServer(self.state).start()
        return self.socket

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return self._listener.url

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    @property
    def token(self) -> str:
        return self.state.token

    @property
    def team_id(self) -> str:
        return self.state.team_id

    @property
    def users(self) -> dict[str, dict[str, Any]]:
        return self.state.users

    @property
    def violations(self) -> list[str]:
        """Calls real Slack would refuse (bad blocks or views), as `method: problem`."""
        return self.state.violations

    # -- set-up ----------------------------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        tz: str = "UTC",
        email: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
        enterprise_id: str | None = None,
        teams: tuple[str, ...] = (),
        connected_to: tuple[str, ...] = (),
        guest: Guest = None,
    ) -> None:
        """A person of the workspace `team_id` (default: the first one); in a Grid org, of `teams` too. `connected_to`:
        workspaces they share a Slack Connect channel with, whose `users.info` finds them (as of their own team).
        `guest`: a guest account, not a member (`people.user_object`)."""
        home = team_id or (teams[0] if teams else self.team_id)
        person = Person(name, tz=tz, email=email, is_bot=is_bot, deleted=deleted, guest=guest)
        self.state.users[user_id] = user_object(user_id, person, home=home, teams=teams, enterprise_id=enterprise_id)
        if enterprise_id:
            grid = {"id": user_id, "enterprise_id": enterprise_id, "teams": list(teams or (home,))}
            self.state.users[user_id]["enterprise_user"] = grid
        self.state.connected[user_id] = frozenset(connected_to)

    def change_user(self, user_id: str, **changes: Any) -> dict[str, Any]:
        """Change someone (`deleted`, `tz`, `real_name`: the profile's name too; `email`, in the profile alone) and
        return the `user_change` event Slack sends every app with users:read, the user as `users.info` now shows
        it, for any change (https://docs.slack.dev/reference/events/user_change)."""
        user = self.state.users[user_id]  # Slack tells only of its own users
        if "email" in changes:
            user["profile"]["email"] = changes.pop("email")
        user.update(changes)
        if "real_name" in changes:
            user["profile"]["real_name"] = changes["real_name"]
        stamp = time.time()
        return {"type": "user_change", "user": copy.deepcopy(user), "cache_ts": int(stamp), "event_ts": f"{stamp:.6f}"}

    def remove_from_workspace(self, user_id: str, team_id: str) -> dict[str, Any]:
        """An org admin removes someone from a workspace of their Grid org (`admin.users.remove`): active in the org,
        that workspace's `users.list` shows them `deleted`; returns the `user_change` Slack then sends."""
        user = self.state.users[user_id]
        self.state.removed_from.setdefault(user_id, set()).add(team_id)
        teams = [team for team in user["teams"] if team != team_id]
        assert user.get("enterprise_user") and teams != user["teams"], "only a Grid user of that workspace"
        user["enterprise_user"]["teams"] = list(teams)
        home = teams[0] if user["team_id"] == team_id and teams else user["team_id"]
        return self.change_user(user_id, teams=teams, team_id=home)

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        private: bool = False,
        archived: bool = False,
        bot_is_member: bool = True,
        team_id: str | None = None,
        enterprise_id: str | None = None,
        members: tuple[str, ...] | None = None,
    ) -> None:
        """A channel of the workspace `team_id` (default: the first one); the bot posts only where Slack lets it
        (see `channels`). `members`: the people in it (by default, everyone). #general (`C0GENERAL`) is there from
        the start."""
        team = team_id or self.team_id
        people = frozenset(members) if members is not None else None
        self.state.channels.add(
            Channel(channel_id, name, team, enterprise_id, private, archived, bot_is_member, people)
        )

    def archive_channel(self, channel_id: str) -> None:
        """Someone archives the channel: what the bot posted there stays, and can no longer change."""
        self.state.channels.change(channel_id, archived=True)

    def remove_bot_from(self, channel_id: str) -> None:
        """Someone removes the app from the channel (`/remove @Latitude`); a private one then hides from the bot."""
        self.state.channels.change(channel_id, bot_is_member=False)

    def post_as(self, user_id: str, channel: str, text: str) -> str:
        """A person's own message in `channel` (the bot may not change it); its ts."""
        ts = self.state.new_ts()
        self.state.store_message(channel, ts, {"type": "message", "ts": ts, "text": text, "user": user_id})
        return ts

    # -- workspaces and installs ------------------------------------------------------------
    def add_workspace(self, team_id: str, name: str, *, enterprise_id: str | None = None) -> str:
        """Another workspace with the app installed the single-workspace way; returns its bot token."""
        self.state.installs.names[team_id] = name
        return self.state.installs.issue_token(Grant(team_id, enterprise_id))

    def name_org(self, enterprise_id: str, name: str) -> None:
        self.state.installs.names[enterprise_id] = name

    def installing(
        self, *, team_id: str | None = None, enterprise_id: str | None = None, user_id: str = "U0ADMIN"
    ) -> None:
        """The next authorize page is allowed by this workspace, or (no team) by this org's admin, org-wide."""
        self.state.installs.next_installer = Installer(team_id, enterprise_id, user_id)

    def set_redirect_url(self, url: str) -> None:
        """The app's OAuth redirect URL, as set in its manifest (`oauth_config.redirect_urls`)."""
        self.state.installs.redirect_url = url

    def rotate_tokens(self, lifetime: float) -> None:
        """Turn token rotation on: installs get tokens that expire after `lifetime` seconds, and a refresh token."""
        self.state.installs.rotation, self.state.installs.token_lifetime = True, int(lifetime)

    def tokens_of(self, scope_id: str) -> list[str]:
        """Every bot token issued for a workspace or (org-wide) an org, oldest first."""
        return [
            token
            for token, grant in self.state.installs.tokens.items()
            if (grant.enterprise_id if grant.org_wide else grant.team_id) == scope_id
        ]

    def revoke(self, token: str) -> None:
        """The token stops working, as after an uninstall."""
        self.state.installs.revoke(token)

    def response_url(self, channel: str, message_ts: str | None = None, *, user: str | None = None) -> str:
        """A response URL for `user`'s command in `channel` or click on its message `message_ts`."""
        return f"{self.url}{RESPOND_PATH}{self.state.issue_response_url(channel, message_ts, user)}"

    def expire_response_urls(self) -> None:
        """Half an hour passes for every response URL handed out so far: Slack refuses them (`expired_url`)."""
        self.state.expire_response_urls()

    def trigger_id(self, user: str | None = None, view_id: str | None = None) -> str:
        return self.state.triggers.issue(user, view_id)

    def reset(self) -> None:
        """Forget the calls, faults and violations seen so far (users and messages stay)."""
        self.state.reset()

    # -- what happened ---------------------------------------------------------------------
    def calls(self, method: str | None = None, **match: Any) -> list[Call]:
        return [
            c
            for c in self.state.calls()
            if (method is None or c.method == method) and all(c.args.get(key) == value for key, value in match.items())
        ]

    def wait_for(
        self, method: str, predicate: Callable[[Call], bool] = lambda _c: True, *, count: int = 1, timeout: float = 10.0
    ) -> list[Call]:
        """Block until `count` calls of `method` satisfy `predicate` (work after an ack is asynchronous)."""

        def matching(calls: list[Call]) -> list[Call]:
            return [c for c in calls if c.method == method and predicate(c)]

        if not self.state.wait_for(lambda calls: len(matching(calls)) >= count, timeout):
            seen = ", ".join(c.method for c in self.state.calls()) or "nothing"
            raise AssertionError(f"expected {count} {method} call(s) within {timeout}s; saw {seen}")
        return matching(self.state.calls())

    def messages_to(self, user_id: str) -> list[Call]:
        """Messages posted in the DM with `user_id` (by user id or by the DM channel id)."""
        return [c for c in self.calls() if c.method in MESSAGE_METHODS and c.channel in (user_id, dm_channel(user_id))]

    def message(self, channel: str, ts: str) -> dict[str, Any]:
        """The message (or ephemeral message) as it stands now, after any chat.update or replace_original."""
        found = self.state.find_message(channel, ts) or self.state.find_ephemeral(channel, ts)
        if found is None:
            raise KeyError(f"no message {ts} in {channel}")
        return found

    def files(self) -> list[Call]:
        return self.calls("files.completeUploadExternal")
