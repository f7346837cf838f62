"""The contract's operations (uplink-api.md): enrolment, batches, config, heartbeat, 办件 status."""

from __future__ import annotations

import base64
import logging
from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from province import openapi as doc
from province.context import Context, Signed
from province.device_config import etag, etag_matches
from province.errors import ApiError, DeviceIdTakenError, EnrollCodeInvalidError
from province.heartbeat import heartbeat_problem
from province.identifiers import is_device_id
from province.lookup import LookupFieldError, TooManyLookupsError, parse_lookup
from province.wire import ApiJSONResponse, parse_object

MAX_BATCH_RECORDS = 500
log = logging.getLogger(__name__)
router = APIRouter(tags=["uplink"])


@router.post(
    "/devices/enroll",
    status_code=201,
    summary="Enrol a device with a single-use code",
    description="Unsigned. Spends an enrolment code on a deviceId and returns the device's secret. The same "
    "code with the same deviceId again gets the same answer. 403 `enroll_code_invalid` for a used or unknown "
    "code; 409 `device_id_taken` for a deviceId enrolled at another window.",
    response_model=doc.EnrollAnswer,
    responses=doc.errors(400, 403, 409, 413),
    openapi_extra=doc.request_body(doc.EnrollRequest),
)
async def enroll(request: Request, context: Context) -> ApiJSONResponse:
    """`POST /devices/enroll`."""
    body = parse_object(await request.body())
    code, device_id = body.get("enrollCode"), body.get("deviceId")
    app_version, hardware = body.get("appVersion", ""), body.get("hardware", {})
    if not isinstance(code, str) or not code.strip():
        raise ApiError(400, "invalid_field", "enrollCode must be a non-empty string", field="enrollCode")
    if not isinstance(device_id, str) or not is_device_id(device_id):
        raise ApiError(400, "invalid_field", "deviceId must be 1-64 of [A-Za-z0-9-]", field="deviceId")
    if not isinstance(app_version, str):
        raise ApiError(400, "invalid_field", "appVersion must be a string", field="appVersion")
    if not isinstance(hardware, dict):
        raise ApiError(400, "invalid_field", "hardware must be an object", field="hardware")
    store = context.store
    try:
        secret = await run_in_threadpool(store.enroll, code, device_id, app_version, hardware)
    except EnrollCodeInvalidError as exc:
        raise ApiError(403, "enroll_code_invalid", str(exc), field="enrollCode") from None
    except DeviceIdTakenError as exc:
        raise ApiError(409, "device_id_taken", str(exc), field="deviceId") from None
    device = await run_in_threadpool(store.device, device_id)
    assert device is not None, "enrolled just now"
    config = await run_in_threadpool(context.config_for, device, context.own_url(request))
    log.info("enrolled device %s at %s/%s", device_id, device.hall_code, device.window_no)
    answer = {
        "deviceId": device_id,
        "deviceSecret": base64.b64encode(secret).decode("ascii"),
        "configVersion": config["configVersion"],
    }
    return ApiJSONResponse(answer, status_code=201)


@router.post(
    "/evaluations:batch",
    summary="Send ratings",
    description="Signed. 1-500 records in seq order; one result per record, in order: `accepted`, "
    "`duplicate` (same evaluationId and hash already stored), `conflict` (the 办件 already has a first "
    "rating), or `rejected` with `invalid_field` (+ field), `time_order` or `evaluation_id_reused`. A "
    "record sent again gets its first answer again (`duplicate` for an accepted one). 413 "
    "`body_too_large` over 1 MiB and 413 `batch_too_large` over 500 records: the device halves the batch. "
    "An empty batch gets no results.",
    response_model=doc.BatchAnswer,
    responses=doc.signed_errors(400, 413),
    openapi_extra=doc.signed(doc.BatchRequest),
)
async def send_batch(admitted: Signed, context: Context) -> ApiJSONResponse:
    """`POST /evaluations:batch`."""
    body = parse_object(admitted.body)
    records = body.get("evaluations")
    if not isinstance(records, list):
        raise ApiError(400, "invalid_field", "evaluations must be an array", field="evaluations")
    if len(records) > MAX_BATCH_RECORDS:
        message = f"a batch holds at most {MAX_BATCH_RECORDS} records; this one has {len(records)}"
        raise ApiError(413, "batch_too_large", message, field="evaluations")
    device_id = admitted.device.device_id
    outcomes = await run_in_threadpool(context.store.ingest, device_id, records)
    statuses = [outcome.status for outcome in outcomes]
    summary = ", ".join(f"{statuses.count(status)} {status}" for status in sorted(set(statuses)))
    log.info("batch from %s: %d records (%s)", device_id, len(records), summary or "empty")
    return ApiJSONResponse({"results": [outcome.to_json() for outcome in outcomes]})


