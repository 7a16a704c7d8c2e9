"""Assemble a Document's text from parts while recording section offsets."""

from __future__ import annotations

from mdskg.records import Section


class TextBuilder:
    """Joins text parts with blank lines; every offset it hands out is into the final text."""

    def __init__(self, separator: str = "\n\n"):
        self._separator = separator
        self._parts: list[str] = []
        self._length = 0
        self.sections: list[Section] = []

    def add(self, text: str | None, title: str | None = None, kind: str = "body") -> int | None:
        """Append `text` (if any) and return where it starts; record a section if titled."""
        if not text:
            return None
        if self._parts:
            self._parts.append(self._separator)
            self._length += len(self._separator)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        if title is not None:
            self.sections.append(Section(title=title, start=start, end=self._length, kind=kind))
        return start

    def add_section(self, title: str, start: int, end: int, kind: str = "body", scope: str | None = None) -> None:
        self.sections.append(Section(title=title, start=start, end=end, kind=kind, scope=scope))

    @property
    def text(self) -> str:
        return "".join(self._parts)
