"""The published OpenAPI document: models of every body, the signing headers, and the error shape.

The routes parse their bodies themselves (a signature covers the raw bytes, and the spec's answers are not
FastAPI's 422s), so request bodies are described here and linked into the document by name.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field, RootModel
from pydantic.alias_generators import to_camel
from pydantic.json_schema import models_json_schema

# The uplink's one time format: whole seconds and an explicit offset.
TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


class WireModel(BaseModel):
    """A body of the uplink: camelCase on the wire, no members beyond those listed."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class ErrorDetail(WireModel):
    code: str = Field(description="e.g. bad_signature, device_revoked, clock_skew, replay, invalid_field")
    message: str
    field: str | None = Field(None, description="the field or header at fault, where there is one")


class ErrorAnswer(WireModel):
    """Every error answer: `{"error": {"code", "message", "field"?}}`."""

    error: ErrorDetail


class ClockSkewAnswer(ErrorAnswer):
    """`clock_skew`: the error and the server's time, to correct the device's offset."""

    server_time: int = Field(description="unix seconds")


class EnrollRequest(WireModel):
    enroll_code: str = Field(description="single-use code issued for one window, e.g. K7Q2-9XDM")
    device_id: str = Field(pattern=r"^[A-Za-z0-9-]{1,64}$")
    app_version: str = ""
    hardware: dict[str, Any] = Field(default_factory=dict)


class EnrollAnswer(WireModel):
    device_id: str
    device_secret: str = Field(description="base64 of the 32-byte key that signs requests and QR tokens")
    config_version: str


class EvaluationRecord(WireModel):
    """One rating; every field is present ("" for an unknown string, except where the spec says not)."""

    evaluation_id: str = Field(description="UUID made on the device; the idempotency key")
    device_id: str
    seq: int = Field(ge=1, description="the device's own gapless sequence over all its records")
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="hash of record seq−1; 64 zeros for seq 1")
    hash: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the canonical JSON without `hash` (sorted keys, separators , and :, UTF-8)",
    )
    project_no: str = Field(min_length=1, max_length=50, description="办件编号")
    task_code: str = Field(description="事项编码")
    task_name: str = Field(description="事项名称")
    dept_code: str = Field(description="部门: 18-character unified social credit code")
    dept_name: str
    area_code: str = Field(description="行政区划: 6 or 9 digits")
    window_no: str
    staff_id: str
    staff_name: str
    pf: Literal["1", "2", "3", "4", "5", "6", "7"] = Field(description="channel (rules.md)")
    satisfaction: int = Field(ge=1, le=5, description="5 = 非常满意")
    eval_detail: list[str] = Field(description="reason codes of the satisfaction's level; may be empty")
    writing_evaluation: str = Field(max_length=150)
    accept_time: str = Field(pattern=TIME, description="YYYY-MM-DDThh:mm:ss±hh:mm")
    assess_time: str = Field(pattern=TIME, description="YYYY-MM-DDThh:mm:ss±hh:mm, not before acceptTime")
    assess_number: Literal[1] = Field(description="1: a first rating")
    default_evaluation: bool = Field(description="the 7-day default (R6)")
    user_name: str = Field(min_length=1)
    user_prop: Literal["1", "2"] = Field(description="1 个人, 2 法人")
    cert_type: str = Field(min_length=1, description="a code of config.certTypes")
    cert_no: str = Field(min_length=1)
    mobile: str = Field(description="may be empty")
    extra_presses: int = Field(ge=0, description="presses in the session that did not count (R8)")


class BatchRequest(WireModel):
    evaluations: list[EvaluationRecord] = Field(max_length=500, description="1-500 records in seq order")


class RecordError(WireModel):
    code: Literal["invalid_field", "time_order", "evaluation_id_reused"]
    field: str | None = None
    message: str


