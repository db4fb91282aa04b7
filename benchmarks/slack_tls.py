"""Benchmark: the CPU of one call to Slack over HTTPS, with slack_sdk's default (no TLS context given), with the
process's one shared context (bot/slack_tls.py), and with that context over a connection kept open across calls
(bot/slack_pool.py).

Run by hand: `.venv/bin/python benchmarks/slack_tls.py [--calls 200]`.
One call alone, apart from a request's other work (benchmarks/ack_latency.py --slack-tls measures requests with the
fake Slack over HTTPS). This one serves `chat.postMessage` over HTTPS on 127.0.0.1 from a child process, with a
certificate made for the run, trusted by adding it to a copy of the system's certificate bundle (`SSL_CERT_FILE`,
bot/fakeslack/certificate.py): a default context reads the same bundle Slack's would be checked against, plus one
certificate. The server keeps a connection open unless the client asks it to close (urllib always does), as Slack
does. It reports the calling thread's CPU per call (the server's is not counted) and its wall time, best of three
rounds of `--calls` calls each, for each way in turn.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this tree's bot/, wherever the venv points

from bot.fakeslack.certificate import make_certificate, trusting

SERVER = """
import http.server, json, ssl, sys
class Answer(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # the body, written after the headers, is not held for their ACK (a kept connection)
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"ok": True, "channel": "D1", "ts": "1.000001"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def per_call(client: object, calls: int) -> tuple[float, float]:
    cpu, wall = time.thread_time(), time.perf_counter()
    for _ in range(calls):
        client.chat_postMessage(channel="D1", text="Thanks for the refund, Sam")  # type: ignore[attr-defined]
    return (time.thread_time() - cpu) / calls * 1000, (time.perf_counter() - wall) / calls * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200)
    calls = parser.parse_args().calls
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        certificate = make_certificate(folder)
        os.environ["SSL_CERT_FILE"] = str(trusting(folder, certificate))
        serve = [sys.executable, "-c", SERVER, str(certificate.cert), str(certificate.key)]
        server = subprocess.Popen(serve, stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            url = f"https://localhost:{server.stdout.readline().strip()}/api/"
            from slack_sdk import WebClient

            from bot.slack_pool import PooledWebClient
            from bot.slack_tls import slack_tls

            ways = {
                "slack_sdk's default (a context per call)": WebClient(token="xoxb-bench", base_url=url),
                "one shared context (bot/slack_tls.py)": WebClient(token="xoxb-bench", base_url=url, ssl=slack_tls()),
                "shared context, connection kept open (bot/slack_pool.py)": PooledWebClient(
                    token="xoxb-bench", base_url=url, ssl=slack_tls()
                ),
            }
            best: dict[str, tuple[float, float]] = {}
            for _ in range(3):
                for name, client in ways.items():
                    cpu, wall = per_call(client, calls)
                    best[name] = min(best.get(name, (cpu, wall)), (cpu, wall))
            print(f"chat.postMessage over HTTPS on 127.0.0.1, {calls} calls a round, best of 3 rounds:")
            for name, (cpu, wall) in best.items():
                print(f"  {name}: {cpu:.2f} ms CPU per call, {wall:.2f} ms wall")
        finally:
            server.terminate()


if __name__ == "__main__":
    main()
