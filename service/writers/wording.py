# ruff: noqa: E501  (tables of regular expressions read better unwrapped)
"""Which words of a written sentence its cited facts do not support (the closed-wording rule, issue 17).

The checker's claim rules recognise the claims they know. This rule closes the gap the other way: a
statement may use a word only when its cited facts use it (by stem, British and American spellings alike),
when a word of the same family is in those facts (`wording.yaml`: "below" for "under" or "<", "free of
transfusions" for "transfusion independence"), or when the word carries no claim of its own (the
`neutral` list). Concept names (drugs, genes, subtypes) and numbers are left to the rules that check them.

    >>> unsupported_words("Luspatercept works as well as epoetin.", ["Luspatercept raised haemoglobin."])
    ['well']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_SYMBOLS = re.compile(r"[<>≤≥]=?")
_IRREGULAR = {
    "went": "go", "gone": "go", "gave": "give", "given": "give", "took": "take", "taken": "take", "saw": "see",
    "seen": "see", "found": "find", "began": "begin", "begun": "begin", "kept": "keep", "led": "lead",
    "fell": "fall", "rose": "rise", "risen": "rise", "made": "make", "got": "get", "came": "come",
    "told": "tell", "said": "say", "became": "become", "ran": "run", "brought": "bring", "thought": "think",
    "men": "man", "women": "woman", "lived": "live", "was": "be", "were": "be", "is": "be", "are": "be",
    "been": "be", "am": "be", "has": "have", "had": "have", "does": "do", "did": "do", "done": "do",
    "better": "better", "best": "best", "worse": "worse", "worst": "worst", "going": "go", "doing": "do",
    "being": "be", "lets": "let", "only": "only", "early": "early", "likely": "likely", "quieten": "quiet", "quietens": "quiet",
    "quietened": "quiet", "driven": "drive", "drove": "drive",
    # a person's state as a noun: "fitness, willingness and a donor" (not every -ness: "weakness" is a symptom,
    # "weak" a judgement of evidence)
    "fitness": "fit", "unfitness": "unfit", "willingness": "willing", "unwillingness": "unwilling", "readiness": "ready",
}
# Set phrases read as one word or as a symbol before the words are compared: "at least 2" is "≥ 2",
# "no longer needed" is one idea (free of), "as well as" and "above all" make no comparison.
_PHRASES = tuple((re.compile(p, re.IGNORECASE), r) for p, r in (
    (r"\bno\s+longer\b", " nolonger "), (r"\bat\s+least\b|\bor\s+more\b|\bor\s+higher\b|\bor\s+above\b|\bor\s+over\b", " ≥ "),
    (r"\bno\s+(?:higher|greater|more)\s+than\b|\bnot\s+(?:above|over|more\s+than|higher\s+than|greater\s+than|exceeding)\b", " ≤ "),
    (r"\bno\s+(?:lower|less|fewer)\s+than\b|\bnot\s+(?:below|under|less\s+than|lower\s+than|fewer\s+than)\b", " ≥ "),
    (r"\bat\s+most\b|\bor\s+less\b|\bor\s+fewer\b|\bor\s+lower\b|\bor\s+below\b|\bup\s+to\b|\bor\s+under\b", " ≤ "),
    # "as well as" meaning "and", not "works as well as": a comparison stays for the rules to read
    (r"(?<!\bworks\s)(?<!\bwork\s)(?<!\bworked\s)(?<!\bdoes\s)(?<!\bdid\s)(?<!\bdo\s)(?<!\babout\s)(?<!\bjust\s)(?<!\bnearly\s)"
     r"(?<!\balmost\s)(?<!\bjust\s)(?<!\bbit\s)\bas\s+well\s+as\b|\bin\s+check\b|\bat\s+times\b|\ba\s+number\s+of\b|"
     r"\bfor\s+example\b|\bsuch\s+as\b|\bin\s+part\b|\bthe\s+other\s+way\s+round\b|\bother\s+way\s+around\b", " "),
    (r"\bnot\s+(?:free\s+(?:of|from)|without)\s+(?:risks?|side[- ]effects|harm)\b|\bnot\s+risk[- ]free\b", " risk "),
    (r"\bnever\s+(had|received|been\s+given|tried|taken)\b", r" not \1 "), (r"\bhaven['’]t\b", " have not "),
    (r"\bhasn['’]t\b", " has not "), (r"\bnothing\s+(?:else\s+)?(?:other\s+than|but|except|apart\s+from|besides)\b", " only "),
    (r"\bstill\s+(?=(?:list|lists|listed|name|names|named|include|includes|mention|mentions)\b)", " "),
    (r"\bfree\s+to\b", " can "), (r"\b(?:my|your|its|their|his|her|our)\s+own\b", " "),
    # "two out of every three" is "two in three" (the number rule reads the share)
    (r"\b(?:in|out\s+of)\s+every\s+(?!one\s+of\b)(?=(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand)\b)", " in "),
    (r"\b(?:carried|carry|carries|carrying|find|found|finding|finds|out)\s+out\b|\bout\s+of\b", " "), (r"\bunder\s+(?:other|certain|some|these|those|such)\s+(?:conditions|circumstances)\b", " "), (r"\bbefore\s+anyone\s+can\b", " before it can "),
    (r"\b(?:most\s+of\s+all|above\s+all)\b", " mostly "),
    (r"\bmore\s+(?:often|frequent(?:ly)?|common(?:ly)?)\b", " more "),
    (r"\b(?:less\s+(?:often|frequent(?:ly)?|common(?:ly)?)|fewer\s+times)\b", " less "),
    (r"\bhow\s+(?:often|long|many|much|soon|well)\b", " how "), (r"\bworks?\s+by\b", " acts by "),
    (r"\bcame\s+out\s+(?:ahead|on\s+top)\b|\bdid\s+better\b", " better "), (r"\b(?:show|shows|showed|shown)\s+up\b", " appear "),
    (r"\bon\s+(?:its|their|his|her)\s+own\b|\bby\s+(?:itself|themselves)\b", " alone "), (r"\bruled\s+out\b", " not possible "),
    (r"\b(?:for\s+)?as\s+long\s+as\b", " while "), (r"\b(kept|keep|keeps|keeping)\s+up\b", r" \1 "),
    (r"\b(kept|keep|keeps|keeping)\s+going\b", r" \1 "),
    # "43 in every 100 people" is "43 in 100"; "the right one depends on" is "which one … depends on" (no judgement)
    # "can only be judged after 6 cycles" is "needs 6 cycles before it can be judged" (not "only" as an absolute)
    (r"\b(?:can\s+)?only\s+be\s+(judged|assessed|known|seen|told|measured)\b", r" be \1 "),
    (r"\b(judged|assessed|known|seen|told|measured)\s+only\s+(?=after\b)", r" \1 "),
    (r"\ba\s+minimum\s+of\b", " ≥ "), (r"\ba\s+maximum\s+of\b", " ≤ "),
    # the same idea in other words: "head to head" is "directly" (which the facts must say), "accompanied by" is
    # "comes with", "is the only change" is "alone" (the facts must say alone), "bring … back up" is "restore",
    # "brought under control" is "controlled", "limited to trials" is "only within trials", "decide whether" is "depend"
    (r"\bhead[- ]to[- ]head\b", " directly "), (r"\b(?:is|are|was|were)\s+accompanied\s+by\b", " comes with "),
    (r"\bis\s+the\s+only\s+(?:chromosome\s+)?(?:change|abnormality)\b", " alone "),
    (r"\b(?:bring|brings|bringing|brought)\s+((?:[\w-]+\s+){1,3})back\s+up\b", r" restore \1 "),
    (r"\b(?:bring|brings|bringing|brought|kept|keep|keeps|keeping)\s+under\s+control\b", " controlled "),
    (r"\blimited\s+to\s+(?=(?:\w+\s+)?(?:clinical\s+)?(?:trials?|studies|research)\b|\s*(?:[.,;]|$))", " only within "),
    (r"\b(?:decide|decides|determine|determines)\s+(?=whether\b|which\b|if\b)", " depend on "),
    # "needs all of the following:" is "needs:"; "periods lasting a year or more" is "periods of a year or more" (the
    # length is the number rule's to check). ("provided" is read as "if" by sentence_check.py; the groups around it face its population rules.)
    (r"\ball\s+of\s+the\s+following\b", " the following "),
    # Idioms read as the plain word they stand for (which the facts must then use, unless it carries no claim):
    # "keeps transfusions away" avoids them, "turned up" appeared, "opens the door to" leads to, "in places" is
    # partly, "on the table" is a candidacy, "has the power to" can, "hold the disease back" controls it,
    # "frees T cells to attack" lets them, "go ahead" (with a treatment) is having it, "just one" is one.
    (r"\b(?:keep|keeps|kept|keeping)\s+((?:[\w-]+\s+){0,3}?)away\b", r" avoid \1 "),
    (r"\b(?:turn|turns|turned|turning)\s+up\b", " appear "),
    (r"\b(?:open|opens|opened|opening)\s+the\s+door\s+to\b|\b(?:pave|paves|paved|paving)\s+the\s+way\s+(?:to|for)\b", " lead to "),
    (r"\bin\s+places\b", " partly "), (r"\bon\s+the\s+table\b", " ontable "),
    (r"\b(?:has|have|had|having|with)\s+the\s+(?:power|ability|capacity)\s+to\b", " can "),
    (r"\b(?:hold|holds|held|holding)\s+((?:[\w-]+\s+){0,3}?)back\b", r" controlled \1 "),
    (r"\b(?:free|frees|freed|freeing|allow|allows|allowed|allowing|enable|enables|enabled|enabling)\s+((?:[\w-]+\s+){0,3}?)to\s+(?=[a-z])", r" let \1 "),
    (r"\b(?:go|goes|going|went|gone)\s+ahead\b(?!\s+of\b)", " have "), (r"\bahead\s+of\b", " before "),
    (r"\bjust\s+(?=(?:one|two|three|four|five|six|seven|eight|nine|ten|\d)\b)", " "),
    # "of all treatments …, X is the only one": the "only" says it, and is held to the facts' own "only"
    (r"\bof\s+all\s+(?=(?:the\s+)?(?:treatments|therapies|options|medicines|drugs)\b[^.;]*\bthe\s+only\b)", " of "),
    # "early on" is "in the first" cycles or weeks (the facts must say so); "a good fit" is suitable;
    # "according to" and "drawn from" a source need a source word in the facts (the label, a warning, a guideline)
    (r"\bearly\s+on\b", " earlyon "), (r"\ba\s+good\s+fit\b", " suitable "),
    (r"\baccording\s+to\b", " accordingto "), (r"\bdrawn\s+from\b", " accordingto "),
    # "the lowest one that still avoids transfusions" is "the lowest that avoids" (the superlative carries the
    # limit; "still" alone, "the dose still avoids transfusions", stays a claim of its own)
    (r"\b(lowest|smallest|least)\s+((?:[\w-]+\s+){0,2}?)(that|which)\s+still\b", r" \1 \2\3 "),
    (r"\blasting\s+(?=(?:a|an|one|two|three|four|five|six|\d+)?\s*(?:years?|months?|weeks?|days?)\b|(?:at\s+least|≥)\s)", " of "),
    (r"\bin\s+every\s+(?=\d|hundred\b|thousand\b)|\bin\s+every\s{2,}(?=[a-z])", " in "), (r"\bevery\s+one\s+of\b", " all of "), (r"\bthe\s+right\s+one\s+(?=(?:for\s+you\s+)?depends\b)", " which one "),
))
# Numbers in words are the number rule's: it reads "sixty", "two in three" and "half" against the facts.
_NUMBER_WORDS = frozenset("""zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
    percent cent half halves third thirds quarter quarters fifth fifths tenth tenths dozen twice""".split())
# Spelling pairs that stay apart after the rules below would merge them are not worth the code: the
# stems compare six letters at most.
_BRITISH = ((re.compile(r"ae"), "e"), (re.compile(r"oe(?=[a-z])"), "e"), (re.compile(r"(?<=[a-z]{4})is(?=(?:e|ed|es|ing|ation|ations)$)"), "iz"),
            (re.compile(r"our$|our(?=s$)"), "or"), (re.compile(r"tre$"), "ter"), (re.compile(r"(?<=[a-z]{4})ll(?=ed$|ing$)"), "l"))


def _spelling(word: str) -> str:
    if len(word) <= 4:
        return word
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    return word


def stem(word: str) -> str:
    """A crude stem: the same for a word's inflections and for its British and American spellings."""
    word = word.casefold().strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    word = _IRREGULAR.get(word, word)
    word = _spelling(word)
    if word.endswith("ly") and len(word) >= 6:
        word = word[:-3] + "e" if word.endswith("ily") else word[:-2]
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith(("ss", "us", "is")):
            word = word[: -len(suffix)] + replacement
            if suffix in ("ing", "ed") and len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsaeiou":
                word = word[:-1]  # stopped, dripped
            break
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]
    return word[:6]


