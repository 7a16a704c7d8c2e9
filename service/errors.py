"""One error shape for the API.

Expected problems raise `UserFacingError` (message shown as is, with a code); anything else
is logged with the request id and masked.
"""

from __future__ import annotations

import logging
import traceback

from graphql import GraphQLError

from mdskg.errors import MdskgError

log = logging.getLogger("mdskg.errors")


class UserFacingError(MdskgError):
    code = "BAD_INPUT"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


def format_errors(errors: list[GraphQLError], request_id: str) -> list[dict]:
    """Every error in the one shape; an invalid patient becomes one error per invalid value, each with
    `extensions.inputPath` (e.g. ["patient", "marrowBlastsPct"]), `extensions.field` and `extensions.reason`."""
    out: list[dict] = []
    for error in errors:
        shaped = format_error(error, request_id)
        problems = getattr(error.original_error, "problems", None)
        if not problems:
            out.append(shaped)
            continue
        argument = getattr(error.original_error, "argument", "patient")
        for problem in problems:
            one = {**shaped, "extensions": {**shaped["extensions"]}}
            input_path = [argument, *problem.path]
            one["message"] = f"{_dotted(input_path)}: {problem.message}"
            one["extensions"].update(inputPath=input_path, field=problem.field, reason=problem.reason)
            out.append(one)
    return out


def _dotted(path: list) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# ---- warnings: the request ran, but something in it was not used as sent ------------------------------

def add_warning(code: str, message: str, input_path: list | None = None) -> None:
    """A warning for the response's `extensions.warnings` (e.g. a gene no rule reads). Outside a request
    (the CLI), warnings are dropped."""
    from flask import g, has_request_context

    if not has_request_context():
        return
    warnings = g.setdefault("mdskg_warnings", [])
    warning: dict = {"code": code, "message": message}
    if input_path:
        warning["inputPath"] = list(input_path)
        warning["field"] = next((p for p in input_path[1:] if isinstance(p, str)), input_path[0])
    if warning not in warnings:
        warnings.append(warning)


def request_warnings() -> list[dict]:
    from flask import g, has_request_context

    return list(g.get("mdskg_warnings") or []) if has_request_context() else []


def format_error(error: GraphQLError, request_id: str) -> dict:
    """The one error shape: message, code, request id; masked when unexpected."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        # Syntax, validation and variable-coercion errors are about the request itself; the
        # server's own document rules (service/http.py) name theirs.
        code, message = (error.extensions or {}).get("code") or "GRAPHQL_VALIDATION_FAILED", error.message
    elif isinstance(original, UserFacingError):
        code, message = original.code, str(original)
    else:
        from graph.db import GraphUnavailable

        if isinstance(original, GraphUnavailable):
            code, message = "SERVICE_UNAVAILABLE", "The knowledge graph database is not reachable right now. Please try again shortly."
        else:
            # The exception's message may quote request values (a patient's numbers), so only its
            # type and the code locations are logged; the request id ties the log to the caller.
            frames = "".join(traceback.format_tb(original.__traceback__)) if original.__traceback__ else ""
            log.error("unexpected error [request %s] at %s: %s\n%s", request_id, error.path,
                      type(original).__name__, frames)
            code, message = "INTERNAL_ERROR", f"Internal error (request id {request_id})."
    shaped: dict = {"message": message, "extensions": {"code": code, "requestId": request_id}}
    if error.locations:
        shaped["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        shaped["path"] = list(error.path)
    return shaped
