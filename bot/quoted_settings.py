"""Settings whose value came wrapped in quotes: `.env` takes them off, but `docker run --env-file`, a Kubernetes
ConfigMap made from an env file and some process managers pass them on as part of the value. A quoted signing
secret would fail every request's signature (401) with nothing said at start-up, so such values are refused, by name.
"""

QUOTE_PAIRS = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}
"""Straight quotes, and the curly ones a word processor or a chat app puts in place of them."""

UNQUOTED_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_TOKEN_ROTATION",
    "SLACK_API_URL",
    "SLACK_TEAM_ID",
    "DATABASE_URL",
    "DATABASE_LOCK_TIMEOUT",
    "DATABASE_STATEMENT_TIMEOUT",
    "RECOGNITION_CHANNEL",
    "WORKSPACE_RETENTION_DAYS",
    "LISTENER_THREADS",
    "HTTP_THREADS",
    "SLACK_MESSAGES_PER_SECOND",
    "SENDER_THREADS",
    "MAX_REQUEST_BYTES",
)
"""What Slack issues or Latitude reads as a word, a number or a URL, none of which starts and ends with quotes.
RELAY_SECRET and RELAY_SECRET_PREVIOUS are left as given: a secret the operator chose may hold anything, and
reading it differently from one release to the next would end the relays it keeps open."""


def refuse_quoted(env: dict[str, str]) -> dict[str, str]:
    """`env` as it is, once no setting above is wrapped in quotes; the value itself is never shown."""
    from bot.settings import SettingsError  # here: bot.settings reads every variable through this check

    for name in UNQUOTED_SETTINGS:
        value = env.get(name, "")
        if len(value) >= 2 and QUOTE_PAIRS.get(value[0]) == value[-1]:
            raise SettingsError(
                f"{name} is wrapped in quotes ({value[0]}...{value[-1]}), which the environment passed on as part of "
                "its value: remove them where it is set (only .env takes quotes off)"
            )
    return env