class RecordResult(WireModel):
    evaluation_id: str | None = Field(description="null only when the record had no usable evaluationId")
    status: Literal["accepted", "duplicate", "conflict", "rejected"]
    error: RecordError | None = Field(None, description="present when rejected")


class BatchAnswer(WireModel):
    results: list[RecordResult] = Field(description="one per record, in order")


class HallInfo(WireModel):
    code: str
    name: str
    area_code: str


class WindowInfo(WireModel):
    no: str
    dept_code: str
    dept_name: str


class StaffInfo(WireModel):
    staff_id: str
    name: str
    title: str
    photo: str | None = Field(None, description="base64 PNG, when the hall has a photo")


class ReasonInfo(WireModel):
    code: str
    text: str


class ReasonCatalogue(WireModel):
    version: str
    levels: dict[str, list[ReasonInfo]] = Field(description='current codes per level "5" … "1"')


class CertTypeInfo(WireModel):
    code: str
    name: str


class PadSettings(WireModel):
    rate_timeout_s: int
    default_after_days: int
    qr_url_template: str
    heartbeat_s: int


class NoticeInfo(WireModel):
    """A public notice (政务公开) the idle screens show from `from` to `until`."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    id: str
    title: str
    body: str
    image: str | None = Field(None, description="base64 PNG, optional")
    from_: str = Field(alias="from", pattern=DATE, description="the first day, YYYY-MM-DD")
    until: str = Field(pattern=DATE, description="the last day, YYYY-MM-DD")


class DeviceConfig(WireModel):
    config_version: str
    hall: HallInfo
    window: WindowInfo
    staff: list[StaffInfo]
    reasons: ReasonCatalogue
    cert_types: list[CertTypeInfo]
    settings: PadSettings
    notices: list[NoticeInfo] = Field(description="the hall's notices, in order; empty: none")


class EvaluatorState(WireModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    protocol: str
    port: str
    state: str
    firmware: str


class Heartbeat(WireModel):
    at: str = Field(pattern=TIME, description="YYYY-MM-DDThh:mm:ss±hh:mm")
    app_version: str
    uptime_s: int = Field(ge=0)
    queue_depth: int = Field(ge=0)
    dead_letters: int = Field(ge=0)
    last_seq: int = Field(ge=0)
    last_hash: str = Field(pattern=r"^([0-9a-f]{64})?$")
    evaluator: EvaluatorState


class HeartbeatAnswer(WireModel):
    server_time: int = Field(description="unix seconds")
    accepted_seq: int = Field(description="highest seq held without a gap; 0 when none")


class ProjectEvaluation(WireModel):
    rated: bool
    satisfaction: int | None = None
    pf: str | None = None
    assess_time: str | None = None


class ProjectReport(WireModel):
    project_no: str = Field(min_length=1, max_length=50)
    task_code: str = ""
    task_name: str = ""
    accept_time: str = Field(pattern=TIME, description="YYYY-MM-DDThh:mm:ss±hh:mm")
    finish_time: str = Field("", pattern=f"(^$)|({TIME})", description="not before acceptTime; optional")
    dept_code: str = Field("", max_length=100)
    dept_name: str = Field("", max_length=100)
    window_no: str = Field("", max_length=100)
    staff_id: str = Field("", max_length=100)
    staff_name: str = Field("", max_length=100)
    applicant: dict[str, Any] = Field(
        default_factory=dict, description="name (or userName), userProp, certType, certNo, mobile"
    )


class LookupByCert(WireModel):
    """From an ID card laid on the terminal."""

    by: Literal["cert"]
    cert_type: str = Field(description='a code of config.certTypes; "111" from an ID card')
    cert_no: str = Field(min_length=1, max_length=50, description="checked with its check character for 111")


class LookupByProject(WireModel):
    """From a receipt's barcode or a typed 办件编号."""

    by: Literal["project"]
    project_no: str = Field(pattern=r"^[A-Za-z0-9_-]{1,50}$")
    check: str = Field(
        pattern=r"^[0-9A-Za-z]{4}$",
        description="the last 4 characters of the applicant's certNo or the last 4 digits of their mobile",
    )


