"""The Case XML of a rating (province-fujian.md "The Case XML").

The province issues the element set with the app key, so the pad renders it from a template file with
`string.Template` placeholders; the default is the best reading of the public field lists. The values are
the record's fields (uplink-api.md "Evaluation record") and a few derived ones, every one XML-escaped; times
are written `yyyy-MM-dd HH:mm:ss` in China Standard Time, without an offset.

A template is checked when it is loaded, so that a mistake stops the pad at start with the placeholder named,
never at the first rating.
"""

from __future__ import annotations

import re
import string
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

from kiosk.domain.record import RECORD_FIELDS
from kiosk.domain.timefmt import parse_time
from kiosk.sync.fujian.xmldoc import XmlError, local_name, parse_xml

DEFAULT_TEMPLATE = """\
<?xml version="1.0" encoding="UTF-8"?>
<Case>
<projectNo>${projectNo}</projectNo>
<businessCode>${taskCode}</businessCode>
<businessName>${taskName}</businessName>
<projectName>${taskName}</projectName>
<proStatus>${proStatus}</proStatus>
<nodeName>${nodeName}</nodeName>
<regionCode>${regionCode}</regionCode>
<acceptDate>${acceptDate}</acceptDate>
<resultDate>${resultDate}</resultDate>
<serviceTime>${serviceTime}</serviceTime>
<userProp>${userProp}</userProp>
<userName>${userName}</userName>
<userPageType>${certType}</userPageType>
<certKey>${certNo}</certKey>
<contactMobile>${mobile}</contactMobile>
<evaluateType>1</evaluateType>
<pf>${pf}</pf>
<type>${network}</type>
<alternate>${satisfaction}</alternate>
<appraisald>${evalDetail}</appraisald>
<appraisaldnum>${evalDetailCount}</appraisaldnum>
<writingEvalua>${writingEvaluation}</writingEvalua>
<assessTime>${assessTime}</assessTime>
<customFields>${windowNo},${staffId}</customFields>
</Case>
"""

DERIVED_PLACEHOLDERS: tuple[str, ...] = (
    "proStatus",
    "nodeName",
    "acceptDate",
    "resultDate",
    "serviceTime",
    "regionCode",
    "network",
    "evalDetailCount",
)
PLACEHOLDERS: frozenset[str] = frozenset((*RECORD_FIELDS, "hash", *DERIVED_PLACEHOLDERS))
"""Every name a template may use: the record's fields (evalDetail joined by `,`) and the derived ones."""

TIME_FIELDS = frozenset({"acceptTime", "assessTime"})
CHINA_STANDARD_TIME = timezone(timedelta(hours=8))
GATEWAY_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
QR_CHANNEL_PF = "3"
ROOT_ELEMENT = "Case"

# Characters XML 1.0 cannot carry at all, not even as a character reference.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What a malformed placeholder looks like, for the error message: `${…}` up to its brace, or `$` and a word.
_INVALID_PLACEHOLDER = re.compile(r"\$(?:\{[^}\n]{0,40}\}?|\w*)")
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;"}
)


class TemplateError(ValueError):
    """A template that cannot render a Case.

    Attributes:
        placeholder: the placeholder at fault, or None when the problem is elsewhere (the file, the XML).
    """

    def __init__(self, message: str, placeholder: str | None = None) -> None:
        super().__init__(message)
        self.placeholder = placeholder


def xml_escape(value: str) -> str:
    """A value made safe as XML text or an attribute value.

    `&`, `<`, `>` and both quotes become entity references; a carriage return becomes `&#13;` (a parser would
    turn a bare one into a line feed); characters XML 1.0 cannot carry at all (most C0 controls, lone
    surrogates, U+FFFE/U+FFFF) are left out, since no document could hold them.
    """
    return _NOT_XML.sub("", value).translate(_ESCAPES)


def gateway_time(iso: str) -> str:
    """An ISO 8601 time with offset as the gateway writes times: `yyyy-MM-dd HH:mm:ss`, China Standard Time.

    The empty string stays empty.

    Raises:
        ValueError: for text that is not such a time.
    """
    if not iso:
        return ""
    return parse_time(iso).astimezone(CHINA_STANDARD_TIME).strftime(GATEWAY_TIME_FORMAT)


