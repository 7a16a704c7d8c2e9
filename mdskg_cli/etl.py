"""`mdskg etl [paths]`: read → extract → rows → load (etl/run.py), with a run report; and
`mdskg etl pubmed --query … --max N` / `mdskg etl trials --condition … --max N`: fetch into a
folder, then run the ordinary ETL over what was fetched.

A broken document is reported and skipped while the rest loads; the exit code says whether
anything was skipped (0 all loaded, 2 some skipped, 1 failed)."""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from pathlib import Path

from mdskg.settings import PROJECT_ROOT, Settings

FETCH_SOURCES = ("pubmed", "trials")


def etl_command(args: Namespace, settings: Settings) -> int:
    if args.paths and args.paths[0] in FETCH_SOURCES:
        return fetch_command(args, settings)
    return run_etl_command(args, settings)


def run_etl_command(args: Namespace, settings: Settings) -> int:
    from etl.readers.errors import UnreadableDocument
    from etl.run import CORPUS_DIR, DEFAULT_REPORT, run_etl
    from graph.db import Graph, GraphUnavailable

    paths = [Path(p) for p in args.paths] or [CORPUS_DIR]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 1
    graph = Graph.connect(settings)
    try:
        report = run_etl(paths, graph, settings, args.extractor, args.strict, args.force, args.batch_size,
                         progress=not args.no_progress and sys.stderr.isatty())
    except UnreadableDocument as exc:
        print(f"error: {exc} (--strict stops at the first problem)", file=sys.stderr)
        return 1
    except GraphUnavailable as exc:
        print(f"error: Neo4j is not reachable ({str(exc).splitlines()[0]}); start it with `mdskg neo4j start`",
              file=sys.stderr)
        return 1
    finally:
        graph.close()
    print(report.to_text())
    out = Path(args.report) if args.report else DEFAULT_REPORT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report.to_json(), indent=2), encoding="utf-8")
    print(f"report: {out}")
    return 2 if report.problems else 0


def fetch_command(args: Namespace, settings: Settings) -> int:
    from etl.fetchers import FetchError
    from etl.fetchers.ctgov import download_trials
    from etl.fetchers.pubmed import download_pubmed

    source = args.paths[0]
    out = Path(args.out) if args.out else PROJECT_ROOT / ".cache" / "fetched" / source
    out.mkdir(parents=True, exist_ok=True)
    try:
        if source == "pubmed":
            if not args.query:
                print("error: `mdskg etl pubmed` needs --query", file=sys.stderr)
                return 1
            files = download_pubmed(args.query, out, args.max, api_key=settings.ncbi_api_key,
                                    base_url=settings.eutils_url, email=settings.ncbi_email)
        else:
            files = download_trials(args.condition, out, args.max, base_url=settings.ctgov_url)
    except FetchError as exc:
        print(f"error: fetching from {source} failed: {exc}", file=sys.stderr)
        return 1
    print(f"fetched {len(files)} file(s) into {out}")
    if not files:
        return 0
    return run_etl_command(Namespace(**{**vars(args), "paths": [str(out)]}), settings)
