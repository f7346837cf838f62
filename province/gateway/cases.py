"""The Case documents the double takes, checked element by element, and the Case answers it gives.

The pad's default template has the element names below; a province that issued another element set would
check its own. A missing required element, or a malformed one, is answered code 400 with a message that
names the element and never repeats a value (it may be personal data).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping

from province.catalogue import Catalogue
from province.gateway.apps import CaseReport, GatewayRatingInput
from province.gateway.codec import (
    NotDecryptable,
    NotXml,
    decrypt_xml_str,
    iso_time,
    local_name,
    parse_gateway_time,
    parse_xml,
)
from province.identifiers import is_credit_code, is_mobile, is_resident_id

OK, BAD_REQUEST, NOT_FOUND, ALREADY_RATED = "200", "400", "500", "409"
ALREADY_RATED_MESSAGE = "该办件已评价"
ROOT = "Case"

# A rating's required elements, in the order they are checked.
RATING_REQUIRED = (
    "projectNo", "pf", "alternate", "acceptDate", "assessTime", "userName", "userProp", "userPageType",
    "certKey",
)  # fmt: skip
DETAIL_REQUIRED = ("projectNo",)
URL_REQUIRED = ("projectNo", "acceptDate")


class CaseProblem(Exception):
    """Why a Case is answered code 400: the message names the element at fault."""

    def __init__(self, element: str, message: str) -> None:
        super().__init__(message)
        self.element = element
        self.message = message


def read_case(xml_str: str, app_code: str, required: tuple[str, ...]) -> dict[str, str]:
    """The elements of the Case an xmlStr carries (by local name, text stripped; the first of a repeat).

    Raises:
        CaseProblem: when xmlStr does not decrypt to a `Case` document, or a required element is missing or
            empty.
    """
    try:
        root = parse_xml(decrypt_xml_str(xml_str, app_code))
    except NotDecryptable as exc:
        raise CaseProblem("xmlStr", f"xmlStr 无法解密（{exc}）") from None
    except NotXml:
        raise CaseProblem("xmlStr", "xmlStr 解密后不是 XML 文档") from None
    if local_name(root.tag) != ROOT:
        raise CaseProblem("Case", f"xmlStr 的根元素应为 {ROOT}")
    fields: dict[str, str] = {}
    for child in root:
        fields.setdefault(local_name(child.tag), (child.text or "").strip())
    for element in required:
        if not fields.get(element):
            raise CaseProblem(element, f"缺少必填元素 {element}")
    return fields


def check_rating(fields: Mapping[str, str], catalogue: Catalogue) -> GatewayRatingInput:  # noqa: PLR0912 - one branch per element a Case may lack
    """A rating Case's values, checked in element order.

    Raises:
        CaseProblem: naming the first element whose value is malformed.
    """
    if len(fields["projectNo"]) > 50:
        raise CaseProblem("projectNo", "projectNo 不能超过 50 个字符")
    if fields["pf"] not in {"1", "2", "3", "4", "5", "6", "7"}:
        raise CaseProblem("pf", "pf 应为 1-7")
    if fields["alternate"] not in {"1", "2", "3", "4", "5"}:
        raise CaseProblem("alternate", "alternate 应为 1-5")
    satisfaction = int(fields["alternate"])
    reasons = [code.strip() for code in fields.get("appraisald", "").split(",") if code.strip()]
    if len(set(reasons)) != len(reasons):
        raise CaseProblem("appraisald", "appraisald 含有重复的评价代码")
    for code in reasons:
        if catalogue.level_of(code) != satisfaction:
            raise CaseProblem("appraisald", f"appraisald 含有不属于评价等级 {satisfaction} 的代码 {code}")
    count = fields.get("appraisaldnum", "")
    if count and count != str(len(reasons)):
        raise CaseProblem("appraisaldnum", "appraisaldnum 与 appraisald 的代码个数不符")
    if len(fields.get("writingEvalua", "")) > 150:
        raise CaseProblem("writingEvalua", "writingEvalua 不能超过 150 个字符")
    if fields.get("type", "") not in {"", "1", "2", "3"}:
        raise CaseProblem("type", "type 应为 1-3")
    times = {}
    for element in ("acceptDate", "resultDate", "serviceTime", "assessTime"):
        if fields.get(element):
            moment = parse_gateway_time(fields[element])
            if moment is None:
                raise CaseProblem(element, f"{element} 的格式应为 yyyy-MM-dd HH:mm:ss")
            times[element] = moment
    if times["assessTime"] < times["acceptDate"]:
        raise CaseProblem("assessTime", "assessTime 早于 acceptDate")
    if fields["userProp"] not in {"1", "2"}:
        raise CaseProblem("userProp", "userProp 应为 1（个人）或 2（法人）")
    cert = catalogue.cert_type(fields["userPageType"])
    if cert is None:
        raise CaseProblem("userPageType", "userPageType 不在证件类型代码表中")
    if cert.check == "GB 11643" and not is_resident_id(fields["certKey"]):
        raise CaseProblem("certKey", "certKey 不是有效的居民身份证号码")
    if cert.check == "GB 32100" and not is_credit_code(fields["certKey"]):
        raise CaseProblem("certKey", "certKey 不是有效的统一社会信用代码")
    if fields.get("contactMobile") and not is_mobile(fields["contactMobile"]):
        raise CaseProblem("contactMobile", "contactMobile 应为空或 11 位手机号码")
    return GatewayRatingInput(dict(fields), satisfaction, reasons, iso_time(times["assessTime"]))


def case_report(fields: Mapping[str, str]) -> CaseReport:
    """The 办件 a Case describes (projectNo and a well-formed acceptDate checked), as the case system would
    report it: its task, its acceptance, and its applicant."""
    accepted = parse_gateway_time(fields["acceptDate"])
    if accepted is None:
        raise CaseProblem("acceptDate", "acceptDate 的格式应为 yyyy-MM-dd HH:mm:ss")
    applicant = {
        "name": fields.get("userName", ""),
        "userProp": fields.get("userProp", ""),
        "certType": fields.get("userPageType", ""),
        "certNo": fields.get("certKey", ""),
        "mobile": fields.get("contactMobile", ""),
    }
    task_name = fields.get("businessName") or fields.get("projectName", "")
    return CaseReport(
        fields["projectNo"], fields.get("businessCode", ""), task_name, iso_time(accepted), applicant
    )


def case_answer(code: str, message: str, data: Mapping[str, str] | None = None) -> str:
    """The Case answer's text: `<?xml …?><Case><code/><message/><data>…</data></Case>`."""
    case = ET.Element(ROOT)
    ET.SubElement(case, "code").text = code
    ET.SubElement(case, "message").text = message
    holder = ET.SubElement(case, "data")
    for name, value in (data or {}).items():
        ET.SubElement(holder, name).text = value
    return '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(case, encoding="unicode")
