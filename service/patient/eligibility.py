"""Pure evaluation of recommendation criteria against a patient's criterion values.

`evaluate_criterion(criterion, values)` -> CriterionStatus(status, patient_value, missing)

* status is 'MET', 'NOT_MET' or 'UNKNOWN'. UNKNOWN whenever the patient's value is absent
  (`missing` then names the variable) - a missing value is never taken as normal.
* criterion: a mapping (or object) with variable, operator, value, unit, role. The types of
  the variables come from `ontology/data/model.yaml` (`criterion_variables`).
* Numbers: < <= > >= == != and `between` [lo, hi] (both ends included). When the criterion's
  unit differs from the variable's canonical unit (e.g. hemoglobin in g/L against the
  patient's g/dL) the criterion value is converted with the unit tables of record.py; an
  unknown unit gives UNKNOWN with a note (the criterion, not the patient, is at fault).
* Categories: == != in not_in; < <= > >= compare by the order of the values listed in
  model.yaml (e.g. ipssr_category <= intermediate). Strings compare case-insensitively.
* Booleans: == != (true/false, also as strings).
* Sets (mutated_genes, karyotype_findings, prior_therapies, failed_therapies):
    contains X         X is a member; a list means all of them
    not_contains X     X is not a member; a list means none of them
    in [..]            some member is in the list
    not_in [..]        no member is in the list
  A set given by the patient is complete: absence means NOT_MET for `contains` (e.g.
  mutated_genes contains SF3B1 is NOT_MET when the patient's mutation list has no SF3B1);
  with no set at all (no mutation data) the status is UNKNOWN. Two optional companion keys
  narrow that closed-world reading (see record.to_criterion_values):
    "<var>__tested"   the domain that was examined (the sequencing panel): members outside it
                      are unknown;
    "<var>__unknown"  members whose membership is unknown (a therapy with no recorded response).

`therapy_verdict(statuses)` combines the statuses of one recommendation's criteria:

  1. any `excludes` criterion MET                      -> NOT_RECOMMENDED
  2. any `required` criterion NOT_MET                  -> NOT_ELIGIBLE
  3. any `required` criterion UNKNOWN                  -> UNKNOWN (missing lists the variables)
  4. all required MET and at least one `favours` MET   -> FAVOURED
  5. all required MET and every `favours` NOT_MET      -> POSSIBLE_LESS_LIKELY
  6. otherwise (no favours, or favours unknown)        -> POSSIBLE
  `excludes` criteria that are UNKNOWN do not change the verdict but are reported in
  `open_exclusions` (and in `missing`) so that a caller can say what still has to be checked.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .record import (
    TESTED_DOMAIN_SUFFIX,
    UNKNOWN_MEMBERS_SUFFIX,
    PatientValueError,
    convert,
    unit_kind,
)

__all__ = [
    "CriterionStatus",
    "TherapyVerdict",
    "evaluate_criterion",
    "evaluate_criteria",
    "therapy_verdict",
    "criterion_variables",
    "OPERATORS",
]

OPERATORS = ("<", "<=", ">", ">=", "==", "!=", "in", "not_in", "contains", "not_contains", "between")
MET, NOT_MET, UNKNOWN = "MET", "NOT_MET", "UNKNOWN"


@dataclass(frozen=True)
class CriterionStatus:
    status: str  # MET | NOT_MET | UNKNOWN
    patient_value: Any
    missing: str | None  # the variable whose value is missing, when that is why it is UNKNOWN
    variable: str | None = None
    role: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class TherapyVerdict:
    verdict: str  # NOT_RECOMMENDED | NOT_ELIGIBLE | UNKNOWN | FAVOURED | POSSIBLE_LESS_LIKELY | POSSIBLE
    missing: list[str] = field(default_factory=list)
    open_exclusions: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.verdict


def _model_path() -> Path:
    return Path(__file__).resolve().parents[2] / "ontology" / "data" / "model.yaml"


@functools.lru_cache(maxsize=1)
def criterion_variables() -> dict[str, dict[str, Any]]:
    """The `criterion_variables` section of model.yaml."""
    import yaml

    with open(_model_path(), encoding="utf-8") as fh:
        model = yaml.safe_load(fh)
    return dict(model.get("criterion_variables") or {})


def _field(c: Any, name: str) -> Any:
    if isinstance(c, Mapping):
        return c.get(name)
    return getattr(c, name, None)


def _norm_str(x: Any) -> Any:
    return x.strip().casefold() if isinstance(x, str) else x


def _as_bool(x: Any) -> bool | None:
    if isinstance(x, bool):
        return x
    if isinstance(x, str):
        s = x.strip().lower()
        if s in ("true", "yes", "1"):
            return True
        if s in ("false", "no", "0"):
            return False
    if isinstance(x, (int, float)) and x in (0, 1):
        return bool(x)
    return None


def _as_list(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple, set, frozenset)):
        return list(x)
    return [x]


def _num(x: Any) -> float:
    if isinstance(x, bool):
        raise ValueError("boolean is not a number")
    return float(x)


def _convert_criterion_value(value: Any, unit: str | None, canonical: str | None) -> tuple[Any, str | None]:
    """Convert the criterion value(s) into the variable's canonical unit; returns (value, note)."""
    if unit is None or canonical is None:
        return value, None
    kind = unit_kind(canonical)
    if kind is None:
        # A canonical unit without a conversion table (e.g. "units/8 weeks", "x ULN"):
        # accept only the same spelling.
        same = unit.replace(" ", "").lower() == canonical.replace(" ", "").lower()
        return (value, None) if same else (None, f"cannot convert {unit!r} to {canonical!r}")
    try:
        if isinstance(value, (list, tuple)):
            return [convert(_num(v), unit, canonical, kind) for v in value], None
        return convert(_num(value), unit, canonical, kind), None
    except (PatientValueError, ValueError, TypeError) as e:
        return None, f"criterion unit: {e}"


