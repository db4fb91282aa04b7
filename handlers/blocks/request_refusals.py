"""The DMs telling that a decision request never reached its decider: to the requester, and to HR and admins; and the
command's reply saying so when no DM can."""

from typing import Any

from handlers.blocks.kit import notice, text_block
from services.text import escape_mrkdwn

CAUSES = {
    "cannot_dm_bot": "{decider} is a bot user, and Slack lets no app message a bot",
    "messages_tab_disabled": "Latitude's Messages tab is turned off in its Slack app settings, so Slack delivers none "
    "of its DMs",
}
HR_TOLD = "HR and admins have been told."
HR_NOT_TOLD = f"HR and admins could not be told: {CAUSES['messages_tab_disabled']}."
REMEDIES = {
    "cannot_dm_bot": "{decider}, who decides it, is a bot user: name a person in their place in the org file and "
    "import it again",
}


def cause(error: str, decider: str) -> str:
    return CAUSES.get(error, "Slack does not let Latitude message {decider}").format(decider=f"<@{decider}>")


def mentions(people: list[str]) -> str:
    named = [f"<@{person}>" for person in people]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + f" and {named[-1]}"


def requester_dm(requester: str, what: str, decider: str, error: str, others: list[str]) -> dict[str, Any]:
    """The requester learns whether their request waits on anybody who has seen it, and that HR knows."""
    waits = f"It went to {mentions(others)} too, who can decide it" if others else "It is still waiting for a decision"
    text = (
        f":warning: Your {escape_mrkdwn(what)} could not reach <@{decider}>: {cause(error, decider)}. "
        f"{waits}; HR and admins have been told, to fix who decides it."
    )
    return {"channel": requester, "text": f"Your {what} could not reach its decider", "blocks": [text_block(text)]}


def unknown_decider_dm(
    requester: str, what: str, decider: str, others: list[str], *, hr_told: bool = True
) -> dict[str, Any]:
    """The requester learns that whoever decides their request cannot be reached in Slack yet (the org file gives
    them an id Slack does not have), that HR know, what becomes of the request and what they can do; nothing of the
    id itself, nor of anyone else. The decider is named, not mentioned: Slack could not show whom their id names."""
    who = escape_mrkdwn(decider)
    if others:
        waits = f"It went to {mentions(others)} too, who can decide it."
    else:
        waits = (
            f"It stays recorded and waiting: once HR correct {who}'s Slack id in the org file and import it again, it "
            f"goes to {who}; if it waits too long before then, it goes one level up, as any request does."
        )
    text = (
        f":warning: Your {escape_mrkdwn(what)} waits on {who}, but Latitude cannot reach {who} in Slack yet: the org "
        f"file gives them a Slack id this workspace does not have. {HR_TOLD if hr_told else HR_NOT_TOLD} {waits} "
        "You can ask HR to correct the org file."
    )
    return {"channel": requester, "text": f"Your {what} cannot reach {decider} yet", "blocks": [text_block(text)]}


def hr_notice(person: str, requester: str, what: str, decider: str, error: str, others: list[str]) -> dict[str, Any]:
    """What HR and admins must fix for the request to be decided."""
    remedy = REMEDIES.get(error, "check that Latitude may message {decider} in Slack")
    asked = f"it went to {mentions(others)} too, who can decide it" if others else "nobody has been asked to decide it"
    text = (
        f":warning: Slack refused to deliver <@{requester}>'s {escape_mrkdwn(what)} to <@{decider}> "
        f"(`{escape_mrkdwn(error)}`: {cause(error, decider)}), so {asked}. To fix it: "
        + remedy.format(decider=f"<@{decider}>")
        + "."
    )
    return notice(person, "A request could not reach its decider", text, "You are told once for each such request.")


def summary_notice(person: str, decider: str, count: int, error: str) -> dict[str, Any]:
    """A hand-over summary never reached its new decider: what HR and admins must fix for those requests."""
    remedy = REMEDIES.get(error, "check that Latitude may message {decider} in Slack")
    text = (
        f":warning: Slack refused to deliver to <@{decider}> the summary of the {count} requests and nominations just "
        f"handed over to them (`{escape_mrkdwn(error)}`: {cause(error, decider)}), so nobody has seen them; their "
        "requesters were told of the hand-over. To fix it: " + remedy.format(decider=f"<@{decider}>") + "."
    )
    return notice(person, "Requests handed over could not reach their decider", text, "You are told once for each.")


def tab_off_reply(deciders: list[str]) -> str:
    """No DM arrives while the Messages tab is off: the command's reply is where the requester hears it."""
    return (
        f":warning: Slack did not deliver your request to {mentions(deciders)}: "
        f"{CAUSES['messages_tab_disabled']}. It is recorded and waits for a decision, which they can make from "
        "Latitude's Home tab; ask a Slack admin to turn the Messages tab on under *App Home* in the app's settings."
    )


def digest_notice(person: str, manager: str, error: str) -> dict[str, Any]:
    """A manager's weekly digest never reached them: it is not sent again until the org file is imported again."""
    text = (
        f":warning: Slack refused to deliver <@{manager}>'s weekly digest (`{escape_mrkdwn(error)}`: "
        f"{cause(error, manager)}), so Latitude no longer sends it until the org file is imported again. To fix it: "
        f"name a person as that team's manager in the org file and import it again."
    )
    return notice(person, "A manager's weekly digest could not reach them", text, "You are told once for each manager.")
