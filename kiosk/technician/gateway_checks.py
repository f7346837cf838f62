"""The doctor's checks of the Fujian gateway profile (province-fujian.md), for `kiosk doctor` and the
console's gateway page: the app (masked), the TLS handshake, the token call, the clock its timestamps need,
a render of the Case template, and the hall file.

The token call is the one call that needs nothing but the app: it shows at once whether the gateway is
reachable, takes this app's key and code, and agrees with the pad's time (its timestamp must be within
300 s of the gateway's). Nothing here sends a rating, and the app_code is never shown or logged.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import requests

from kiosk.config import Config
from kiosk.domain.clock import CHINA_TIME
from kiosk.store.app_secret import AppSecret, masked
from kiosk.store.errors import LedgerError
from kiosk.sync.fujian.case_xml import CaseFormat, CaseTemplate, TemplateError
from kiosk.sync.fujian.token import TokenAnswerError, parse_token_answer, token_url
from kiosk.sync.hall_file import HallFileError, read_hall_file
from kiosk.sync.transport import Transport
from kiosk.technician.checks import Check, Status, check_clock
from kiosk.technician.probes import answer_offset, describe_request_error
from kiosk.technician.tls import check_tls, probe_tls

# The worked record of uplink-api.md (made-up people only): what the template check renders.
SAMPLE_RECORD = {
    "evaluationId": "0b6f1f5e-8f3a-4d2c-9a51-2f7c3e9d1a40", "deviceId": "FJ-350102-0001", "seq": 1,
    "prevHash": "0" * 64, "hash": "0" * 64, "projectNo": "35010220261127000123",
    "taskCode": "1135000000359143343350111002000", "taskName": "个体工商户设立登记",
    "deptCode": "11350102003622411H", "deptName": "鼓楼区市场监督管理局", "areaCode": "350102",
    "windowNo": "A07", "staffId": "S1024", "staffName": "林晓", "pf": "5", "satisfaction": 5,
    "evalDetail": ["510", "517"], "writingEvaluation": "", "acceptTime": "2026-11-27T09:12:00+08:00",
    "assessTime": "2026-11-27T09:31:05+08:00", "assessNumber": 1, "defaultEvaluation": False,
    "userName": "陈明", "userProp": "1", "certType": "111", "certNo": "350102199001011238",
    "mobile": "13800138000", "extraPresses": 0,
}  # fmt: skip
SAMPLE_FINISH_TIME = "2026-11-27T09:30:40+08:00"


@dataclass(frozen=True)
class GatewayApp:
    """The app as the checks see it: its key, its code (never shown), and where the code is kept."""

    app_key: str
    app_code: str
    where: str

    def __repr__(self) -> str:
        return f"GatewayApp(app_key={self.app_key!r}, where={self.where!r})"


def gateway_app(config: Config, data_dir: Path, *, read_secrets: bool = True) -> GatewayApp:
    """The app's key and code: the code from DIR/secrets/ (or kiosk.toml, before the pad's first start
    moved it)."""
    fujian = config.uplink.fujian
    if fujian.app_code:
        return GatewayApp(
            fujian.app_key, fujian.app_code, "kiosk.toml (the next start moves it into secrets/)"
        )
    if not read_secrets:
        return GatewayApp(fujian.app_key, "", "secrets/ (not read: run the doctor as the pad's user)")
    try:
        code = AppSecret(data_dir).read()
    except LedgerError as exc:
        return GatewayApp(fujian.app_key, "", f"secrets/, unreadable: {exc}")
    return GatewayApp(fujian.app_key, code, "secrets/")


def gateway_checks(
    config: Config,
    data_dir: Path,
    app: GatewayApp,
    *,
    kept_offset_s: float | None = None,
    now: Callable[[], float] = time.time,
) -> list[Check]:
    """Every check of the profile, in the order a technician mends things.

    Args:
        config: the configuration.
        data_dir: the data directory (relative paths are in it).
        app: the app's key and code.
        kept_offset_s: the offset to the province's time the pad last learned (its token timestamps use it).
        now: the pad's own clock, Unix seconds.
    """
    up = config.uplink
    fujian = up.fujian
    transport = Transport.in_data_dir(
        data_dir, ca_file=up.ca_file, client_cert=up.client_cert, client_key=up.client_key, proxy=up.proxy
    )
    checks = [check_app(app)]
    if not fujian.gateway:
        checks.append(
            Check(
                "gateway",
                Status.WARN,
                "uplink.fujian.gateway is empty: the pad is offline by configuration; ratings stay on the device",
                "set uplink.fujian.gateway to the address issued with the app key",
            )
        )
    else:
        checks.append(
            check_tls(probe_tls(fujian.gateway, transport, up.timeout_s), fujian.gateway, _utc(now))
        )
        if app.app_key and app.app_code:
            checks += check_token(fujian.gateway, app, transport, up.timeout_s, kept_offset_s or 0.0, now)
    checks.append(check_template(data_dir, fujian.template, fujian.network, fujian.region_code))
    checks.append(check_hall_file(data_dir / fujian.hall_file))
    return checks


def check_app(app: GatewayApp) -> Check:
    if not app.app_key or not app.app_code:
        missing = " and ".join(
            name for name, value in (("app_key", app.app_key), ("app_code", app.app_code)) if not value
        )
        return Check(
            "gateway app",
            Status.WARN,
            f"no {missing}: ratings wait on the device ({app.where})",
            "enter the app key and code the province issued for this window (console: gateway page, or "
            "[uplink.fujian] in kiosk.toml), then restart the pad",
        )
    return Check(
        "gateway app", Status.OK, f"app_key {app.app_key}, app_code {masked(app.app_code)} in {app.where}"
    )


def check_token(
    gateway: str,
    app: GatewayApp,
    transport: Transport,
    timeout_s: float,
    kept_offset_s: float,
    now: Callable[[], float],
) -> list[Check]:
    """The token call, timestamped as the pad's would be (its clock and the offset it kept); when the
    gateway finds the time wrong, once more at the gateway's time from its Date header, as the pad does."""
    with transport.session() as session:
        options = transport.options(gateway)
        try:
            status, code, answer, offset = _token_call(
                session, options, gateway, app, timeout_s, now, kept_offset_s
            )
            clock = check_clock(offset, exact=False) if offset is not None else None
            if code == "timestamp_expired" and offset is not None:
                status, code, answer, _ = _token_call(session, options, gateway, app, timeout_s, now, offset)
        except requests.RequestException as exc:
            return [
                Check(
                    "gateway token",
                    Status.FAIL,
                    f"{gateway}: not reachable ({describe_request_error(exc, timeout_s)})",
                    "check the network, uplink.fujian.gateway and the firewall; ratings wait on the device",
                )
            ]
    token = _token_check(gateway, status, code, answer)
    return [token] + ([clock] if clock is not None else [])


