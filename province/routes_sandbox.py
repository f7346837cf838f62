"""Sandbox-only operations, unsigned and never faulted: stand-ins for the hall's case system and the other
rating channels, and inspection of the service's state for tests, demos and technicians."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool

from province import openapi as doc
from province.context import Context
from province.errors import AlreadyRatedError, ApiError, UnknownWindowError
from province.identifiers import parse_time
from province.wire import ApiJSONResponse, parse_object

router = APIRouter(tags=["sandbox only"])


def _string(body: dict[str, Any], field: str, *, required: bool, max_length: int | None = None) -> str:
    value = body.get(field, None if required else "")
    if not isinstance(value, str) or (required and not value):
        raise ApiError(400, "invalid_field", f"{field} must be a non-empty string", field=field)
    if max_length is not None and len(value) > max_length:
        raise ApiError(400, "invalid_field", f"{field} is at most {max_length} characters", field=field)
    return value


def _time(body: dict[str, Any], field: str, *, required: bool) -> str:
    value = body.get(field, None if required else "")
    if value == "" and not required:
        return ""
    if not isinstance(value, str) or parse_time(value) is None:
        raise ApiError(400, "invalid_field", f"{field} must be a time YYYY-MM-DDThh:mm:ss±hh:mm", field=field)
    return value


@router.post(
    "/projects",
    status_code=201,
    summary="Report a 办件 (stands in for the hall's case system)",
    description="Sandbox only, unsigned. Stores or replaces a 办件 and its applicant; finishTime, deptCode, "
    "deptName, windowNo, staffId and staffName are optional and come back in a terminal's look-up.",
    responses=doc.errors(400),
    openapi_extra=doc.request_body(doc.ProjectReport),
)
async def report_project(request: Request, context: Context) -> ApiJSONResponse:
    """`POST /projects`."""
    body = parse_object(await request.body())
    project_no = _string(body, "projectNo", required=True, max_length=50)
    task_code = _string(body, "taskCode", required=False)
    task_name = _string(body, "taskName", required=False)
    accept_time = _time(body, "acceptTime", required=True)
    applicant = body.get("applicant", {})
    if not isinstance(applicant, dict):
        raise ApiError(400, "invalid_field", "applicant must be an object", field="applicant")
    case = {"finishTime": _time(body, "finishTime", required=False)}
    finish, accept = parse_time(case["finishTime"]), parse_time(accept_time)
    if finish is not None and accept is not None and finish < accept:
        raise ApiError(400, "invalid_field", "finishTime is before acceptTime", field="finishTime")
    for field in ("deptCode", "deptName", "windowNo", "staffId", "staffName"):
        case[field] = _string(body, field, required=False, max_length=100)
    store = context.store
    await run_in_threadpool(
        store.report_project, project_no, task_code, task_name, accept_time, applicant, case
    )
    return ApiJSONResponse({"projectNo": project_no}, status_code=201)


@router.post(
    "/projects/{projectNo}/evaluation",
    status_code=201,
    summary="Record a first rating made on another channel",
    description="Sandbox only, unsigned. Stands for a phone, the 12345 line and the like, so that `conflict` "
    "and 'rated elsewhere' can be exercised. 409 `already_rated` when the 办件 has a first rating (R1). "
    "`assessTime` is optional (now, UTC+8, when absent).",
    response_model=doc.ProjectEvaluation,
    responses=doc.errors(400, 409),
    openapi_extra=doc.request_body(doc.OtherChannelRating),
)
async def rate_elsewhere(
    project_no: Annotated[str, Path(alias="projectNo")], request: Request, context: Context
) -> ApiJSONResponse:
    """`POST /projects/{projectNo}/evaluation`."""
    body = parse_object(await request.body())
    satisfaction = body.get("satisfaction")
    if not isinstance(satisfaction, int) or isinstance(satisfaction, bool) or not 1 <= satisfaction <= 5:
        raise ApiError(400, "invalid_field", "satisfaction must be an integer 1..5", field="satisfaction")
    pf = body.get("pf")
    if not isinstance(pf, str) or pf not in {"1", "2", "3", "4", "5", "6", "7"}:
        raise ApiError(400, "invalid_field", 'pf must be a string "1".."7"', field="pf")
    eval_detail = body.get("evalDetail", [])
    catalogue = context.store.catalogue
    if not isinstance(eval_detail, list) or any(
        not isinstance(code, str) or catalogue.level_of(code) != satisfaction for code in eval_detail
    ):
        raise ApiError(
            400, "invalid_field", "evalDetail must list reason codes of the level", field="evalDetail"
        )
    assess_time = _time(body, "assessTime", required=False)
    try:
        await run_in_threadpool(
            context.store.rate_elsewhere, project_no, satisfaction, pf, eval_detail, assess_time
        )
    except AlreadyRatedError as exc:
        raise ApiError(409, "already_rated", str(exc)) from None
    rating = await run_in_threadpool(context.store.first_rating, project_no)
    assert rating is not None, "rated just now"
    return ApiJSONResponse(rating.to_json(), status_code=201)


@router.get(
    "/sandbox/stats",
    summary="Counts: devices, records per status, injected faults",
    description="Sandbox only, unsigned, never faulted.",
)
async def stats(context: Context) -> ApiJSONResponse:
    """`GET /sandbox/stats`."""
    return ApiJSONResponse(await run_in_threadpool(context.store.stats))


@router.get(
    "/sandbox/devices/{deviceId}",
    summary="A device as the province sees it: accepted records and its chain",
    description="Sandbox only, unsigned, never faulted. 404 `unknown_device`.",
    responses=doc.errors(404),
)
async def inspect_device(
    device_id: Annotated[str, Path(alias="deviceId")], context: Context
) -> ApiJSONResponse:
    """`GET /sandbox/devices/{deviceId}`."""
    store = context.store
    device = await run_in_threadpool(store.device, device_id)
    if device is None:
        raise ApiError(404, "unknown_device", "no device is enrolled with this id", field="deviceId")
    report = await run_in_threadpool(store.chain_report, device_id)
    answer = {
        "deviceId": device_id,
        "hall": device.hall_code,
        "window": device.window_no,
        "revoked": device.revoked,
        "acceptedCount": await run_in_threadpool(store.accepted_count, device_id),
        "acceptedSeq": report.accepted_seq,
        "chain": report.to_json(),
    }
    return ApiJSONResponse(answer)


@router.post(
    "/sandbox/enroll-codes",
    status_code=201,
    summary="Issue a single-use enrolment code for a window",
    description="Sandbox only, unsigned, never faulted; as `kiosk sandbox issue-code`. 404 `unknown_window`.",
    responses=doc.errors(400, 404),
    openapi_extra=doc.request_body(doc.CodeRequest),
)
async def issue_code(request: Request, context: Context) -> ApiJSONResponse:
    """`POST /sandbox/enroll-codes`."""
    body = parse_object(await request.body())
    hall, window = _string(body, "hall", required=True), _string(body, "window", required=True)
    try:
        code = await run_in_threadpool(context.store.issue_code, hall, window)
    except UnknownWindowError as exc:
        raise ApiError(404, "unknown_window", str(exc)) from None
    return ApiJSONResponse({"code": code, "hall": hall, "window": window}, status_code=201)


@router.post(
    "/sandbox/devices/{deviceId}/revoke",
    summary="Revoke a device",
    description="Sandbox only, unsigned, never faulted. Its signed requests then get 403 `device_revoked`.",
    responses=doc.errors(404),
)
async def revoke(device_id: Annotated[str, Path(alias="deviceId")], context: Context) -> ApiJSONResponse:
    """`POST /sandbox/devices/{deviceId}/revoke`."""
    if not await run_in_threadpool(context.store.revoke_device, device_id):
        raise ApiError(404, "unknown_device", "no device is enrolled with this id", field="deviceId")
    return ApiJSONResponse({"deviceId": device_id, "revoked": True})
