"""One call from a PatientInput to everything the QA service needs.

`assess(patient)` normalises the record, parses the karyotype, computes IPSS, IPSS-R and
IPSS-M (each with ranges when inputs are missing) and maps the result onto the criterion
variables of model.yaml. Nothing is logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .ipssm import IpssmResult, compute_ipssm
from .ipssr import IpssResult, IpssrResult, compute_ipss, compute_ipssr
from .karyotype import KaryotypeResult, parse_karyotype
from .record import NormalisedPatient, PatientInput, normalise, to_criterion_values

__all__ = ["Assessment", "assess"]


@dataclass(frozen=True)
class Assessment:
    normalised: NormalisedPatient
    karyotype: KaryotypeResult | None
    ipss: IpssResult
    ipssr: IpssrResult
    ipssm: IpssmResult
    criterion_values: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def assess(patient: PatientInput) -> Assessment:
    """Raises record.PatientValueError for impossible values."""
    n = normalise(patient)
    k = parse_karyotype(n.karyotype, sex=n.sex) if n.karyotype else None
    ipss = compute_ipss(n, k)
    ipssr = compute_ipssr(n, k)
    ipssm = compute_ipssm(n, k)
    risk = {"ipss": ipss, "ipssr": ipssr, "ipssm": ipssm}
    values = to_criterion_values(n, k, risk)
    warnings = list(n.notes)
    if k is not None:
        warnings.extend(f"karyotype: {w}" for w in k.warnings)
    warnings.extend(f"IPSS: {w}" for w in ipss.warnings)
    warnings.extend(f"IPSS-R: {w}" for w in ipssr.warnings)
    warnings.extend(f"IPSS-M: {w}" for w in ipssm.warnings)
    return Assessment(n, k, ipss, ipssr, ipssm, values, warnings)
