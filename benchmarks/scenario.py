"""The benchmark's world: a generated org, a policy whose allowances a run never exhausts, signed-request bodies."""

import itertools
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Engine, text

from bot.fakeslack import Call, FakeSlack, SlackDriver
from models.engine import make_engine, make_session_factory
from models.schema import upgrade
from services import directory
from services.org_import import import_org, parse_org_csv
from services.policy.versions import load_policy

ROOT = Path(__file__).resolve().parent.parent
TEAMS = 10
PEOPLE_PER_TEAM = 20
FORM = "application/x-www-form-urlencoded"
Request = tuple[str, str]


def org_csv() -> str:
    lines = ["slack_id,name,team,role,manager_slack_id,email,tz,profile", "U0BADMIN,Bench Admin,Ops,admin,,,UTC,"]
    for team in range(TEAMS):
        manager = f"U0BM{team:03d}"
        lines.append(f"{manager},Manager {team},Team {team},manager,U0BADMIN,,Europe/Paris,")
        lines += [
            f"U0BE{team:03d}{n:03d},Agent {team}-{n},Team {team},frontline,{manager},,America/Chicago,agent"
            for n in range(PEOPLE_PER_TEAM)
        ]
    return "\n".join(lines) + "\n"


def frontline_ids() -> list[str]:
    return [f"U0BE{team:03d}{n:03d}" for team in range(TEAMS) for n in range(PEOPLE_PER_TEAM)]


@dataclass
class Scenario:
    makers: list[tuple[float, Callable[[], Request]]]

    @property
    def mix(self) -> str:
        return ", ".join(f"{share:.0%} {maker.__name__}" for share, maker in self.makers if share)

    def next_request(self) -> tuple[str, str, str]:
        """(kind, body, content type) of the next request, drawn by the mix."""
        pick = random.random()
        chosen = self.makers[-1][1]
        for share, maker in self.makers:
            if pick < share:
                chosen = maker
                break
            pick -= share
        body, content_type = chosen()
        return chosen.__name__, body, content_type

    @property
    def kinds(self) -> list[str]:
        return [maker.__name__ for _, maker in self.makers]

    def request_of(self, kind: str) -> tuple[str, str, str]:
        """(kind, body, content type) of a request of this kind."""
        maker = next(maker for _, maker in self.makers if maker.__name__ == kind)
        body, content_type = maker()
        return kind, body, content_type


