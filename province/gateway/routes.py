"""The gateway's routes: `get-token` and the three SOAP operations.

Order of checks for an operation: the envelope (a SOAP Fault, HTTP 500, when the body is no SOAP call), the
token (HTTP 400 with `x-error-code: access_token_invalid` when it is missing, unknown or expired), the
operation's name against the address, then the arguments and the Case (code 400 naming the element).
"""

from __future__ import annotations

import logging
import secrets
import threading
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from province.context import Context
from province.device_config import qr_url_template
from province.errors import AlreadyRatedError, ApiError
from province.gateway import cases, soap
from province.gateway.apps import REFRESH_LIFETIME_S, TOKEN_LIFETIME_S, GatewayApp
from province.gateway.codec import gateway_time, parse_gateway_time
from province.gateway.qr import QR_VALIDITY_S, qr_token, qr_url
from province.gateway.sign import token_sign_matches
from province.wire import ApiJSONResponse

SERVICE_PATH = "96hyvzxl/wailian/webservice"
SAVE, DETAIL, URL = "getSaveEvaluation", "getEvaluationDetail", "getSaveEvaluationUrl"
MAX_SKEW_S = 300
ERROR_CODE_HEADER = "x-error-code"

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)


@dataclass
class GatewayState:
    """The double's own state beside the store: the `token_expiry` fault's count of calls.

    Args:
        token_expiry: every N-th call that presents a valid token finds it expired; 0 never.
    """

    token_expiry: int = 0
    _calls: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def expire_this_call(self) -> bool:
        """Counts a call with a valid token; True when this one is to find its token expired."""
        if self.token_expiry <= 0:
            return False
        with self._lock:
            self._calls += 1
            return self._calls % self.token_expiry == 0


def gateway_state(request: Request) -> GatewayState:
    state = getattr(request.app.state, "gateway", None)
    return state if isinstance(state, GatewayState) else GatewayState()


@router.get("/get-token")
async def get_token(request: Request, context: Context) -> ApiJSONResponse:
    """`GET get-token?app_key&timestamp&sign`: a token valid two hours (expires_in in seconds)."""
    params = request.query_params
    app_key, timestamp, sign = params.get("app_key", ""), params.get("timestamp", ""), params.get("sign", "")
    for name, value in (("app_key", app_key), ("timestamp", timestamp), ("sign", sign)):
        if not value:
            raise ApiError(400, "invalid_field", f"{name} is missing", field=name)
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) == 13):
        raise ApiError(
            400, "invalid_field", "timestamp must be 13 digits of Unix milliseconds", field="timestamp"
        )
    store = context.store
    app = await run_in_threadpool(store.gateway_app, app_key)
    # An unknown app_key gets the same answer as a wrong sign: the gateway does not say which keys exist.
    if app is None or not token_sign_matches(app.app_code, timestamp, sign):
        raise ApiError(401, "invalid_sign", "the sign does not match app_key and timestamp", field="sign")
    now = store.clock()
    if abs(now - int(timestamp) / 1000) > MAX_SKEW_S:
        raise ApiError(
            401,
            "timestamp_expired",
            f"timestamp is more than {MAX_SKEW_S} s from the gateway's time",
            field="timestamp",
            extra={"serverTime": int(now * 1000)},
        )
    token = await run_in_threadpool(store.issue_gateway_token, app.app_key)
    # There is no refresh call in the profile; the field is there because the real gateway sends it.
    refresh = secrets.token_urlsafe(24)
    log.info("gateway token for app %s (%s/%s)", app.app_key, app.hall_code, app.window_no)
    return ApiJSONResponse(
        {
            "access_token": token,
            "expires_in": TOKEN_LIFETIME_S,
            "refresh_token": refresh,
            "re_expires_in": REFRESH_LIFETIME_S,
        }
    )


def _xml(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code=status, media_type=soap.CONTENT_TYPE, headers=headers)


def _token_rejected() -> Response:
    body = soap.fault_envelope("Client", "access_token_invalid: the token is missing, unknown or expired")
    return _xml(body, 400, {ERROR_CODE_HEADER: "access_token_invalid"})


def _answer(operation: str, code: str, message: str, data: dict[str, str] | None = None) -> Response:
    return _xml(soap.answer_envelope(operation, cases.case_answer(code, message, data)))