def _compare(op: str, a: Any, b: Any) -> bool:
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    raise ValueError(op)


def evaluate_criterion(criterion: Any, values: Mapping[str, Any]) -> CriterionStatus:
    """Evaluate one criterion against criterion values (see the module docstring)."""
    var = _field(criterion, "variable")
    op = _field(criterion, "operator")
    cval = _field(criterion, "value")
    unit = _field(criterion, "unit")
    role = _field(criterion, "role")

    def status(s: str, pv: Any = None, missing: str | None = None, note: str | None = None) -> CriterionStatus:
        return CriterionStatus(s, pv, missing, var, role, note)

    if op not in OPERATORS:
        return status(UNKNOWN, note=f"unknown operator {op!r}")
    spec = criterion_variables().get(var)
    if spec is None:
        return status(UNKNOWN, values.get(var), None, f"unknown criterion variable {var!r}")
    vtype = spec.get("type")
    pv = values.get(var)

    if vtype == "set":
        return _evaluate_set(var, op, cval, values, status)

    if pv is None:
        return status(UNKNOWN, None, var)

    try:
        if vtype == "number":
            cv, note = _convert_criterion_value(cval, unit, spec.get("unit"))
            if note:
                return status(UNKNOWN, pv, None, note)
            x = _num(pv)
            if op == "between":
                lo, hi = _as_list(cv)
                return status(MET if _num(lo) <= x <= _num(hi) else NOT_MET, pv)
            if op in ("in", "not_in"):
                hit = any(x == _num(v) for v in _as_list(cv))
                return status(MET if hit == (op == "in") else NOT_MET, pv)
            if op in ("contains", "not_contains"):
                return status(UNKNOWN, pv, None, f"operator {op} does not apply to a number")
            return status(MET if _compare(op, x, _num(cv)) else NOT_MET, pv)

        if vtype == "boolean":
            b = _as_bool(pv)
            if op in ("in", "not_in"):
                opts = [_as_bool(v) for v in _as_list(cval)]
                return status(MET if (b in opts) == (op == "in") else NOT_MET, pv)
            c = _as_bool(cval)
            if c is None or b is None or op not in ("==", "!="):
                return status(UNKNOWN, pv, None, f"cannot apply {op} to a boolean")
            return status(MET if (b == c) == (op == "==") else NOT_MET, pv)

        if vtype == "category":
            p = _norm_str(pv)
            if op in ("in", "not_in"):
                hit = p in {_norm_str(v) for v in _as_list(cval)}
                return status(MET if hit == (op == "in") else NOT_MET, pv)
            if op in ("==", "!="):
                return status(MET if (p == _norm_str(cval)) == (op == "==") else NOT_MET, pv)
            order = [_norm_str(v) for v in (spec.get("values") or [])]
            if op in ("<", "<=", ">", ">=", "between") and order:
                if p not in order:
                    return status(UNKNOWN, pv, None, f"{pv!r} is not a listed value of {var}")
                if op == "between":
                    lo, hi = (_norm_str(v) for v in _as_list(cval))
                    if lo not in order or hi not in order:
                        return status(UNKNOWN, pv, None, "criterion value is not a listed category")
                    ok = order.index(lo) <= order.index(p) <= order.index(hi)
                    return status(MET if ok else NOT_MET, pv)
                c = _norm_str(cval)
                if c not in order:
                    return status(UNKNOWN, pv, None, f"{cval!r} is not a listed value of {var}")
                return status(MET if _compare(op, order.index(p), order.index(c)) else NOT_MET, pv)
            return status(UNKNOWN, pv, None, f"cannot apply {op} to {var}")
    except (TypeError, ValueError) as e:
        return status(UNKNOWN, pv, None, f"cannot evaluate: {e}")
    return status(UNKNOWN, pv, None, f"unsupported variable type {vtype!r}")