def prepare(
    database_url: str, slack: FakeSlack, secret: str, pending: int = 3000, policy_tree: Path = ROOT
) -> Scenario:
    """The world on a fresh database, with the benchmark policy of the source tree that will serve it."""
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:  # the database named is the benchmark's own: start from nothing
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    now = datetime.now(UTC)
    rows = parse_org_csv(org_csv())
    for row in rows:  # Slack opens no DM and publishes no Home for someone it does not know
        slack.add_user(row.slack_id, row.name, tz=row.tz or "UTC", email=row.email, team_id=slack.team_id)
    with make_session_factory(engine).begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=slack.team_id, now=now)
        import_org(
            session,
            workspace=workspace,
            rows=rows,
            deactivate_missing=False,
            actor="benchmark",
            now=now,
        )
        load_policy(session, workspace=workspace, text=benchmark_policy(policy_tree), loaded_by="benchmark", now=now)
    invitations = open_pulse_round(engine, slack)
    approval_requests = queue_approval_requests(engine, slack, pending)
    approvals = itertools.cycle(approval_requests)
    engine.dispose()
    driver = SlackDriver("http://unused", secret, slack)
    people = frontline_ids()
    events = itertools.count()

    def pulse_click() -> Request:
        user, sent = random.choice(invitations)
        invitation = as_shown_now(slack, sent)
        rows = answer_rows(invitation)  # an answered question shows Change instead, which brings its buttons back
        action = random.choice(random.choice(rows)) if rows else random.choice(change_buttons(invitation))
        return payload_body(driver.click_payload(user, invitation, action)), FORM

    def resolve_within() -> Request:
        user = random.choice(people)
        text = f"credit {random.choice([5, 12, 20, 25])} order {random.randint(1000, 99999)} delivery was late"
        return urlencode(driver.command_fields(user, "/resolve", text)), FORM

    def resolve_over() -> Request:
        user = random.choice(people)
        text = f"credit {random.choice([40, 60])} order {random.randint(1000, 99999)} delivery was very late"
        return urlencode(driver.command_fields(user, "/resolve", text)), FORM

    def approve_click() -> Request:
        """A click on a request still waiting (a server that decides them, Latitude, uses them up; the bare app
        does not): one already decided no longer shows the button, and Slack sends no click from it."""
        for manager, request in itertools.islice(approvals, len(approval_requests)):
            if still_asks(slack, request):
                return payload_body(driver.click_payload(manager, request, "resolution_approve")), FORM
        raise SystemExit(f"all {pending} approval requests were decided: prepare more (scenario.prepare's pending)")

    last_home = [people[0]]

    def app_home() -> Request:
        last_home[0] = random.choice(people)
        return app_home_again()

    def app_home_again() -> Request:
        """The last person to open the Home opens it again (from Messages, say), nothing changed in between."""
        user = last_home[0]
        event: dict[str, Any] = {"type": "app_home_opened", "user": user, "tab": "home", "event_ts": f"{time.time()}"}
        shown = slack.state.home_view(user)
        if shown is not None:  # as Slack does once a Home was published for the person
            event["view"] = shown
        return json.dumps(home_envelope(slack.team_id, event, f"EvB{next(events):09d}")), "application/json"

    def nominate_one_liner() -> Request:
        giver, receiver = random.sample(people, 2)
        text = f"<@{receiver}|agent> kept a furious customer calm and fixed the order"
        return urlencode(driver.command_fields(giver, "/nominate", text)), FORM

    return Scenario(
        makers=[
            (0.0, app_home_again),  # not in the mix: measured on its own (CPU per kind)
            (0.45, pulse_click),
            (0.15, resolve_within),
            (0.05, resolve_over),
            (0.1, nominate_one_liner),
            (0.05, approve_click),
            (0.2, app_home),
        ]
    )


RAISED_ALLOWANCES = {
    "nomination_allowance_per_month = 5": "nomination_allowance_per_month = 1000",
    "per_day = 100, per_month = 500": "per_day = 1000000, per_month = 1000000",
    "per_day = 250, per_month = 1500": "per_day = 1000000, per_month = 1000000",
    "max_per_month = 2": "max_per_month = 1000",
}
"""The allowances the mix would exhaust (nominations, a voucher, the credit `/resolve` uses), each written once."""


def benchmark_policy(tree: Path = ROOT) -> str:
    """A source tree's own example policy (one it can load), with allowances large enough that load never exhausts
    them (so the mix cannot drift); stops if the example no longer holds one of them, rather than drift unnoticed."""
    text = (tree / "policy.example.toml").read_text()
    for allowance, raised in RAISED_ALLOWANCES.items():
        if text.count(allowance) != 1:
            raise SystemExit(f"{tree / 'policy.example.toml'} no longer holds `{allowance}` once: update the benchmark")
        text = text.replace(allowance, raised)
    return text


def home_envelope(team_id: str, event: dict[str, object], event_id: str) -> dict[str, object]:
    return {
        "token": "verification-token-unused",
        "team_id": team_id,
        "api_app_id": "A0LATITUDE",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team_id, "user_id": "U0LATBOT", "is_bot": True}],
    }


