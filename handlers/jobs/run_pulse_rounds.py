"""The pulse tick: close (and seal) due rounds, end old reply relays, open the scheduled one, invite each person
at their local hour, remind once."""

from slack_sdk import WebClient
from sqlalchemy import select

from handlers.deps import Deps
from handlers.jobs.drain_outbox import drain_outbox
from handlers.pulse_invitations import queue_invitations, queue_late_notices
from models import Workspace
from services import directory
from services.pulse import closing as pulse_closing
from services.pulse import relay as pulse_relay
from services.pulse import rounds as pulse_rounds
from services.pulse import schedule as pulse_schedule


def run_pulse_rounds(deps: Deps, client: WebClient) -> None:
    """Every step for every workspace, each in its own transaction, then send. A workspace the app was uninstalled
    from still has its rounds sealed and its relays ended on time (what they hold must not wait for a purge), but
    no round opens there and nobody is invited. One purged since the tick listed it (`workspace purge` runs in
    another process) is left out from the step that finds it gone: the others still have theirs."""
    installed = set(_installed_ids(deps))
    with deps.sessions() as session:
        pulse_closing.empty_sealed_journal(session)
    for workspace_id in _every_workspace_id(deps):
        with deps.sessions.begin() as session:
            workspace = session.get(Workspace, workspace_id)
            if workspace is None:
                continue
            pulse_closing.close_due_rounds(session, workspace=workspace, now=deps.now())
            pulse_relay.end_relays(session, workspace=workspace, now=deps.now())
        if workspace_id in installed:
            _open_and_invite(deps, workspace_id)
    drain_outbox(deps, client)


def _open_and_invite(deps: Deps, workspace_id: int) -> None:
    with deps.sessions.begin() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            return
        opened = pulse_schedule.open_scheduled_round(session, workspace=workspace, now=deps.now())
        if opened is not None and pulse_rounds.opened_late(opened):
            queue_late_notices(session, workspace=workspace, pulse_round=opened, now=deps.now())
    with deps.sessions.begin() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is not None:
            queue_invitations(session, workspace=workspace, now=deps.now())


def _every_workspace_id(deps: Deps) -> list[int]:
    with deps.sessions() as session:
        return list(session.scalars(select(Workspace.id).order_by(Workspace.id)))


def _installed_ids(deps: Deps) -> list[int]:
    with deps.sessions() as session:
        return [workspace.id for workspace in directory.installed_workspaces(session)]
