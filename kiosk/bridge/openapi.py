"""The bridge's OpenAPI document, written out rather than derived, so that every field carries the
pattern counter-bridge-api.md gives it and every error has its documented shape.

Published as docs/counter-bridge-openapi.json and served at /api/v1/openapi.json.
"""

from __future__ import annotations

from typing import Any

from kiosk import __version__

ISO_WITH_OFFSET = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$"
STATES = ["awaiting", "rated", "timed_out", "cancelled", "defaulted"]
ERROR_CODES = [
    "bad_json",
    "unauthorized",
    "not_found",
    "method_not_allowed",
    "busy",
    "already_rated",
    "not_awaiting",
    "too_large",
    "invalid_field",
    "storage_unavailable",
    "pad_unresponsive",
    "origin_not_allowed",
    "address_not_allowed",
]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


ERRORS: dict[str, dict[str, Any]] = {
    "400": _error("`bad_json`: the body is not a JSON object."),
    "401": _error(
        "`unauthorized`: the bridge token is missing or wrong (checked after the client's address and the Origin)."
    ),
    "403": _error(
        "`address_not_allowed`: the client's address is not in `bridge.allow_from` (checked first); or "
        "`origin_not_allowed`: the request carries an Origin that `bridge.allowed_origins` does not list "
        "(checked second; the answer has no CORS headers, so a browser shows the page nothing)."
    ),
    "404": _error("`not_found`: no such session."),
    "405": _error("`method_not_allowed`."),
    "409": _error("A conflict with the session's state."),
    "413": _error("`too_large`: the body is over 16 KiB (checked after the token, before the JSON)."),
    "422": _error("`invalid_field`: a field fails validation; `field` names it, e.g. `applicant.certNo`."),
    "503": _error(
        "`storage_unavailable`: the ledger cannot take a write (disk full or read-only); or "
        "`pad_unresponsive`: the pad did not take the request within 10 s, and nothing was changed."
    ),
}


def _responses(ok: str, ok_body: dict[str, Any], *errors: str) -> dict[str, Any]:
    answers = {ok: ok_body}
    # Any call may find the pad unresponsive (503), whatever else it can answer.
    answers.update({code: ERRORS[code] for code in ("401", "403", "405", *errors, "503")})
    return answers


def _header(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "schema": schema or {"type": "string"}}


def _preflight(name: str, *path_parameters: dict[str, Any]) -> dict[str, Any]:
    """The CORS preflight of a path: answered without a token for a listed origin."""
    return {
        "operationId": f"preflight{name}",
        "summary": "The CORS preflight a browser sends before a page's call (no token)",
        "description": "With an Origin that `bridge.allowed_origins` lists (or `*`): 204 and the CORS headers. "
        "With another Origin: 403 `origin_not_allowed` and no CORS headers. Without an Origin it is no "
        "preflight, and is checked like any request (the token, then 405).",
        "security": [],
        "parameters": [
            *path_parameters,
            {
                "name": "Origin",
                "in": "header",
                "required": True,
                "description": "The page's origin, e.g. `http://zhsl.example.gov.cn:8080`.",
                "schema": {"type": "string"},
            },
            {
                "name": "Access-Control-Request-Method",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
            },
            {
                "name": "Access-Control-Request-Private-Network",
                "in": "header",
                "required": False,
                "description": "`true` from Chromium-based browsers before Local Network Access, for a page "
                "that calls a loopback or private address.",
                "schema": {"type": "string"},
            },
        ],
        "responses": {
            "204": {
                "description": "The origin is listed.",
                "headers": {
                    "Access-Control-Allow-Origin": _header("The Origin of the request."),
                    "Access-Control-Allow-Methods": _header("`GET, POST, DELETE`"),
                    "Access-Control-Allow-Headers": _header("`Authorization, Content-Type`"),
                    "Access-Control-Max-Age": _header("`600`"),
                    "Access-Control-Allow-Private-Network": _header(
                        "`true`, when the preflight asked with Access-Control-Request-Private-Network."
                    ),
                    "Vary": _header("`Origin`"),
                },
            },
            "401": ERRORS["401"],
            "403": ERRORS["403"],
            "405": ERRORS["405"],
        },
    }


