"""Every Cypher statement the project runs lives in this folder, loaded by name."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The statement in `<name>.cypher`; comments starting with // are kept (Cypher allows them)."""
    path = CYPHER_DIR / f"{name}.cypher"
    if not path.is_file():
        raise KeyError(f"no Cypher statement named {name!r} in {CYPHER_DIR}")
    return path.read_text(encoding="utf-8").strip()


def names() -> list[str]:
    return sorted(p.stem for p in CYPHER_DIR.glob("*.cypher"))