def _token_call(
    session: requests.Session,
    options: dict[str, object],
    gateway: str,
    app: GatewayApp,
    timeout_s: float,
    now: Callable[[], float],
    offset_s: float,
) -> tuple[int, str, bytes, float | None]:
    sent = now()
    url = token_url(gateway, app.app_key, app.app_code, int((sent + offset_s) * 1000))
    response = session.get(url, timeout=timeout_s, **options)  # type: ignore[arg-type]
    offset, _ = answer_offset(response, {}, (sent + now()) / 2)
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    code = str(error.get("code", "")) if isinstance(error, dict) else ""
    return response.status_code, code, response.content, offset


def _token_check(gateway: str, status: int, code: str, answer: bytes) -> Check:
    if status == 200:
        try:
            token = parse_token_answer(answer, time.time())
        except TokenAnswerError as exc:
            return Check("gateway token", Status.FAIL, f"{gateway}: {exc}", "tell the province's support")
        lasts = token.expires_at - time.time()
        return Check(
            "gateway token", Status.OK, f"{gateway}: a token for this app, for {lasts / 60:.0f} minutes"
        )
    if code == "invalid_sign":
        return Check(
            "gateway token",
            Status.FAIL,
            f"{gateway}: the gateway refuses this app_key and app_code (invalid_sign)",
            "enter the app key and code the province issued for this window again (console: gateway page)",
        )
    if code == "timestamp_expired":
        return Check(
            "gateway token",
            Status.FAIL,
            f"{gateway}: the gateway finds the token call's time wrong even at its own time",
            "check the pad's clock and the hall's time source; tell the province's support if it lasts",
        )
    return Check(
        "gateway token",
        Status.FAIL,
        f"{gateway}: the token call answered HTTP {status}" + (f" {code}" if code else ""),
        "check uplink.fujian.gateway: it is the gateway's base address, e.g. http://HOST:71/api-gateway/gateway",
    )


def check_template(data_dir: Path, template: str, network: str, region_code: str) -> Check:
    """The Case template renders the worked record to a well-formed Case."""
    path = data_dir / template if template else None
    try:
        loaded = CaseTemplate.load(path)
    except TemplateError as exc:
        return Check(
            "Case template", Status.FAIL, str(exc), "correct the template file (uplink.fujian.template)"
        )
    case = CaseFormat(loaded, network, region_code).rating(SAMPLE_RECORD, SAMPLE_FINISH_TIME)
    size = len(case.encode("utf-8"))
    return Check(
        "Case template",
        Status.OK,
        f"{loaded.source}: the worked record renders to a Case of {size} bytes, {len(loaded.placeholders)} placeholders",
    )


def check_hall_file(path: Path) -> Check:
    try:
        hall = read_hall_file(path)
    except HallFileError as exc:
        return Check(
            "hall file",
            Status.FAIL,
            f"{path}: {exc}",
            "correct it, or import a corrected one (console: gateway page)",
        )
    if hall is None:
        return Check(
            "hall file",
            Status.WARN,
            f"no {path}: the shipped reasons, no staff roster, no notices",
            "import the hall's file from a USB stick (console: gateway page)",
        )
    placement = hall.placement
    found = (
        f"{path}: {placement.hall_name or placement.hall_code or 'no hall'}, window {placement.window_no or '-'}, "
        f"{len(placement.staff)} staff, {len(hall.notices)} notices"
    )
    return Check("hall file", Status.OK, found)


def _utc(now: Callable[[], float]) -> datetime:
    return datetime.fromtimestamp(now(), CHINA_TIME)