def _schemas() -> dict[str, Any]:
    text = {"type": "string"}
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string", "enum": ERROR_CODES},
                        "field": {"type": "string", "description": "The failing field, for invalid_field."},
                        "message": {"type": "string"},
                    },
                    "additionalProperties": False,
                },
                "sessionId": {"type": "string", "description": "already_rated: the earlier session."},
                "state": {"type": "string", "enum": STATES, "description": "already_rated: its state."},
            },
            "additionalProperties": False,
        },
        "Applicant": {
            "type": "object",
            "description": "The real-name applicant (rules.md R2). Never returned by any answer.",
            "required": ["name", "userProp", "certType", "certNo"],
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 50},
                "userProp": {"type": "string", "enum": ["1", "2"], "description": "1 个人, 2 法人"},
                "certType": {
                    "type": "string",
                    "description": "From the certificate-type table (the province's; by default 111, 414, 516, "
                    "511, 001, 990). userProp 2 goes with 001 and 1 with the others.",
                },
                "certNo": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 50,
                    "description": "111: 18 characters with a valid GB 11643 check digit (a final x is taken "
                    "as X); 001: 18 characters with a valid GB 32100 check character.",
                },
                "mobile": {
                    "type": "string",
                    "pattern": r"^(1\d{10})?$",
                    "description": "Empty or 11 digits.",
                },
            },
        },
        "SessionRequest": {
            "type": "object",
            "required": ["projectNo", "acceptTime", "applicant"],
            "properties": {
                "projectNo": {
                    "type": "string",
                    "pattern": r"^[A-Za-z0-9_-]{1,50}$",
                    "description": "办件编号",
                },
                "taskCode": {**text, "description": "事项编码"},
                "taskName": {**text, "description": "事项名称"},
                "acceptTime": {
                    "type": "string",
                    "pattern": ISO_WITH_OFFSET,
                    "description": "ISO 8601 with offset, not more than 5 minutes in the future.",
                },
                "finishTime": {
                    "type": "string",
                    "pattern": ISO_WITH_OFFSET,
                    "description": "ISO 8601 with offset, not before acceptTime, not more than 5 minutes ahead.",
                },
                "staffId": {
                    "type": "string",
                    "maxLength": 50,
                    "description": "Must be in the staff roster when the pad has one; else the signed-in "
                    "staff member's session.",
                },
                "applicant": _ref("Applicant"),
                "replace": {
                    "type": "boolean",
                    "description": "End the session awaiting a rating (it becomes timed_out) or the open "
                    "reason picker (its rating is made with the reasons chosen so far).",
                },
            },
        },
        "SessionCreated": {
            "type": "object",
            "required": ["sessionId", "state", "qrUrl"],
            "properties": {
                "sessionId": {"type": "string"},
                "state": {"type": "string", "enum": ["awaiting"]},
                "qrUrl": {
                    "type": ["string", "null"],
                    "description": "null while the pad is not enrolled, and always null in the Fujian gateway "
                    "profile (the province's page reaches the pad's screen a moment later).",
                },
            },
            "additionalProperties": False,
        },
        "Session": {
            "type": "object",
            "description": "Never the level chosen, never applicant data (rules.md R7).",
            "required": ["sessionId", "projectNo", "state"],
            "properties": {
                "sessionId": {"type": "string"},
                "projectNo": {"type": "string"},
                "state": {"type": "string", "enum": STATES},
                "channel": {"type": "string", "enum": ["1", "2", "3", "4", "5", "6", "7"]},
                "ratedAt": {"type": "string", "pattern": ISO_WITH_OFFSET},
            },
            "additionalProperties": False,
        },
        "StaffSignIn": {
            "type": "object",
            "required": ["staffId"],
            "properties": {"staffId": {"type": "string", "minLength": 1, "maxLength": 50}},
        },
        "Staff": {
            "type": "object",
            "required": ["staffId"],
            "properties": {"staffId": {"type": ["string", "null"]}},
            "additionalProperties": False,
        },
        "Status": {
            "type": "object",
            "required": ["deviceId", "enrolled", "staffId", "evaluator", "uplink", "alerts"],
            "properties": {
                "deviceId": {"type": "string"},
                "enrolled": {"type": "boolean"},
                "staffId": {"type": ["string", "null"]},
                "session": {
                    "type": "object",
                    "required": ["sessionId", "state"],
                    "properties": {
                        "sessionId": {"type": "string"},
                        "state": {"type": "string", "enum": STATES},
                    },
                    "additionalProperties": False,
                },
                "evaluator": {
                    "type": "object",
                    "required": ["protocol", "port", "state"],
                    "properties": {
                        "protocol": {"type": "string"},
                        "port": {"type": "string"},
                        "state": {
                            "type": "string",
                            "enum": ["connected", "disconnected", "unresponsive", "none"],
                        },
                    },
                    "additionalProperties": False,
                },
                "uplink": {
                    "type": "object",
                    "required": ["state", "queueDepth", "deadLetters", "lastSyncAt"],
                    "properties": {
                        "state": {
                            "type": "string",
                            "enum": ["offline", "enrolling", "online", "retrying", "blocked"],
                        },
                        "queueDepth": {"type": "integer", "minimum": 0},
                        "deadLetters": {"type": "integer", "minimum": 0},
                        "lastSyncAt": {"type": ["string", "null"]},
                    },
                    "additionalProperties": False,
                },
                "alerts": {
                    "type": "array",
                    "description": "The codes of the technician alerts raised now, never their details: "
                    "`storage_unavailable`, `evaluator_disconnected`, `evaluator_unresponsive`, `uplink_refused`, "
                    "`enroll_refused`, `chain`, `clock` (the pad's own clock is over 120 s from the province's).",
                    "items": {"type": "string"},
                    "uniqueItems": True,
                },
            },
            "additionalProperties": False,
        },
    }


