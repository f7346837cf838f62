"""The sandbox's pages for people: the phone side of a QR rating, and the overview of what the province holds.

- `GET /m/evaluate?d&p&t` and `POST /m/evaluate` (uplink-api.md "The sandbox's phone page"): the page a
  phone opens from a pad's QR code, and the form it posts. A rating made here is the province's own first
  rating of the 办件 (pf "3"); the pad learns it at its next heartbeat (`GET /projects/{p}/evaluation`).
- `GET /` (uplink-api.md "The sandbox's overview page"): devices, the last ratings, counts, the cases rated
  by phone; it refreshes itself every 5 s.

Server-rendered from province/templates with Jinja2 (autoescaped), each page whole in one answer: its CSS,
its faces (inline SVG) and its few lines of script are inline, and the Content-Security-Policy lets the
browser load nothing else. A page shows an applicant only as a masked name (R3), and a refusal not even
that. The pages stay out of the OpenAPI document, which describes the uplink's JSON.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import jinja2
from fastapi import APIRouter, Request
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse

from province.catalogue import LEVEL_LABELS, LEVELS, Catalogue
from province.context import Context
from province.errors import AlreadyRatedError
from province.faults import API_PREFIX
from province.masking import mask_name
from province.overview import PHONE_PF
from province.page_texts import CHANNELS, TEXTS
from province.projects import Project
from province.qr import TokenVerdict, check_token, token_expires
from province.store import SandboxStore

router = APIRouter(include_in_schema=False)

TEMPLATES = Path(__file__).resolve().parent / "templates"
_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined
)
templates = Jinja2Templates(env=_environment)

MAX_WRITING = 150  # writingEvaluation, uplink "Evaluation record"
MAX_FORM_FIELDS = 100
REFRESH_S = 5
CST_OFFSET_S = 8 * 3600  # China Standard Time, whatever zone the machine is set to (rules.md R13)

# Colour supports each level's face and label, never replaces them (the pad's colours).
LEVEL_COLOURS = {5: "#1b7f3b", 4: "#4c9a2a", 3: "#b7791f", 2: "#c05621", 1: "#b91c1c"}
# How much the face's mouth curves: a broad smile at 5, a straight line at 3, a frown at 1 (as the pad draws).
_MOUTH_CURVE = {5: 0.55, 4: 0.3, 3: 0.0, 2: -0.3, 1: -0.55}

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; img-src data:;"
    " form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

# Refusals of the phone page and their statuses (uplink-api.md "The sandbox's phone page"); their texts are
# `<kind>_title` and `<kind>_body` in page_texts.TEXTS.
REFUSALS = {"forged": 403, "expired": 410, "unknown": 404, "rated": 409}


def page_language(accept_language: str | None) -> str:
    """`en` when the browser's Accept-Language prefers English to Chinese, else `zh` (the default).

    Preference is by q-value, then by order in the header. A language not listed counts as not wanted;
    `*` stands for any language not named.

    Args:
        accept_language: the header's value, or None.
    """
    best: dict[str, tuple[float, int]] = {}
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if not 0.0 < quality <= 1.0:  # q=0 is "not acceptable"; nan and out-of-range values count as none
            continue
        rank = (quality, -position)
        if primary in ("zh", "en", "*") and rank > best.get(primary, (0.0, 0)):
            best[primary] = rank
    wildcard = best.get("*")
    zh = best.get("zh", wildcard or (0.0, 0))
    en = best.get("en", wildcard or (0.0, 0))
    return "en" if en > zh else "zh"


def cst(unix_seconds: float, with_seconds: bool = True) -> str:
    """A server time as China Standard Time, `2026-11-27 09:31:05`."""
    pattern = "%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M"
    return time.strftime(pattern, time.gmtime(unix_seconds + CST_OFFSET_S))


_environment.filters["cst"] = cst


@dataclass(frozen=True)
class Face:
    """A level's face as inline SVG geometry in a 100×100 box: the mouth's end height and its control point."""

    colour: str
    mouth_y: float
    control_y: float


def face(satisfaction: int) -> Face:
    """The face of a level, as the pad draws it (kiosk/ui/faces.py)."""
    curve = _MOUTH_CURVE[satisfaction]
    mouth_y = 66 - curve * 10
    return Face(LEVEL_COLOURS[satisfaction], round(mouth_y, 1), round(mouth_y + curve * 30, 1))


@dataclass(frozen=True)
class LevelChoice:
    """One level as the phone page offers it: its label, face and current reasons."""

    satisfaction: int
    label: str
    face: Face
    needs_reason: bool
    reasons: tuple[tuple[str, str], ...]  # (code, text)


def level_choices(catalogue: Catalogue, language: str) -> list[LevelChoice]:
    """The five levels, 5 first as on the pad, each with the catalogue's current reasons."""
    choices = []
    for key in LEVELS:
        level = LEVEL_LABELS[int(key)]
        reasons = tuple(
            (reason.code, reason.en if language == "en" and reason.en else reason.text)
            for reason in catalogue.current[key]
        )
        label = level.en if language == "en" else level.zh
        choices.append(
            LevelChoice(level.satisfaction, label, face(level.satisfaction), level.needs_reason, reasons)
        )
    return choices


