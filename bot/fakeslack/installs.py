"""Installs in the stand-in: workspaces and Grid orgs, bot tokens bound to them, Slack's side of OAuth v2.

Real Slack shows the installer an "Allow" page at `oauth/v2/authorize`, then sends the browser to the
app's redirect URL with a one-time `code`, which the app exchanges with `oauth.v2.access` for a bot
token (https://docs.slack.dev/authentication/installing-with-oauth). With token rotation on, the token
expires and `oauth.v2.access` with `grant_type=refresh_token` gives a new one
(https://docs.slack.dev/authentication/using-token-rotation). A token only reaches the people of the
workspace (or, org-wide, the org) it was issued for.
"""

import itertools
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from bot.fakeslack.people import teams_of

CLIENT_ID = "1000.2000"
CLIENT_SECRET = "fake-client-secret"
APP_ID = "A0LATITUDE"
TOKEN_LIFETIME = 12 * 3600


@dataclass(frozen=True)
class Grant:
    """What a bot token stands for: one workspace, or (org-wide) every workspace of an Enterprise Grid org."""

    team_id: str | None
    enterprise_id: str | None = None
    org_wide: bool = False
    expires_at: float | None = None
    refresh_token: str | None = None

    def installed_in(self, team_id: str, org: str | None) -> bool:
        """Whether this is the org-wide install of `org` (when given), or else a token of the workspace `team_id`."""
        return self.org_wide and self.enterprise_id == org if org else self.team_id == team_id and not self.org_wide

    def reaches(self, user: dict[str, Any]) -> bool:
        """Whether this token may address the user: a workspace's token, someone of that workspace; an org-wide one,
        someone of its org (where in the org: `Installs.reaches`)."""
        if self.org_wide:
            return user.get("enterprise_id") == self.enterprise_id
        return str(self.team_id) in teams_of(user)


@dataclass(frozen=True)
class Installer:
    """Who clicks Allow on the next authorize page: a workspace, or an org admin installing org-wide."""

    team_id: str | None
    enterprise_id: str | None = None
    user_id: str = "U0ADMIN"

    @property
    def org_wide(self) -> bool:
        return self.team_id is None


