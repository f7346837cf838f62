"""The sandbox's pages over HTTP: the phone page of a QR rating (`/m/evaluate`) and the overview (`/`).

Tokens are made by the pad's own code (kiosk.domain.qr), as a pad would print them in its QR code. The
browser's view of the same pages is tests/test_phone_page.py.
"""

from __future__ import annotations

import base64
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.qr import qr_token, qr_url
from province.catalogue import national_catalogue
from province.page_texts import CHANNELS, TEXTS
from province.pages import MAX_WRITING, page_language, validate
from province.qr import TokenVerdict, check_token
from province.schema import MIGRATIONS
from province.server import SandboxServer
from province.store import SandboxStore
from tests.helpers.people import CHEN_MING_ID, CHEN_MING_MOBILE, applicant
from tests.province.helpers import HALL, SPEC_SECRET, WINDOW, DeviceClient, new_device_id, new_project_no

TEMPLATE = "/m/evaluate?d={deviceId}&p={projectNo}&t={token}"
CURRENT_CODES = {level: {r.code for r in reasons} for level, reasons in national_catalogue().current.items()}


@dataclass
class PhoneCase:
    """A device enrolled with the sandbox and a 办件 the case system reported, with the pad's QR URL."""

    sandbox: SandboxServer
    device_id: str
    key: bytes
    project_no: str
    window_start: datetime

    @property
    def token(self) -> str:
        return qr_token(self.key, self.project_no, self.window_start)

    @property
    def url(self) -> str:
        return qr_url(self.sandbox.public_url + TEMPLATE, self.device_id, self.project_no, self.token)

    def form(self, **fields: Any) -> dict[str, Any]:
        return {"d": self.device_id, "p": self.project_no, "t": self.token, **fields}

    def post(self, fields: dict[str, Any], **headers: str) -> requests.Response:
        return requests.post(
            f"{self.sandbox.public_url}/m/evaluate", data=fields, headers=headers, timeout=10
        )

    def client(self) -> DeviceClient:
        return DeviceClient(self.sandbox.url, self.device_id, self.key)

    def evaluation(self) -> dict[str, Any]:
        """What the province tells the device of the 办件 (`GET /projects/{p}/evaluation`, signed)."""
        answer = self.client().request("GET", f"/projects/{self.project_no}/evaluation")
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result


def report(sandbox: SandboxServer, project_no: str, person: dict[str, Any] | None = None) -> None:
    body = {
        "projectNo": project_no,
        "taskCode": "1135000000359143343350111002000",
        "taskName": "个体工商户设立登记",
        "acceptTime": "2026-11-27T09:12:00+08:00",
        "applicant": person or applicant(),
    }
    assert requests.post(f"{sandbox.url}/projects", json=body, timeout=10).status_code == 201


def new_case(sandbox: SandboxServer, *, reported: bool = True, age: timedelta = timedelta(0)) -> PhoneCase:
    device_id = new_device_id()
    key = sandbox.store.add_device(device_id, HALL, WINDOW)
    project_no = new_project_no()
    if reported:
        report(sandbox, project_no)
    return PhoneCase(sandbox, device_id, key, project_no, datetime.now(UTC) - age)


@pytest.fixture
def case(sandbox: SandboxServer) -> PhoneCase:
    return new_case(sandbox)


def assert_no_personal_data(html: str) -> None:
    for secret in (CHEN_MING_ID, CHEN_MING_MOBILE, "陈明"):
        assert secret not in html
    assert CHEN_MING_ID[-4:] not in html  # not even the masked form of a number


# -- the token -------------------------------------------------------------------------------------------


