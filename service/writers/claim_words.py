# ruff: noqa: E501  (a table of word lists reads better unwrapped)
"""The words a language model makes claims with, grouped into families (issue 17, round 3).

A sentence of the Claude writer's answer may use a claim word only when a fact it cites uses a word of the
same family: "increasingly used" needs a fact that speaks of a trend (not "widely used"), "the first
choice" needs a fact that ranks the treatment first (not "recommended"), "a low-risk procedure" needs a
fact that calls it safe, "just as well as" needs a fact that says two things did alike.

Each family has senses (the finer kinds of claim in it); a claim word is licensed by a licence word of its
own sense, found in a cited fact's text. The table is data: `claims` are the phrases a sentence makes the
claim with, `licences` the extra phrases (beyond the claims themselves) that back it in a fact. Phrases
are regular expressions matched case-insensitively on word boundaries.

Negation: a claim word with "not" / "no" / "never" / "n't" just before it ("not a low-risk procedure",
"not proven", "not the first choice", "not always") makes no claim of its sense when the sense says
`negated_is_claim=False`; comparisons are different: "no better than" is a claim too, of the sense
`negated_sense` ("not better" needs a fact that reports no gain: "did not improve", "similar"). In a
fact, a licence word that is negated ("not proven", "not safe") licenses nothing, unless the sense says
`negated_licence=True` (the "not better" sense is licensed by negated gains).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_I = re.IGNORECASE


@dataclass(frozen=True)
class Sense:
    name: str
    what: str  # what a licence in the facts would say, for the problem string
    claims: tuple[str, ...]
    licences: tuple[str, ...] = ()
    negated_is_claim: bool = False
    negated_sense: str | None = None  # the sense a negated claim word makes (comparisons)
    negated_licence: bool = False  # a negated licence word still licenses (the "not better" sense)
    shares_over_half: bool = False  # a share over 50% in the facts licenses it ("most")


@dataclass(frozen=True)
class Family:
    name: str
    rule: str  # the sentence check's rule a failure is reported under
    senses: tuple[Sense, ...]

    @property
    def claims(self) -> tuple[str, ...]:
        return tuple(c for s in self.senses for c in s.claims)

    @property
    def licences(self) -> tuple[str, ...]:
        return tuple(lic for s in self.senses for lic in (s.claims + s.licences))


_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|few|several|couple\s+of)"
_TREATMENT_NOUN = r"(?:treatment|therapy|option|choice|drug|medicine|approach|procedure|way)"

FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("absolute", "certainty", (
        Sense("universal", "a claim about everyone or every case",
              claims=(r"always", r"every\s+(?:single\s+)?(?:time|patient|person|one|case|adult)", r"everyone", r"everybody", r"(?:for\s+)?any(?:one|body)(?=\s+(?:with|who|at|in|on|of|whatever)\b)", r"for\s+any(?:one|body)",
                      r"in\s+(?:all|every)\s+cases?", r"without\s+exception", r"invariably", r"universally",
                      r"all\s+(?:patients|people|persons|adults|of\s+them|of\s+those|those|who)", r"any\s+(?:patient|person|adult)"),
              licences=(r"all", r"every(?!\s+(?:\d|other|few|day|week|month|morning|evening|night))", r"any")),
        Sense("exclusive", "that it is the only one",
              claims=(r"only(?!\s+(?:(?:be\s+)?\w+\s+)?(?:after|when|if|once|until|while|before)\b)(?!\s+(?:a\s+few|few|some|a\s+small|a\s+minority|a\s+part|partly|modest\w*|slightly|about|around|roughly|occasionally|rarely|sometimes|in\s+some|\d|one\s+in|a\s+quarter|a\s+third|a\s+fraction))",
                      r"sole(?:ly)?", r"exclusively", r"nothing\s+else", r"no\s+other", r"the\s+one\s+" + _TREATMENT_NOUN + r"\s+that"),
              licences=(r"alone", r"not\s+(?:an?\s+)?(?:established|outside)", r"within\s+(?:a\s+)?clinical\s+trials?", r"in\s+(?:a\s+)?clinical\s+trials?")),
        Sense("never", "that it never happens or that no one is helped",
              claims=(r"never", r"no\s+one", r"nobody", r"none\s+of\s+(?:them|the|those)", r"not\s+a\s+single", r"under\s+no\s+circumstances",
                      r"not\s+ever", r"at\s+no\s+point"),
              licences=(r"none", r"na[iï]ve", r"no\s+prior", r"without\s+(?:a\s+)?prior", r"so\s+far", r"no\s+(?:ESA|HMA)")),
    )),
    Family("proof", "certainty", (
        Sense("proof", "that something was proved or is certain",
              claims=(r"prov(?:e|es|ed|en|ing)", r"proof", r"confirm(?:s|ed|ing)?", r"conclusive(?:ly)?", r"definitive(?:ly)?", r"definite(?:ly)?",
                      r"certain(?:ly|ty)?(?!\s+(?:patients|people|persons|types?|kinds?|cases|groups?|features?|conditions?|drugs?|treatments?|side|genes?|mutations?|changes?|subtypes?|forms?))",
                      r"undoubtedly", r"without\s+(?:a\s+|any\s+)?doubt", r"beyond\s+(?:any\s+|all\s+)?doubt", r"no\s+doubt", r"guarantee[sd]?",
                      r"unquestionabl[ey]", r"indisputabl[ey]", r"(?:has|have)\s+been\s+(?:shown|demonstrated)", r"demonstrated\s+that", r"settled"),
              licences=(r"shown\s+to", r"established")),
        Sense("clear", "a clear result",
              claims=(r"clearly", r"obvious(?:ly)?", r"plainly", r"evidently", r"unmistakabl[ey]",
                      r"clear(?=\s+(?:benefit|improvement|rise|result|advantage|evidence|difference|effect|response|drop|fall|gain|win))"),
              licences=(r"clear", r"evident", r"marked(?:ly)?")),
    )),
    Family("evaluative", "strength", (
        Sense("top", "that it is ranked first (preferred, treatment of choice)",
              claims=(r"preferred", r"(?:the\s+)?best\s+" + _TREATMENT_NOUN, r"(?:first|top|number\s+one)\s+choice", r"treatment\s+of\s+choice",
                      r"go-to", r"optimal", r"ideal\s+" + _TREATMENT_NOUN, r"number\s+one\s+" + _TREATMENT_NOUN, r"favou?red", r"top\s+" + _TREATMENT_NOUN,
                      # superlatives of worth: "the most effective drug", "the leading option", "the drug of choice"
                      r"most\s+(?:effective|powerful|successful|useful|helpful|active|potent|promising)", r"strongest", r"(?:the\s+)?leading\s+" + _TREATMENT_NOUN,
                      r"(?:drug|medicine|therapy|option|agent|inhibitor|approach)\s+of\s+choice", r"first\s+resort"),
              licences=(r"prefer\w*", r"best", r"of\s+choice", r"first\s+choice")),
        Sense("standard", "that it is standard or routine",
              claims=(r"(?<!than\s)(?<!with\s)(?<!versus\s)(?<!to\s)(?<!vs\s)(?:gold[- ])?standard(?![- ]?(?:dose|doses|dosing|deviation|arm|group|blood|test|care\s+arm))",
                      r"mainstay", r"routine(?:ly)?(?!\s+(?:blood\s+)?(?:tests?|checks?|monitoring|visits?))", r"backbone", r"cornerstone", r"the\s+norm",
                      r"(?<!than\s)(?<!with\s)usual\s+(?:first\s+)?(?:treatment|therapy|approach|choice|option|practice)", r"(?:an?\s+|the\s+)?(?:well[- ])?established\s+" + _TREATMENT_NOUN,
                      r"default\s+" + _TREATMENT_NOUN),
              licences=(r"standard", r"routine", r"usual", r"established", r"of\s+choice", r"preferred", r"first[- ]line", r"mainstay")),
    )),
    Family("safety", "safety", (
        Sense("safe", "that it is safe or well tolerated",
              claims=(r"safe(?:ly|r|st)?", r"low[- ]risk(?=\s+(?:procedure|option|treatment|operation|choice|approach|therapy|intervention|drug|medicine)\b|\s*(?:[.,;]|$))",
                      r"(?:low|little|minimal|small|no)\s+risk\s+of\s+(?:\w+\s+)?(?:side[- ]effects?|harm|complications?|problems?|toxicit\w*)",
                      r"harmless", r"gentle", r"mild(?:er)?", r"benign", r"painless", r"innocuous", r"well[- ]tolerated", r"tolerable",
                      r"easy\s+(?:on|to\s+(?:take|tolerate|handle))", r"risk[- ]free", r"non[- ]?toxic", r"free\s+of\s+(?:side[- ]effects|risk)"),
              licences=(r"safety", r"tolerat\w*", r"minor", r"rare(?:ly)?\s+(?:\w+\s+){0,2}(?:side[- ]effects?|reactions?|complications?)")),
    )),
    Family("comparison", "direction", (
        Sense("equal", "that the two did alike",
              claims=(r"similar(?:ly)?", r"comparabl[ey]", r"(?:just|equally|every\s+bit|about|nearly|almost)\s+as\s+(?:well|good|effective|useful|helpful|safe)\s+as",
                      r"(?:works?|worked|did|does|do|performs?|performed|fared)\s+as\s+well\s+as", r"as\s+(?:good|effective|useful|helpful)\s+as",
                      r"equal(?:ly)?", r"the\s+same\s+(?:as|results?|effect|benefit|response|outcome)", r"no\s+different", r"on\s+(?:a\s+)?par", r"alike",
                      r"rival(?:s|ed|led)?", r"indistinguishabl[ey]", r"no\s+(?:real\s+|clear\s+)?difference", r"match(?:es|ed)?\s+(?:the|that|those|its)",
                      r"interchangeabl[ey]", r"equivalent", r"identical", r"(?:same|similar)\s+as",
                      r"(?:the\s+)?same\s+(?:schedule|way|dose|route|timing|frequency|amount|level|rate|number|share|side[- ]effects?|risks?|benefits?|results?|effect|outcomes?)"),
              licences=(r"same", r"no\s+better", r"(?:did|does|do)\s*(?:n't|\s+not)\s+improve"),
              negated_is_claim=True, negated_sense="differ"),
        Sense("differ", "that the two did differently",
              claims=(),
              licences=(r"better", r"worse", r"beat\w*", r"superior", r"inferior", r"than", r"versus", r"differ\w*", r"best")),
        Sense("better", "that one did better",
              claims=(r"better", r"superior", r"outperform\w*", r"more\s+effective", r"beat(?:s|en)?", r"surpass\w*", r"(?:works?|worked|did|does)\s+best",
                      r"the\s+best\s+(?:results?|response|outcome)"),
              licences=(r"best", r"improv\w*", r"longer\s+than", r"more\s+(?:\w+\s+){0,3}than", r"outperform\w*"),
              negated_is_claim=True, negated_sense="not better"),
        Sense("not better", "that it did no better",
              claims=(),
              licences=(r"(?:not|n't|no|never)\s+(?:\w+\s+){0,2}(?:improv\w*|better|beat|benefit\w*|help\w*|work\w*)", r"similar\w*", r"same", r"comparabl\w*",
                        r"equal\w*", r"rarely\s+works?", r"no\s+better"),
              negated_licence=True),
        Sense("magnitude", "by how much (double, half, n times)",
              claims=(r"doubl(?:e|es|ed|ing)", r"tripl(?:e|es|ed|ing)", r"halv(?:e|es|ed|ing)", r"twice", r"thrice", r"(?:two|three|four|five|ten|\d+)[- ]?fold",
                      r"(?:two|three|four|five|ten|\d+)\s+times\s+(?:as|more|higher|longer|lower|less|the)"),
              licences=(r"half", r"times", r"fold")),
        Sense("worse", "that one did worse",
              claims=(r"worse", r"inferior", r"less\s+effective", r"(?:works?|worked|did|does)\s+less\s+well", r"underperform\w*", r"lost\s+to", r"falls?\s+short\s+of"),
              licences=(r"less", r"fewer", r"poor\w*", r"beat\w*", r"better", r"superior", r"than"),
              negated_is_claim=True, negated_sense="not better"),
    )),
    Family("trend", "frequency", (
        Sense("trend", "a trend over time",
              claims=(r"increasingly", r"more\s+and\s+more", r"ever\s+more", r"growing\s+(?:number|use|popularity|role|interest|evidence)", r"growing\s+in\s+(?:use|popularity)",
                      r"on\s+the\s+rise", r"(?:is|are)\s+becoming\s+(?:more|increasingly|the|a|widely|common|standard|popular)", r"gaining\s+(?:ground|popularity|favou?r)", r"catching\s+on", r"rising\s+(?:use|popularity)",
                      r"in\s+recent\s+years", r"nowadays"),
              licences=(r"increas\w*", r"grow\w*", r"ris(?:e|es|ing)", r"becom\w*", r"trend\w*", r"recent\w*", r"expand\w*")),
        Sense("spread", "how widely it is used or how often it happens",
              claims=(r"(?<!how\s)widely", r"(?<!how\s)(?<!more\s)(?<!less\s)commonly", r"(?<!how\s)(?<!more\s)(?<!less\s)common(?!\s+(?:side|adverse|form|cause|type|symptoms?|sense))", r"in\s+(?:wide|common|general|routine|broad)\s+use",
                      r"popular(?:ity)?", r"mainstream", r"everywhere", r"worldwide", r"extensively", r"broadly", r"(?<!how\s)(?<!more\s)(?<!less\s)often", r"(?<!how\s)(?<!more\s)(?<!less\s)frequently",
                      r"usually", r"typically", r"generally", r"most(?!\s+(?:of\s+all|likely|important|serious|useful|effective|recent))",
                      r"(?:the\s+)?majority", r"many\s+(?:doctors|centres|centers|hospitals|countries|specialists|patients|people)"),
              licences=(r"wide\w*", r"common\w*", r"often", r"usual\w*", r"typical\w*", r"general\w*", r"frequent\w*", r"most\w*", r"many", r"all",
                        r"majority", r"routine\w*", r"standard", r"several"),
              shares_over_half=True),
        # "seen mostly in kidney disease" restates "seen mainly in …": an adverb of emphasis, licensed by another of
        # the same kind or by the spread words above; "mainly" in a fact does not license "most patients" (spread).
        Sense("mostly", "that it is so mainly or mostly",
              claims=(r"mostly", r"mainly", r"chiefly", r"largely", r"predominantly", r"primarily", r"in\s+the\s+main"),
              licences=(r"most\w*", r"majority", r"usual\w*", r"typical\w*", r"general\w*", r"all"),
              shares_over_half=True),
    )),
    Family("time", "certainty", (
        Sense("speed", "how fast it works",
              claims=(r"quick(?:ly|er)?", r"rapid(?:ly)?", r"fast(?:er)?", r"swift(?:ly)?", r"(?<!as\s)soon(?!\s+as)", r"immediate(?:ly)?", r"right\s+away",
                      r"at\s+once", r"promptly", r"in\s+no\s+time", r"overnight", r"within\s+(?:" + _NUM + r"\s+)?(?:hours?|days?|weeks?|months?)",
                      r"straight\s+away", r"early\s+(?:response|benefit|effect|improvement|results?)", r"right\s+from", r"from\s+day\s+one",
                      r"from\s+the\s+(?:very\s+)?(?:first|start|outset|beginning)"),
              licences=(r"within", r"early", r"prompt\w*", r"quick\w*", r"rapid\w*", r"at\s+the\s+start", r"sped", r"speed\w*", r"accelerat\w*",
                        r"(?:around|at|from)\s+diagnosis", r"rather\s+than\s+waiting")),
        Sense("lasting", "how long the effect lasts",
              claims=(r"(?<!responses\s)lasting", r"long[- ]lasting", r"long[- ]term(?!\s+(?:analysis|follow[- ]up|data|results?\s+of|study))", r"permanent(?:ly)?",
                      r"durabl[ey]", r"durability", r"sustained", r"for\s+good", r"forever", r"for\s+life", r"lifelong", r"for\s+(?:many\s+)?years",
                      r"indefinitely", r"long\s+remissions?"),
              licences=(r"last\w*", r"long[- ]term", r"median\s+of", r"a\s+year\s+or\s+more", r"\d+\s+years?")),
    )),
)}


@dataclass(frozen=True)
class Claim:
    family: str
    sense: str
    word: str
    start: int


# ("not a proven, established treatment": the negation reaches over a list of adjectives)
_NEGATED_BEFORE = re.compile(r"(?:\b(?:not|no|never|nor|neither|hardly|barely|cannot|without)\b|n['’]t)\s+(?:(?:\w+\s+){0,2}|(?:a|an)\s+\w+,\s+)$", _I)


def _alternation(phrases: tuple[str, ...], loose: bool = False) -> re.Pattern[str] | None:
    """One pattern for phrases; a claim is a whole word ("risk" is not in "lower-risk"), a licence may
    be part of a hyphenated word ("naive" in "ESA-naive")."""
    if not phrases:
        return None
    before, after = (r"(?<!\w)", r"(?!\w)") if loose else (r"(?<![\w-])", r"(?![\w-])")
    return re.compile(before + "(?:" + "|".join(f"(?:{p})" for p in phrases) + ")" + after, _I)


@cache
def _claim_pattern(family: str, sense: str) -> re.Pattern[str] | None:
    return _alternation(_sense(family, sense).claims)


@cache
def _licence_pattern(family: str, sense: str) -> re.Pattern[str] | None:
    s = _sense(family, sense)
    return _alternation(s.claims + s.licences, loose=True)


def _sense(family: str, sense: str) -> Sense:
    return next(s for s in FAMILIES[family].senses if s.name == sense)


def _negated(text: str, start: int) -> bool:
    return bool(_NEGATED_BEFORE.search(text[max(0, start - 40):start]))


def claim_words(text: str) -> list[Claim]:
    """The claim words of a text, each with the family and sense it claims in (a negated comparison
    word claims in its `negated_sense`; a negated word of another sense claims nothing)."""
    found: list[Claim] = []
    taken: list[tuple[int, int]] = []
    for family in FAMILIES.values():
        for sense in family.senses:
            pattern = _claim_pattern(family.name, sense.name)
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue  # a longer phrase of an earlier sense already covers these words
                name = sense.name
                if _negated(text, m.start()) and not re.match(r"(?:never|no\s|none|nobody|not\s)", m.group(0), _I):
                    if not sense.negated_is_claim:
                        continue
                    name = sense.negated_sense or name
                found.append(Claim(family.name, name, re.sub(r"\s+", " ", m.group(0)), m.start()))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda c: c.start)


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def licensed(claim: Claim, fact_text: str) -> bool:
    """Whether a fact's text backs a claim word: a word of the claim's own sense, not negated (unless
    the sense is licensed by negated words), or, for "most" and its kind, a share over half."""
    sense = _sense(claim.family, claim.sense)
    pattern = _licence_pattern(claim.family, claim.sense)
    if pattern is not None:
        for m in pattern.finditer(fact_text):
            if sense.negated_licence or not _negated(fact_text, m.start()) or re.match(r"(?:never|no\s|none|not\s|na)", m.group(0), _I):
                return True
    if sense.shares_over_half and any(float(v) > 50.0 for v in _PERCENT.findall(fact_text)):
        return True
    return False


def unlicensed(text: str, fact_texts: list[str] | tuple[str, ...]) -> list[Claim]:
    """The claim words of `text` that no text of `fact_texts` licenses."""
    return [c for c in claim_words(text) if not any(licensed(c, t) for t in fact_texts)]


def describe(claim: Claim) -> str:
    """'<rule>: <family> word '<word>' …' — the problem string of an unlicensed claim word."""
    family = FAMILIES[claim.family]
    sense = _sense(claim.family, claim.sense)
    shown = "not " + claim.word if sense.name in ("differ", "not better") and not claim.word.casefold().startswith(("no", "not")) else claim.word
    return f"{family.rule}: {claim.family} word '{shown}' needs its facts to say {sense.what}; they do not"
