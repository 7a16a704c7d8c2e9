"""Rule families about markers and effects: PREDICTS_RESPONSE_TO (biomarker → therapy, with its
direction), HAS_SIDE_EFFECT (therapy → side effect) and ASSOCIATED_WITH (biomarker → disease).

    Response to <Therapy> is more likely in patients with <biomarker / threshold>
    <Therapy> can cause <side effect>
    <Biomarker> is associated with / found in <disease>

`NEGATIVE_RESPONSE` ("unlikely to respond") is also read by the TREATS rules: such a sentence says
who does not respond, not what treats them.

A statement that a marker and an outcome are *not* related ("did not predict response") gives no
edge at all (`no_relation_cue`): the graph keeps no negated edges.
"""

from __future__ import annotations

import re

from etl.nlp.literals import Prefiltered
from etl.nlp.relations.base import RuleBase
from etl.nlp.relations.shared import _clause_text, _is_condition_therapy, _is_therapy

_TRIAL_WORDS = re.compile(r"\b(?:trial|study|phase\s+[123I]+|cohort)\b", re.I)

# A marker written as the population of a study ("IDH2-mutated AML", "TP53-mutant patients").
_STUDY_POPULATION_MARKER = re.compile(
    r"[\s-]*(?:mutated|mutant|mutation[\s-]positive|positive)?\s*"
    r"(?:AML|MDS|CMML|patients|participants|disease|leuka?emia|myelodysplastic)\b",
    re.I,
)

# A sentence that states what a study set out to do.
STUDY_AIM = re.compile(
    r"\s*(?:(?:in\s+this|this|the\s+present|our)\s+(?:study|report|analysis|trial|work)\s*,?\s*)?"
    r"(?:we\s+(?:examined|investigated|studied|evaluated|assessed|analy[sz]ed|explored|sought|aimed|asked|compared"
    r"|set\s+out|wanted|hypothesi[sz]ed)|(?:the\s+)?(?:aims?|purpose|objectives?|goals?)\s+(?:of|was|were|is))\b",
    re.I,
)

# Prefiltered (etl/nlp/literals.py): cue alternations scanned per sentence, clause or mention
# window, which most texts cannot match; a text without any of a pattern's necessary words is
# not scanned. Same results.
RESPONSE_CUE = Prefiltered(re.compile(  # a statement about who responds, not just the word "response"
    r"\b(?:respon\w*\s+(?:to|with|after|of)|respond\w*\s+(?:better|more|less|well|poorly)|predict\w*|likely"
    r"|likelihood|work(?:s|ed)?\s+best|best\s+results|sensitiv\w*|benefit\s+most|responders?"
    r"|(?:higher|lower|better|poorer)\s+response|response\s+rates?)\b",
    re.I,
))
NEGATIVE_RESPONSE = Prefiltered(re.compile(
    r"\b(?:less\s+likely|unlikely|(?:lower|low|reduced|decreased)\s+(?:overall\s+)?response|poor(?:er)?\s+response"
    r"|resistan\w*|rarely\s+effective"
    r"|inferior|predicts?\s+non[\s-]?response|worse"
    # a group compared with others ("20% ..., lower than in the others"; "less frequent in mutated patients"), not a
    # threshold ("blasts lower than 10%")
    r"|(?:lower|less\s+(?:frequent|common)|less\s+often|fewer)\s+than\s+(?:in|among|for|with)"
    r"|less\s+(?:frequent|common)(?:ly)?\s+(?:in|among|with))\b",
    re.I,
))

# A statement that a marker and an outcome are *not* related: "did not predict response", "had no
# significant impact on response", "was not associated with", "no correlation between X and
# response". It is neither a positive nor a negative PREDICTS_RESPONSE_TO / ASSOCIATED_WITH, and
# the graph keeps no negated edges (etl/rows.py writes every relation as stated): no edge at all.
_NO_RELATION_WORDS = (r"(?:predictive|predictor|prognostic|correlation|correlated|association|associated|relationship"
                      r"|relation|related|link|linked|impact|effect|influence|difference|role|bearing)")
