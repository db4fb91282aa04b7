"""The installer's browser: open the app's install link, allow it on Slack's page, land back on the app.

Bolt keeps the OAuth `state` in a cookie set on `/slack/install` and checks it on the redirect, so the
cookie is carried from one step to the next as a browser would (it is `Secure`, which Python's cookie jar
would not send over plain HTTP to 127.0.0.1).
"""

import urllib.error
import urllib.request
from dataclasses import dataclass
from http.cookies import SimpleCookie


@dataclass(frozen=True)
class Page:
    status: int
    body: str
    location: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def get(url: str, cookies: dict[str, str] | None = None) -> tuple[Page, dict[str, str]]:
    """One GET without following redirects: the page, and the cookies it sets."""
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        response = opener.open(urllib.request.Request(url, headers=headers), timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    set_cookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        set_cookie.load(header)
    page = Page(response.status, response.read().decode(errors="replace"), response.headers.get("Location") or "")
    return page, {name: morsel.value for name, morsel in set_cookie.items()}


def install(bot_url: str) -> Page:
    """Go through the install: the bot's install link, Slack's authorize page, then the bot's redirect page."""
    start, cookies = get(f"{bot_url}/slack/install")
    if start.status != 302:
        return start
    allowed, _ = get(start.location, cookies)
    if allowed.status != 302:
        return allowed
    landed, _ = get(allowed.location, cookies)
    return landed
