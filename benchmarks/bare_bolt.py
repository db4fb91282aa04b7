"""A bare Bolt app whose listeners only ack, served the same way as Latitude: the benchmark's baseline."""

import argparse
import re

from slack_bolt import Ack, App
from slack_sdk import WebClient
from waitress import serve

from bot.server import EVENTS_PATH, wsgi_app


def build(signing_secret: str, api_url: str, token: str) -> App:
    app = App(
        client=WebClient(token=token, base_url=api_url),
        signing_secret=signing_secret,
        token_verification_enabled=False,
        raise_error_for_unhandled_request=False,
    )

    def ack_only(ack: Ack) -> None:
        ack()

    for command in ("/resolve", "/nominate", "/pulse", "/boundaries"):
        app.command(command)(ack_only)
    app.action(re.compile(".*"))(ack_only)
    app.view(re.compile(".*"))(ack_only)
    app.event("app_home_opened")(ack_only)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--signing-secret", required=True)
    parser.add_argument("--api-url", required=True)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    app = build(args.signing_secret, args.api_url, args.token)
    print(f"bare Bolt app on http://127.0.0.1:{args.port}{EVENTS_PATH}", flush=True)
    serve(wsgi_app(app, lambda: True), host="127.0.0.1", port=args.port, threads=args.threads)


if __name__ == "__main__":
    main()