NO_RELATION = Prefiltered(re.compile(
    r"(?:\b(?:did|do|does|could|would|was|were|is|are)\s+not\s+(?:significantly\s+|independently\s+)?"
    r"(?:predict|correlate|influence|affect|impact|alter|change|differ|associate|vary|varie|depend)\w*"
    # "response was unaffected by TET2 status"; "similar in patients with and without ASXL1 mutations"
    r"|\bun(?:affected|influenced|changed|altered)\s+by"
    r"|\b(?:similar|comparable|equivalent|identical|the\s+same)\b[^.;]{0,80}?\bwith\s+(?:or|and)\s+without"
    r"|\bnot\s+(?:(?:a|an|the)\s+)?(?:(?:statistically\s+)?significant(?:ly)?\s+|independent(?:ly)?\s+|clearly\s+"
    r"|strongly\s+|reliable\s+|useful\s+)?" + _NO_RELATION_WORDS +
    r"|\bno\s+(?:(?:statistically\s+)?significant\s+|clear\s+|independent\s+|meaningful\s+|apparent\s+|major\s+"
    r"|obvious\s+|relevant\s+|consistent\s+|predictive\s+|prognostic\s+)*" + _NO_RELATION_WORDS +
    r"|\b(?:lack|absence)\s+of\s+(?:(?:a|any)\s+)?(?:significant\s+)?(?:correlation|association|relationship|impact"
    r"|effect|predictive)|\bfail(?:ed|s)?\s+to\s+predict|\bneither\s+predict\w*|\bunrelated\s+to"
    # non-significance: "did not reach significance", "was not statistically significant", "non-significant"
    r"|\b(?:did|does|do)\s+not\s+reach\s+(?:statistical\s+)?significance|\bfail(?:ed|s)?\s+to\s+reach\s+"
    r"(?:statistical\s+)?significance|\bnon[\s-]?significant|\bnot\s+(?:statistically\s+)?significant"
    # negation over a list: "neither X nor Y predicted ...", "nor did X or Y", "none of X, Y or Z"
    r"|\bneither\b[^;.]{0,160}?\bnor|\bnor\s+(?:did|does|do|was|were|is|are|had|has|could)|\bnone\s+of\s+(?:the\s+|these\s+)?"
    r"(?:factors|variables|markers|mutations|characteristics|features|covariates|parameters|them)"
    r")\b"
    # an elliptical negation after a contrast: "..., while ring sideroblasts were not (OR 1.1)",
    # "whereas TET2 mutation did not." — the verb and 'not' end the clause
    r"|\b(?:did|does|do|was|were|is|are|had|has)\s+not(?=\s*(?:\(|\[|[,;.:]|$))",
    re.I,
))

# A marker that is named as not mattering: "whether or not ring sideroblasts are present", "regardless of
# the karyotype", "irrespective of SF3B1 status", "independently of EPO level": it predicts nothing.
_MARKER_IRRELEVANT_BEFORE = re.compile(
    r"\b(?:whether\s+or\s+not|regardless\s+of|irrespective\s+of|independent(?:ly)?\s+of|with\s+or\s+without"
    r"|no\s+matter)\s+(?:(?:the|a|an|their|its|baseline|presence\s+of|absence\s+of|level\s+of)\s+)*"
    r"(?:[\w/()-]+\s+){0,3}$",
    re.I,
)
_MARKER_IRRELEVANT_AFTER = re.compile(r"^[\w\s/()-]{0,40}?\b(?:or\s+not|or\s+absent|or\s+absence)\b", re.I)
_WHETHER_BEFORE = re.compile(r"\bwhether\s+(?:(?:the|a|an|their)\s+)?(?:[\w/()-]+\s+){0,3}$", re.I)

# A sentence saying whom the study treated or enrolled ("We treated 48 patients with EPO above 500 U/L with
# epoetin alfa, adding filgrastim in non-responders"): its thresholds select the patients, and unless it says
# outright that something predicts or makes response likely, it states no predictor.
_ENROLMENT = re.compile(
    r"\b(?:we\s+(?:prospectively\s+|retrospectively\s+|then\s+)?(?:treated|enrolled|included|recruited|randomi[sz]ed"
    r"|assigned|studied|identified|reviewed)\s+(?:\d[\d,]*|all|consecutive|eligible|adult|older|\w+ty(?:-\w+)?)"
    r"|(?:were|was)\s+(?:prospectively\s+|retrospectively\s+)?(?:enrolled|included|recruited|randomi[sz]ed|eligible"
    r"|assigned)"
    r"|eligib(?:le|ility)\s+(?:patients|criteria)|inclusion\s+criteria|(?:patients|participants)\s+(?:had\s+to|must))\b",
    re.I,
)
_EXPLICIT_PREDICTOR = re.compile(r"\b(?:predict\w*|(?:more|less)\s+likely|likelihood|associated\s+with\s+"
                                 r"(?:a\s+)?(?:higher|lower|better|poorer|greater)?\s*(?:response|resistance))\b",
                                 re.I)


