"""What an abstract concludes about its main question: positive, negative or inconclusive.

Pure functions over a Document's text and sections. The conclusion is read from a labelled
"Conclusion(s)" / "Interpretation" section of a structured abstract, else from a sentence that
announces it ("In conclusion, …", "We conclude …", "These data suggest …"), else from the last
sentence. Cue words decide, in this order:
- negative: the main comparison fails or the authors conclude against ("did not improve", "no
  benefit", "cannot be recommended", "limited activity") — even when some numbers look good; but a
  failed key comparison that the authors defer to a testing trial ("a larger trial is needed", "should
  be tested prospectively") is inconclusive, unless they conclude against the therapy outright;
- inconclusive: only trends, or the authors defer ("needs confirmation", "not significant");
- positive: the therapy is active or better, or the factor predicts ("effective", "improved",
  "feasible", "predictor"); hedged positives ("may improve", "suggest") stay positive;
- nothing recognised: inconclusive (an abstract cut before its result reads so too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.nlp.sentences import split_sentences
from mdskg.records import Document

POSITIVE, NEGATIVE, INCONCLUSIVE = "positive", "negative", "inconclusive"

_CONCLUSION_LABEL = re.compile(r"conclusions?|interpretations?|summary|discussion", re.IGNORECASE)
_ANNOUNCES = re.compile(
    r"^\s*(?:in\s+conclusion|to\s+conclude|in\s+summary|taken\s+together|collectively|together)\b"
    r"|^\s*overall\s*,"
    r"|\bwe\s+conclude\b|^\s*(?:these|our|the(?:se)?\s+present)\s+(?:data|results|findings|observations|analyses)\s+"
    r"(?:suggest|indicate|show|demonstrate|confirm|support|highlight)",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:did|does|do|could|was|were|is|are)\s+not\s+(?:significantly\s+)?(?:improve|prolong|increase|extend|reduce"
    r"|decrease|lower|change|affect|benefit"
    r"|show|demonstrate|provide|offer|translate|result|lead|confer|add|appear\s+to\s+(?:improve|be\s+superior))"
    r"|\bno\s+(?:significant\s+|clinically\s+(?:meaningful|relevant)\s+|additional\s+|further\s+|survival\s+)?"
    r"(?:difference|benefit|improvement|advantage|effect|impact|gain)"
    r"|\bnot\s+(?:superior|better|more\s+effective|associated\s+with\s+(?:improved|better|longer))"
    r"|\bfailed\s+to\s+(?:improve|show|demonstrate|meet|reach|prolong)"
    r"|\bcan(?:not|'t)\s+be\s+recommended|\bnot\s+(?:be\s+)?recommended"
    # "... should not be used", but not against a marker as a selection tool ("should not be used to choose patients")
    r"|\bshould\s+not\s+be\s+used(?!\s+(?:alone\s+)?(?:to|for)\s+(?:choos|select|guid|stratif|decid|exclud|inform|triag"
    r"|pick|identif)\w*)"
    r"|\b(?:limited|modest|minimal|poor|low|little|negligible|marginal|scant|no\s+meaningful)\s+(?:clinical\s+)?"
    r"(?:activity|efficacy|benefit|impact|effect)"
    # "neither combination improved response", "neither dose prolonged survival"
    r"|\bneither\b[^.;]{0,80}?\b(?:improved|prolonged|increased|extended|reduced|showed|was\s+superior|were\s+superior"
    r"|benefited|offered)"
    r"|\bshould\s+not\s+be\s+(?:pursued|given|offered|developed|continued)"
    # "yielded a limited response rate" (a poor response is left out: "predictors of a poor response" is a finding)
    r"|(?<!predictors\sof\sa\s)(?<!predictive\sof\sa\s)\b(?:limited|modest|minimal|low)\s+"
    r"(?:(?:overall|objective)\s+)?(?:response(?:\s+rates?)?|responses|remission\s+rates?|remissions)(?!\s+to\b)"
    r"|\binadequac(?:y|ies)\s+of\b|\b(?:effective|active|benefi\w+)\s+(?:only\s+)?in\s+(?:a\s+)?(?:limited|small|minority)\s+"
    r"(?:number|proportion|subset|fraction|of)\b"
    r"|\bpoor\s+(?:prognosis|outcomes?|results?)\s+with\s+(?:conventional|standard|current|available)\s+"
    r"(?:therap\w+|treatments?|approach\w*|care)"
    r"|\binferior\s+to\b|\bdoes\s+not\s+support|\bno\s+role\b|\bineffective\b|\bdisappointing\b"
    r"|\bnot\s+(?:\w+\s+)?satisfactory\b",
    re.IGNORECASE,
)
_INCONCLUSIVE = re.compile(
    r"\b(?:trend(?:ed)?\s+(?:toward|towards|to|for)|did\s+not\s+reach\s+(?:statistical\s+)?significance"
    r"|not\s+statistically\s+significant|needs?\s+(?:to\s+be\s+)?confirm\w*|requires?\s+confirmation"
    r"|warrants?\s+(?:confirmation|validation)|should\s+be\s+confirmed|remains?\s+(?:unclear|uncertain|unknown"
    r"|to\s+be\s+(?:determined|established))|inconclusive|hypothesis[\s-]generating|cannot\s+be\s+drawn"
    r"|(?:prospective|randomi[sz]ed)(?:[\s-]+controlled)?\s+(?:\w+\s+)?(?:studies|trials)\s+(?:[^.;]{0,120}?\s)?"
    r"(?:are\s+)?(?:still\s+)?(?:needed|required|warranted|necessary)"
    # ... unless they are for further questions ("to clarify its activity in high-risk subsets"), not to confirm
    r"(?!\s+to\s+(?:further\s+)?(?:clarify|explore|define|identify|investigate|optimi[sz]e|refine|characteri[sz]e)\b)"
    r"|seems?\s+(?:to\s+be\s+)?(?:effective|active))",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"\b(?:effective|efficacious|active|activity|improv\w+|superior|prolong\w*|benefi\w+|well[\s-]tolerated|feasible"
    r"|promising|encouraging|safe|favou?rable|longer|better|higher\s+(?:response|remission|survival)"
    r"|independent(?:ly)?\s+(?:predict\w*|prognostic|associated)|predict\w*|prognostic|associated\s+with|correlat\w*"
    r"|reasonable\s+(?:option|alternative)|valid\s+(?:option|alternative)|option|should\s+be\s+considered"
    r"|can\s+be\s+(?:safely\s+)?(?:given|administered|used)|induces?|achieve[sd]?|responses?"
    r"|(?:shows?|showed|demonstrat\w+|confirm\w*|has|had|with)\s+(?:\w+\s+)?efficacy|acceptable\s+(?:safety|toxicity)"
    r"|(?:steroid|treatment|therapy)[\s-]sensitive|impressive|satisfactory|therapeutic\s+(?:potential|value)"
    r"|(?:data|results|findings)\s+support|supports?\s+(?:the\s+|its\s+|their\s+|[\w-]+'s\s+)?(?:use|role)\b"
    r"|(?:risks?|dangers?)\s+of\s+(?:\w+\s+)?(?:terminating|stopping|discontinuing|interrupting|withdrawing)"
    r"|(?:identif\w+|selected|defined)\s+(?:a\s+)?(?:subset|subgroup|group)\s+(?:of\s+patients\s+)?(?:with|at)\s+"
    r"(?:an?\s+)?(?:high|higher|increased|low|lower)\b"
    # lasting benefit: "durable remissions", "lasting transfusion independence", "offers durable survival"
    r"|(?:durable|lasting|sustained|long[\s-]lasting|long[\s-]term)\s+(?:\w+\s+)?(?:survival|responses?|remissions?"
    r"|transfusion[\s-]independence|disease\s+control|benefit)"
    r"|induced\s+(?:\w+\s+){0,2}?(?:responses?|remissions?|transfusion[\s-]independence|improvement|CRs?)"
    r"|(?:may\s+)?offers?\s+(?:a\s+|an\s+)?(?:bridge|option|alternative|chance|cure)"
    r"|worth\s+(?:offering|considering|trying|pursuing)|should\s+be\s+(?:preferred|offered)"
    r"|should\s+be\s+used\s+to\s+(?:counsel|select|guide|stratify|inform)|(?<!un)likely\s+to\s+(?:respond|benefit)"
    # a factor that selects patients: "serum EPO should guide the use of ESAs", "can inform the choice of therapy"
    r"|(?<!not\s)(?:should|can|could|may|might|will|help\s+to|helps?)\s+(?:guide|inform|direct)\s+(?:the\s+)?"
    r"(?:use|choice|selection|timing)\s+of"
    # blood counts or needs changed for the better: "raised platelet counts", "reduced bleeding"
    r"|(?:raised|increased)\s+(?:the\s+)?(?:platelet|ha?emoglobin|neutrophil)\w*"
    r"|(?:reduced|lowered|decreased)\s+(?:the\s+)?(?:bleeding|transfusion|infections?|red[\s-]cell)\w*"
    # non-inferiority read off a comparison with less harm: "comparable to the 7-day schedule with fewer delays"
    r"|(?:comparable|similar|equivalent)\s+(?:to|with)\b[^.;]{0,80}?\bwith\s+(?:fewer|less|lower)"
    r"|non[\s-]?inferior)\b",
    re.IGNORECASE,
)


# The authors defer the question to a further, testing study: with a failed key endpoint (or a non-randomised
# comparison) the README's rule reads "inconclusive" ("... did not prolong survival; a larger trial is needed",
# "the choice should be tested prospectively", "needs to be tested in a randomised head-to-head trial").
_DEFERS = re.compile(
    r"\b(?:(?:larger|randomi[sz]ed|prospective|head[\s-]to[\s-]head|confirmatory|adequately\s+powered|definitive)"
    r"(?:[\s-]+\w+){0,3}?\s+(?:trials?|studies|study|comparisons?)\s+(?:is|are)\s+(?:still\s+)?(?:needed|required"
    r"|warranted|necessary)"
    r"|(?:should|must|needs?\s+to|remains?\s+to)\s+be\s+(?:tested|compared|confirmed|validated|settled|addressed)"
    r"(?:\s+(?:prospectively|in\s+(?:a|an)\s+(?:\w+[\s-]+){0,3}?(?:trial|study)))?"
    r"|tested\s+prospectively"
    # "... needs confirmation before maintenance can be recommended", "requires validation"
    r"|(?:needs?|requires?|warrants?|awaits?)\s+(?:prospective\s+|independent\s+|further\s+)?(?:confirmation|validation))\b",
    re.IGNORECASE,
)
# A negative conclusion against the therapy itself stays negative whatever is deferred.
_FIRM_NEGATIVE = re.compile(
    r"\bcan(?:not|'t)\s+be\s+recommended|\bnot\s+(?:be\s+)?recommended|\bineffective\b"
    r"|\bshould\s+not\s+be\b(?!\s+used\s+(?:alone\s+)?(?:to|for)\s+(?:choos|select|guid|stratif|decid|exclud|inform|triag"
    r"|pick|identif))"
    r"|\bno\s+role\b|\binferior\s+to\b|\b(?:little|negligible|no\s+meaningful)\s+(?:clinical\s+)?activity",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Conclusion:
    label: str  # positive | negative | inconclusive
    sentence: str
    start: int  # offsets of the sentence(s) read, in Document.text
    end: int


# Lines after the abstract proper: MEDLINE field lines ("FAU - …"), copyright and funding notes.
_NOT_ABSTRACT = re.compile(
    r"^\s*[A-Z]{2,4}\s+-\s|©|\bcopyright\b|\bfund(?:ed|ing)\b|\bsponsor|\bregist(?:ered|ration)\b|\bNCT\d{8}\b"
    r"|^\s*(?:[\w&,]+\s+){0,5}(?:pharmaceuticals?|therapeutics|society|inc|ltd|gmbh|foundation)\.?\s*$"
    r"|^\s*[A-Z][\w.&\s]{0,40}\s\d{4};\s*\d",
    re.IGNORECASE,
)
_SKIPPED_LABELS = re.compile(r"funding|trial\s+registration|registration|copyright|disclosures?", re.IGNORECASE)
LAST_SENTENCES = 3  # read when nothing labels or announces the conclusion
_RESULT_NUMBERS = re.compile(r"\d\s?%|\bp\s*(?:[=<>≤]|&lt;)\s*0?\.\d|\b\d+\s*/\s*\d+\b", re.IGNORECASE)


def _abstract_sentences(document: Document) -> list[tuple[int, int]]:
    abstract = [s for s in document.sections if s.kind == "abstract" and s.end > s.start
                and not (s.title and _SKIPPED_LABELS.fullmatch(s.title.strip().rstrip(":")))]
    if not abstract:
        return []
    start, end = abstract[0].start, abstract[-1].end
    return [(start + a, start + b) for a, b in split_sentences(document.text[start:end])
            if not _NOT_ABSTRACT.search(document.text[start + a : start + b])]


def conclusion_text(document: Document) -> tuple[int, int] | None:
    """(start, end) of the text that states the abstract's conclusion."""
    labelled = [s for s in document.sections if s.kind == "abstract" and s.end > s.start and s.title
                and _CONCLUSION_LABEL.fullmatch(s.title.strip().rstrip(":"))]
    if labelled:
        return labelled[-1].start, labelled[-1].end
    sentences = _abstract_sentences(document)
    if not sentences:
        return None
    # a sentence that reports results (percentages, P values, k/n) is not the conclusion, however it opens
    # ("Overall, 62% of patients ..."); the fallback window starts after such sentences while any is left
    announced = [i for i, (a, b) in enumerate(sentences) if _ANNOUNCES.search(document.text[a:b])
                 and not _RESULT_NUMBERS.search(document.text[a:b])]
    first = announced[-1] if announced else max(0, len(sentences) - LAST_SENTENCES)
    while not announced and first < len(sentences) - 1 and _RESULT_NUMBERS.search(
            document.text[sentences[first][0]:sentences[first][1]]):
        first += 1
    return sentences[first][0], sentences[-1][1]


