"""What the double reads: xmlStr decrypted (SM4-ECB, zero padding, Base64), XML without DTDs, local names,
and the gateway's times (`yyyy-MM-dd HH:mm:ss`, China Standard Time)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

CHINA_STANDARD_TIME = timezone(timedelta(hours=8))
GATEWAY_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_GATEWAY_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\Z")


class NotDecryptable(ValueError):
    """An xmlStr that is not Base64 of whole SM4 blocks, or that does not decrypt to UTF-8 text."""


class NotXml(ValueError):
    """Text that is not one well-formed XML document without a DTD."""


def sm4_key(app_code: str) -> bytes:
    """An app's key: the first 16 characters of the lowercase hex MD5 of app_code, as ASCII bytes."""
    return hashlib.md5(app_code.encode("utf-8"), usedforsecurity=False).hexdigest()[:16].encode("ascii")


def decrypt_xml_str(xml_str: str, app_code: str) -> str:
    """The text an xmlStr carries, without the zero bytes that padded it to whole blocks.

    Raises:
        NotDecryptable: see the class.
    """
    try:
        data = base64.b64decode(xml_str.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise NotDecryptable("not Base64") from None
    if not data or len(data) % 16:
        raise NotDecryptable("not whole 16-byte blocks")
    cipher = Cipher(algorithms.SM4(sm4_key(app_code)), modes.ECB())  # noqa: S305 (the gateway's mode)
    decryptor = cipher.decryptor()
    try:
        return (decryptor.update(data) + decryptor.finalize()).rstrip(b"\0").decode("utf-8")
    except UnicodeDecodeError:
        raise NotDecryptable("not UTF-8 once decrypted") from None


class _NoDoctype(ET.TreeBuilder):
    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise NotXml("a DTD is not allowed")


def parse_xml(data: bytes | str) -> ET.Element:
    """The root of one XML document; a DTD stops the parser before any entity is declared.

    Raises:
        NotXml: see the class.
    """
    parser = ET.XMLParser(target=_NoDoctype())  # noqa: S314 (DTDs refused, nothing fetched)
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except ET.ParseError as exc:
        raise NotXml(str(exc)) from None
    except RecursionError:
        raise NotXml("nested too deep") from None
    return root


def local_name(tag: str) -> str:
    """`{namespace}name` → `name`."""
    return tag.rpartition("}")[2]


def child_named(element: ET.Element, name: str) -> ET.Element | None:
    """The first child with this local name, or None."""
    return next((child for child in element if local_name(child.tag) == name), None)


def descendant_named(element: ET.Element, name: str) -> ET.Element | None:
    """The first element below `element` with this local name, or None."""
    return next(
        (node for node in element.iter() if node is not element and local_name(node.tag) == name), None
    )


def parse_gateway_time(text: str) -> datetime | None:
    """A gateway time as an aware datetime in China Standard Time, or None when malformed."""
    if _GATEWAY_TIME.match(text) is None:
        return None
    try:
        return datetime.strptime(text, GATEWAY_TIME_FORMAT).replace(tzinfo=CHINA_STANDARD_TIME)
    except ValueError:
        return None


def iso_time(moment: datetime) -> str:
    """The uplink's form of a time: `YYYY-MM-DDThh:mm:ss+08:00`."""
    return moment.astimezone(CHINA_STANDARD_TIME).replace(microsecond=0).isoformat()


def gateway_time(iso: str) -> str:
    """An ISO 8601 time with offset as the gateway writes it; text that is not one is returned as it is."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return iso
    return moment.astimezone(CHINA_STANDARD_TIME).strftime(GATEWAY_TIME_FORMAT)
