"""`mdskg export kgx <dir>`: the graph as Biolink KGX (nodes.jsonl, edges.jsonl), checked after writing."""

from __future__ import annotations

import argparse
import sys

from mdskg.settings import Settings


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    from graph.db import Graph, GraphUnavailable
    from graph.export.kgx import export_kgx, validate_kgx

    graph = Graph.connect(settings)
    try:
        report = export_kgx(graph, args.directory)
    except GraphUnavailable as exc:
        print(f"error: Neo4j is not reachable ({str(exc).splitlines()[0]}); start it with `mdskg neo4j start`",
              file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {args.directory}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        graph.close()
    print(report.to_text())
    problems = validate_kgx(args.directory)
    if problems:
        print(f"error: the export has {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("checked: ids are CURIEs, categories and predicates are the model's Biolink ones, every edge's ends "
          "are nodes, every edge has its knowledge source")
    return 0