# "TP53 wild-type", "unmutated SF3B1", "TP53-negative": the marker's absence, whose direction the reading of the
# marker as a mutation would turn round; left out rather than guessed
_WILD_TYPE_AFTER = re.compile(r"^[\s-]*(?:gene\s+)?(?:wild[\s-]?type|wt\b|unmutated|non-?mutated|negative)\b", re.I)
_WILD_TYPE_BEFORE = re.compile(r"\b(?:wild[\s-]?type|unmutated|non-?mutated)[\s-]+(?:for\s+)?$", re.I)
# "In the TP53-mutated subgroup, decitabine gave more responses than azacitidine (52% v 33%)": the marker names the
# group in which two therapies are compared; it does not predict response to either
_SUBGROUP_OPENING = re.compile(r"^\s*(?:among|within|in)\s+(?:the\s+|those\s+with\s+|patients\s+with\s+)?[^,;]{0,40}$",
                               re.I)
_TWO_THERAPIES_COMPARED = re.compile(r"\b(?:v|vs\.?|versus|compared\s+with|than)\b", re.I)


def marker_wild_type(text: str, start: int, end: int) -> bool:
    """True when the marker at text[start:end] is named by its absence ("TP53 wild-type", "unmutated SF3B1")."""
    return bool(_WILD_TYPE_AFTER.match(text[end:end + 20])
                or _WILD_TYPE_BEFORE.search(text[max(0, start - 20):start]))


_GROUP_WORD_AFTER = re.compile(
    r"^[\w\s-]{0,15}?\b(?:subgroups?|groups?|cohorts?|subsets?|strat(?:um|a)|populations?)\b", re.I)


def marker_names_a_subgroup(text: str, start: int, end: int, therapies: int) -> bool:
    """True when the marker sits in an opening "In the X subgroup," (or "In patients with X,", two therapies named) of
    a sentence that compares therapies ("A v B", "than")."""
    if not _SUBGROUP_OPENING.match(text[:start]) or not _TWO_THERAPIES_COMPARED.search(text, end):
        return False
    return therapies >= 2 or bool(_GROUP_WORD_AFTER.match(text[end:end + 40]))


def marker_irrelevant(text: str, start: int, end: int) -> bool:
    """True when the marker at text[start:end] is named as not mattering ("regardless of X", "whether or not
    X is present", "whether X is present or not")."""
    before = text[max(0, start - 80):start]
    if _MARKER_IRRELEVANT_BEFORE.search(before):
        return True
    return bool(_WHETHER_BEFORE.search(before) and _MARKER_IRRELEVANT_AFTER.match(text[end:end + 60]))


def enrolment_sentence(text: str) -> bool:
    """A sentence about whom a study treated or enrolled, with no outright predictor wording."""
    return bool(_ENROLMENT.search(text)) and not _EXPLICIT_PREDICTOR.search(text)


def no_relation_cue(text: str) -> str | None:
    """The words by which `text` (a clause) denies a marker–outcome relation, or None."""
    match = NO_RELATION.search(text)
    return match.group() if match else None
SIDE_EFFECT_CUE = Prefiltered(re.compile(
    r"\b(?:side[\s-]effects?|adverse|toxicit\w*|caus\w*|induc\w*|associated\s+with|complications?|risk\s+of"
    r"|leads?\s+to|result\w*\s+in|limited\s+by|dose[\s-]limiting|reactions?|can\s+occur|occur\w*|seen\s+with"
    r"|were\s+seen|develop\w*|experience\w*)\b",
    re.I,
))
ASSOCIATION_CUE = Prefiltered(re.compile(
    r"\b(?:associated\s+with|characteri[sz]ed\s+by|defined\s+by|defin(?:es|ing)|hallmark|is\s+found|are\s+found"
    r"|found\s+(?:more\s+often\s+)?in|seen\s+in|occurs?\s+in|common\s+in|frequent\s+in|harbou?r\w*|carr(?:y|ies)"
    r"|linked\s+(?:to|with)|typical\s+of|more\s+often\s+in|overrepresented\s+in|is\s+present)\b",
    re.I,
))

# A clause that says a marker matters without the response words of RESPONSE_CUE ("... and those with ring
# sideroblasts responded best" is caught there; "identif(ies) responders", "selects patients" here).
_MARKER_OWN_CUE = re.compile(r"\b(?:identif\w*|select\w*|favou?r\w*|associated|correlat\w*|prognostic|odds\s+ratio"
                             r"|OR\b|higher|lower|better|worse|poorer)", re.I)

