"""The benchmark's world: a generated org, the example policy, and a stream of signed-request bodies."""

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import Engine

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
        return ", ".join(f"{share:.0%} {maker.__name__}" for share, maker in self.makers)

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


def prepare(database_url: str, slack: FakeSlack, secret: str) -> Scenario:
    engine = make_engine(database_url)
    upgrade(engine)
    now = datetime.now(UTC)
    with make_session_factory(engine).begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=slack.team_id, now=now)
        import_org(
            session,
            workspace=workspace,
            rows=parse_org_csv(org_csv()),
            deactivate_missing=False,
            actor="benchmark",
            now=now,
        )
        load_policy(
            session,
            workspace=workspace,
            text=(ROOT / "policy.example.toml").read_text(),
            loaded_by="benchmark",
            now=now,
        )
    invitations = open_pulse_round(engine, slack)
    engine.dispose()
    driver = SlackDriver("http://unused", secret, slack)
    people = frontline_ids()

    def pulse_click() -> Request:
        user, invitation = random.choice(invitations)
        row = random.choice(answer_rows(invitation))
        return payload_body(driver.click_payload(user, invitation, random.choice(row))), FORM

    def resolve_one_liner() -> Request:
        user = random.choice(people)
        amount = random.choice([5, 12, 20, 25, 40])
        text = f"credit {amount} order {random.randint(1000, 99999)} delivery was late"
        return urlencode(driver.command_fields(user, "/resolve", text)), FORM

    def nominate_one_liner() -> Request:
        giver, receiver = random.sample(people, 2)
        text = f"<@{receiver}|agent> kept a furious customer calm and fixed the order"
        return urlencode(driver.command_fields(giver, "/nominate", text)), FORM

    return Scenario(makers=[(0.6, pulse_click), (0.25, resolve_one_liner), (0.15, nominate_one_liner)])


def benchmark_policy() -> str:
    """The example policy, with allowances large enough that a minute of load never exhausts them."""
    text = (ROOT / "policy.example.toml").read_text()
    return text.replace("nomination_allowance_per_month = 5", "nomination_allowance_per_month = 100000")


def open_pulse_round(engine: Engine, slack: FakeSlack) -> list[tuple[str, Call]]:
    """Start a round for everyone and send the invitations; returns (person, their invitation)."""
    from bot.app import create_client
    from bot.settings import Settings
    from handlers.deps import Deps
    from handlers.jobs.drain_outbox import drain_outbox
    from handlers.pulse_invitations import queue_invitations
    from services.pulse import rounds as pulse_rounds

    sessions = make_session_factory(engine)
    deps = Deps(sessions=sessions, now=lambda: datetime.now(UTC))
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=slack.team_id, now=deps.now())
        hr = directory.find_employee(session, workspace, "U0BADMIN")
        assert hr is not None
        pulse_rounds.start_round(session, workspace=workspace, by=hr, actor="benchmark", now=deps.now())
        queue_invitations(session, workspace=workspace, now=deps.now())
    settings = Settings(slack_bot_token="xoxb-fake-token", slack_signing_secret="unused", slack_api_url=slack.api_url)
    drain_outbox(deps, create_client(settings))
    return [(call.channel, call) for call in slack.calls("chat.postMessage") if answer_rows(call)]


def answer_rows(message: Call) -> list[list[str]]:
    return [
        [e["action_id"] for e in block["elements"]]
        for block in message.args.get("blocks") or []
        if block["type"] == "actions" and block["elements"][0]["action_id"].startswith("pulse_answer:")
    ]


def payload_body(payload: dict[str, object]) -> str:
    return urlencode({"payload": json.dumps(payload)})
