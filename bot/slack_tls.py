"""One TLS context for every call the process makes to Slack.

slack_sdk's clients take an `ssl` context and, given none, leave it to urllib, which builds a new default context
for every connection: it reads and parses the system's whole certificate bundle each time, about 22 ms of CPU per
call to Slack on the development machine, several times what the rest of a request costs. Every client we build
shares this one; Bolt hands its app client's to the clients it builds per request and to `respond`, and the
clients handlers/ derive from another (a workspace's own token, a webhook) take the one they derive from.
"""

import ssl
from functools import cache


@cache
def slack_tls() -> ssl.SSLContext:
    """Made on first use (a command that never calls Slack never reads the bundle); safe to share across threads."""
    return ssl.create_default_context()
