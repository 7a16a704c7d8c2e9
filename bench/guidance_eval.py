"""The vignette table: every fictional patient of tests/data/vignettes through GraphQL `treatmentPlan`
against a real Neo4j loaded with the ontology and its curated guideline logic.

    python -m bench.guidance_eval [--json PATH]

Starts its own Neo4j (bench home, free ports), loads `graph init --with-ontology`, serves the app in
process and prints one row per vignette with the totals by branch.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)

    from bench.common import BenchServer
    from bench.vignettes import load_vignettes, run_vignettes, table
    from etl.run import load_ontology_concepts
    from graph.db import Graph
    from graph.schema import init_schema
    from service.app import create_app

    vignettes = load_vignettes()
    with BenchServer(log=lambda m: print(m, file=sys.stderr)) as server:
        graph = Graph.connect(server.settings)
        try:
            init_schema(graph)
            load_ontology_concepts(graph)
            app = create_app({"SETTINGS": server.settings.with_overrides(response_cache_entries=0), "GRAPH": graph,
                              "TESTING": True})
            results = run_vignettes(app.test_client(), vignettes)
        finally:
            graph.close()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps([{"id": r.vignette.id, "branch": r.vignette.branch, "passed": r.passed,
                                          "problems": r.problems, "error": r.error,
                                          "preferred": r.preferred_got} for r in results], indent=2))
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
