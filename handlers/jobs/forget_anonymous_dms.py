"""Delete the DMs to anonymous people that no pulse round ends (services/anonymous_dms.py) once they are old enough."""

from slack_sdk import WebClient

from handlers.deps import Deps
from services import anonymous_dms


def forget_anonymous_dms(deps: Deps, _client: WebClient) -> None:
    with deps.sessions.begin() as session:
        anonymous_dms.forget_old(session, now=deps.now())