class CaseTemplate:
    """A Case XML template, checked: known placeholders only, and a well-formed `<Case>` document.

    Args:
        text: the template's text.
        source: where it came from, for error messages.

    Raises:
        TemplateError: for an unknown or malformed placeholder (named), or a template whose rendering would
            not be a well-formed XML document with a `Case` root.
    """

    def __init__(self, text: str, source: str = "the template") -> None:
        self.text = text
        self.source = source
        self._template = string.Template(text)
        self.placeholders = frozenset(self._template.get_identifiers())
        self._check()

    @classmethod
    def default(cls) -> CaseTemplate:
        """The built-in template of province-fujian.md."""
        return cls(DEFAULT_TEMPLATE, "the built-in template")

    @classmethod
    def load(cls, path: str | Path | None) -> CaseTemplate:
        """The template in a file (UTF-8, a byte-order mark allowed), or the built-in one for None or "".

        Raises:
            TemplateError: when the file cannot be read or decoded, or fails the checks.
        """
        if path is None or str(path) == "":
            return cls.default()
        try:
            text = Path(path).read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise TemplateError(f"cannot read the Case template {str(path)!r}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise TemplateError(f"the Case template {str(path)!r} is not UTF-8") from None
        return cls(text, repr(str(path)))

    def _check(self) -> None:
        for match in self._template.pattern.finditer(self.text):
            if match.group("invalid") is not None:
                line = self.text.count("\n", 0, match.start()) + 1
                bad = _INVALID_PLACEHOLDER.match(self.text, match.start())
                assert bad is not None, "it matches at least the dollar sign"
                raise TemplateError(
                    f"{self.source}, line {line}: {bad.group()!r} is not a placeholder (write $$ for a"
                    " dollar sign)",
                    bad.group(),
                )
        unknown = sorted(self.placeholders - PLACEHOLDERS)
        if unknown:
            raise TemplateError(f"{self.source}: unknown placeholder ${{{unknown[0]}}}", unknown[0])
        try:
            root = parse_xml(self._template.substitute(dict.fromkeys(self.placeholders, "0")))
        except XmlError as exc:
            raise TemplateError(f"{self.source} is not a well-formed XML document: {exc}") from None
        if local_name(root.tag) != ROOT_ELEMENT:
            raise TemplateError(f"{self.source}: the root element is <{root.tag}>, not <{ROOT_ELEMENT}>")

    def render(self, values: Mapping[str, str]) -> str:
        """The Case XML with each placeholder replaced by its value, XML-escaped.

        Args:
            values: a value for at least every placeholder the template uses (see `case_values`).

        Raises:
            KeyError: naming a placeholder without a value.
        """
        return self._template.substitute({name: xml_escape(values[name]) for name in self.placeholders})


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(_text(item) for item in value)
    return "" if value is None else str(value)


def case_values(
    record: Mapping[str, Any], *, finish_time: str, network: str, region_code: str = ""
) -> dict[str, str]:
    """Every placeholder's value for a record, not yet escaped.

    Args:
        record: the evaluation record (its fields; those missing count as "", so a session's fields will do
            for the QR call).
        finish_time: the session's finishTime (ISO 8601 with offset), or "" when the case was not finished.
        network: `uplink.fujian.network`: 1 互联网, 2 政务信息网, 3 政务外网公共区.
        region_code: `uplink.fujian.region_code`; "" takes the record's areaCode (the hall's).

    Raises:
        ValueError: when acceptTime, assessTime or finish_time is not an ISO 8601 time with offset.
    """
    values = {name: _text(record.get(name)) for name in (*RECORD_FIELDS, "hash")}
    for name in TIME_FIELDS:
        values[name] = gateway_time(values[name])
    finished = gateway_time(finish_time)
    reasons = record.get("evalDetail") or []
    values.update(
        proStatus="3" if finished else "2",
        nodeName="办结" if finished else "受理",
        acceptDate=values["acceptTime"],
        resultDate=finished or values["acceptTime"],
        serviceTime=finished or values["acceptTime"],
        regionCode=region_code or values["areaCode"],
        network=network,
        evalDetailCount=str(len(reasons)),
    )
    return values


def render_case(
    template: CaseTemplate,
    record: Mapping[str, Any],
    *,
    finish_time: str,
    network: str,
    region_code: str = "",
) -> str:
    """The Case XML of a rating: `case_values` rendered through the template (see there for the arguments)."""
    return template.render(
        case_values(record, finish_time=finish_time, network=network, region_code=region_code)
    )


def render_url_case(
    template: CaseTemplate,
    session: Mapping[str, Any],
    *,
    finish_time: str,
    network: str,
    region_code: str = "",
) -> str:
    """The Case XML of the QR call (`getSaveEvaluationUrl`), sent when a session opens.

    The session has no rating yet: its case's fields in record form (projectNo, taskCode, taskName,
    acceptTime, the applicant, the window and staff, …), the rest empty, and pf `3`, the channel of a QR
    rating.
    """
    case = {**session, "pf": QR_CHANNEL_PF}
    return render_case(template, case, finish_time=finish_time, network=network, region_code=region_code)


def detail_case(project_no: str) -> str:
    """The Case XML of the detail query (`getEvaluationDetail`): `<Case><projectNo>…</projectNo></Case>`."""
    root = ET.Element(ROOT_ELEMENT)
    ET.SubElement(root, "projectNo").text = _NOT_XML.sub("", project_no)
    return ET.tostring(root, encoding="unicode")


class CaseFormat:
    """How this pad writes its Cases: the template, and the settings that fill its derived placeholders.

    Args:
        template: the checked template (`uplink.fujian.template`, or the built-in one).
        network: `uplink.fujian.network`.
        region_code: `uplink.fujian.region_code` ("" takes each record's areaCode).
    """

    def __init__(self, template: CaseTemplate, network: str, region_code: str = "") -> None:
        self.template = template
        self.network = network
        self.region_code = region_code

    def rating(self, record: Mapping[str, Any], finish_time: str) -> str:
        """The Case XML of a rating (`getSaveEvaluation`)."""
        return render_case(
            self.template, record, finish_time=finish_time, network=self.network, region_code=self.region_code
        )

    def url_case(self, session: Mapping[str, Any], finish_time: str) -> str:
        """The Case XML of a session's QR call (`getSaveEvaluationUrl`)."""
        return render_url_case(
            self.template,
            session,
            finish_time=finish_time,
            network=self.network,
            region_code=self.region_code,
        )
