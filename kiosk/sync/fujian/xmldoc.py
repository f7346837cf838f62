"""Reading XML from the gateway: no DTDs, and names matched by their local part whatever the namespace.

SOAP 1.1 forbids a DTD in a message, and the Case documents have none; refusing one outright keeps entity
tricks out of the pad, whatever the XML library of the day allows. ElementTree itself never fetches anything.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator


class XmlError(ValueError):
    """Bytes or text that are not one well-formed XML document without a DTD."""


class _NoDoctype(ET.TreeBuilder):
    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise XmlError("the document has a DTD, which SOAP and the Case XML never carry")


def parse_xml(data: bytes | str) -> ET.Element:
    """The root element of one XML document.

    Raises:
        XmlError: when it is not well-formed, or has a DTD.
    """
    # A TreeBuilder whose doctype() raises stops expat at `<!DOCTYPE`, before any entity is declared.
    parser = ET.XMLParser(target=_NoDoctype())  # noqa: S314 (DTDs refused, nothing fetched)
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except ET.ParseError as exc:
        raise XmlError(f"not well-formed XML: {exc}") from None
    except RecursionError:
        raise XmlError("the XML nests too deep") from None
    return root


def local_name(tag: str) -> str:
    """A tag without its namespace (`{uri}name` → `name`); a prefix never survives parsing."""
    return tag.rpartition("}")[2]


def children_named(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """The element's children whose local name is `name`, in document order."""
    return (child for child in element if local_name(child.tag) == name)


def child_named(element: ET.Element, name: str) -> ET.Element | None:
    """The element's first child whose local name is `name`, or None."""
    return next(children_named(element, name), None)


def descendant_named(element: ET.Element, name: str) -> ET.Element | None:
    """The first element below `element` (depth first) whose local name is `name`, or None."""
    return next(
        (node for node in element.iter() if node is not element and local_name(node.tag) == name), None
    )
