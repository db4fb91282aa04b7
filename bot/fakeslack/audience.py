"""Who Slack shows a message or a view to, and so who can click in it or submit it.

A message in a DM is seen by the two in the conversation, one in a channel by its members
(https://docs.slack.dev/reference/methods/conversations.members), an ephemeral message by the one person it was
posted for ("visible only to the assigned user": https://docs.slack.dev/reference/methods/chat.postEphemeral);
a Home tab by the person it was published for ("a specific user": https://docs.slack.dev/reference/methods/views.publish)
and a modal by the person whose act gave the trigger_id that opened it. Anyone else can only forge the request: a
test playing an attacker who signs a payload by hand says so (`forged=True`), every other click is one Slack sends.
"""

from bot.fakeslack.message_clicks import ClickedMessage
from bot.fakeslack.state import Call, SlackState, dm_users
from bot.fakeslack.views import ShownView


class NotShown(AssertionError):
    """A click or a submission by someone Slack never shows the message or view to: Slack cannot send it."""


def check_sees_message(state: SlackState, user: str, message: Call, clicked: ClickedMessage) -> None:
    """Raise `NotShown` unless `user` sees the message (see the module's docstring)."""
    readers = _readers(state, message, clicked)
    if readers is not None and user not in readers:
        where = "ephemeral message" if clicked.ephemeral else f"message in {clicked.channel}"
        raise NotShown(
            f"{user} cannot see the {where} (seen by {sorted(readers)}): Slack sends no such click; a test of a "
            "hand-forged payload says forged=True"
        )


def check_sees_view(user: str, shown: ShownView | None) -> None:
    """Raise `NotShown` unless the view (a Home or a modal) is `user`'s own."""
    if shown is not None and shown.owner is not None and shown.owner != user:
        kind = "Home" if shown.definition.get("type") == "home" else "modal"
        raise NotShown(
            f"{user} cannot see {shown.owner}'s {kind} {shown.view_id}: Slack sends no such click or submission; a "
            "test of a hand-forged payload says forged=True"
        )


def _readers(state: SlackState, message: Call, clicked: ClickedMessage) -> frozenset[str] | None:
    """Who sees the message; None when it is everyone of the workspace, or not known."""
    reader = state.reader_of(clicked.channel, clicked.ts) or (message.args.get("user") if clicked.ephemeral else None)
    if reader or clicked.ephemeral:  # an ephemeral message, as posted or as a response URL replaced it since
        return frozenset({str(reader)}) if reader else None
    people = dm_users(clicked.channel)
    if people:
        return frozenset(people)
    channel = state.channels.find(clicked.channel)
    return channel.members if channel is not None else None
