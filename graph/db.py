"""The Neo4j driver, used the way that scales out unchanged.

One driver per process; reads go through `execute_query(routing_=READ)` (routed to readers on
a cluster or Aura), writes through managed write transactions (routed to the leader, retried
by the driver on transient errors). Values always travel as parameters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j import GraphDatabase, RoutingControl

from graph import cypher
from mdskg.errors import MdskgError
from mdskg.settings import Settings

log = logging.getLogger(__name__)


class GraphUnavailable(MdskgError, RuntimeError):
    """Neo4j cannot be reached (stopped, starting, network)."""


class Graph:
    def __init__(self, driver: neo4j.Driver, database: str):
        self.driver = driver
        self.database = database

    @classmethod
    def connect(cls, settings: Settings) -> Graph:
        password = settings.resolved_neo4j_password
        driver = GraphDatabase.driver(
            settings.neo4j_uri,
            auth=(settings.neo4j_user, password or ""),
            connection_acquisition_timeout=10.0,
            connection_timeout=5.0,
            max_transaction_retry_time=5.0,
            notifications_min_severity="OFF",
        )
        return cls(driver, settings.neo4j_database)

    def close(self) -> None:
        self.driver.close()

    # ---- reads ----------------------------------------------------------------------------
    def read(self, name: str, timeout_s: float | None = None, **params: Any) -> list[dict[str, Any]]:
        """Run the named Cypher statement as a routed read; rows as dicts."""
        return self.read_text(cypher.load(name), timeout_s=timeout_s, **params)

    def read_text(self, statement: str, timeout_s: float | None = None, **params: Any) -> list[dict[str, Any]]:
        query = neo4j.Query(statement, timeout=timeout_s) if timeout_s else statement
        try:
            records, _, _ = self.driver.execute_query(
                query, parameters_=params, routing_=RoutingControl.READ, database_=self.database)
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as exc:
            raise GraphUnavailable(str(exc)) from exc
        return [record.data() for record in records]

    @contextmanager
    def reading(self, timeout_s: float | None = None) -> Iterator[TransactionReads]:
        """One read transaction for a series of reads (an answer runs about a dozen): one
        BEGIN/ROLLBACK and one pooled connection instead of one of each per statement, and one
        timeout for the whole series. Opened on the first read, so a series served from a cache
        opens none."""
        reads = TransactionReads(self, timeout_s)
        try:
            yield reads
        finally:
            reads.close()

    # ---- writes ---------------------------------------------------------------------------
    def write(self, name: str, **params: Any) -> neo4j.ResultSummary:
        return self.write_text(cypher.load(name), **params)

    def write_text(self, statement: str, **params: Any) -> neo4j.ResultSummary:
        try:
            _, summary, _ = self.driver.execute_query(
                statement, parameters_=params, routing_=RoutingControl.WRITE, database_=self.database)
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as exc:
            raise GraphUnavailable(str(exc)) from exc
        return summary

    def write_batches(self, statement: str | Callable[[Any], str], rows: Iterable[dict[str, Any]],
                      batch_size: int = 1000, on_batch: Callable[[int], None] | None = None,
                      group_by: str | None = None, **params: Any) -> int:
        """`UNWIND $rows …` in managed write transactions of `batch_size` rows; returns rows written.

        With `group_by`, a batch holds only rows with the same value of that key (a change of
        value closes the batch), and `statement` is a function of that value giving the batch's
        statement (the loader uses it for one statement per relationship type).
        """
        written = 0
        batch: list[dict[str, Any]] = []
        group: Any = None

        def flush() -> None:
            nonlocal written
            if not batch:
                return
            text = statement(group) if callable(statement) else statement

            def work(tx: neo4j.ManagedTransaction) -> None:
                tx.run(text, rows=batch, **params).consume()

            try:
                with self.driver.session(database=self.database) as session:
                    session.execute_write(work)
            except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as exc:
                raise GraphUnavailable(str(exc)) from exc
            written += len(batch)
            if on_batch:
                on_batch(len(batch))
            batch.clear()

        for row in rows:
            if group_by is not None and row[group_by] != group:
                flush()
                group = row[group_by]
            batch.append(row)
            if len(batch) >= batch_size:
                flush()
        flush()
        return written

    def ping(self) -> bool:
        try:
            self.driver.verify_connectivity()
            return True
        except Exception:  # noqa: BLE001 - any failure means "not reachable" for a health check
            return False


class TransactionReads:
    """`read`/`read_text` inside one lazily opened read transaction (see `Graph.reading`)."""

    def __init__(self, graph: Graph, timeout_s: float | None):
        self._graph = graph
        self._timeout_s = timeout_s
        self._session: neo4j.Session | None = None
        self._tx: neo4j.Transaction | None = None

    def read(self, name: str, timeout_s: float | None = None, **params: Any) -> list[dict[str, Any]]:
        return self.read_text(cypher.load(name), timeout_s=timeout_s, **params)

    def read_text(self, statement: str, timeout_s: float | None = None, **params: Any) -> list[dict[str, Any]]:
        try:
            if self._tx is None:
                self._session = self._graph.driver.session(database=self._graph.database,
                                                           default_access_mode=neo4j.READ_ACCESS)
                self._tx = self._session.begin_transaction(timeout=timeout_s or self._timeout_s)
            return self._tx.run(statement, params).data()
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as exc:
            self.close()
            raise GraphUnavailable(str(exc)) from exc

    def close(self) -> None:
        tx, session = self._tx, self._session
        self._tx = self._session = None
        try:
            if tx is not None:
                tx.close()  # rolls back: a read transaction has nothing to keep, its reads have returned
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
            pass  # closing after a failed read or a lost connection: the error that matters was raised
        finally:
            if session is not None:
                session.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._graph, name)
