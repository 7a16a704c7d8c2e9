"""Necessary words of a regular expression: a cheap proof that a text cannot match it.

Scanning a sentence with a pattern such as r"\\b(?:is|are)\\s+not\\s+recommended\\b" tries the
pattern at every character; `"recommended" in text.lower()` is one fast substring search. When
a pattern's every match must contain one of a few fixed words, a text without any of them
cannot match and the scan can be skipped, with the same result.

    words = required_words(re.compile(r"\\b(?:is|are)\\s+not\\s+recommended\\b", re.I))
    # -> ('recommended',)
    may_match(words, fold(text))

The words are read from the pattern's own parse tree, so they stay right when the pattern is
edited. Only ASCII literals are used, compared in lower case (see `fold`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

try:  # Python >= 3.11
    from re import (
        _constants as _sre,  # type: ignore[attr-defined]
        _parser as _sre_parse,  # type: ignore[attr-defined]
    )
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# Under re.IGNORECASE these non-ASCII characters match ASCII letters ('ſ' matches 's', the Kelvin
# sign 'k', 'ı' and 'İ' 'i'), and 'İ'.lower() is two characters. A text holding any of them is
# never filtered (every pattern is scanned), so `str.lower()` decides exactly for all others.
_SPECIAL_FOLDS = ("\u0130", "\u0131", "\u017f", "\u212a")


def fold(text: str) -> str | None:
    """The text in lower case for `may_match`; None when lower case cannot decide (see above)."""
    if not text.isascii() and any(ch in text for ch in _SPECIAL_FOLDS):
        return None
    return text.lower()


def may_match(words: tuple[str, ...] | None, folded: str | None) -> bool:
    """False only when no match of the pattern with these `required_words` can be in the text."""
    if words is None or folded is None:
        return True
    for word in words:
        if word in folded:
            return True
    return False


class Prefiltered:
    """A compiled pattern whose search/match/finditer return nothing at once for a text that
    holds none of its required words, and otherwise what the pattern returns. The words are
    looked for in the whole `text`, so `pos`/`endpos` cannot make the test wrong. For patterns
    that are scanned often and rarely match (long alternations of cue phrases). Other attributes
    are the pattern's."""

    __slots__ = ("regex", "words")

    def __init__(self, regex: re.Pattern):
        self.regex = regex
        self.words = required_words(regex)

    def possible(self, text: str) -> bool:
        return may_match(self.words, fold(text))

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return self.regex.search(text, pos, endpos) if self.possible(text) else None

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return self.regex.match(text, pos, endpos) if self.possible(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match]:
        return self.regex.finditer(text, pos, endpos) if self.possible(text) else iter(())

    def __getattr__(self, name: str):
        return getattr(self.regex, name)

    def __repr__(self) -> str:
        return f"Prefiltered({self.regex!r})"


def required_words(pattern: re.Pattern | str, flags: int = 0) -> tuple[str, ...] | None:
    """Lower-case words one of which every match of `pattern` contains, or None when the parse
    tree gives none (then every text may match). Of the candidates found, the set whose
    shortest word is longest is returned: the most selective."""
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    words = _required(_sre_parse.parse(pattern, flags))
    if not words:
        return None
    # A word containing another of the set adds nothing: where it occurs, so does the other.
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


def _required(items) -> frozenset[str] | None:
    best: frozenset[str] | None = None

    def consider(candidate: frozenset[str] | None) -> None:
        nonlocal best
        if candidate and all(candidate) and (best is None or _strength(candidate) > _strength(best)):
            best = candidate

    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        if run:  # anything else ends a run of literal characters (sound: only ever weaker)
            consider(frozenset(["".join(run)]))
            run = []
        if op is _sre.SUBPATTERN:
            consider(_required(av[-1]))
        elif op is _sre.BRANCH:
            alternatives = [_required(branch) for branch in av[1]]
            if all(alternatives):
                consider(frozenset().union(*alternatives))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            consider(_required(av[2]))
        # IN, ANY, AT, lookarounds, optional repeats …: no word of their own
    if run:
        consider(frozenset(["".join(run)]))
    return best


def _strength(words: frozenset[str]) -> tuple[int, int]:
    """Longer shortest word, then fewer words: fewer texts pass."""
    return min(len(w) for w in words), -len(words)
