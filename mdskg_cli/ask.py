"""`mdskg ask "…" [--patient file.json]`: the same Answer as the API, in the terminal."""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mdskg.settings import Settings


def _load_patient(path: str) -> dict[str, Any]:
    from service.patient.inputs import import_record, patient_record_to_input

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SystemExit(f"error: cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise SystemExit(f"error: {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise SystemExit(f"error: {path} must hold a JSON object (a patient, a FHIR Bundle or a Phenopacket)")
    if (data.get("resourceType") == "Bundle" or "phenotypicFeatures" in data
                                   or "metaData" in data):
        _, result = import_record(data)
        return patient_record_to_input(result.patient)
    return data


def _snake(data: dict[str, Any]) -> dict[str, Any]:
    import re

    out = {}
    for key, value in data.items():
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower().replace("per8wk", "per_8wk")
        out[snake] = value
    return out


def ask_command(args: Namespace, settings: Settings) -> int:
    from graph.db import Graph, GraphUnavailable
    from service.answer import answer_question
    from service.errors import UserFacingError

    graph = Graph.connect(settings)
    try:
        if args.patient:
            from service.patient.answer import answer_for_patient
            from service.patient.inputs import to_patient_record

            raw = _load_patient(args.patient)
            try:
                result = answer_for_patient(graph, graph, args.question, to_patient_record(_snake(raw)), settings,
                                            settings.request_deadline_s)
            except UserFacingError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            answer = result.answer
        else:
            answer = answer_question(graph, args.question, settings)
    except GraphUnavailable:
        print("error: Neo4j is not reachable; start it with `mdskg neo4j start`", file=sys.stderr)
        return 1
    finally:
        graph.close()
    if args.json:
        print(json.dumps(asdict(answer), indent=2, default=str))
        return 0
    print(f"# {answer.question}\n")
    print(answer.text)
    if answer.paths:
        print("\n## Paths walked\n")
        for path in answer.paths[:5]:
            print(f"- {path.text}")
    print("\n## Sources\n")
    for i, c in enumerate(answer.citations, start=1):
        year = f" ({c.year})" if c.year else ""
        url = f" {c.url}" if c.url else ""
        print(f"[{i}] {c.title}{year} [{c.id}]{url}")
    print(f"\nwriter: {answer.writer}; grounded: {'yes' if answer.grounded else 'no'}")
    print(f"\n{answer.disclaimer}")
    return 0