# A share or a count over a group ("40% of TET2-mutated patients", "8 of 20"), and the words that would make it a
# comparison or a predictor finding; a share with none of them describes the group's rate and predicts nothing.
_SHARE_ONLY = re.compile(r"\d\s?%|\b\d+\s+(?:of|/)\s+\d+\b")
_COMPARISON = re.compile(r"\b(?:than|vs\.?|versus|compared|comparison|higher|lower|more|less|fewer|better|worse|poorer"
                         r"|superior|inferior|predict\w*|associated|correlat\w*|likel\w*|odds|OR|HR|RR|hazard|significant\w*"
                         r"|differ\w*|whereas|while|but|only|independent\w*|factors?|multivariate|multivariable|univariate)\b"
                         r"|\bp\s*[=<>≤]", re.I)

# Statements joined in one sentence by ", and" / ";": each with a verb of its own (a list item has none)
_STATEMENT_SPLIT = re.compile(r",\s+and\s+|;\s*")
_FINITE_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|did|does|do|can|may|might|will|would|could|gave|gives?"
                          r"|(?:improv|achiev|produc|induc|rais|reduc|correct|reliev|increas|decreas|show|yield|lower"
                          r"|prolong|identif|select|occur|develop)\w*)\b", re.I)


def _statement_without_predictor(text: str, position: int) -> bool:
    """The marker at text[position] sits in a statement (split at ", and" / ";", with a verb of its own) that has no
    response or predictor wording, while another statement of the sentence has it."""
    bounds, last = [], 0
    for m in _STATEMENT_SPLIT.finditer(text):
        bounds.append((last, m.start()))
        last = m.end()
    bounds.append((last, len(text)))
    if len(bounds) < 2:
        return False
    own = next(((a, b) for a, b in bounds if a <= position < b), None)
    if own is None:
        return False
    piece = text[own[0]:own[1]]
    if not _FINITE_VERB.search(piece) or RESPONSE_CUE.search(piece) or _MARKER_OWN_CUE.search(piece):
        return False
    return any(RESPONSE_CUE.search(text[a:b]) for a, b in bounds if (a, b) != own)


def _separate_statements(text: str, first: int, second: int) -> bool:
    """text[first] and text[second] are in different statements (split at ", and" / ";"), each with a verb."""
    a, b = _statement_of(text, first), _statement_of(text, second)
    return a != b and bool(_FINITE_VERB.search(a)) and bool(_FINITE_VERB.search(b))


# An event said to be as frequent in both arms: not an effect of the therapy
_SAME_RATE = re.compile(r"\b(?:similar|comparable|did\s+not\s+differ|do\s+not\s+differ|no\s+(?:significant\s+)?"
                        r"differences?|not\s+(?:significantly\s+)?(?:different|increased|more\s+(?:frequent|common))"
                        r"|equally\s+(?:common|frequent)|as\s+(?:often|frequent|common)\s+as|(?:were|was)\s+balanced)\b",
                        re.I)


def _statement_of(text: str, position: int, after: bool = False) -> str:
    """The statement of text (split at ", and" / ";") that holds text[position]; with `after`, only its part from
    there on (the event is the subject: "GVHD rates were similar", not "a profile similar to others, with GVHD")."""
    last = 0
    for m in _STATEMENT_SPLIT.finditer(text):
        if m.start() > position:
            return text[position if after else last:m.start()]
        last = m.end()
    return text[position if after else last:]


COMPARATOR_BEFORE = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|than|or)\s+(?:the\s+|with\s+)?$", re.I)