@dataclass(frozen=True)
class Admitted:
    """A phone page opened for a rateable 办件 with a valid token."""

    device_id: str
    project: Project
    token: str
    expires: int
    dept_name: str


@dataclass
class RatingForm:
    """What the phone page's form holds: as posted, or empty for a fresh page."""

    satisfaction: int | None = None
    eval_detail: list[str] = field(default_factory=list)
    writing: str = ""
    error_field: str | None = None
    error_key: str = ""


def admit(store: SandboxStore, device_id: str, project_no: str, token: str) -> Admitted | str:
    """Checks a phone page's three parameters, in order: the token is the device's (else `forged`), it has
    not expired (`expired`), the 办件 is known (`unknown`), and not yet rated (`rated`).

    A token is checked before the 办件 is looked up, so that a made-up URL never tells whether a number
    exists. A revoked device's tokens are refused as forged: its key may be in other hands.

    Returns:
        The admitted case, or the refusal's name (a key of REFUSALS).
    """
    device = store.device(device_id) if device_id else None
    if device is None or device.revoked:
        return "forged"
    verdict = check_token(device.secret, project_no, token, store.clock())
    if verdict is TokenVerdict.FORGED:
        return "forged"
    if verdict is TokenVerdict.EXPIRED:
        return "expired"
    project = store.project(project_no)
    if project is None:
        return "unknown"
    if store.first_rating(project_no) is not None:
        return "rated"
    place = store.window(device.hall_code, device.window_no)
    expires = token_expires(token)
    assert expires is not None, "a valid token is well formed"
    return Admitted(device_id, project, token, expires, place.dept_name if place else "")