def test_the_spec_token_checks_until_it_expires() -> None:
    key = base64.b64decode(SPEC_SECRET)
    token = "1796347840.Po-mTSDtWwGXwT9fdmP9xn"  # uplink-api.md "QR rating", the worked example
    assert check_token(key, "35010220261127000123", token, 1796347839) is TokenVerdict.VALID
    assert check_token(key, "35010220261127000123", token, 1796347840) is TokenVerdict.EXPIRED
    assert check_token(key, "35010220261127000124", token, 1796000000) is TokenVerdict.FORGED
    assert check_token(b"\0" * 32, "35010220261127000123", token, 1796000000) is TokenVerdict.FORGED
    # The mac covers the expiry exactly as written.
    assert check_token(key, "35010220261127000123", "0" + token, 1796000000) is TokenVerdict.FORGED


@given(st.text(max_size=40))
def test_no_made_up_token_checks(token: str) -> None:
    key = base64.b64decode(SPEC_SECRET)
    assert check_token(key, "35010220261127000123", token, 0) is TokenVerdict.FORGED


@given(st.integers(min_value=0, max_value=32), st.sampled_from("AZaz09-_.x"))
def test_a_token_changed_in_one_place_is_forged(position: int, replacement: str) -> None:
    key = base64.b64decode(SPEC_SECRET)
    token = "1796347840.Po-mTSDtWwGXwT9fdmP9xn"
    changed = token[:position] + replacement + token[position + 1 :]
    verdict = check_token(key, "35010220261127000123", changed, 1796000000)
    assert verdict is (TokenVerdict.VALID if changed == token else TokenVerdict.FORGED)


# -- the language --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "zh"),
        ("", "zh"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-US,en;q=0.9", "en"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("zh-CN;q=0.5,en;q=0.6", "en"),
        ("en,zh", "en"),  # the same q: the first listed wins
        ("zh,en", "zh"),
        ("fr-FR,fr;q=0.9", "zh"),  # neither: the default
        ("fr,en;q=0.5", "en"),
        ("en;q=0", "zh"),  # q=0: not acceptable
        ("*", "zh"),
        ("zh;q=0.1,*", "en"),  # "*" ranks English above the Chinese asked for at 0.1
        ("en;q=abc,zh;q=0.2", "zh"),
        ("EN-gb", "en"),
    ],
)
def test_the_page_language(header: str | None, language: str) -> None:
    assert page_language(header) == language


@given(st.text(max_size=80))
def test_any_accept_language_gives_a_language(header: str) -> None:
    assert page_language(header) in {"zh", "en"}


# -- the page --------------------------------------------------------------------------------------------


def test_the_page_shows_the_case_and_the_five_levels(case: PhoneCase) -> None:
    answer = requests.get(case.url, timeout=10)

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert '<html lang="zh-CN">' in html
    assert "个体工商户设立登记" in html and "鼓楼区市场监督管理局" in html
    assert "陈*" in html  # the applicant, masked (R3)
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert f"<span>{label}</span>" in html
    assert html.count('<svg class="face"') == 5  # a face beside each label, not colour alone
    offered = set(re.findall(r'name="evalDetail" value="(\d+)"', html))
    assert offered == set().union(*CURRENT_CODES.values())  # every current reason, no retired one
    assert_no_personal_data(html)


