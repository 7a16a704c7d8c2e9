"""Capture the fact sets of the writer adversarial suite from the real system.

    MDSKG_TEST_NEO4J_HOME=… MDSKG_TEST_NEO4J_BOLT_PORT=… MDSKG_TEST_NEO4J_HTTP_PORT=… \\
        python -m bench.writer_capture [--out tests/data/writer_adversarial/facts] [--keep-neo4j]

Starts the test Neo4j of tests/conftest.py (its home and ports from the same environment variables),
loads the bundled corpus with the real ETL the way the `loaded_graph` fixture does, asks each question of
`QUESTIONS` through `service.answer.answer_question` (one with a patient profile through
`service.patient.answer.answer_for_patient`) and saves the `WriterInput` the writer receives as YAML,
one file per question. The suite (bench/writer_eval.py) reads these files back; nothing else needs Neo4j.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.writer_eval import FACTS_DIR, writer_input_to_dict
from service.writers import TemplateWriter, WriterInput, WrittenAnswer


@dataclass(frozen=True)
class Question:
    name: str
    text: str
    patient: dict | None = None  # PatientInput fields for the patient-profile question


QUESTIONS: tuple[Question, ...] = (
    Question("luspatercept", "What is luspatercept and does it work?"),
    Question("ist_hypocellular", "Does immunosuppressive therapy help in hypocellular lower-risk MDS?"),
    Question("azacitidine_higher_risk", "What is azacitidine and does it help in higher-risk MDS?"),
    Question("transplant", "Who should get a stem cell transplant for MDS?"),
    Question("lenalidomide_del5q", "Does lenalidomide work for MDS with del(5q), and without it?"),
    Question("esa_epo", "Do ESAs help anemia in lower-risk MDS, and what serum EPO level matters?"),
    Question("imetelstat", "What is imetelstat and who is it for?"),
    Question("compare_luspatercept_esa", "Is luspatercept better than an ESA?"),
    Question("patient_lower_risk", "What are my treatment options?", patient={
        "age": 72, "marrow_blasts_pct": 2.0, "karyotype": "46,XY[20]", "hemoglobin": "8.5 g/dL",
        "platelets": "180 x10^9/L", "anc": "2.1 x10^9/L", "serum_epo": "120 U/L",
        "transfusion_dependent": True, "ring_sideroblasts_pct": 20.0, "mutations": ["SF3B1"]}),
    Question("checkpoint_inhibitors", "Is pembrolizumab or another checkpoint inhibitor a treatment for MDS?"),
)


class CapturingWriter:
    """The template writer, remembering the WriterInput it was given."""

    def __init__(self) -> None:
        self.inputs: list[WriterInput] = []
        self.template = TemplateWriter()

    def write(self, inp: WriterInput) -> WrittenAnswer:
        self.inputs.append(inp)
        return self.template.write(inp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FACTS_DIR)
    parser.add_argument("--keep-neo4j", action="store_true", help="leave the test Neo4j running afterwards")
    parser.add_argument("--no-load", action="store_true", help="the server runs and is loaded already")
    args = parser.parse_args(argv)

    from etl.run import CORPUS_DIR, run_etl
    from graph.db import Graph
    from graph.server.manager import LocalNeo4j
    from service.answer import answer_question
    from service.patient.answer import answer_for_patient
    from service.patient.record import PatientInput
    from tests.conftest import TEST_HOME, make_settings

    settings = make_settings()
    server = LocalNeo4j(settings)
    if not args.no_load:
        if server.pid() is not None:
            server.stop()
        for sub in ("data", "logs", "run"):
            shutil.rmtree(TEST_HOME / sub, ignore_errors=True)
        (TEST_HOME / "credentials").unlink(missing_ok=True)
        server.start()
    graph = Graph.connect(settings)
    try:
        if not args.no_load:
            graph.write_text("MATCH (n) DETACH DELETE n")
            report = run_etl([CORPUS_DIR], graph, settings, force=True)
            if report.problems:
                print(report.to_text(), file=sys.stderr)
                return 1
        args.out.mkdir(parents=True, exist_ok=True)
        for q in QUESTIONS:
            writer = CapturingWriter()
            if q.patient is None:
                answer_question(graph, q.text, settings, deadline_s=30.0, writer=writer)
            else:
                record = PatientInput(**q.patient)
                answer_for_patient(graph, graph, q.text, record, settings, 30.0, writer=writer)
            inp = writer.inputs[-1]
            data = {"name": q.name, "captured_with": "python -m bench.writer_capture",
                    **writer_input_to_dict(inp)}
            path = args.out / f"{q.name}.yaml"
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110))
            print(f"{path}: intent {inp.intent}, {len(inp.facts)} facts, {len(inp.citations)} citations")
    finally:
        graph.close()
        if not args.keep_neo4j:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
