"""A local stand-in for Slack: a fake Web API server and a driver that sends signed requests.

Used by the tests and by `python -m bot demo`; it never talks to the real Slack. `server.FakeSlack`
is the facade; `state` holds what it knows and saw, `methods` the Web API methods it answers (one
function each), `transport` the HTTP (or HTTPS) side, `driver` plays Slack towards the bot
(`signed_requests` signs and posts).
"""

from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.idle import TrackedExecutor
from bot.fakeslack.reply import Reply
from bot.fakeslack.server import Call, FakeSlack

__all__ = ["Call", "FakeSlack", "Reply", "SlackDriver", "TrackedExecutor"]