def test_the_page_loads_nothing_from_elsewhere(case: PhoneCase) -> None:
    answer = requests.get(case.url, timeout=10)

    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "img-src data:" in policy
    assert answer.headers["referrer-policy"] == "no-referrer"  # the URL carries the token
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=|url\(|@import|https?://", answer.text)
    nonce = re.search(r"script-src 'nonce-([^']+)'", policy)
    assert nonce is not None
    assert all(f'nonce="{nonce.group(1)}"' in tag for tag in re.findall(r"<script[^>]*>", answer.text))


def test_the_page_in_english(case: PhoneCase) -> None:
    html = requests.get(case.url, headers={"Accept-Language": "en-US,en;q=0.9"}, timeout=10).text

    assert '<html lang="en">' in html
    assert "Please rate our service" in html and "<span>very dissatisfied</span>" in html
    assert "Window staff were not proficient" in html  # the reasons too


def test_the_template_of_the_config_leads_to_the_page(sandbox: SandboxServer) -> None:
    device = DeviceClient(sandbox.url, new_device_id(), b"")
    device.key = sandbox.store.add_device(device.device_id, HALL, WINDOW)
    config = device.request("GET", f"/devices/{device.device_id}/config").json()
    project_no = new_project_no()
    report(sandbox, project_no)

    url = qr_url(
        config["settings"]["qrUrlTemplate"],
        device.device_id,
        project_no,
        qr_token(device.key, project_no, datetime.now(UTC)),
    )

    assert url.startswith(f"{sandbox.public_url}/m/evaluate?")
    assert requests.get(url, timeout=10).status_code == 200


# -- refusals ----------------------------------------------------------------------------------------------


def _forged(case: PhoneCase) -> str:
    last = case.url[-1]
    return case.url[:-1] + ("A" if last != "A" else "B")


def _unknown_device(case: PhoneCase) -> str:
    return case.url.replace(f"d={case.device_id}", f"d={new_device_id()}")


def _no_token(case: PhoneCase) -> str:
    return case.url.split("&t=")[0]


def _revoked(case: PhoneCase) -> str:
    case.sandbox.store.revoke_device(case.device_id)
    return case.url


def _expired(case: PhoneCase) -> str:
    case.window_start -= timedelta(days=7, seconds=1)
    return case.url


def _unknown_case(case: PhoneCase) -> str:
    case.project_no = new_project_no()  # a token the device did make, for a 办件 never reported
    return case.url


def _rated(case: PhoneCase) -> str:
    case.sandbox.store.rate_elsewhere(case.project_no, 5, "6")
    return case.url


@pytest.mark.parametrize(
    ("make_url", "status", "kind"),
    [
        (_forged, 403, "forged"),
        (_unknown_device, 403, "forged"),
        (_no_token, 403, "forged"),
        (_revoked, 403, "forged"),
        (_expired, 410, "expired"),
        (_unknown_case, 404, "unknown"),
        (_rated, 409, "rated"),
    ],
)
def test_a_refusal_says_why_and_nothing_of_the_applicant(
    case: PhoneCase, make_url: Any, status: int, kind: str
) -> None:
    url = make_url(case)

    answer = requests.get(url, timeout=10)
    # The form posted with the same parameters (in its query string, as the form may carry them).
    posted = requests.post(url, data={"satisfaction": "5"}, timeout=10)

    assert (answer.status_code, posted.status_code) == (status, status)
    for html in (answer.text, posted.text):
        assert f'data-kind="{kind}"' in html
        assert "陈*" not in html and "个体工商户设立登记" not in html
        assert_no_personal_data(html)
    if kind != "rated":
        assert case.sandbox.store.first_rating(case.project_no) is None


def test_an_expired_page_says_seven_days(sandbox: SandboxServer) -> None:
    case = new_case(sandbox, age=timedelta(days=8))
    assert "7 天" in requests.get(case.url, timeout=10).text


# -- rating --------------------------------------------------------------------------------------------------


def test_a_rating_on_the_phone_is_the_provinces_first_rating(case: PhoneCase) -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    answer = case.post(
        case.form(satisfaction="2", evalDetail=["207", "213"], writingEvaluation=" 等了很久\r\n")
    )

    assert answer.status_code == 200
    assert 'id="thanks"' in answer.text and "<span>不满意</span>" in answer.text
    assert_no_personal_data(answer.text)
    evaluation = case.evaluation()
    assert {k: evaluation[k] for k in ("rated", "satisfaction", "pf")} == {
        "rated": True,
        "satisfaction": 2,
        "pf": "3",
    }
    assert evaluation["assessTime"].endswith("+08:00")
    assert before <= datetime.fromisoformat(evaluation["assessTime"]) <= datetime.now(UTC)
    with sqlite3.connect(case.sandbox.store.path) as db:
        stored = db.execute(
            "SELECT eval_detail, writing_evaluation FROM other_ratings WHERE project_no = ?",
            (case.project_no,),
        ).fetchone()
    assert stored == ('["207", "213"]', "等了很久")
    # The page's rating came first: the device's own record of the same 办件 is a conflict.
    device = case.client()
    assert device.results(device.chain.next(projectNo=case.project_no))[0]["status"] == "conflict"
    assert requests.get(case.url, timeout=10).status_code == 409


def test_the_form_may_carry_its_parameters_in_the_query(case: PhoneCase) -> None:
    query = case.url.split("?", 1)[1]
    answer = requests.post(
        f"{case.sandbox.public_url}/m/evaluate?{query}", data={"satisfaction": "5"}, timeout=10
    )
    assert answer.status_code == 200
    assert case.evaluation()["satisfaction"] == 5


def test_the_text_may_be_150_characters_a_line_break_counting_one(case: PhoneCase) -> None:
    text = "慢" * 100 + "\r\n" + "x" * (MAX_WRITING - 101)
    assert case.post(case.form(satisfaction="4", writingEvaluation=text)).status_code == 200


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "satisfaction"),
        ({"satisfaction": "6"}, "satisfaction"),
        ({"satisfaction": "五"}, "satisfaction"),
        ({"satisfaction": "2"}, "evalDetail"),  # 1-2 need a reason (R4)
        ({"satisfaction": "1", "writingEvaluation": "只有文字"}, "evalDetail"),
        ({"satisfaction": "5", "evalDetail": ["207"]}, "evalDetail"),  # a reason of another level
        ({"satisfaction": "5", "evalDetail": ["501"]}, "evalDetail"),  # retired: never offered
        ({"satisfaction": "5", "evalDetail": ["999"]}, "evalDetail"),
        ({"satisfaction": "3", "writingEvaluation": "字" * (MAX_WRITING + 1)}, "writingEvaluation"),
    ],
)
def test_invalid_input_shows_the_form_again_with_the_field_named(
    case: PhoneCase, fields: dict[str, Any], field: str
) -> None:
    answer = case.post(case.form(**fields))

    assert answer.status_code == 422
    assert f'data-field="{field}"' in answer.text
    assert 'id="rating"' in answer.text  # the form again
    label = {"satisfaction": "满意程度", "evalDetail": "原因", "writingEvaluation": "评价内容"}[field]
    assert f"<strong>{label}</strong>" in answer.text
    if fields.get("satisfaction") in {"1", "2", "3", "5"}:
        level = fields["satisfaction"]
        assert f'value="{level}" id="lv{level}" checked' in answer.text  # the choice is kept
    assert case.evaluation() == {"rated": False}


