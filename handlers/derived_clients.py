"""A Slack client made from another with a workspace's own token: it reaches Slack as the other does (its kind, so
its kept connections, its address, timeout, TLS context and proxy) and nothing more. Not its `team_id` nor its
headers, which can name a workspace: Bolt's client for a request carries that request's, and with an org-wide token
`team_id` picks where a call acts."""

from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler


def with_token(
    client: WebClient,
    token: str | None,
    retry_handlers: list[RetryHandler] | None = None,
    *,
    timeout: int | None = None,
) -> WebClient:
    """`client`'s retries and timeout unless others are given."""
    return type(client)(
        token=token,
        base_url=client.base_url,
        timeout=client.timeout if timeout is None else timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        retry_handlers=client.retry_handlers if retry_handlers is None else retry_handlers,
    )