class Installs:
    """Tokens, codes and refresh tokens the stand-in has issued. Thread-safe."""

    def __init__(self, token: str, team_id: str) -> None:
        self.tokens: dict[str, Grant] = {token: Grant(team_id)}
        self.names: dict[str, str] = {team_id: "Latitude Demo"}
        self.redirect_url = ""
        self.next_installer: Installer | None = None
        self.rotation = False
        self.token_lifetime = TOKEN_LIFETIME
        self.scopes = ""
        self.revoked: set[str] = set()
        self.granted_teams: dict[str, set[str]] = {}
        """Per org, the workspaces an org admin added the org's org-wide install to (`team_access_granted`): Slack
        adds it to none by itself (https://docs.slack.dev/enterprise/developing-for-enterprise-orgs)."""
        self.removed_teams: dict[str, set[str]] = {}
        """Per org, its workspaces Slack removed from the org's org-wide install (`team_access_revoked`)."""
        self._codes: dict[str, Installer] = {}
        self._refresh: dict[str, Grant] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def grant(self, token: str | None) -> Grant | None:
        with self._lock:
            return self.tokens.get(token or "")

    def reaches(self, grant: Grant, user: dict[str, Any]) -> bool:
        """Whether the token may address the user: an org-wide one reaches only someone of a workspace the install
        was added to and not removed from since."""
        if not grant.org_wide:
            return grant.reaches(user)
        teams = set(teams_of(user))
        return grant.reaches(user) and bool(teams & self.reached_teams(str(grant.enterprise_id)))

    def reached_teams(self, enterprise_id: str) -> set[str]:
        """The workspaces the org's org-wide install is in: those added to it, less those removed since."""
        with self._lock:
            granted = self.granted_teams.get(enterprise_id, set())
            return granted - self.removed_teams.get(enterprise_id, set())

    def change_team_access(self, enterprise_id: str | None, event: dict[str, Any]) -> None:
        """An org admin adds the org-wide install to workspaces, or Slack removes it from them, before Slack tells the
        app so (https://docs.slack.dev/reference/events/team_access_granted, .../team_access_revoked)."""
        team_ids = event.get("team_ids") or []
        with self._lock:
            removed = self.removed_teams.setdefault(str(enterprise_id), set())
            if event.get("type") == "team_access_revoked":
                removed.update(team_ids)
            elif event.get("type") == "team_access_granted":
                self.granted_teams.setdefault(str(enterprise_id), set()).update(team_ids)
                removed.difference_update(team_ids)

    def revoke(self, token: str) -> None:
        with self._lock:
            if self.tokens.pop(token, None) is not None:
                self.revoked.add(token)

    def revoke_team(self, team_id: str, *, org: str | None = None) -> None:
        """Every bot token of the workspace stops working, as when the app is uninstalled from it (an org-wide
        token still serves the org's other workspaces); with `org`, those of the org's org-wide install instead (an
        org-wide install is uninstalled from the whole org: https://api.slack.com/events/app_uninstalled). Their
        refresh tokens no longer renew them (`invalid_refresh_token`); an org-wide install leaves every workspace it was
        added to, and one made again is added to none until an org admin adds it."""
        with self._lock:
            if org:
                self.granted_teams.pop(org, None)
                self.removed_teams.pop(org, None)
            gone = [token for token, grant in self.tokens.items() if grant.installed_in(team_id, org)]
            for token in gone:
                del self.tokens[token]
            self.revoked.update(gone)
            self._refresh = {
                token: grant for token, grant in self._refresh.items() if not grant.installed_in(team_id, org)
            }

    def revoke_refresh_tokens(self, team_id: str) -> None:
        """Slack no longer renews this workspace's token (`invalid_refresh_token`), as after a revocation."""
        with self._lock:
            self._refresh = {token: grant for token, grant in self._refresh.items() if grant.team_id != team_id}

    def issue_token(self, grant: Grant) -> str:
        with self._lock:
            scope = grant.enterprise_id if grant.org_wide else grant.team_id
            token = f"xoxb-{scope}-{next(self._ids)}"
            self.tokens[token] = grant
            return token

    # -- the browser side ------------------------------------------------------------------
    def authorize(self, query: str) -> tuple[int, str]:
        """The authorize page once the installer clicked Allow: (status, where the browser goes next)."""
        args = dict(parse_qsl(query))
        installer, self.next_installer = self.next_installer, None
        if args.get("client_id") != CLIENT_ID or not args.get("scope") or installer is None:
            return 400, "invalid authorize request (client_id, scope, and someone to install)"
        redirect = args.get("redirect_uri") or self.redirect_url
        if not redirect:
            return 400, "no redirect URL configured for the app"
        code = f"code-{next(self._ids)}"
        with self._lock:
            self._codes[code] = installer
            self.scopes = args["scope"]
        return 302, f"{redirect}?{urlencode({'code': code, 'state': args.get('state', '')})}"

    # -- oauth.v2.access -------------------------------------------------------------------
    def exchange(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("client_id") != CLIENT_ID or args.get("client_secret") != CLIENT_SECRET:
            return {
                "ok": False,
                "error": "invalid_client_id" if args.get("client_id") != CLIENT_ID else "bad_client_secret",
            }
        if args.get("grant_type") == "refresh_token":
            return self._refreshed(str(args.get("refresh_token") or ""))
        with self._lock:
            installer = self._codes.pop(str(args.get("code") or ""), None)
        if installer is None:
            return {"ok": False, "error": "invalid_code"}
        grant = Grant(installer.team_id, installer.enterprise_id, installer.org_wide)
        return {**self._access(grant), **self._install_shape(installer)}

    def _access(self, grant: Grant) -> dict[str, Any]:
        if self.rotation:
            refresh = f"xoxe-1-{next(self._ids)}"
            grant = Grant(
                grant.team_id, grant.enterprise_id, grant.org_wide, time.time() + self.token_lifetime, refresh
            )
            with self._lock:
                self._refresh[refresh] = grant
        token = self.issue_token(grant)
        answer: dict[str, Any] = {
            "ok": True,
            "access_token": token,
            "token_type": "bot",
            "scope": self.scopes,
            "bot_user_id": "U0LATBOT",
            "app_id": APP_ID,
        }
        if grant.refresh_token:
            answer.update(refresh_token=grant.refresh_token, expires_in=self.token_lifetime)
        return answer

    def _refreshed(self, refresh_token: str) -> dict[str, Any]:
        with self._lock:
            grant = self._refresh.pop(refresh_token, None)
        if grant is None:
            return {"ok": False, "error": "invalid_refresh_token"}
        shape = {"team": self._team(grant.team_id), "enterprise": self._team(grant.enterprise_id)}
        return {**self._access(grant), **shape, "is_enterprise_install": grant.org_wide}

    def _install_shape(self, installer: Installer) -> dict[str, Any]:
        """`team` is null in an org-wide install; `enterprise` is null outside Grid."""
        return {
            "team": self._team(installer.team_id),
            "enterprise": self._team(installer.enterprise_id),
            "is_enterprise_install": installer.org_wide,
            "authed_user": {"id": installer.user_id},
        }

    def _team(self, team_id: str | None) -> dict[str, str] | None:
        return {"id": team_id, "name": self.names.get(team_id, team_id)} if team_id else None


def expired(grant: Grant) -> bool:
    return grant.expires_at is not None and grant.expires_at <= time.time()