def truncated(document: Document) -> bool:
    """An abstract whose stored text stops mid-sentence (no closing punctuation): cut before its result."""
    sentences = _abstract_sentences(document)
    return bool(sentences) and not re.search(r"[.!?)\]\"'”’]\s*$", document.text[sentences[-1][0] : sentences[-1][1]])


# "Although X failed to improve survival in other trials, our data support its use": the concession is not the finding
_CONCESSION = re.compile(r"(?:^|(?<=[.;]\s))\s*(?:although|though|even\s+though|while|whereas|despite)\b[^,;.]{0,200},",
                         re.IGNORECASE)


# A later clause that leaves a side question open ("...; whether drug B also improves survival remains unclear"):
# it does not undo a positive main finding stated before it in the same sentence.
_OPEN_SIDE_QUESTION = re.compile(r"(?:;|,\s*(?:but|although|though|while)|,\s*and)\s+whether\b[^.;]*", re.IGNORECASE)


def classify(text: str) -> str:
    """positive, negative or inconclusive for a conclusion text (see the module's order of cues). A sentence's opening
    concession ("Although A failed in other trials, ...") gives way to its main clause."""
    text = _CONCESSION.sub(" ", text)
    if _NEGATIVE.search(text):
        if _DEFERS.search(text) and not _FIRM_NEGATIVE.search(text):
            return INCONCLUSIVE  # the key comparison failed, and the authors defer it to a testing trial
        return NEGATIVE
    if _INCONCLUSIVE.search(text):
        main = _OPEN_SIDE_QUESTION.sub(" ", text)
        if main != text and not _INCONCLUSIVE.search(main) and _POSITIVE.search(main):
            return POSITIVE
        return INCONCLUSIVE
    if _POSITIVE.search(text):
        return POSITIVE
    return INCONCLUSIVE


def conclusion_of(document: Document) -> Conclusion | None:
    """The abstract's conclusion, or None for a document without an abstract."""
    span = conclusion_text(document)
    if span is None:
        return None
    text = document.text[span[0] : span[1]]
    return Conclusion(INCONCLUSIVE if truncated(document) else classify(text), text, *span)
