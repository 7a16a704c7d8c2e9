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
