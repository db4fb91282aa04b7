"""`python -m bot demo`: a short scripted week of Latitude, played through signed requests."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.demo.stage import DEMO_FILES, Stage, stage
from services import directory
from services.org_import import import_org, parse_org_csv
from services.policy import load_policy

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY_FILE = Path(__file__).resolve().parents[2] / "policy.example.toml"


def run(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with stage(out, MONDAY) as demo:
        for act in ACTS:
            act(demo)
        transcript = demo.write_transcript()
    seconds = time.monotonic() - started
    print(f"\nTranscript: {transcript}\nFiles in {out}: {', '.join(sorted(p.name for p in out.iterdir()))}")
    if demo.failures:
        print(f"\nDEMO FAILED: {len(demo.failures)} step(s) did not get the answer they should:")
        print("\n".join(f"  - {failure}" for failure in demo.failures))
        return 1
    print(f"\nDemo finished in {seconds:.1f} s: every step got the answer it should.")
    return 0


def set_up(demo: Stage) -> None:
    demo.say("HR loads the org directory (12 people, two support teams) and policy.example.toml")
    now = demo.clock.now()
    with demo.runtime.deps.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=demo.slack.team_id, now=now)
        rows = parse_org_csv((DEMO_FILES / "org.csv").read_text(encoding="utf-8"))
        import_org(session, workspace=workspace, rows=rows, deactivate_missing=False, actor="demo", now=now)
        version = load_policy(
            session, workspace=workspace, text=POLICY_FILE.read_text(encoding="utf-8"), loaded_by="demo", now=now
        )
    demo.check(version.number == 1, "the example policy loads as version 1")


def resolutions(demo: Stage) -> None:
    demo.say("Monday: frontline staff fix customers' problems on the spot")
    demo.command("U0DAMY", "/boundaries", expect="Your boundaries")
    demo.command(
        "U0DAMY", "/resolve", "refund 35 order 1001 arrived damaged outcome:happy", expect="Logged your *refund* of $35"
    )
    demo.command(
        "U0DBEN",
        "/resolve",
        "credit 60 ticket 2002 waited 40 minutes on hold outcome:happy",
        expect="Logged your *credit* of $60",
    )
    demo.command(
        "U0DEVE",
        "/resolve",
        "reschedule moved the delivery to Saturday outcome:happy",
        expect="Logged your *reschedule*",
    )

    demo.say("Over the boundary: the manager decides from a button")
    demo.command(
        "U0DCAT",
        "/resolve",
        "refund 120 order 1003 wrong item sent twice outcome:unhappy",
        expect="sent it to Nora North",
    )
    request = demo.last_message_to("U0DMGRN")
    demo.click("U0DMGRN", request, "resolution_approve", "Approve")
    demo.check("approved your refund" in demo.last_message_to("U0DCAT").text, "Cat learns her refund was approved")

    demo.command(
        "U0DDAN", "/resolve", "replacement 95 order 1004 blender arrived broken", expect="sent it to Nora North"
    )
    request = demo.last_message_to("U0DMGRN")
    demo.click("U0DMGRN", request, "resolution_decline", "Decline")
    decline_form = demo.slack.calls("views.open")[-1].args["view"]
    demo.submit(
        "U0DMGRN",
        decline_form,
        {"reason": "Broken on arrival is a carrier claim: log it with them first"},
        "why Nora declines",
    )
    demo.check("declined your replacement" in demo.last_message_to("U0DDAN").text, "Dan learns why it was declined")

    demo.say("Tuesday: the same customer calls again, and Amy sees what was already done")
    demo.move_clock_to(MONDAY + timedelta(days=1))
    demo.command(
        "U0DAMY",
        "/resolve",
        "credit 10 order 1003 still waiting for the right item",
        expect="Earlier for this customer",
    )


ACTS = (set_up, resolutions)