def openapi_document() -> dict[str, Any]:
    """The bridge's OpenAPI 3.1 document."""
    session_id = {"name": "sessionId", "in": "path", "required": True, "schema": {"type": "string"}}
    wait = {
        "name": "wait",
        "in": "query",
        "required": False,
        "description": "Long-poll: on an awaiting session, answer when its state changes or after N seconds.",
        "schema": {"type": "integer", "minimum": 0, "maximum": 60},
    }
    body = {"required": True, "content": {"application/json": {"schema": _ref("SessionRequest")}}}
    sign_in_body = {"required": True, "content": {"application/json": {"schema": _ref("StaffSignIn")}}}
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Counter bridge (the window's case system → the rating pad)",
            "version": __version__,
            "description": "counter-bridge-api.md. Checks run in this order: the client's address, the "
            "Origin, the token, the size, the JSON, the fields. Every error is {error: {code, field?, message}}. "
            "Every answer to a request whose Origin `bridge.allowed_origins` lists carries "
            "`Access-Control-Allow-Origin` (that origin) and `Vary: Origin`.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bridgeToken": []}],
        "paths": {
            "/api/v1/sessions": {
                "post": {
                    "operationId": "openSession",
                    "summary": "Ask the citizen for a rating",
                    "requestBody": body,
                    "responses": _responses(
                        "201",
                        _json(_ref("SessionCreated"), "The pad asks for a rating; the evaluator is armed."),
                        "400",
                        "409",
                        "413",
                        "422",
                        "503",
                    )
                    | {
                        "409": _error(
                            "`busy` (another session awaits, or its reason picker is open; use replace) or "
                            "`already_rated` (rule R1; with the earlier session's sessionId and state)."
                        )
                    },
                }
            },
            "/api/v1/sessions/{sessionId}": {
                "get": {
                    "operationId": "getSession",
                    "summary": "A session's state, never its level",
                    "parameters": [session_id, wait],
                    "responses": _responses("200", _json(_ref("Session"), "The session."), "404", "422"),
                },
                "delete": {
                    "operationId": "cancelSession",
                    "summary": "End an awaiting session as cancelled",
                    "parameters": [session_id],
                    "responses": _responses(
                        "200", _json(_ref("Session"), "Cancelled."), "404", "409", "413", "503"
                    )
                    | {"409": _error("`not_awaiting`: only an awaiting session can be cancelled.")},
                },
            },
            "/api/v1/staff/sign-in": {
                "post": {
                    "operationId": "signIn",
                    "summary": "A staff member signs in at the window",
                    "requestBody": sign_in_body,
                    "responses": _responses(
                        "200", _json(_ref("Staff"), "Signed in."), "400", "413", "422", "503"
                    ),
                }
            },
            "/api/v1/staff/sign-out": {
                "post": {
                    "operationId": "signOut",
                    "summary": "The staff member leaves: 暂停服务 once no session awaits",
                    "responses": _responses("200", _json(_ref("Staff"), "Signed out."), "413", "503"),
                }
            },
            "/api/v1/status": {
                "get": {
                    "operationId": "getStatus",
                    "summary": "The pad's state for the case system",
                    "responses": _responses("200", _json(_ref("Status"), "The status.")),
                }
            },
        },
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "bridgeToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Made at the pad's first start, in DIR/bridge.token; shown on the technician "
                    "console.",
                }
            },
        },
    }
    document["paths"]["/api/v1/client.js"] = {
        "get": {
            "operationId": "getClientScript",
            "summary": "The case system's script: open a session, wait for its outcome, cancel, sign in and out",
            "description": 'No token. A page loads it with `crossorigin="anonymous"`, so that its Origin is '
            "checked; a browser's plain `<script src>` from another site (no Origin, `Sec-Fetch-Mode: no-cors`) "
            "gets 403 `origin_not_allowed`.",
            "security": [],
            "responses": {
                "200": {
                    "description": "The script (dependency-free JavaScript, ES2017).",
                    "content": {"text/javascript": {"schema": {"type": "string"}}},
                },
                "403": ERRORS["403"],
                "405": ERRORS["405"],
            },
        }
    }
    preflights = {
        "/api/v1/sessions": _preflight("OpenSession"),
        "/api/v1/sessions/{sessionId}": _preflight("Session", session_id),
        "/api/v1/staff/sign-in": _preflight("SignIn"),
        "/api/v1/staff/sign-out": _preflight("SignOut"),
        "/api/v1/status": _preflight("Status"),
        "/api/v1/client.js": _preflight("ClientScript"),
    }
    for path, item in document["paths"].items():
        item["options"] = preflights[path]
    return document
