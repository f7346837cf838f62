"""A gateway that answers as a test says, on loopback: the corners the double never produces by itself (a
code-400 message quoting an applicant, a token endpoint that is down, an answer lost at a chosen call), and a
record of every call it saw, so that a test can tell what the pad sent and in which order.

It speaks the gateway's wire format with the sandbox's own codec (province.gateway), decrypting each Case
with the app's code, and stores what it accepts, so that getEvaluationDetail answers as the real one would.
"""

from __future__ import annotations

import http.server
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from province.gateway.cases import case_answer
from province.gateway.codec import decrypt_xml_str, parse_xml
from province.gateway.soap import answer_envelope, read_call

APP_KEY = "scripted-app-key"
APP_CODE = "scripted-app-code"


@dataclass
class Answer:
    """A canned answer to one operation call.

    Attributes:
        code: the Case's code ("" for none: see status).
        message: the Case's message.
        status: the HTTP status (a 500 has no Case).
        drop: store the rating (for getSaveEvaluation), then break the connection mid-answer.
    """

    code: str = "200"
    message: str = ""
    status: int = 200
    drop: bool = False


@dataclass
class Script:
    """What the scripted gateway does and saw.

    Attributes:
        token_down: how many token calls to answer 503 before answering again.
        answers: canned answers per operation, used in order (then the gateway answers as the double).
        calls: every operation call seen, as (operation, projectNo).
        token_calls: how many token calls it saw.
        stored: the projectNos it holds a rating for, with their evaluateUnid.
    """

    token_down: int = 0
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    token_calls: int = 0
    stored: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def operations(self, name: str) -> list[str]:
        """The projectNos of the calls to one operation, in order."""
        with self.lock:
            return [project for operation, project in self.calls if operation == name]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    script: Script

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        script = self.script
        with script.lock:
            script.token_calls += 1
            down = script.token_down > 0
            script.token_down -= 1 if down else 0
        if down or not urlsplit(self.path).path.endswith("/get-token"):
            self._send(503, b"", "text/plain")
            return
        body = json.dumps({"access_token": uuid.uuid4().hex, "expires_in": 7200}).encode()
        self._send(200, body, "application/json")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        call = read_call(body)
        case = parse_xml(decrypt_xml_str(call.xml_str or "", APP_CODE))
        project_no = next((e.text or "" for e in case if e.tag == "projectNo"), "")
        script = self.script
        with script.lock:
            script.calls.append((call.operation, project_no))
            queued = script.answers.get(call.operation) or []
            answer = queued.pop(0) if queued else None
        if answer is not None and answer.status != 200:
            self._send(answer.status, b"", "text/plain")
            return
        if call.operation == "getEvaluationDetail":
            unid = script.stored.get(project_no)
            code, message, data = (
                ("200", "查询成功", {"evaluateUnid": unid}) if unid else ("500", "未评价", {})
            )
        elif call.operation == "getSaveEvaluation":
            code, message, data = self._save(project_no, answer)
        else:
            code, message, data = "200", "获取成功", {"url": f"https://gateway.example/m/{project_no}"}
        if answer is not None and answer.code != "200":
            code, message, data = answer.code, answer.message, {}
        reply = answer_envelope(call.operation, case_answer(code, message, data))
        if answer is not None and answer.drop:
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(reply) + 1024))
            self.end_headers()
            self.wfile.write(reply[: len(reply) // 2])
            self.close_connection = True
            return
        self._send(200, reply, "text/xml; charset=utf-8")

    def _save(self, project_no: str, answer: Answer | None) -> tuple[str, str, dict[str, str]]:
        if answer is not None and answer.code != "200":
            return answer.code, answer.message, {}
        with self.script.lock:
            if project_no in self.script.stored:
                return "409", "该办件已评价", {}
            unid = uuid.uuid4().hex
            self.script.stored[project_no] = unid
        return "200", "评价成功", {"evaluateUnid": unid}

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(script: Script) -> Iterator[str]:
    """Serves the script on a free loopback port; yields the gateway's base URL."""
    handler = type("Handler", (_Handler,), {"script": script})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="scripted-gateway", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api-gateway/gateway"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
