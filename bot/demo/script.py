"""`python -m bot demo`: a short scripted week of Latitude, played through signed requests."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.demo.stage import DEMO_FILES, Stage, stage
from bot.fakeslack import Call
from services import directory
from services.org_import import import_org, parse_org_csv
from services.policy.versions import current_policy, load_policy
from services.text import plural

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY_FILE = DEMO_FILES / "policy.example.toml"
"""A copy of the repository's policy.example.toml, installed with the package (a test keeps them equal)."""


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
        print(f"\nDEMO FAILED: {plural(len(demo.failures), 'step')} did not get the answer they should:")
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


def recognition(demo: Stage) -> None:
    demo.say("Tuesday: colleagues recognise each other for real customer stories")
    demo.command(
        "U0DBEN",
        "/nominate",
        "<@U0DCAT|cat.chen> stayed late to rebook a stranded customer's order",
        expect="You recognised Cat Chen",
    )
    demo.check(
        any(c.channel == "C0KUDOS" for c in demo.slack.calls("chat.postMessage")),
        "the shout-out is posted to the recognition channel",
    )
    demo.command(
        "U0DEVE", "/nominate", "<@U0DFIN|fin.ford> voucher_25 talked a customer out of cancelling", expect="Sol South"
    )
    demo.click("U0DMGRS", demo.last_message_to("U0DMGRS"), "reward_approve", "Approve")
    demo.check(
        any("voucher" in c.text.lower() for c in demo.slack.messages_to("U0DFIN")), "Fin hears about his voucher"
    )
    demo.check(bool(demo.slack.messages_to("U0DHR")), "HR gets the approved voucher to fulfil")


def weekly_digest(demo: Stage) -> None:
    demo.say("Next Monday: each manager gets the team's week in one message, at 09:00 their own time")
    for moment in (datetime(2026, 3, 9, 9, 0, tzinfo=UTC), datetime(2026, 3, 9, 14, 0, tzinfo=UTC)):
        demo.move_clock_to(moment)
        demo.run_job("send_weekly_digests")
    for manager, slug in (("U0DMGRN", "nora-north"), ("U0DMGRS", "sol-south")):
        digests = [c for c in demo.slack.messages_to(manager) if "Your team's week" in c.text]
        demo.check(len(digests) == 1, f"{demo.names[manager]} gets exactly one digest")
        if digests:
            text = demo.render.blocks(digests[0].args.get("blocks") or [])
            demo.check("Recognition:" in text and "Customer fixes:" in text, "the digest reads fixes and recognition")
            (demo.out / f"digest-{slug}.txt").write_text(text + "\n", encoding="utf-8")
            _save_chart(demo, digests[0], demo.out / f"digest-{slug}.png")
    demo.run_job("send_weekly_digests")
    demo.check(
        sum("Your team's week" in c.text for c in demo.slack.calls("chat.postMessage")) == 3,
        "a second run sends nobody a second digest",
    )


def _save_chart(demo: Stage, digest: Call, path: Path) -> None:
    channel = str(digest.response.get("channel", ""))
    for upload in demo.slack.files():
        if upload.channel == channel:
            file_id = upload.args["files"][0]["id"]
            [stored] = [c for c in demo.slack.calls("upload") if c.args["file_id"] == file_id]
            path.write_bytes(next(iter(stored.files.values())))
            return
    demo.check(False, f"a chart comes with the digest in {channel}")


def hr_export(demo: Stage) -> None:
    demo.say("Sunday: HR exports the month's reward history for payroll")
    demo.move_clock_to(MONDAY + timedelta(days=6))
    demo.command("U0DAMY", "/rewards", "export", expect="for HR")
    demo.command("U0DHR", "/rewards", "export 2026-03-01 2026-03-31", expect="Preparing the reward export")
    uploads = [call for call in demo.slack.calls("upload") if call.files]
    demo.check(bool(uploads), "the CSV reaches HR's DM through Slack's two-step upload")
    if uploads:
        csv_bytes = next(iter(uploads[-1].files.values()))
        (demo.out / "rewards-export.csv").write_bytes(csv_bytes)
        demo.check(b"voucher_25" in csv_bytes and b"shoutout" in csv_bytes, "the export holds both grants")