@router.get(
    "/devices/{deviceId}/config",
    summary="The device's configuration",
    description="Signed, by the device itself. The ETag is the configVersion; If-None-Match with it gets 304 "
    "and no body. 403 `device_mismatch` when another device asks.",
    response_model=doc.DeviceConfig,
    responses={304: {"description": "unchanged since the ETag given"}, **doc.signed_errors()},
    openapi_extra=doc.signed(),
)
async def device_config(
    device_id: Annotated[str, Path(alias="deviceId")], request: Request, admitted: Signed, context: Context
) -> Response:
    """`GET /devices/{deviceId}/config`."""
    device = admitted.own_device(device_id)
    answer = await run_in_threadpool(context.config_for, device, context.own_url(request))
    headers = {"ETag": etag(answer["configVersion"]), "Cache-Control": "no-cache"}
    if etag_matches(request.headers.get("if-none-match"), answer["configVersion"]):
        return Response(status_code=304, headers=headers)
    return ApiJSONResponse(answer, headers=headers)


@router.post(
    "/devices/{deviceId}/heartbeat",
    summary="Heartbeat",
    description="Signed, by the device itself. Answers the server's time and acceptedSeq: the highest seq "
    "up to which the service holds the device's chain without a gap (0 when none).",
    response_model=doc.HeartbeatAnswer,
    responses=doc.signed_errors(400),
    openapi_extra=doc.signed(doc.Heartbeat),
)
async def heartbeat(
    device_id: Annotated[str, Path(alias="deviceId")], admitted: Signed, context: Context
) -> ApiJSONResponse:
    """`POST /devices/{deviceId}/heartbeat`."""
    device = admitted.own_device(device_id)
    body = parse_object(admitted.body)
    problem = heartbeat_problem(body)
    if problem is not None:
        field, message = problem
        raise ApiError(400, "invalid_field", message, field=field)
    store = context.store
    await run_in_threadpool(store.record_heartbeat, device.device_id, body)
    accepted_seq = await run_in_threadpool(store.accepted_seq, device.device_id)
    return ApiJSONResponse({"serverTime": int(store.clock()), "acceptedSeq": accepted_seq})


@router.get(
    "/projects/{projectNo}/evaluation",
    summary="Whether a 办件 has a first rating",
    description="Signed. `{rated: false}`, or `{rated: true, satisfaction, pf, assessTime}` from a device's "
    "accepted record or from another channel.",
    response_model=doc.ProjectEvaluation,
    responses=doc.signed_errors(),
    openapi_extra=doc.signed(),
)
async def project_rating(
    project_no: Annotated[str, Path(alias="projectNo")], admitted: Signed, context: Context
) -> ApiJSONResponse:
    """`GET /projects/{projectNo}/evaluation`."""
    rating = await run_in_threadpool(context.store.first_rating, project_no)
    return ApiJSONResponse(rating.to_json() if rating else {"rated": False})


@router.post(
    "/devices/{deviceId}/lookup",
    summary="Find a citizen's cases (self-service terminals)",
    description="Signed, by the device itself. `{by: cert, certType, certNo}` (an ID card) or `{by: project, "
    "projectNo, check}` (a receipt's barcode or a typed 办件编号; check is the last 4 characters of the "
    "applicant's certNo or the last 4 digits of their mobile). At most 20 cases accepted in the last 30 days, "
    "newest acceptTime first, each `rateable` (finished, or accepted, within the hall's defaultAfterDays and "
    "not yet rated anywhere), `rated` or `expired`; only a rateable case carries `applicant`, the others "
    "`applicantName` masked. A wrong check answers exactly as an unknown projectNo: no cases. 422 "
    "`invalid_field` (field named) for a malformed body; 429 `too_many_lookups` with Retry-After once 10 "
    "look-ups from the device found nothing within a minute.",
    response_model=doc.LookupAnswer,
    responses={**doc.signed_errors(422), 429: {"model": doc.ErrorAnswer, "description": "too_many_lookups"}},
    openapi_extra=doc.signed(doc.LookupRequest),
)
async def lookup_cases(
    device_id: Annotated[str, Path(alias="deviceId")], admitted: Signed, context: Context
) -> ApiJSONResponse:
    """`POST /devices/{deviceId}/lookup`."""
    device = admitted.own_device(device_id)
    try:
        request = parse_lookup(parse_object(admitted.body), context.store.catalogue)
    except ApiError as exc:  # not JSON, or not an object
        raise ApiError(422, "invalid_field", exc.message, field="body") from None
    except LookupFieldError as exc:
        raise ApiError(422, "invalid_field", str(exc), field=exc.field) from None
    try:
        cases = await run_in_threadpool(context.store.lookup, device.device_id, request)
    except TooManyLookupsError as exc:
        raise ApiError(
            429, "too_many_lookups", str(exc), headers={"Retry-After": str(exc.retry_after_s)}
        ) from None
    # The answer holds applicants: the log says how many cases, never whose.
    log.info("look-up by %s from %s: %d cases", request.by, device.device_id, len(cases))
    return ApiJSONResponse({"cases": cases})
