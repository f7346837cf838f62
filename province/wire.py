"""JSON on the wire: strict parsing of request bodies and the service's JSON answers."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse

from province.errors import ApiError


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_object(body: bytes) -> dict[str, Any]:
    """A request body that must be one JSON object (UTF-8, no NaN or Infinity).

    Raises:
        ApiError: 400 `invalid_json` when the body is not a JSON object.
    """
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "invalid_json", "the body is not UTF-8 JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, "invalid_json", "the body must be a JSON object")
    return value


class ApiJSONResponse(JSONResponse):
    """JSON written as UTF-8 (Chinese readable), ASCII-escaped only if text cannot be UTF-8 (a lone surrogate
    repeated from a malformed request)."""

    def render(self, content: Any) -> bytes:
        try:
            return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(
                "utf-8"
            )
        except UnicodeEncodeError:
            return json.dumps(content, allow_nan=False, separators=(",", ":")).encode("ascii")


def error_response(error: ApiError) -> ApiJSONResponse:
    """The HTTP answer of an error: its status, `{"error": …}` body and headers."""
    return ApiJSONResponse(error.body(), status_code=error.status, headers=error.headers)