@router.post(f"/{SERVICE_PATH}/{{operation}}")
async def call_operation(operation: str, request: Request, context: Context) -> Response:  # noqa: PLR0911 - one answer per way a SOAP call can be wrong
    """`POST {service_path}/{operation}?wsdl`: one SOAP call."""
    if operation not in {SAVE, DETAIL, URL}:
        return _xml(soap.fault_envelope("Client", f"no operation {operation!r} here"), 404)
    try:
        call = soap.read_call(await request.body())
    except soap.EnvelopeError as exc:
        return _xml(soap.fault_envelope("Client", str(exc)), 500)
    store = context.store
    app = await run_in_threadpool(store.gateway_token_app, call.token) if call.token else None
    if app is None:
        return _token_rejected()
    if gateway_state(request).expire_this_call():
        assert call.token is not None
        await run_in_threadpool(store.expire_gateway_token, call.token)
        await run_in_threadpool(store.count_fault, "token_expiry")
        return _token_rejected()
    if call.operation != operation:
        message = f"the Body calls {call.operation!r} at the address of {operation!r}"
        return _xml(soap.fault_envelope("Client", message), 500)
    try:
        if not call.app_key:
            raise cases.CaseProblem("appKey", "缺少必填元素 appKey")
        if call.app_key != app.app_key:
            raise cases.CaseProblem("appKey", "appKey 与令牌所属的应用不符")
        if not call.xml_str:
            raise cases.CaseProblem("xmlStr", "缺少必填元素 xmlStr")
        if operation == SAVE:
            return await _save(call.xml_str, app, context)
        if operation == DETAIL:
            return await _detail(call.xml_str, app, context)
        return await _url(call.xml_str, app, request, context)
    except cases.CaseProblem as problem:
        return _answer(operation, cases.BAD_REQUEST, problem.message)


async def _save(xml_str: str, app: GatewayApp, context: Context) -> Response:
    fields = cases.read_case(xml_str, app.app_code, cases.RATING_REQUIRED)
    store = context.store
    rating = cases.check_rating(fields, store.catalogue)
    report = cases.case_report(fields)
    try:
        unid = await run_in_threadpool(store.take_gateway_rating, app.app_key, report, rating)
    except AlreadyRatedError:
        return _answer(SAVE, cases.ALREADY_RATED, cases.ALREADY_RATED_MESSAGE)
    log.info("gateway rating from app %s: level %d, pf %s", app.app_key, rating.satisfaction, fields["pf"])
    return _answer(SAVE, cases.OK, "评价成功", {"evaluateUnid": unid})


async def _detail(xml_str: str, app: GatewayApp, context: Context) -> Response:
    project_no = cases.read_case(xml_str, app.app_code, cases.DETAIL_REQUIRED)["projectNo"]
    store = context.store
    rating = await run_in_threadpool(store.first_rating, project_no)
    if rating is None:
        return _answer(DETAIL, cases.NOT_FOUND, "该办件尚未评价")
    data = {
        "projectNo": project_no,
        "pf": rating.pf,
        "alternate": str(rating.satisfaction),
        "assessTime": gateway_time(rating.assess_time),
    }
    taken = await run_in_threadpool(store.gateway_rating, project_no)
    if taken is not None:
        data["evaluateUnid"] = taken.evaluate_unid
    return _answer(DETAIL, cases.OK, "查询成功", data)


async def _url(xml_str: str, app: GatewayApp, request: Request, context: Context) -> Response:
    fields = cases.read_case(xml_str, app.app_code, cases.URL_REQUIRED)
    report = cases.case_report(fields)
    store = context.store
    if await run_in_threadpool(store.first_rating, report.project_no) is not None:
        return _answer(URL, cases.ALREADY_RATED, cases.ALREADY_RATED_MESSAGE)
    await run_in_threadpool(store.report_project_if_new, report)
    device = await run_in_threadpool(store.device, app.app_key)
    settings = await run_in_threadpool(store.settings, app.hall_code)
    assert device is not None, "an app is enrolled as its window's device when issued"
    start = parse_gateway_time(fields.get("resultDate", "")) or parse_gateway_time(fields["acceptDate"])
    assert start is not None, "case_report checked acceptDate"
    token = qr_token(device.secret, report.project_no, int(start.timestamp()) + QR_VALIDITY_S)
    template = settings.get("qrUrlTemplate") or qr_url_template(context.own_url(request))
    return _answer(
        URL, cases.OK, "获取成功", {"url": qr_url(template, app.app_key, report.project_no, token)}
    )
