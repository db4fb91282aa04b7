"""Warn of workspaces still migrating into a Grid org long after a migration plausibly ends: Slack's
`grid_migration_finished` may have been missed (the bot down past Slack's retries), and their messages wait."""

import logging
from datetime import timedelta

from slack_sdk import WebClient

from handlers.deps import Deps
from services import workspaces

log = logging.getLogger(__name__)


def warn_of_long_migrations(deps: Deps, _client: WebClient) -> None:
    now = deps.now()
    with deps.sessions() as session:
        for workspace, waiting in workspaces.long_migrations(session, now=now):
            since = workspace.migrating_since or now
            log.warning(
                "%s has been migrating into a Grid org since %s (%d hours) and %d message(s) wait: if Slack has "
                "finished, its grid_migration_finished was missed. The first command, click or Home opened there "
                "that names the org ends the wait, as does installing the app there again",
                workspace.slack_team_id,
                f"{since:%Y-%m-%d %H:%M} UTC",
                (now - since) // timedelta(hours=1),
                waiting,
            )