class LookupRequest(RootModel[Annotated[LookupByCert | LookupByProject, Field(discriminator="by")]]):
    """A look-up by certificate or by projectNo and check."""


class CaseApplicant(WireModel):
    """The applicant as a rating record needs it (rules.md R2); on rateable cases only."""

    name: str
    user_prop: str
    cert_type: str
    cert_no: str
    mobile: str


class FoundCase(WireModel):
    project_no: str
    task_code: str
    task_name: str
    dept_code: str
    dept_name: str
    accept_time: str
    finish_time: str = Field(description='"" when the case system gave none')
    window_no: str
    staff_id: str
    staff_name: str
    state: Literal["rateable", "rated", "expired"] = Field(
        description="rateable: finished (or accepted) within the 7-day window and not yet rated anywhere"
    )
    applicant: CaseApplicant | None = Field(None, description="rateable cases only")
    applicant_name: str | None = Field(None, description="the others: the name masked (陈*明)")


class LookupAnswer(WireModel):
    cases: list[FoundCase] = Field(description="at most 20, newest acceptTime first, from the last 30 days")


class OtherChannelRating(WireModel):
    satisfaction: int = Field(ge=1, le=5)
    pf: Literal["1", "2", "3", "4", "5", "6", "7"]
    eval_detail: list[str] = Field(default_factory=list)
    assess_time: str | None = Field(
        None, pattern=TIME, description="when it was made; now when absent (sandbox extension)"
    )


class CodeRequest(WireModel):
    hall: str
    window: str


# Bodies the routes read themselves: added to the document's components under these names.
REQUEST_MODELS: tuple[type[BaseModel], ...] = (
    EnrollRequest,
    BatchRequest,
    Heartbeat,
    ProjectReport,
    OtherChannelRating,
    CodeRequest,
    LookupRequest,
)

SIGNING_HEADERS = [
    {"name": "X-HCP-Device", "in": "header", "required": True, "schema": {"type": "string"}},
    {"name": "X-HCP-Timestamp", "in": "header", "required": True, "schema": {"type": "string"}},
    {"name": "X-HCP-Nonce", "in": "header", "required": True, "schema": {"type": "string"}},
    {
        "name": "X-HCP-Signature",
        "in": "header",
        "required": True,
        "description": "hex HMAC-SHA256(key, METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nhex(SHA-256(body)))",
        "schema": {"type": "string"},
    },
]


def request_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` describing a JSON request body by its model's name."""
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def signed(body: type[BaseModel] | None = None) -> dict[str, Any]:
    """`openapi_extra` for a signed operation: the signing headers and its body, if any."""
    extra: dict[str, Any] = {"parameters": list(SIGNING_HEADERS)}
    return extra | request_body(body) if body is not None else extra


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses` entries for error answers, all of the one error shape."""
    return {status: {"model": ErrorAnswer, "description": "an error answer"} for status in statuses}


def signed_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error answers of the signature checks, and any others of the operation."""
    answers = errors(403, *statuses)
    answers[401] = {
        "model": ErrorAnswer | ClockSkewAnswer,
        "description": "bad_signature, clock_skew (with serverTime), replay",
    }
    return answers


class SandboxAPI(FastAPI):
    """FastAPI whose OpenAPI document also describes the request bodies the routes parse themselves."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            document = get_openapi(
                title=self.title, version=self.version, description=self.description, routes=self.routes
            )
            _, definitions = models_json_schema(
                [(model, "validation") for model in REQUEST_MODELS],
                ref_template="#/components/schemas/{model}",
            )
            components = document.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in definitions.get("$defs", {}).items():
                components.setdefault(name, schema)
            self.openapi_schema = document
        return self.openapi_schema
