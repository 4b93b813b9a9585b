"""A local stand-in for the Stripe API: answers the calls the billing service makes and
records each request's form parameters. The real Stripe SDK is pointed at it."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qsl


class FakeStripe:
    def __init__(self):
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                params = dict(parse_qsl(body))
                fake.requests.append(("POST", self.path, params))
                reply = fake.answer(self.path, params, self.headers.get("Authorization", ""))
                data = json.dumps(reply[1]).encode()
                self.send_response(reply[0])
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str, params: dict[str, str], auth: str) -> tuple[int, dict]:
        if auth != "Bearer sk_test_cryogen":
            return 401, {"error": {"type": "invalid_request_error", "message": "bad API key"}}
        new_id = uuid.uuid4().hex[:14]
        if path == "/v1/customers":
            return 200, {"id": f"cus_{new_id}", "object": "customer"}
        if path == "/v1/checkout/sessions":
            return 200, {
                "id": f"cs_test_{new_id}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.test/c/pay/cs_test_{new_id}",
                "customer": params.get("customer"),
                "mode": params.get("mode"),
            }
        if path == "/v1/billing_portal/sessions":
            return 200, {
                "id": f"bps_{new_id}",
                "object": "billing_portal.session",
                "url": f"https://billing.stripe.test/p/session/{new_id}",
            }
        return 404, {"error": {"type": "invalid_request_error", "message": f"no route {path}"}}

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
