"""`mdskg patient import FILE`: a FHIR Bundle or Phenopacket → PatientInput JSON on stdout.

Nothing is stored; the output goes to the terminal only.
"""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from pathlib import Path


def patient_command(args: Namespace) -> int:
    from service.errors import UserFacingError
    from service.patient.inputs import import_record, patient_record_to_input

    try:
        raw = Path(args.file).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        kind, result = import_record(raw)
    except UserFacingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"format": kind, "patient": patient_record_to_input(result.patient),
                      "provenance": result.provenance, "unmapped": result.unmapped,
                      "notes": list(getattr(result, "notes", []) or [])}, indent=2, default=str))
    return 0
