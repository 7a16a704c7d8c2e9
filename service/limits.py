"""Request limits: GraphQL depth and breadth, authentication, per-client rate limits, CORS.

All are set by settings (see mdskg.settings); each refusal is a clear error in the one error
shape, never a stack trace.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    ValidationRule,
)


def depth_limit_rule(max_depth: int) -> type[ValidationRule]:
    class DepthLimit(ValidationRule):
        def enter_document(self, node, *_):
            fragments = {d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)}
            for definition in node.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    depth = _depth(definition.selection_set, fragments, 0, set())
                    if depth > max_depth:
                        self.report_error(GraphQLError(
                            f"Query is too deep: depth {depth} exceeds the limit of {max_depth}.", definition))

    return DepthLimit


def alias_limit_rule(max_fields: int) -> type[ValidationRule]:
    """Bounds aliases and root fields so one request cannot fan out into thousands of walks."""

    class AliasLimit(ValidationRule):
        def enter_document(self, node, *_):
            aliases = 0
            roots = 0
            for definition in node.definitions:
                if isinstance(definition, (OperationDefinitionNode, FragmentDefinitionNode)):
                    aliases += _count_aliases(definition.selection_set)
                if isinstance(definition, OperationDefinitionNode):
                    roots += len(definition.selection_set.selections)
            if aliases > max_fields or roots > max_fields:
                self.report_error(GraphQLError(
                    f"Too many aliases or root fields ({max(aliases, roots)}; the limit is {max_fields})."))

    return AliasLimit


def no_introspection_rule() -> type[ValidationRule]:
    class NoIntrospection(ValidationRule):
        def enter_field(self, node: FieldNode, *_):
            if node.name.value in {"__schema", "__type"}:
                self.report_error(GraphQLError("Introspection is disabled on this server.", node))

    return NoIntrospection


def _depth(selection_set, fragments, level, seen) -> int:
    if selection_set is None:
        return level
    deepest = level
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value.startswith("__"):
                continue  # introspection has its own switch (MDSKG_INTROSPECTION) and a fixed shape
            deepest = max(deepest, _depth(selection.selection_set, fragments, level + 1, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, level, seen))
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in seen or name not in fragments:
                continue
            deepest = max(deepest, _depth(fragments[name].selection_set, fragments, level, seen | {name}))
    return deepest


def _count_aliases(selection_set) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode) and selection.alias is not None:
            total += 1
        total += _count_aliases(getattr(selection, "selection_set", None))
    return total


class RateLimiter:
    """A sliding one-minute window per client key, in process memory (per gunicorn worker)."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._hits: dict[str, deque] = {}
        self._lock = threading.Lock()

    def check(self, client: str) -> float | None:
        """None when allowed; else the seconds until the client may try again."""
        if self.per_minute <= 0:
            return None
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(client, deque())
            while hits and now - hits[0] >= 60.0:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(0.0, 60.0 - (now - hits[0]))
            hits.append(now)
            if len(self._hits) > 10000:  # forget idle clients so memory stays bounded
                for key in [k for k, v in self._hits.items() if not v or now - v[-1] >= 60.0]:
                    del self._hits[key]
        return None


def bearer_token_ok(header: str | None, keys: tuple[str, ...]) -> bool:
    if not keys:
        return True
    if not header or not header.lower().startswith("bearer "):
        return False
    token = header[7:].strip()
    return any(hmac.compare_digest(token.encode(), key.encode()) for key in keys)


MAX_JSON_DEPTH = 64


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when JSON nests deeper than `limit` (the parser would recurse that deep)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False
