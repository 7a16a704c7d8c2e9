"""`mdskg`: the parser and the commands — neo4j → graph init → etl → ask → serve."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable

from mdskg.settings import SettingsError, load_settings


def _fail(message: str, code: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


# ---- neo4j ---------------------------------------------------------------------------------
def cmd_neo4j(args: argparse.Namespace) -> int:
    from graph.server.manager import LocalNeo4j, Neo4jServerError, neo4j_version

    server = LocalNeo4j(load_settings())
    try:
        if args.action == "start":
            was_running = server.pid() is not None
            started = time.monotonic()
            status = server.start()
            what = "already running" if was_running else f"started in {time.monotonic() - started:.1f}s"
            print(f"Neo4j {neo4j_version()} {what} (pid {status.pid})")
            print(f"  Bolt:    {status.bolt_url}")
            print(f"  Browser: {status.browser_url}")
        elif args.action == "stop":
            print("Neo4j stopped" if server.stop() else "Neo4j was not running")
        else:
            status = server.status()
            if not status.running:
                print("Neo4j is not running")
                return 3
            server.wait_for_bolt(10)
            rss = server.memory_rss_mb()
            print(f"Neo4j {status.version} running (pid {status.pid}, {rss:.0f} MB resident)" if rss
                  else f"Neo4j {status.version} running (pid {status.pid})")
            print(f"  Bolt:    {status.bolt_url}")
            print(f"  Browser: {status.browser_url}")
    except Neo4jServerError as exc:
        return _fail(str(exc))
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    settings = load_settings()
    width = max(len(env) for env, _, _ in settings.masked())
    for env, shown, help_text in settings.masked():
        print(f"{env:<{width}}  {shown}")
        if args.verbose:
            print(f"{'':<{width}}  {help_text}")
    return 0


# ---- ontology and graph --------------------------------------------------------------------
def cmd_ontology(args: argparse.Namespace) -> int:
    from ontology.validate import main as check_main

    return check_main()


def cmd_graph(args: argparse.Namespace) -> int:
    from graph.db import Graph
    from graph.schema import init_schema

    graph = Graph.connect(load_settings())
    try:
        report = init_schema(graph)
        print(report.to_text())
        if args.action == "init" and args.with_ontology:
            from etl.run import load_ontology_concepts

            counts = load_ontology_concepts(graph)
            print(f"ontology loaded: {counts['nodes']} concepts, {counts['relationships']} curated relationships")
    finally:
        graph.close()
    return 0


# ---- etl -----------------------------------------------------------------------------------
def cmd_etl(args: argparse.Namespace) -> int:
    from mdskg_cli.etl import etl_command

    return etl_command(args, load_settings())


# ---- export --------------------------------------------------------------------------------
def cmd_export(args: argparse.Namespace) -> int:
    from mdskg_cli.export import export_command

    return export_command(args, load_settings())


# ---- curation ------------------------------------------------------------------------------
def cmd_curation(args: argparse.Namespace) -> int:
    from etl.curation import curation_diff
    from graph.db import Graph, GraphUnavailable

    graph = Graph.connect(load_settings())
    try:
        report = curation_diff(graph)
    except GraphUnavailable as exc:
        return _fail(f"Neo4j is not reachable ({str(exc).splitlines()[0]}); start it with `mdskg neo4j start`")
    finally:
        graph.close()
    print(json.dumps(report.to_json(), indent=2, ensure_ascii=False) if args.json else report.to_text())
    return 0


# ---- ask / serve / patient -----------------------------------------------------------------
def cmd_ask(args: argparse.Namespace) -> int:
    from mdskg_cli.ask import ask_command

    return ask_command(args, load_settings())


def cmd_serve(args: argparse.Namespace) -> int:
    import subprocess

    settings = load_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"GraphQL (GraphiQL in a browser): http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}/graphql")
    print(f"Reference app:                   http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}/")
    print(f"Neo4j Browser:                   http://localhost:{settings.neo4j_http_port}/browser/")
    cmd = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(settings.workers),
           "--threads", str(settings.threads), "--timeout", str(int(settings.request_deadline_s) + 30),
           "--access-logfile", "-", "--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(L)ss rid=%({x-request-id}o)s',
           "service.wsgi:app"]
    return subprocess.call(cmd)


def cmd_patient(args: argparse.Namespace) -> int:
    from mdskg_cli.patient import patient_command

    return patient_command(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mdskg",
        description="MDS knowledge graph: literature → extraction → Neo4j → GraphQL → written answer.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("neo4j", help="start, stop or check the local Neo4j Community server")
    p.add_argument("action", choices=["start", "stop", "status"])
    p.set_defaults(func=cmd_neo4j)

    p = sub.add_parser("config", help="print the settings (secrets masked)")
    p.add_argument("-v", "--verbose", action="store_true", help="also print what each setting does")
    p.set_defaults(func=cmd_config)

    p = sub.add_parser("ontology", help="validate the ontology data")
    p.add_argument("action", choices=["check"])
    p.set_defaults(func=cmd_ontology)

    p = sub.add_parser("graph", help="create constraints and indexes (idempotent)")
    p.add_argument("action", choices=["init"])
    p.add_argument("--with-ontology", action="store_true", help="also load the ontology's concepts and curated edges")
    p.set_defaults(func=cmd_graph)

    p = sub.add_parser("etl", help="read literature, extract, and load the graph")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled corpus); or 'pubmed' / 'trials'")
    p.add_argument("--query", help="with 'pubmed': the PubMed query")
    p.add_argument("--condition", default="myelodysplastic", help="with 'trials': the condition")
    p.add_argument("--max", type=int, default=100, help="with 'pubmed'/'trials': most records to fetch")
    p.add_argument("--out", help="with 'pubmed'/'trials': folder for fetched files (default: .cache/fetched)")
    p.add_argument("--extractor", default="rules", choices=["rules", "claude"])
    p.add_argument("--strict", action="store_true", help="stop at the first bad document")
    p.add_argument("--force", action="store_true", help="re-extract documents whose content did not change")
    p.add_argument("--batch-size", type=int, default=None,
                   help="rows per write transaction (default: graph/load.py DEFAULT_BATCH_SIZE, 5000, the fastest "
                        "in bench/loading.py)")
    p.add_argument("--report", help="write the run report as JSON here (default: .cache/etl-report.json)")
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=cmd_etl)

    p = sub.add_parser("export", help="write the graph in an exchange format (kgx: Biolink KGX JSON Lines)")
    p.add_argument("format", choices=["kgx"])
    p.add_argument("directory", help="folder for nodes.jsonl and edges.jsonl (created if missing)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("curation", help="compare extracted recommendations with the curated guideline logic")
    p.add_argument("action", choices=["diff"])
    p.add_argument("--json", action="store_true", help="print the disagreements as a JSON list")
    p.set_defaults(func=cmd_curation)

    p = sub.add_parser("ask", help="answer a question in the terminal")
    p.add_argument("question")
    p.add_argument("--patient", help="a patient JSON file (PatientInput fields, FHIR Bundle or Phenopacket)")
    p.add_argument("--json", action="store_true", help="print the whole Answer as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("serve", help="serve GraphQL with gunicorn")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("patient", help="patient records")
    p.add_argument("action", choices=["import"])
    p.add_argument("file")
    p.set_defaults(func=cmd_patient)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        command: Callable[[argparse.Namespace], int] = args.func
        return command(args)
    except SettingsError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
