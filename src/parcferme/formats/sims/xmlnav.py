"""XML for the sim readers: repaired the way real game servers break it, then walked with paths.

rFactor 2 writes XML that is not quite XML: a bare `&` in a vehicle file name, a stray byte after the root
element, control characters in player names, a declared encoding that the bytes do not follow (the bytes
are decoded before parsing, by `formats.encoding`). `parse_xml` repairs those, refuses any DTD beyond the
harmless one rFactor writes (entity expansion is how XML bombs work), and turns every parser error into an
InputError with the line. `XNode` walks the tree and names the path of a bad value
(`RaceResults.Race.Driver[3].Laps`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import NoReturn

from parcferme.errors import InputError

__all__ = ["XNode", "parse_xml"]

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE\s+\w+\s*(?:\[(?:[^\]<]|<!ENTITY\s+\w+\s+\"[^\"<&%]*\"\s*>)*\])?\s*>")
_BARE_AMP = re.compile(r"&(?!#\d+;|#x[0-9a-fA-F]+;|(?:amp|lt|gt|quot|apos);)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_xml(text: str, source: str, root_tag: str) -> tuple[XNode, list[str]]:
    """The root element, and notes on what was repaired."""
    notes: list[str] = []
    text = _DECLARATION.sub("", text, count=1)
    # rFactor declares one entity it never uses; drop that DTD, refuse any other (no entity expansion)
    text = _DOCTYPE.sub("", text, count=1)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        message = "unexpected DTD or entity declaration (refused: not a game server's output)"
        raise InputError(message, source=source)
    closing = f"</{root_tag}>"
    end = text.rfind(closing)
    if end >= 0 and text[end + len(closing) :].strip():
        notes.append(f"text after the closing {closing} ignored (the file has trailing bytes)")
        text = text[: end + len(closing)]
    text, bare = _BARE_AMP.subn("&amp;", text)
    if bare:
        notes.append(f"{bare} bare '&' read as a literal ampersand (invalid XML written by the game)")
    text, controls = _CONTROL.subn("", text)
    if controls:
        notes.append(f"{controls} control character(s) removed (invalid in XML)")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(f"not valid XML ({exc})", source=source, line=line) from exc
    if root.tag != root_tag:
        raise InputError(f"expected a <{root_tag}> document, got <{root.tag}>", source=source)
    return XNode(root, root_tag, source), notes


class XNode:
    """One element and its path in the document."""

    __slots__ = ("element", "path", "source")

    def __init__(self, element: ET.Element, path: str, source: str) -> None:
        self.element = element
        self.path = path
        self.source = source

    @property
    def tag(self) -> str:
        return self.element.tag

    def fail(self, message: str, name: str | None = None) -> NoReturn:
        field = self.path if name is None else f"{self.path}.{name}"
        raise InputError(message, source=self.source, field=field)

    def children(self, tag: str | None = None) -> Iterator[XNode]:
        """Child elements (of one tag, or all), each with an indexed path (`Driver[2]`)."""
        counts: dict[str, int] = {}
        for child in self.element:
            if not isinstance(child.tag, str):  # comments and processing instructions
                continue
            index = counts.get(child.tag, 0)
            counts[child.tag] = index + 1
            if tag is None or child.tag == tag:
                yield XNode(child, f"{self.path}.{child.tag}[{index}]", self.source)

    def child(self, tag: str) -> XNode | None:
        found = self.element.find(tag)
        return None if found is None else XNode(found, f"{self.path}.{tag}", self.source)

    def text(self, tag: str, default: str = "") -> str:
        """The stripped text of a child element; `default` when the child is absent or empty."""
        found = self.element.find(tag)
        if found is None or found.text is None:
            return default
        return found.text.strip() or default

    def own_text(self) -> str:
        return (self.element.text or "").strip()

    def attr(self, name: str) -> str | None:
        value = self.element.get(name)
        return None if value is None else value.strip()

    def get_int(self, tag: str) -> int | None:
        """A child's whole-number text; None when absent or empty."""
        value = self.text(tag)
        if not value:
            return None
        try:
            return int(value)
        except ValueError:
            self.fail(f"expected a whole number, got {value[:40]!r}", tag)