def read_form(body: bytes, query: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The posted form's single values (the query string's d, p, t where the body has none) and its
    repeated evalDetail, from an `application/x-www-form-urlencoded` body.

    A body that is not a form at all reads as an empty one: the checks that follow refuse it by name.
    """
    try:
        pairs = parse_qsl(
            body.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS
        )
    except ValueError:
        pairs = []
    values: dict[str, str] = {key: query[key] for key in ("d", "p", "t") if key in query}
    codes: list[str] = []
    for key, value in pairs:
        if key == "evalDetail":
            codes.append(value)
        else:
            values[key] = value
    return values, codes


def validate(values: dict[str, str], codes: list[str], catalogue: Catalogue) -> RatingForm:
    """The posted rating, with the first field at fault named (`error_field`), or none.

    Reason codes must be current codes of the chosen level (retired ones are never offered); levels 1 and 2
    need at least one (R4). The free text is at most 150 characters, a line break counting as one.
    """
    raw_level = values.get("satisfaction", "")
    satisfaction = int(raw_level) if raw_level in ("1", "2", "3", "4", "5") else None
    writing = values.get("writingEvaluation", "").replace("\r\n", "\n").strip()
    unique = list(dict.fromkeys(codes))
    form = RatingForm(satisfaction, unique, writing)
    if satisfaction is None:
        form.error_field, form.error_key = "satisfaction", "error_satisfaction"
        return form
    offered = {reason.code for reason in catalogue.current[str(satisfaction)]}
    if any(code not in offered for code in unique):
        # Shown again with only the chosen level's reasons ticked, so that a second submit can succeed.
        form.eval_detail = [code for code in unique if code in offered]
        form.error_field, form.error_key = "evalDetail", "error_reason_level"
    elif LEVEL_LABELS[satisfaction].needs_reason and not unique:
        form.error_field, form.error_key = "evalDetail", "error_reason_needed"
    elif len(writing) > MAX_WRITING:
        form.error_field, form.error_key = "writingEvaluation", "error_writing"
    return form


def _render(request: Request, name: str, status: int, language: str, **context: Any) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    texts = TEXTS[language]
    response = templates.TemplateResponse(
        request,
        name,
        {"t": texts, "lang": language, "nonce": nonce, "max_writing": MAX_WRITING, **context},
        status_code=status,
    )
    response.headers["Content-Security-Policy"] = _CSP.format(nonce=nonce)
    response.headers["Cache-Control"] = "no-store"
    # The URL carries the token: it goes to no other site.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Language"] = texts["html_lang"]
    return response


def _refusal(request: Request, kind: str, language: str) -> HTMLResponse:
    return _render(request, "refusal.html", REFUSALS[kind], language, kind=kind)


def _evaluate_page(
    request: Request, admitted: Admitted, form: RatingForm, language: str, catalogue: Catalogue, status: int
) -> HTMLResponse:
    texts = TEXTS[language]
    error = None
    if form.error_field is not None:
        error = {
            "field": form.error_field,
            "label": texts[f"field_{form.error_field}"],
            "message": texts[form.error_key].format(max=MAX_WRITING),
        }
    return _render(
        request,
        "evaluate.html",
        status,
        language,
        case=admitted,
        applicant=mask_name(admitted.project.applicant_name),
        until=cst(admitted.expires, with_seconds=False),
        levels=level_choices(catalogue, language),
        form=form,
        error=error,
    )


@router.get("/m/evaluate", response_class=HTMLResponse)
async def phone_page(request: Request, context: Context) -> HTMLResponse:
    """`GET /m/evaluate?d&p&t`: the rating form for a 办件, or the page that says why not."""
    language = page_language(request.headers.get("accept-language"))
    query = request.query_params
    admitted = await run_in_threadpool(
        admit, context.store, query.get("d", ""), query.get("p", ""), query.get("t", "")
    )
    if isinstance(admitted, str):
        return _refusal(request, admitted, language)
    return _evaluate_page(request, admitted, RatingForm(), language, context.store.catalogue, 200)


@router.post("/m/evaluate", response_class=HTMLResponse)
async def phone_submit(request: Request, context: Context) -> HTMLResponse:
    """`POST /m/evaluate`: records the province's own first rating of the 办件 (pf "3", assessTime now)."""
    language = page_language(request.headers.get("accept-language"))
    values, codes = read_form(await request.body(), dict(request.query_params))
    store = context.store
    admitted = await run_in_threadpool(
        admit, store, values.get("d", ""), values.get("p", ""), values.get("t", "")
    )
    if isinstance(admitted, str):
        return _refusal(request, admitted, language)
    form = validate(values, codes, store.catalogue)
    if form.error_field is not None:
        return _evaluate_page(request, admitted, form, language, store.catalogue, 422)
    assert form.satisfaction is not None
    try:
        await run_in_threadpool(
            store.rate_elsewhere,
            admitted.project.project_no,
            form.satisfaction,
            PHONE_PF,
            form.eval_detail,
            "",
            form.writing,
        )
    except AlreadyRatedError:  # rated elsewhere since the page was opened
        return _refusal(request, "rated", language)
    chosen = next(
        level for level in level_choices(store.catalogue, language) if level.satisfaction == form.satisfaction
    )
    return _render(request, "thanks.html", 200, language, case=admitted, level=chosen)


@router.get("/", response_class=HTMLResponse)
async def overview_page(request: Request, context: Context) -> HTMLResponse:
    """`GET /`: the overview for people; it refreshes itself every 5 s."""
    language = page_language(request.headers.get("accept-language"))
    store = context.store
    held = await run_in_threadpool(store.overview)
    return _render(
        request,
        "overview.html",
        200,
        language,
        overview=held,
        now=store.clock(),
        refresh_s=REFRESH_S,
        levels={n: level.en if language == "en" else level.zh for n, level in LEVEL_LABELS.items()},
        faces={n: face(n) for n in LEVEL_LABELS},
        channels=CHANNELS[language],
        api_url=context.own_url(request) + API_PREFIX,
    )