def pulse_round(demo: Stage) -> None:
    demo.say("Wednesday: HR opens a pulse round; everyone answers three questions with one click each")
    demo.move_clock_to(MONDAY + timedelta(days=2))
    demo.command("U0DHR", "/pulse", "start", expect="is open", show=False)
    invitations = {person: next(c for c in demo.slack.messages_to(person) if _answer_rows(c)) for person in demo.names}
    demo.show(invitations["U0DAMY"], f"(and the same to the other {len(invitations) - 1} people)")
    answers = [5, 4, 4, 3, 5, 4, 2, 4, 5, 3, 4, 4]
    for (person, invitation), score in zip(invitations.items(), answers, strict=True):
        for question in _answer_rows(invitation):
            low = int(question[0].rsplit(":", 1)[1])
            demo.driver.click(person, invitation, question[min(score - low, len(question) - 1)])
    demo.skip_messages(f"   ({len(answers)} people answer; each click turns its buttons into “Thanks — answered”)")
    demo.say("Saturday: the round closes; results respect the anonymity threshold")
    demo.move_clock_to(MONDAY + timedelta(days=5, hours=12))
    demo.run_job("run_pulse_rounds")
    hidden = demo.command("U0DMGRN", "/pulse", "results")
    demo.check(
        "so that answers stay anonymous" in hidden.text and "Average" not in hidden.text,
        "a team of four is below the anonymity threshold of five: nothing is shown, and the reason is",
    )
    shown = demo.command("U0DHR", "/pulse", "results org")
    demo.check(
        "12 answers" in shown.text and "Alex Admin's team (Operations): not shown" in shown.text,
        "HR sees the organisation; Alex's team is hidden, since the organisation less it would be Alex alone",
    )
    (demo.out / "pulse-results.txt").write_text(
        demo.render.blocks(shown.json.get("blocks") or [], shown.json.get("text", "")) + "\n", encoding="utf-8"
    )


def suggestion(demo: Stage) -> None:
    demo.say("Tuesday afternoon: Amy suggests a fix for a problem that keeps coming back")
    demo.move_clock_to(MONDAY + timedelta(days=1, hours=5))
    demo.command(
        "U0DAMY",
        "/suggest",
        "put a printed returns label in every parcel: customers call us for one every day",
        expect="Sent your suggestion",
    )
    post = demo.slack.calls("chat.postMessage", channel="C0NORTH")[-1]
    demo.click("U0DBEN", post, "suggestion_back", "Me too")
    card = demo.last_message_to("U0DMGRN")
    demo.click("U0DMGRN", card, "suggestion_planned", "Planned")
    demo.check("plans to do" in demo.last_message_to("U0DAMY").text, "Amy learns her suggestion is planned")
    demo.click("U0DMGRN", card, "suggestion_done", "Done")
    form = demo.slack.calls("views.open")[-1].args["view"]
    demo.submit("U0DMGRN", form, {"note": "Every parcel now ships with a returns label"}, "what changed")
    we_did = [c for c in demo.slack.calls("chat.postMessage", channel="C0NORTH") if "You said, we did" in c.text]
    demo.check(bool(we_did) and "Amy Ames and Ben Brook" in we_did[-1].text, "the team reads “you said, we did”")


def boundary_proposal(demo: Stage) -> None:
    demo.say("March goes on: Nora approves refund after refund just above the agents' $50 limit")
    demo.move_clock_to(datetime(2026, 3, 16, 10, 0, tzinfo=UTC))
    for number, amount in enumerate((55, 60, 60, 65, 65, 70, 70, 75, 80, 85)):
        who = ("U0DAMY", "U0DCAT", "U0DDAN")[number % 3]
        demo.driver.command(who, "/resolve", f"refund {amount} order {3100 + number} courier lost the parcel")
        demo.driver.click("U0DMGRN", demo.last_message_to("U0DMGRN"), "resolution_approve")
    demo.skip_messages("   (ten refunds of $55–$85 go to Nora, who approves each one)")
    demo.say("1 April: the monthly look at the boundaries proposes a new limit to HR")
    demo.move_clock_to(datetime(2026, 4, 1, 7, 0, tzinfo=UTC))
    demo.run_job("propose_boundaries")
    proposal = demo.last_message_to("U0DHR")
    demo.check("Boundaries that learn" in proposal.text, "HR gets the proposal with its evidence")
    demo.click("U0DHR", proposal, "boundary_proposal_apply", "Apply")
    with demo.runtime.deps.sessions() as session:
        workspace = directory.find_workspace(session, demo.slack.team_id)
        active = current_policy(session, workspace) if workspace else None
        limit = active.policy.boundaries_for("agent")["refund"].per_incident if active else None
    demo.check(active is not None and active.version.number == 2, "Apply loads policy version 2")
    demo.check(limit is not None and limit > 50, "the agents' refund limit is raised, and nothing else changed")


def _answer_rows(message: Call) -> list[list[str]]:
    return [
        [e["action_id"] for e in block["elements"]]
        for block in message.args["blocks"]
        if block["type"] == "actions" and block["elements"][0]["action_id"].startswith("pulse_answer:")
    ]


ACTS = (set_up, resolutions, recognition, suggestion, pulse_round, hr_export, weekly_digest, boundary_proposal)
