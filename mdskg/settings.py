"""Settings, declared once with a default and help, read from environment variables.

A `.env` file in the working directory is read if present (values already in the
environment win). Secrets are never written to files by this project; `mdskg config`
prints them masked.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mdskg.errors import MdskgError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str  # attribute name on Settings
    env: str  # environment variable
    default: Any
    help: str
    cast: Callable[[str], Any] = str
    secret: bool = False


def _bool(value: str) -> bool:
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


SETTINGS: tuple[Setting, ...] = (
    Setting("neo4j_uri", "NEO4J_URI", "neo4j://localhost:7687",
            "Bolt URI. neo4j:// (routing) works for a single server, a cluster and Aura (neo4j+s://)."),
    Setting("neo4j_user", "NEO4J_USER", "neo4j", "Neo4j user name."),
    Setting("neo4j_password", "NEO4J_PASSWORD", None,
            "Neo4j password. Unset: the local server's generated password in .neo4j/credentials is used.",
            secret=True),
    Setting("neo4j_database", "NEO4J_DATABASE", "neo4j", "Neo4j database name."),
    Setting("neo4j_home", "MDSKG_NEO4J_HOME", str(PROJECT_ROOT / ".neo4j"),
            "Where the local Neo4j server keeps its jars, configuration, data and logs (git-ignored)."),
    Setting("neo4j_http_port", "MDSKG_NEO4J_HTTP_PORT", 7474, "HTTP port of the local Neo4j server (Browser).", int),
    Setting("neo4j_bolt_port", "MDSKG_NEO4J_BOLT_PORT", 7687, "Bolt port of the local Neo4j server.", int),
    Setting("java_home", "MDSKG_JAVA_HOME", None,
            "JDK for the local Neo4j server (needs Java 21+). Unset: JAVA_HOME if new enough, else the newest JDK under /usr/lib/jvm."),
    Setting("anthropic_api_key", "ANTHROPIC_API_KEY", None,
            "Anthropic API key. Unset: answers are written by the deterministic template writer.", secret=True),
    Setting("anthropic_base_url", "ANTHROPIC_BASE_URL", None, "Anthropic API base URL (tests point it at a loopback fake)."),
    Setting("claude_model", "MDSKG_CLAUDE_MODEL", "claude-sonnet-5", "Claude model that writes answers."),
    Setting("llm_timeout_s", "MDSKG_LLM_TIMEOUT_S", 20.0, "Timeout of one Claude request, in seconds.", float),
    Setting("llm_max_retries", "MDSKG_LLM_MAX_RETRIES", 2, "Retries of a failed Claude request.", int),
    Setting("llm_max_tokens", "MDSKG_LLM_MAX_TOKENS", 1500, "Most tokens Claude may write for one answer.", int),
    Setting("host", "MDSKG_HOST", "127.0.0.1", "Address the GraphQL service listens on."),
    Setting("port", "MDSKG_PORT", 8000, "Port the GraphQL service listens on.", int),
    Setting("workers", "MDSKG_WORKERS", 2, "gunicorn worker processes.", int),
    Setting("threads", "MDSKG_THREADS", 8, "Threads per gunicorn worker.", int),
    Setting("request_deadline_s", "MDSKG_REQUEST_DEADLINE_S", 30.0,
            "Deadline of one GraphQL request; passed down as the Neo4j transaction timeout and LLM timeout.", float),
    Setting("response_cache_entries", "MDSKG_RESPONSE_CACHE_ENTRIES", 512,
            "GraphQL responses kept per worker for repeated questions (0: no response cache). Never holds patient data.", int),
    Setting("read_cache_entries", "MDSKG_READ_CACHE_ENTRIES", 2048,
            "Graph reads kept per worker for composing answers (0: no read cache).", int),
    Setting("graph_version_check_s", "MDSKG_GRAPH_VERSION_CHECK_S", 1.0,
            "How often, in seconds, a worker re-reads the graph's version that keys both caches (0: every request).", float),
    Setting("graphiql", "MDSKG_GRAPHIQL", True, "Serve GraphiQL in the browser at /graphql.", _bool),
    Setting("introspection", "MDSKG_INTROSPECTION", True, "Allow GraphQL introspection queries.", _bool),
    Setting("max_query_depth", "MDSKG_MAX_QUERY_DEPTH", 12, "Deepest GraphQL query accepted.", int),
    Setting("max_aliases", "MDSKG_MAX_ALIASES", 30, "Most aliases/root fields in one GraphQL request.", int),
    Setting("max_query_chars", "MDSKG_MAX_QUERY_CHARS", 20000, "Longest GraphQL document accepted, in characters.", int),
    Setting("max_body_bytes", "MDSKG_MAX_BODY_BYTES", 1_000_000, "Largest HTTP request body accepted, in bytes.", int),
    Setting("cors_origins", "MDSKG_CORS_ORIGINS", (), "Comma-separated origins allowed by CORS (empty: same origin only).", _list),
    Setting("cors_max_age_s", "MDSKG_CORS_MAX_AGE_S", 600,
            "How long, in seconds, a browser may reuse a CORS preflight answer (Access-Control-Max-Age; 0: ask every time).", int),
    Setting("http_cache_max_age_s", "MDSKG_HTTP_CACHE_MAX_AGE_S", 60,
            "How long, in seconds, clients and caches may reuse a GET answer to a query without patient data (Cache-Control max-age; 0: revalidate with the ETag every time).", int),
    Setting("api_keys", "MDSKG_API_KEYS", (), "Comma-separated API keys; when set, requests need `Authorization: Bearer <key>`.", _list, secret=True),
    Setting("rate_limit_per_minute", "MDSKG_RATE_LIMIT_PER_MINUTE", 0, "Requests per minute per client (0: no limit).", int),
    Setting("ncbi_api_key", "NCBI_API_KEY", None, "NCBI E-utilities API key (optional; allows 10 requests/s instead of 3).",
            secret=True),
    Setting("ncbi_email", "MDSKG_NCBI_EMAIL", None, "Contact e-mail sent to NCBI with E-utilities requests (their policy asks for one)."),
    Setting("eutils_url", "MDSKG_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils",
            "E-utilities base URL (tests point it at a loopback fake)."),
    Setting("ctgov_url", "MDSKG_CTGOV_URL", "https://clinicaltrials.gov/api/v2",
            "ClinicalTrials.gov API v2 base URL (tests point it at a loopback fake)."),
    Setting("log_level", "MDSKG_LOG_LEVEL", "INFO", "Log level."),
)


def _read_dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def with_overrides(self, **overrides: Any) -> Settings:
        unknown = set(overrides) - {s.name for s in SETTINGS}
        if unknown:
            raise KeyError(f"unknown settings: {sorted(unknown)}")
        return Settings({**self.values, **overrides})

    def masked(self) -> list[tuple[str, str, str]]:
        rows = []
        for s in SETTINGS:
            value = self.values.get(s.name)
            if s.secret and value:
                shown = "****" + (str(value)[-2:] if len(str(value)) > 8 else "")
            elif value is None or value == ():
                shown = "(unset)"
            elif isinstance(value, tuple):
                shown = ",".join(value)
            else:
                shown = str(value)
            rows.append((s.env, shown, s.help))
        return rows

    @property
    def resolved_neo4j_password(self) -> str | None:
        if self.values.get("neo4j_password"):
            return str(self.values["neo4j_password"])
        credentials = Path(self.values["neo4j_home"]) / "credentials"
        if credentials.is_file():
            return credentials.read_text(encoding="utf-8").strip() or None
        return None


def load_settings(environ: dict[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Read every declared setting; a value that does not parse is a clear error."""
    env = dict(_read_dotenv(dotenv if dotenv is not None else Path.cwd() / ".env"))
    env.update(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    errors = []
    for s in SETTINGS:
        raw = env.get(s.env)
        if raw is None or raw == "":
            values[s.name] = s.default
            continue
        try:
            values[s.name] = s.cast(raw)
        except ValueError as exc:
            errors.append(f"{s.env}={raw!r}: {exc}")
    if errors:
        raise SettingsError("bad settings: " + "; ".join(errors))
    return Settings(values)


class SettingsError(MdskgError, ValueError):
    """A setting that is missing or cannot be read (the message names it)."""
