"""Every Cypher statement the project runs lives in this folder, loaded by name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parent


@cache
def load(name: str) -> str:
    """The statement in `<name>.cypher`; comments starting with // are kept (Cypher allows them)."""
    path = CYPHER_DIR / f"{name}.cypher"
    if not path.is_file():
        raise KeyError(f"no Cypher statement named {name!r} in {CYPHER_DIR}")
    return path.read_text(encoding="utf-8").strip()


def names() -> list[str]:
    return sorted(p.stem for p in CYPHER_DIR.glob("*.cypher"))


# ---- a small lexer, for the tests that check every statement against the model -------------------

_COMMENT = re.compile(r"//[^\n]*")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")
_PROCEDURE = re.compile(r"\bCALL\s+[A-Za-z_][\w.]*\s*\(")
_LABEL = re.compile(r"(?<=[\w(])((?::[A-Z][A-Za-z0-9_]*)+)")
_REL_BRACKETS = re.compile(r"-\[[^\]]*\]")
_REL_PATTERN = re.compile(r"-\[\s*\w*\s*:\s*([A-Z][A-Z0-9_]*(?:\s*\|\s*:?[A-Z][A-Z0-9_]*)*)")
_PROPERTY = re.compile(r"(?:\b([A-Za-z_]\w*)|\))\.([A-Za-z_]\w*)\b(?!\s*\()")
_PATTERN_MAP = re.compile(r"\(\s*\w*(?::[A-Za-z_]\w*)+\s*\{([^}]*)\}")
_MAP_KEY = re.compile(r"([A-Za-z_]\w*)\s*:")
_PROJECTION = re.compile(r"\b\w+\s*\{(\s*\.[A-Za-z_]\w*(?:\s*,\s*\.[A-Za-z_]\w*)*\s*)\}")
_UNWOUND = re.compile(r"\bUNWIND\s+\$\w+\s+AS\s+(\w+)", re.I)


@dataclass(frozen=True)
class Identifiers:
    """What a statement names: labels, relationship types (in patterns and in `type(r) IN [...]`
    lists), property keys, and the $parameters it uses."""

    labels: frozenset[str]
    rel_types: frozenset[str]
    property_keys: frozenset[str]
    parameters: frozenset[str]


def identifiers(text: str) -> Identifiers:
    code = _COMMENT.sub("", text)
    strings = [s[1:-1] for s in _STRING.findall(code)]
    code = _STRING.sub("''", code)
    parameters = frozenset(_PARAM.findall(code))
    code = _PROCEDURE.sub("CALL proc(", code)
    nodes_only = _REL_BRACKETS.sub("-", code)
    labels = {label for group in _LABEL.findall(nodes_only) for label in group.split(":") if label}
    rel_types = {t.strip().lstrip(":") for group in _REL_PATTERN.findall(code) for t in group.split("|")}
    # Relationship types also appear as strings compared with type(r): upper-case words only.
    rel_types |= {s for s in strings if re.fullmatch(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,}", s)}
    unwound = set(_UNWOUND.findall(code))  # `UNWIND $rows AS row`: row.x is a parameter's map key
    keys = {key for var, key in _PROPERTY.findall(code) if var not in unwound and var != "proc"}
    keys |= {k for body in _PATTERN_MAP.findall(code) for k in _MAP_KEY.findall(body)}
    keys |= {k.strip().lstrip(".") for body in _PROJECTION.findall(code) for k in body.split(",")}
    return Identifiers(frozenset(labels), frozenset(rel_types), frozenset(keys), parameters)
