"""Where the shared public test data lives, and how a test that needs part of it skips without it.

The data (`shared/`, see its README) is real public material whose licences are not ours, so it is
not in the repository: it sits beside the project root as `../shared`, or wherever the environment
variable MDSKG_SHARED_DIR says. A clone with nothing beside it still runs the whole suite; every
test that reads a shared file is skipped with a reason naming that file and where it comes from.

    from tests.shared_data import requires_shared, shared_path

    EXAMPLES = shared_path("data/ipssm/IPSSMexample.csv")

    @requires_shared(EXAMPLES)                      # or the relative name itself
    def test_reference_examples(): ...

In a fixture, `skip_without_shared(...)` does the same imperatively.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mdskg.settings import PROJECT_ROOT

ENV_VAR = "MDSKG_SHARED_DIR"
README_HINT = "README: 'Tests that read ../shared'"

# Where each part of the shared folder comes from (shared/README.md and each folder's SOURCE.md).
SOURCES = {
    "data/literature/pdq": "NCI PDQ summaries, public domain",
    "data/ctgov": "ClinicalTrials.gov records from the AACT loader's test fixtures, MIT",
    "data/ner/ncbi_disease": "NCBI-disease NER corpus, test split, public domain",
    "data/ner/bc5cdr": "BC5CDR NER corpus, test split, CC BY 4.0",
    "data/phenopackets": "GA4GH phenopackets from monarch-initiative/phenopacket-store, BSD-3",
    "data/oncotree": "OncoTree myeloid subtree, CC BY 4.0",
    "data/ipssm": "IPSS-M example patients and expected scores of the papaemmelab/ipssm R package, MIT",
    "data/real": "real MDS trial eligibility text and PubMed abstracts",
}


def shared_root() -> Path:
    """`PROJECT_ROOT.parent / "shared"`, unless MDSKG_SHARED_DIR names another folder."""
    configured = os.environ.get(ENV_VAR, "").strip()
    return Path(configured).expanduser() if configured else PROJECT_ROOT.parent / "shared"


SHARED = shared_root()


def shared_path(relative: str | Path) -> Path:
    """A path inside the shared folder (which may not exist: check with `requires_shared`)."""
    return SHARED / relative


def _relative(path: str | Path) -> str:
    path = Path(path)
    if path.is_absolute():
        try:
            path = path.relative_to(SHARED)
        except ValueError:
            return str(path)
    return path.as_posix()


def _source(relative: str) -> str:
    for prefix, source in SOURCES.items():
        if relative == prefix or relative.startswith(prefix + "/"):
            return source
    return "see shared/README.md"


def missing_reason(*paths: str | Path) -> str | None:
    """None when every path exists in the shared folder, else why a test that needs them skips."""
    missing = [_relative(p) for p in paths if not shared_path(_relative(p)).exists()]
    if not missing:
        return None
    sources = "; ".join(dict.fromkeys(_source(m) for m in missing))
    where = "folder missing" if not SHARED.is_dir() else "file missing"
    return (f"needs shared test data {', '.join(missing)} ({sources}); {where} under {SHARED}: "
            f"put shared/ beside the project root or set {ENV_VAR} ({README_HINT})")


def requires_shared(*paths: str | Path) -> pytest.MarkDecorator:
    """A `skipif` mark: skip, naming the files, unless each exists in the shared folder."""
    reason = missing_reason(*paths)
    return pytest.mark.skipif(reason is not None, reason=reason or "shared data present")


def skip_without_shared(*paths: str | Path) -> None:
    """For fixtures: `pytest.skip` with the same reason when a path is missing."""
    reason = missing_reason(*paths)
    if reason is not None:
        pytest.skip(reason)
