"""One error shape for the API.

Expected problems raise `UserFacingError` (message shown as is, with a code); anything else
is logged with the request id and masked.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError

log = logging.getLogger("mdskg.errors")


class UserFacingError(Exception):
    code = "BAD_INPUT"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


class ServiceUnavailableError(UserFacingError):
    code = "SERVICE_UNAVAILABLE"


def format_error(error: GraphQLError, request_id: str) -> dict:
    """The one error shape: message, code, request id; masked when unexpected."""
    original = error.original_error
    if original is None:  # syntax / validation errors are about the request itself
        code, message = "GRAPHQL_VALIDATION_FAILED", error.message
    elif isinstance(original, UserFacingError):
        code, message = original.code, str(original)
    else:
        from graph.db import GraphUnavailable

        if isinstance(original, GraphUnavailable):
            code, message = "SERVICE_UNAVAILABLE", "The knowledge graph database is not reachable right now. Please try again shortly."
        else:
            log.error("unexpected error [request %s] at %s: %r", request_id, error.path, original,
                      exc_info=(type(original), original, original.__traceback__))
            code, message = "INTERNAL_ERROR", f"Internal error (request id {request_id})."
    shaped: dict = {"message": message, "extensions": {"code": code, "requestId": request_id}}
    if error.locations:
        shaped["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path:
        shaped["path"] = list(error.path)
    return shaped
