"""ISCN karyotype parser and cytogenetic risk groups for MDS.

`parse_karyotype("46,XY,del(5)(q13q33)[20]")` returns a `KaryotypeResult` with the
findings named as in model.yaml (`karyotype_findings`), the number of independent
abnormalities, and the cytogenetic groups of

* IPSS-R (Schanz et al., JCO 2012;30:820; Greenberg et al., Blood 2012;120:2454):
    very good  -Y, del(11q)
    good       normal, del(5q), del(12p), del(20q), double including del(5q)
    intermediate del(7q), +8, +19, i(17q), any other single or double independent clones
    poor       -7, inv(3)/t(3q)/del(3q), double including -7/del(7q), complex: 3 abnormalities
    very poor  complex: >3 abnormalities
* IPSS (Greenberg et al., Blood 1997;89:2079):
    good = normal, -Y, del(5q), del(20q) (each alone); poor = complex (>=3 abnormalities)
    or chromosome 7 anomalies; intermediate = any other abnormalities.

Counting: every abnormality listed in any clone counts once (the same abnormality in two
clones counts once); `idem`/`sl`/`sdl` inherit the abnormalities of the stemline / the
previous clone; constitutional abnormalities (suffix `c`) are not counted; an abnormality
seen in fewer cells than the ISCN clone definition (2 cells for a gain or structural change,
3 for a loss) is not counted. FISH parts (`.ish ...`, `nuc ish`) are ignored.

Messy input never raises: what cannot be read is listed in `warnings` and the result is
marked `complete=False`; the groups are then only given when the unread parts cannot change
them (e.g. four readable abnormalities are already "very poor").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["KaryotypeResult", "Abnormality", "parse_karyotype", "FINDINGS"]

FINDINGS = (
    "del5q", "del7q", "minus7", "plus8", "del20q", "del11q", "del12p", "minusY", "i17q",
    "plus19", "complex", "del17p", "inv3", "abn3q", "double", "normal",
)


@dataclass(frozen=True)
class Abnormality:
    text: str  # canonical ISCN item, e.g. "del(5)(q13q33)"
    findings: frozenset[str]
    chromosomes: frozenset[str]
    count: int = 1  # e.g. "+2mar" counts 2
    loss_17p: bool = False


@dataclass(frozen=True)
class KaryotypeResult:
    findings: frozenset[str]
    abnormality_count: int | None
    ipssr_group: str | None  # very_good | good | intermediate | poor | very_poor
    ipss_group: str | None  # good | intermediate | poor
    is_normal: bool | None
    warnings: tuple[str, ...] = ()
    complete: bool = True  # every item of the karyotype was understood
    abnormalities: tuple[str, ...] = ()
    loss_17p: bool = False  # del(17p), -17 or i(17q): loss of the TP53 locus (IPSS-M del17_17p)
    chr7_anomaly: bool = False
    clones: int = 0

    @property
    def del7_7q(self) -> bool:
        return "minus7" in self.findings or "del7q" in self.findings


_DASHES = str.maketrans({"−": "-", "–": "-", "—": "-", "‐": "-", "‑": "-", "；": ";", "，": ","})
_STRUCT_NAMES = (
    "del", "dup", "inv", "t", "der", "i", "idic", "add", "ins", "r", "dic", "trp", "tas",
    "fra", "ider", "rob", "qdp", "hsr", "tan", "trc", "dmin",
)
_CHROM = r"(?:[1-9]|1[0-9]|2[0-2]|X|Y)"


def _arm(band: str) -> str | None:
    b = band.strip().lower()
    if b.startswith("p"):
        return "p"
    if b.startswith("q"):
        return "q"
    return None


def _split_chroms(spec: str) -> list[str]:
    return [c.strip().upper() for c in spec.split(";") if c.strip()]


def _split_bands(spec: str | None, n: int) -> list[str]:
    if not spec:
        return []
    parts = [p.strip() for p in spec.split(";")]
    return parts if len(parts) == n else parts[:n]


def _classify_item(item: str) -> Abnormality | None:
    """Classify one abnormality item; None if it cannot be read."""
    s = item
    # Multiplier suffix, e.g. del(5)(q13q33)x2 - still one abnormality.
    s = re.sub(r"x\d+$", "", s)

    # Whole-chromosome gain or loss: +8, -7, -Y, +X
    m = re.fullmatch(rf"([+-])({_CHROM})", s, flags=re.I)
    if m:
        sign, ch = m.group(1), m.group(2).upper()
        f: set[str] = set()
        if sign == "-" and ch == "7":
            f.add("minus7")
        if sign == "+" and ch == "8":
            f.add("plus8")
        if sign == "+" and ch == "19":
            f.add("plus19")
        if sign == "-" and ch == "Y":
            f.add("minusY")
        return Abnormality(sign + ch, frozenset(f), frozenset({ch}), 1, loss_17p=(sign == "-" and ch == "17"))

    # Markers, rings of unknown origin, double minutes
    m = re.fullmatch(r"\+(\d*)(mar|r)\d*", s, flags=re.I)
    if m:
        k = int(m.group(1)) if m.group(1) else 1
        return Abnormality("+" + (m.group(1) or "") + m.group(2).lower(), frozenset(), frozenset(), k)
    m = re.fullmatch(r"(\d*)(dmin|hsr)", s, flags=re.I)
    if m:
        return Abnormality(s.lower(), frozenset(), frozenset(), 1)

    # Legacy arm-loss notation: 5q-, 20q-, 17p-
    m = re.fullmatch(rf"({_CHROM})([pq])-", s, flags=re.I)
    if m:
        return _deletion(m.group(1).upper(), m.group(2).lower(), f"del({m.group(1).upper()})({m.group(2).lower()})")
    # Compact forms: del5q, del(5q), del(5)(q13q33)
    m = re.fullmatch(rf"del\(?({_CHROM})([pq])\)?", s, flags=re.I)
    if m:
        return _deletion(m.group(1).upper(), m.group(2).lower(), f"del({m.group(1).upper()})({m.group(2).lower()})")

    # Structural: [+-]name(chroms)(bands)[rest]
    m = re.fullmatch(r"([+-]?)([a-z]+)\(([^()]*)\)(?:\(([^()]*)\))?(.*)", s, flags=re.I)
    if not m:
        return None
    sign, name, chroms_spec, bands_spec, rest = m.groups()
    name = name.lower()
    if name not in _STRUCT_NAMES:
        return None
    # i(17q) / i(17)(q10)
    chroms = _split_chroms(chroms_spec)
    if not chroms or not all(re.fullmatch(rf"{_CHROM}[pq]?", c, flags=re.I) for c in chroms):
        return None
    arm_in_spec = None
    if len(chroms) == 1 and re.fullmatch(rf"{_CHROM}[pq]", chroms[0], flags=re.I):
        arm_in_spec = chroms[0][-1].lower()
        chroms = [chroms[0][:-1]]
    bands = _split_bands(bands_spec, len(chroms))
    text = f"{sign}{name}({';'.join(chroms)})" + (f"({bands_spec})" if bands_spec else "") + rest
    chromset = set(chroms)

    if name == "der" and rest:
        # der(5)t(5;17)(q11;p11): the derivative's own rearrangement(s) follow.
        inner = _classify_item(rest)
        if inner is None:
            return None
        return Abnormality(text, inner.findings, frozenset(chromset | set(inner.chromosomes)), 1, inner.loss_17p)
    if rest and not re.fullmatch(r"(?:[a-z]+\([^()]*\)(?:\([^()]*\))?)*", rest, flags=re.I):
        return None
    if rest:
        # e.g. der(1;7)(q10;p10) followed by further rearrangements: keep chromosomes involved
        for mm in re.finditer(r"[a-z]+\(([^()]*)\)", rest, flags=re.I):
            chromset |= {c.rstrip("pqPQ") for c in _split_chroms(mm.group(1))}

    f = set()
    loss17p = False
    if name == "del":
        arm = arm_in_spec or (_arm(bands[0]) if bands else None)
        if arm is None:
            return None  # del(5) without an arm cannot be classified
        ab = _deletion(chroms[0], arm, text)
        return ab
    if name in ("i", "ider") and len(chroms) == 1:
        arm = arm_in_spec or (_arm(bands[0]) if bands else None)
        if arm is None:
            return None
        if chroms[0] == "17" and arm == "q":
            f.add("i17q")
            loss17p = True
    if name == "inv" and chroms == ["3"]:
        f.add("inv3")
    if name in ("t", "ins", "dic", "der") and "3" in chroms:
        # t(3;3)(q21;q26) is grouped with inv(3)(q21q26); other 3q breakpoints are t(3q).
        if chroms.count("3") >= 2:
            f.add("inv3")
        elif bands:
            idx = chroms.index("3")
            if idx < len(bands) and _arm(bands[idx]) == "q":
                f.add("abn3q")
    if sign == "-" and name == "r" and chroms == ["17"]:
        loss17p = True
    return Abnormality(text, frozenset(f), frozenset(chromset), 1, loss17p)


def _deletion(chrom: str, arm: str, text: str) -> Abnormality:
    f = set()
    key = f"{chrom}{arm}"
    table = {"5q": "del5q", "7q": "del7q", "20q": "del20q", "11q": "del11q", "12p": "del12p",
             "17p": "del17p", "3q": "abn3q"}
    if key in table:
        f.add(table[key])
    return Abnormality(text, frozenset(f), frozenset({chrom}), 1, loss_17p=(key == "17p"))


_SINGLE_IPSSR = {
    "minusY": "very_good", "del11q": "very_good",
    "del5q": "good", "del12p": "good", "del20q": "good",
    "del7q": "intermediate", "plus8": "intermediate", "plus19": "intermediate", "i17q": "intermediate",
    "minus7": "poor", "inv3": "poor", "abn3q": "poor",
}
_GROUP_RANK = {"very_good": 0, "good": 1, "intermediate": 2, "poor": 3, "very_poor": 4}


def _ipssr_group(abns: list[Abnormality], n: int) -> str:
    if n == 0:
        return "good"
    if n >= 4:
        return "very_poor"
    if n == 3:
        return "poor"
    findings = set().union(*(a.findings for a in abns))
    if n == 1:
        specific = [_SINGLE_IPSSR[f] for f in findings if f in _SINGLE_IPSSR]
        if specific:
            # One item can carry two findings, e.g. t(3;7): take the worse group.
            return max(specific, key=_GROUP_RANK.__getitem__)
        return "intermediate"
    # n == 2: double
    if findings & {"minus7", "del7q"}:
        return "poor"
    if "del5q" in findings:
        return "good"
    return "intermediate"


def _ipss_group(abns: list[Abnormality], n: int, chr7: bool) -> str:
    if n == 0:
        return "good"
    if chr7 or n >= 3:
        return "poor"
    if n == 1:
        findings = abns[0].findings if abns else frozenset()
        if findings and findings <= {"minusY", "del5q", "del20q"}:
            return "good"
    return "intermediate"


def _clean(text: str) -> str:
    s = text.translate(_DASHES)
    s = re.sub(r"\s+", "", s)
    return s


@dataclass
class _Clone:
    items: list[str] = field(default_factory=list)
    cells: int | None = None


def parse_karyotype(text: str | None, sex: str | None = None) -> KaryotypeResult:
    """Parse an ISCN karyotype string. Never raises; problems go to `warnings`.

    sex: 'male' | 'female' | None - only used to read "45,X" (no -X/-Y item) as a sex
    chromosome loss.
    """
    warnings: list[str] = []
    if text is None or not str(text).strip():
        return KaryotypeResult(frozenset(), None, None, None, None, ("empty karyotype",), complete=False)
    raw = str(text)
    s = _clean(raw)

    # FISH / nuc ish parts are ignored.
    m = re.search(r"\.?(?:nuc)?ish", s, flags=re.I)
    if m:
        if m.start() == 0:
            return KaryotypeResult(frozenset(), None, None, None, None,
                                   ("FISH result only (ish); no karyotype to classify",), complete=False)
        warnings.append("FISH part (ish) ignored")
        s = s[: m.start()]
    s = s.rstrip(".;")

    # Plain-language inputs
    low = s.lower()
    if re.fullmatch(r"normal(karyotype)?|nk|normalmale|normalfemale", low):
        warnings.append("no ISCN given; 'normal' taken as a normal karyotype")
        return KaryotypeResult(frozenset({"normal"}), 0, "good", "good", True, tuple(warnings), complete=True)
    if "complex" in low and not re.search(r"\d", low):
        return KaryotypeResult(frozenset({"complex"}), None, None, "poor", False,
                               ("'complex' without ISCN: the number of abnormalities is unknown",),
                               complete=False)

    clone_texts = [c for c in s.split("/") if c]
    if not clone_texts:
        return KaryotypeResult(frozenset(), None, None, None, None, ("no karyotype in the text",), complete=False)
    clones: list[_Clone] = []
    for ct in clone_texts:
        cl = _Clone()
        mc = re.search(r"\[(?:cp)?(\d+)\]$", ct, flags=re.I)
        if mc:
            cl.cells = int(mc.group(1))
            ct = ct[: mc.start()]
        elif re.search(r"\[[^\]]*\]$", ct):
            warnings.append(f"unreadable cell count in clone {len(clones) + 1}")
            ct = re.sub(r"\[[^\]]*\]$", "", ct)
        ct = re.sub(r"^(\d{2,3})(?=[XY])", r"\1,", ct, flags=re.I)  # "46XY" -> "46,XY"
        cl.items = [t for t in ct.split(",") if t]
        clones.append(cl)

    unparsed: list[str] = []
    constitutional: list[str] = []
    incomplete = False
    stemline: list[Abnormality] = []
    previous: list[Abnormality] = []
    # canonical text -> (Abnormality, max cells)
    seen: dict[str, tuple[Abnormality, int | None]] = {}
    order: list[str] = []
    declared_gain_loss_mismatch = False

    for ci, cl in enumerate(clones):
        items = list(cl.items)
        modal = None
        if items and re.fullmatch(r"\d{2,3}(?:[~-]\d{2,3})?(?:<\d?n>)?", items[0]):
            modal = items.pop(0)
        elif items and re.fullmatch(r"<\dn>", items[0]):
            items.pop(0)
        else:
            warnings.append(f"clone {ci + 1}: no chromosome number")
        sex_token = None
        if items and re.fullmatch(r"[XY]+c?", items[0], flags=re.I):
            sex_token = items.pop(0).upper()
        abns: list[Abnormality] = []
        constitutional_here: list[str] = []
        for it in items:
            itl = it.lower()
            if itl in ("idem", "sl"):
                abns.extend(stemline)
                continue
            if re.fullmatch(r"sdl\d*", itl):
                abns.extend(previous)
                continue
            if itl == "inc":
                incomplete = True
                warnings.append("incomplete karyotype (inc): the abnormality count is a minimum")
                continue
            if itl.endswith("c") and not itl.endswith("dmin") and _classify_item(it[:-1]) is not None:
                constitutional.append(it)
                constitutional_here.append(it)
                continue
            ab = _classify_item(it)
            if ab is None:
                unparsed.append(it)
                continue
            abns.append(ab)
        # Sex chromosome loss written only in the sex token ("45,X").
        if sex_token is not None:
            st = sex_token.rstrip("C")
            has_loss = any(a.text in ("-X", "-Y") for a in abns)
            if st == "X" and not has_loss:
                if sex == "male":
                    abns.append(_classify_item("-Y"))  # type: ignore[arg-type]
                    warnings.append("'45,X' in a male read as loss of Y (-Y)")
                elif sex == "female":
                    abns.append(_classify_item("-X"))  # type: ignore[arg-type]
                    warnings.append("'45,X' in a female read as loss of X (-X)")
                else:
                    unparsed.append("X (sex chromosome loss without -X/-Y; sex unknown)")
            elif st not in ("XX", "XY", "X") and not sex_token.endswith("C"):
                warnings.append(f"unusual sex chromosome complement {sex_token!r}: not counted")
        if modal and re.fullmatch(r"\d+", modal) and not any(
            re.match(r"[+-]?(der|dic|rob|idic|ider)\(", a.text) for a in abns
        ):
            # Whole-chromosome gains/losses (acquired and constitutional) must add up to the modal number.
            const_net = sum(1 if c.startswith("+") else -1 for c in constitutional_here if c[:1] in "+-")
            gains = sum(a.count for a in abns if a.text.startswith("+"))
            losses = sum(1 for a in abns if a.text.startswith("-"))
            if sex_token and sex_token.rstrip("C") == "X" and not any(a.text in ("-X", "-Y") for a in abns):
                losses += 1
            if int(modal) != 46 + gains - losses + const_net:
                declared_gain_loss_mismatch = True
        if ci == 0:
            stemline = list(abns)
        previous = list(abns)
        for a in abns:
            prev = seen.get(a.text)
            cells = cl.cells
            if prev is None:
                seen[a.text] = (a, cells)
                order.append(a.text)
            else:
                pc = prev[1]
                total = None if (pc is None or cells is None) else pc + cells
                seen[a.text] = (a, total)

    if declared_gain_loss_mismatch:
        warnings.append("chromosome number does not match the listed gains and losses")
    for c in constitutional:
        warnings.append(f"constitutional abnormality {c} not counted")

    counted: list[Abnormality] = []
    for key in order:
        a, cells = seen[key]
        if cells is not None:
            need = 3 if a.text.startswith("-") else 2
            if cells < need:
                warnings.append(f"{a.text} in {cells} cell(s): below the ISCN clone definition, not counted")
                continue
        counted.append(a)

    n = sum(a.count for a in counted)
    findings: set[str] = set()
    for a in counted:
        findings |= a.findings
    chr7 = any("7" in a.chromosomes for a in counted)
    loss17p = any(a.loss_17p for a in counted)
    complete = not unparsed and not incomplete
    if complete and n == 0:
        findings.add("normal")
    elif complete and n == 2:
        findings.add("double")
    elif n >= 3:  # unread items can only add abnormalities
        findings.add("complex")
    for u in unparsed:
        warnings.append(f"could not read {u!r}")

    if complete:
        ipssr = _ipssr_group(counted, n)
        ipss = _ipss_group(counted, n, chr7)
        is_normal = n == 0
    else:
        # Unread items can only add abnormalities: give a group only when that cannot change it.
        ipssr = "very_poor" if n >= 4 else None
        ipss = "poor" if (n >= 3 or chr7) else None
        is_normal = False if n > 0 else None
    return KaryotypeResult(
        findings=frozenset(findings),
        abnormality_count=n if complete else None,
        ipssr_group=ipssr,
        ipss_group=ipss,
        is_normal=is_normal,
        warnings=tuple(warnings),
        complete=complete,
        abnormalities=tuple(a.text for a in counted),
        loss_17p=loss17p,
        chr7_anomaly=chr7,
        clones=len(clones),
    )
