"""What a reader says when a file cannot be turned into Documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mdskg.errors import MdskgError


class UnreadableDocument(MdskgError):
    """A file that is empty, binary, of an unknown format, or malformed.

    `reason` is meant for people: it names the problem and, for XML/JSON/YAML, carries the
    parser's own message so the broken line can be found.
    """

    def __init__(self, path: str | Path | None, reason: str):
        self.path = str(path) if path is not None else None
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


@dataclass(frozen=True)
class Skipped:
    """A file (or the rest of a file) that `read_documents` reported and passed over."""

    path: str
    reason: str