def test_the_form_again_keeps_the_text_and_the_reasons_that_fit(case: PhoneCase) -> None:
    answer = case.post(case.form(satisfaction="2", evalDetail=["207", "510"], writingEvaluation="<b>慢</b>"))

    assert answer.status_code == 422
    assert 'value="207" id="rc207" checked' in answer.text
    assert 'value="510" id="rc510" checked' not in answer.text
    assert "&lt;b&gt;慢&lt;/b&gt;</textarea>" in answer.text  # escaped, never markup


def test_invalid_input_in_english_names_the_field_in_english(case: PhoneCase) -> None:
    answer = case.post(case.form(satisfaction="1"), **{"Accept-Language": "en"})
    assert "<strong>Reasons</strong>" in answer.text


@given(
    st.dictionaries(
        st.sampled_from(["satisfaction", "writingEvaluation", "other"]),
        st.one_of(st.sampled_from(["1", "2", "3", "4", "5", "0", "", " 5"]), st.text(max_size=200)),
    ),
    st.lists(st.one_of(st.sampled_from(sorted(set().union(*CURRENT_CODES.values()))), st.text(max_size=4))),
)
def test_the_form_is_valid_only_as_the_spec_says(values: dict[str, str], codes: list[str]) -> None:
    form = validate(values, codes, national_catalogue())
    if form.error_field is None:
        assert form.satisfaction is not None
        assert set(form.eval_detail) <= CURRENT_CODES[str(form.satisfaction)]
        assert form.satisfaction > 2 or form.eval_detail
        assert len(form.writing) <= MAX_WRITING
    else:
        assert form.error_field in {"satisfaction", "evalDetail", "writingEvaluation"}