def _evaluate_set(var: str, op: str, cval: Any, values: Mapping[str, Any], status) -> CriterionStatus:
    pv = values.get(var)
    if pv is None:
        return status(UNKNOWN, None, var)
    members = {_norm_str(x) for x in _as_list(pv)}
    unknown = {_norm_str(x) for x in _as_list(values.get(var + UNKNOWN_MEMBERS_SUFFIX) or [])}
    tested_raw = values.get(var + TESTED_DOMAIN_SUFFIX)
    tested = None if tested_raw is None else {_norm_str(x) for x in _as_list(tested_raw)}

    def membership(x: Any) -> bool | None:
        k = _norm_str(x)
        if k in members:
            return True
        if k in unknown or (tested is not None and k not in tested):
            return None
        return False

    wanted = _as_list(cval)
    if op in ("contains", "not_contains"):
        ms = [membership(x) for x in wanted]
        if op == "contains":
            if all(m is True for m in ms):
                return status(MET, pv)
            if any(m is False for m in ms):
                return status(NOT_MET, pv)
        else:
            if any(m is True for m in ms):
                return status(NOT_MET, pv)
            if all(m is False for m in ms):
                return status(MET, pv)
        return status(UNKNOWN, pv, var, "membership unknown for " + ", ".join(
            str(x) for x, m in zip(wanted, ms, strict=True) if m is None))
    if op in ("in", "not_in"):
        ms = [membership(x) for x in wanted]
        if any(m is True for m in ms):
            return status(MET if op == "in" else NOT_MET, pv)
        if all(m is False for m in ms):
            return status(NOT_MET if op == "in" else MET, pv)
        return status(UNKNOWN, pv, var, "membership unknown for " + ", ".join(
            str(x) for x, m in zip(wanted, ms, strict=True) if m is None))
    if op in ("==", "!="):
        if unknown or tested is not None:
            return status(UNKNOWN, pv, var, "set not completely known")
        eq = members == {_norm_str(x) for x in wanted}
        return status(MET if eq == (op == "==") else NOT_MET, pv)
    return status(UNKNOWN, pv, None, f"operator {op} does not apply to a set")


def evaluate_criteria(criteria: Iterable[Any], values: Mapping[str, Any]) -> list[CriterionStatus]:
    return [evaluate_criterion(c, values) for c in criteria]


def therapy_verdict(statuses: Iterable[CriterionStatus]) -> TherapyVerdict:
    """Combine criterion statuses into a verdict (rules in the module docstring)."""
    sts = list(statuses)
    req = [s for s in sts if s.role == "required"]
    fav = [s for s in sts if s.role == "favours"]
    exc = [s for s in sts if s.role == "excludes"]

    def names(xs: list[CriterionStatus]) -> list[str]:
        out: list[str] = []
        for s in xs:
            n = s.missing or s.variable or "?"
            if n not in out:
                out.append(n)
        return out

    open_exc = names([s for s in exc if s.status == UNKNOWN])
    met_exc = [s for s in exc if s.status == MET]
    if met_exc:
        return TherapyVerdict("NOT_RECOMMENDED", [], open_exc,
                              [f"excluded by {s.variable}" for s in met_exc])
    not_met_req = [s for s in req if s.status == NOT_MET]
    if not_met_req:
        return TherapyVerdict("NOT_ELIGIBLE", [], open_exc,
                              [f"required {s.variable} not met" for s in not_met_req])
    unknown_req = [s for s in req if s.status == UNKNOWN]
    if unknown_req:
        missing = names(unknown_req)
        return TherapyVerdict("UNKNOWN", missing + [x for x in open_exc if x not in missing], open_exc,
                              [f"required {s.variable} unknown" for s in unknown_req])
    missing = list(open_exc)
    if any(s.status == MET for s in fav):
        return TherapyVerdict("FAVOURED", missing, open_exc,
                              [f"favoured by {s.variable}" for s in fav if s.status == MET])
    if fav and all(s.status == NOT_MET for s in fav):
        return TherapyVerdict("POSSIBLE_LESS_LIKELY", missing, open_exc,
                              ["no favouring criterion met"])
    return TherapyVerdict("POSSIBLE", missing + [x for x in names([s for s in fav if s.status == UNKNOWN])
                                                 if x not in missing], open_exc, [])