_FIGURES_COMPARED = re.compile(r"\d(?:[.,]\d+)?\s*%[^.;]{0,100}?\b(?:compared\s+with|against|versus|vs\.?|than)\s[^.;]{0,60}?\d(?:[.,]\d+)?\s*%"
                               r"|\d(?:[.,]\d+)?\s*%\s+(?:versus|vs\.?|against|and)\s+\d(?:[.,]\d+)?\s*%", re.IGNORECASE)
# Risk groups are names of patient groups (the population rule checks them), not directions: the "lower" of
# "lower-risk" does not license "low" in "its risks are low".
_RISK_GROUP = re.compile(r"\b(?:very\s+)?(?:low|lower|high|higher|intermediate)(?:\s*-\s*|\s+)(?:to\s+(?:very\s+)?(?:low|lower|high|higher|intermediate)(?:\s*-\s*|\s+))?risk\b"
                         r"|\b(?:very\s+)?(?:low|high)(?:\s*-\s*|\s+)to(?:\s*-\s*|\s+)intermediate\b", re.IGNORECASE)


def _phrased(text: str) -> str:
    text = _RISK_GROUP.sub(" riskgroup ", text)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class Wording:
    neutral: frozenset[str]
    families: dict[str, tuple[str, ...]]  # family name → members (words, phrases or symbols)
    family_of: dict[str, frozenset[str]]  # stem of a one-word member → its families
    # per family, compiled once: (name, symbols, one pattern for its phrases, stems of its words)
    _matchers: tuple[tuple[str, tuple[str, ...], re.Pattern[str] | None, frozenset[str]], ...] = field(
        default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        matchers = []
        for name, members in self.families.items():
            symbols = tuple(m for m in members if _SYMBOLS.fullmatch(m))
            phrases = [m for m in members if " " in m and not _SYMBOLS.fullmatch(m)]
            pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b") if phrases else None
            words = frozenset(stem(m) for m in members if " " not in m and not _SYMBOLS.fullmatch(m))
            matchers.append((name, symbols, pattern, words))
        object.__setattr__(self, "_matchers", tuple(matchers))

    def families_in(self, text: str) -> set[str]:
        """The families a text uses (by any member's stem, phrase or symbol)."""
        lowered = _phrased(text).casefold()
        stems = {stem(w) for w in _WORD.findall(lowered)}
        return {name for name, symbols, pattern, words in self._matchers
                if words & stems or any(symbol in lowered for symbol in symbols) or (pattern is not None and pattern.search(lowered))}


@lru_cache(maxsize=1)
def load_wording() -> Wording:
    data = yaml.safe_load(resources.files("service.writers").joinpath("wording.yaml").read_text(encoding="utf-8"))
    neutral = frozenset(stem(w) for w in str(data["neutral"]).split())
    families = {name: tuple(str(m) for m in members) for name, members in (data.get("families") or {}).items()}
    family_of: dict[str, set[str]] = {}
    for name, members in families.items():
        for member in members:
            if " " not in member and not _SYMBOLS.fullmatch(member):
                family_of.setdefault(stem(member), set()).add(name)
    return Wording(neutral, families, {k: frozenset(v) for k, v in family_of.items()})


def unsupported_words(text: str, fact_texts: Sequence[str], *, extra: Iterable[str] = (),
                      wording: Wording | None = None) -> list[str]:
    """The words of `text` that neither its facts, nor a word of the same family in them, nor the neutral
    list support, in the order written (each once). `text` should have concept names and numbers blanked;
    `extra` are further words allowed (a fact's terms, the question's words for a question)."""
    wording = wording or load_wording()
    facts_joined = " ".join(fact_texts)
    known = {stem(w) for w in _WORD.findall(_phrased(facts_joined))} | {stem(w) for term in extra for w in _WORD.findall(term)}
    present = wording.families_in(facts_joined)
    if _FIGURES_COMPARED.search(facts_joined):
        present |= {"more", "less"}  # two figures compared: which is more is the direction rule's to check
    missing: list[str] = []
    for word in _WORD.findall(_phrased(text)):
        if word.casefold() in _NUMBER_WORDS:
            continue
        s = stem(word)
        if s in known or s in wording.neutral or len(s) <= 1:
            continue
        if wording.family_of.get(s, frozenset()) & present:
            continue
        if word.casefold() not in missing:
            missing.append(word.casefold())
    return missing