def queue_approval_requests(engine: Engine, slack: FakeSlack, count: int) -> list[tuple[str, Call]]:
    """`count` fixes over the limit, their approval requests sent; returns (manager, request message)."""
    from bot.app import create_client
    from bot.settings import Settings
    from handlers.delivery import queue, send_now
    from handlers.deps import Deps
    from handlers.pacing import Pacer
    from handlers.resolutions import approval_requests
    from services.resolutions.fixes import ResolutionRequest, log_resolution

    sessions = make_session_factory(engine)
    deps = Deps(sessions=sessions, now=lambda: datetime.now(UTC), pacer=Pacer(100000.0))
    before = len(slack.calls("chat.postMessage"))
    claimed = []
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=slack.team_id, now=deps.now())
        people = [directory.find_employee(session, workspace, slack_id) for slack_id in frontline_ids()]
        for number in range(count):
            employee = people[number % len(people)]
            assert employee is not None
            request = ResolutionRequest(category="credit", amount=Decimal(60), summary="late", customer_ref=None)
            logged = log_resolution(session, employee=employee, request=request, now=deps.now())
            claimed += queue(session, workspace_id=workspace.id, messages=approval_requests(logged), now=deps.now())
    settings = Settings(slack_bot_token="xoxb-fake-token", slack_signing_secret="unused", slack_api_url=slack.api_url)
    send_now(deps, create_client(settings), claimed)
    sent = slack.calls("chat.postMessage")[before:]
    return [(call.channel, call) for call in sent if "resolution_approve" in json.dumps(call.args.get("blocks"))]


def open_pulse_round(engine: Engine, slack: FakeSlack) -> list[tuple[str, Call]]:
    """Start a round for everyone and send the invitations; returns (person, their invitation)."""
    from bot.app import create_client
    from bot.settings import Settings
    from handlers.deps import Deps
    from handlers.jobs.drain_outbox import drain_outbox
    from handlers.pacing import Pacer
    from handlers.pulse_invitations import queue_invitations
    from services.pulse import rounds as pulse_rounds

    sessions = make_session_factory(engine)
    deps = Deps(sessions=sessions, now=lambda: datetime.now(UTC), pacer=Pacer(100000.0))
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=slack.team_id, now=deps.now())
        hr = directory.find_employee(session, workspace, "U0BADMIN")
        assert hr is not None
        pulse_rounds.start_round(session, workspace=workspace, by=hr, actor="benchmark", now=deps.now())
        queue_invitations(session, workspace=workspace, now=deps.now())
    settings = Settings(slack_bot_token="xoxb-fake-token", slack_signing_secret="unused", slack_api_url=slack.api_url)
    earlier = len(slack.calls("chat.postMessage"))  # another world's invitations, on the same Slack
    drain_outbox(deps, create_client(settings))
    return [(call.channel, call) for call in slack.calls("chat.postMessage")[earlier:] if answer_rows(call)]


def still_asks(slack: FakeSlack, request: Call) -> bool:
    """The approval request still shows its Approve button."""
    return "resolution_approve" in json.dumps(as_shown_now(slack, request).args.get("blocks"))


def as_shown_now(slack: FakeSlack, message: Call) -> Call:
    """The posted message as its reader sees it now, after the app's updates."""
    shown = slack.state.find_message(message.channel, str(message.response["ts"]))
    assert shown is not None, f"the invitation {message.response['ts']} was deleted"
    return replace(message, args={**message.args, "text": shown.get("text"), "blocks": shown.get("blocks")})


def answer_rows(message: Call) -> list[list[str]]:
    return [
        [e["action_id"] for e in block["elements"]]
        for block in message.args.get("blocks") or []
        if block["type"] == "actions" and block["elements"][0]["action_id"].startswith("pulse_answer:")
    ]


def change_buttons(message: Call) -> list[str]:
    return [
        str(block["accessory"]["action_id"])
        for block in message.args.get("blocks") or []
        if str(block.get("accessory", {}).get("action_id", "")).startswith("pulse_change:")
    ]


def payload_body(payload: dict[str, object]) -> str:
    return urlencode({"payload": json.dumps(payload)})