class PredictorRules(RuleBase):
    """PREDICTS_RESPONSE_TO, HAS_SIDE_EFFECT and ASSOCIATED_WITH rules (mixed into RelationRules)."""

    def _predicts_response(self, sv, mentions, evidence, doc_concepts, out) -> None:
        if not RESPONSE_CUE.search(sv.text) or STUDY_AIM.match(sv.text) or enrolment_sentence(sv.text):
            return  # "We examined the kinetics of responses to X …" states the question, not a finding
        # "… but TP53 did not predict response to azacitidine": nothing here predicts response to it
        therapies = [m for m in mentions if _is_therapy(m) and not _is_condition_therapy(sv, m)
                     and not no_relation_cue(_clause_text(sv, m.start))]
        if not therapies:
            return
        markers = [(m.concept_id, m.negated, m.text, m.start) for m in mentions if m.label == "Biomarker"]
        covered = {m.concept_id for m in mentions}
        for threshold in sv.thresholds:
            concept_id = self._variable_concepts.get(threshold.variable)
            if concept_id and concept_id not in covered:
                markers.append((concept_id, False, threshold.text, threshold.start))
        if _SHARE_ONLY.search(sv.text) and not _COMPARISON.search(sv.text):
            return  # "responses were seen in 40% of TET2-mutated patients (8 of 20)": a rate in a group, no comparison
        negative_sentence = bool(NEGATIVE_RESPONSE.search(sv.text))
        for concept_id, negated, text, start in markers:
            if no_relation_cue(_clause_text(sv, start)):
                continue  # "X did not predict response to Y": neither a positive nor a negative predictor
            if _statement_without_predictor(sv.text, sv.rel(start)):
                continue  # "X improves anaemia in low-blast MDS, and a low EPO level identifies responders": the
                # predictor is in the other statement; anaemia (the effect), the blasts (the population) predict nothing
            if marker_irrelevant(sv.text, sv.rel(start), sv.rel(start) + len(text)):
                continue  # "… whether or not ring sideroblasts are present": the marker is said not to matter
            if marker_wild_type(sv.text, sv.rel(start), sv.rel(start) + len(text)):
                continue  # "responses mostly in TP53 wild-type disease": the marker's absence, direction not read
            if marker_names_a_subgroup(sv.text, sv.rel(start), sv.rel(start) + len(text),
                                       len({t.concept_id for t in therapies})):
                continue  # "In the TP53-mutated subgroup, A gave more responses than B": a comparison within a group
            if _STUDY_POPULATION_MARKER.match(sv.text, sv.rel(start) + len(text)) and _TRIAL_WORDS.search(sv.text):
                continue  # "a trial in IDH2-mutated AML": the marker selects the trial's patients, predicts nothing
            direction = "negative" if negative_sentence != negated else "positive"
            for therapy in therapies:
                for t_r in self.resolve(therapy, doc_concepts):
                    self._emit(out, "PREDICTS_RESPONSE_TO", (concept_id, "Biomarker", False), t_r, 0.7, evidence,
                               hedged=therapy.hedged, direction=direction, marker_text=text)

    def _side_effects(self, sv, mentions, evidence, doc_concepts, out) -> None:
        effects = [m for m in mentions if m.label == "SideEffect" and not m.negated]
        if not effects or not SIDE_EFFECT_CUE.search(sv.text):
            return
        for therapy in (m for m in mentions if _is_therapy(m) and not m.negated
                        and not _is_condition_therapy(sv, m)):
            before = sv.text[max(0, sv.rel(therapy.start) - 20) : sv.rel(therapy.start)]
            if COMPARATOR_BEFORE.search(before):
                continue  # "… higher infection rate when compared with observation"
            for effect in effects:
                if _SAME_RATE.search(_statement_of(sv.text, sv.rel(effect.start), after=True)):
                    continue  # "chronic GVHD rates were similar (39% vs 42%)": no more frequent with the therapy
                if effect.start < therapy.start and not re.search(
                        r"\b(?:of|from|with|after|by|during|on)\s+(?:the\s+|treatment\s+with\s+)?$", before, re.I):
                    continue  # the effect is named before the therapy without 'of/after/with'
                for t_r in self.resolve(therapy, doc_concepts):
                    self._emit(out, "HAS_SIDE_EFFECT", t_r, (effect.concept_id, "SideEffect", False), 0.7, evidence,
                               hedged=effect.hedged)

    def _associations(self, sv, mentions, evidence, doc_concepts, out) -> None:
        if not ASSOCIATION_CUE.search(sv.text) or (any(_is_therapy(m) for m in mentions)
                                                   and RESPONSE_CUE.search(sv.text)):
            return
        markers = [m for m in mentions if m.label == "Biomarker"]
        diseases = [m for m in mentions if m.label in ("Disease", "Subtype", "RiskCategory")]
        for marker in markers:
            if marker.negated or no_relation_cue(_clause_text(sv, marker.start)):
                continue  # "X was not associated with Y": no edge (the graph keeps no negated edges)
            for disease in diseases:
                if disease.negated or no_relation_cue(_clause_text(sv, disease.start)):
                    continue
                if _separate_statements(sv.text, sv.rel(marker.start), sv.rel(disease.start)):
                    continue  # "blasts rose in 4 patients, and progression to AML occurred in 2": two findings
                self._emit(out, "ASSOCIATED_WITH", (marker.concept_id, "Biomarker", False),
                           (disease.concept_id, disease.label, False), 0.55, evidence, hedged=marker.hedged)
