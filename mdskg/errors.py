"""The root of every exception this project raises on purpose.

`except MdskgError` catches any of them; each keeps the standard base it had before
(`RuntimeError`, `ValueError`, …), so code that catches those still does.
"""

from __future__ import annotations


class MdskgError(Exception):
    """Every exception class in graph/, etl/, ontology/, service/ and mdskg/ derives from this."""
