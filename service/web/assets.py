"""Fetch the web scripts the service serves itself (GraphiQL, React) from the npm registry.

`python -m service.web.assets` runs `npm ci` against the committed package-lock.json once and
copies the few files pages need into static/vendor/ (git-ignored). Pages then load nothing
from outside the service.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parent
VENDOR = WEB / "static" / "vendor"
FILES = {
    "node_modules/graphiql/graphiql.min.js": "graphiql.min.js",
    "node_modules/graphiql/graphiql.min.css": "graphiql.min.css",
    "node_modules/react/umd/react.production.min.js": "react.production.min.js",
    "node_modules/react-dom/umd/react-dom.production.min.js": "react-dom.production.min.js",
}


def ready() -> bool:
    return all((VENDOR / name).is_file() for name in FILES.values())


def ensure_assets() -> None:
    if ready():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("error: npm is missing; it fetches GraphiQL's scripts once (apt-get install npm)")
    result = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=WEB,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit("error: npm ci failed: " + (result.stderr.strip().splitlines() or ["?"])[-1])
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, name in FILES.items():
        shutil.copyfile(WEB / source, VENDOR / name)
    shutil.rmtree(WEB / "node_modules", ignore_errors=True)


if __name__ == "__main__":
    ensure_assets()
    print(f"web assets ready in {VENDOR}", file=sys.stderr)