# -- the overview ----------------------------------------------------------------------------------------------


def test_the_overview_lists_devices_ratings_and_counts(sandbox: SandboxServer, case: PhoneCase) -> None:
    before = sandbox.store.overview()
    device = case.client()
    first = device.chain.next(userName="陈明")
    assert device.results(first)[0]["status"] == "accepted"
    device.results(first)  # sent again: a duplicate
    assert sandbox.store.heartbeat_at(case.device_id) is None
    device.heartbeat()
    assert sandbox.store.heartbeat_at(case.device_id) == pytest.approx(sandbox.store.clock(), abs=10)
    conflict = device.chain.next(projectNo=first["projectNo"])
    rejected = device.chain.next(mobile="1")
    device.results(conflict, rejected)
    assert case.post(case.form(satisfaction="4")).status_code == 200

    answer = requests.get(f"{sandbox.public_url}/", timeout=10)

    assert answer.status_code == 200
    html = answer.text
    assert '<meta http-equiv="refresh" content="5">' in html
    row = re.search(rf'<tr data-device="{case.device_id}">(.*?)</tr>', html, re.S)
    assert row is not None
    assert "鼓楼区政务服务中心 · A07" in row.group(1) and 'data-chain="whole"' in row.group(1)
    assert f'<tr data-project="{first["projectNo"]}">' in html
    assert re.search(rf'<table id="phone">.*data-project="{case.project_no}"', html, re.S)
    after = sandbox.store.overview()
    assert after.duplicates == before.duplicates + 1
    assert after.conflicts == before.conflicts + 1
    assert after.rejections == before.rejections + 1
    assert after.phone_count == before.phone_count + 1
    assert f'<li class="card" data-count="duplicates"><strong>{after.duplicates}</strong>' in html
    assert "陈*" in html
    assert_no_personal_data(html)


def test_the_overview_marks_a_device_whose_chain_has_a_gap(sandbox: SandboxServer, case: PhoneCase) -> None:
    device = case.client()
    device.chain.next()
    device.results(device.chain.next())  # seq 2 without seq 1

    html = requests.get(f"{sandbox.public_url}/", timeout=10).text

    row = re.search(rf'<tr data-device="{case.device_id}" class="gap">(.*?)</tr>', html, re.S)
    assert row is not None
    assert 'data-chain="gap"' in row.group(1) and "缺号 1" in row.group(1)


def test_the_pages_stay_out_of_the_openapi_document(sandbox: SandboxServer) -> None:
    paths = requests.get(f"{sandbox.url}/openapi.json", timeout=10).json()["paths"]
    assert not {"/", "/m/evaluate"} & set(paths)


def test_a_sandbox_file_from_before_the_pages_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # schema version 1, with a rating made elsewhere
        MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
        db.execute(
            "INSERT INTO other_ratings (project_no, satisfaction, pf, eval_detail, assess_time, received_at)"
            " VALUES ('P-OLD', 2, '3', '[\"207\"]', '2026-11-27T10:00:00+08:00', 1796000000)"
        )
    db.close()

    with SandboxStore(path) as store:
        held = store.overview()
        assert held.phone_count == 1 and held.duplicates == 0
        assert held.phone_cases[0].eval_detail == ("207",)
        assert store.first_rating("P-OLD") is not None


def test_every_text_of_the_pages_is_in_both_languages() -> None:
    assert set(TEXTS["zh"]) == set(TEXTS["en"])
    assert set(CHANNELS["zh"]) == set(CHANNELS["en"]) == {str(pf) for pf in range(1, 8)}
