"""APOC core on the test server (graph/server/plugins.xml, apoc.conf): a subgraph exported to CSV in the import
folder with `apoc.export.csv.query`, read back and compared with the same query's rows."""

from __future__ import annotations

import csv

QUERY = ("MATCH (r:Recommendation)-[:RECOMMENDS]->(t:Therapy {id: 'MDSKG:therapy/ist'}) "
         "MATCH (r)-[h:HAS_CRITERION]->(c:Criterion) "
         "RETURN r.id AS recommendation, r.strength AS strength, h.role AS role, c.variable AS variable, "
         "c.value_text AS value ORDER BY recommendation, role, variable, value")


def test_apoc_is_installed_with_file_export_into_the_import_folder(neo4j_server, loaded_graph):
    (version,) = loaded_graph.read_text("RETURN apoc.version() AS v")
    assert version["v"].startswith("5.26.")
    conf = (neo4j_server.home / "conf" / "apoc.conf").read_text(encoding="utf-8")
    assert "apoc.export.file.enabled=true" in conf


def test_apoc_exports_a_subgraph_to_csv(neo4j_server, loaded_graph):
    target = neo4j_server.import_dir / "ist-criteria.csv"
    target.unlink(missing_ok=True)
    (result,) = loaded_graph.read_text(
        "CALL apoc.export.csv.query($query, $file, {}) YIELD file, rows RETURN file, rows",
        query=QUERY, file=target.name)
    expected = loaded_graph.read_text(QUERY)
    assert result == {"file": target.name, "rows": len(expected)} and len(expected) > 5
    with target.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert written == [{k: "" if v is None else str(v) for k, v in row.items()} for row in expected]


def test_apoc_export_cannot_leave_the_import_folder(loaded_graph):
    import pytest
    from neo4j.exceptions import ClientError

    with pytest.raises(ClientError):
        loaded_graph.read_text("CALL apoc.export.csv.query($query, $file, {}) YIELD file RETURN file",
                               query="RETURN 1 AS one", file="../outside.csv")
