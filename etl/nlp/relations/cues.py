"""Vocabulary shared by several rule families: the label and strength tables, the fixed concept ids,
and the phrase patterns more than one family reads (failure of a therapy, a therapy named as a
patient's condition, an outcome, a population named as the exception, where a clause ends).

A pattern that only one family reads lives in that family's module, next to the rule that uses it;
it moves here when a second family needs it. Nothing here depends on the sentence views.
"""

from __future__ import annotations

import re

from etl.nlp.literals import Prefiltered

THERAPY_LABELS = ("Therapy", "Drug")
POPULATION_LABELS = ("PatientGroup", "RiskCategory", "Subtype", "Disease")
POSITIVE_STRENGTHS = ("recommended", "option", "may_be_considered")
NEGATIVE_STRENGTHS = ("not_recommended", "not_established")


# Populations named as the exception: "approved for AML, not for MDS".
_POPULATION_CONTRAST = re.compile(r"\b(?:not|but\s+not)\s+(?:for|in|to)\s+"
                                  r"(?:patients\s+with\s+|people\s+with\s+|the\s+)?$"
                                  r"|\bnot\s+$", re.I)

_FAILURE_PHRASE = (
    r"(?:(?:after|following|upon|post)\s+(?:the\s+)?(?:failure\s+of|failing|progression\s+(?:on|after)"
    r"|loss\s+of\s+response\s+to|no\s+response\s+to|lack\s+of\s+response\s+to|intolerance\s+(?:of|to)"
    r"|resistance\s+to|relapse\s+after|an?\s+(?:unsatisfactory|inadequate|insufficient|suboptimal)\s+response\s+to)"
    # "relapsed/refractory MDS following an HMA", "disease refractory after lenalidomide"
    r"|\b(?:R/R|(?:relapsed|recurrent)\s*(?:/|,|or|and/or)\s*refractory|refractory|relapsed|recurrent)\s+"
    r"(?:(?:MDS|CMML|AML|disease|myelodysplas\w*(?:\s+syndromes?)?)\s+)?(?:after|following|post|despite)"
    # lay wording: "your anaemia did not get better with epoetin", "has not improved on X"
    r"|(?:did|does|do|has|have|had)\s+not\s+(?:get(?:ting)?\s+better|got\s+better|improved?|been\s+helped)\s+"
    r"(?:with|on|after|by)"
    r"|refractory\s+to|resistant\s+to|unresponsive\s+to|intolerant\s+(?:of|to)"
    # "intolerance or unresponsiveness to sirolimus", "resistance to decitabine"
    r"|(?:intoleran(?:ce|t)|unresponsive(?:ness)?|resistan(?:ce|t)|refractor(?:y|iness))(?:\s+(?:or|and/or)\s+"
    r"(?:intoleran(?:ce|t)|unresponsive(?:ness)?|resistan(?:ce|t)|refractor(?:y|iness)|lack\s+of\s+response|failure))?"
    r"\s+(?:of|to)"
    r"|(?:failed|not|no\s+longer|ceased|stopped)\s+(?:to\s+)?respond(?:ed|ing)?\s+to|(?:did|do|does)\s+not\s+respond"
    r"\s+to|(?:have|has|had)\s+(?:not\s+responded|lost\s+(?:their\s+|a\s+)?response)\s+to|failed|failure\s+of"
    r"|progress(?:ed|ion)\s+(?:on|after)|relapsed\s+after|loss\s+of\s+response\s+to|lack\s+of\s+response\s+to"
    r"|progress(?:ed|ion)\b[^.;]{0,30}?\b(?:on|after|during|despite)\s+(?:(?:the\s+)?(?:initiation|start)\s+of\s+)?"
    # "disease progression while receiving decitabine"
    r"|progress(?:ed|ion)\s+(?:while|when)\s+(?:receiving|on|taking|being\s+treated\s+with))")
# "who have not responded to, have lost response to, or are ineligible for <X>": one failed X.
_FAILURE_MORE = (
    r"(?:[\s,]+(?:or\s+|and\s+)?(?:(?:have|has|had|are|is|were|was|be)\s+)?(?:lost\s+(?:their\s+|a\s+)?response\s+to"
    r"|(?:in)?eligib(?:le|ility)\s+for|intoleran(?:t|ce)\s+(?:of|to)|contraindications?\s+to|unsuitab(?:le|ility)\s+for"
    r"|no\s+response\s+to|lack\s+of\s+response\s+to|failure\s+of|progression\s+on|relapse\s+after"
    r"|not\s+(?:a\s+)?candidates?\s+for"
    r"|refractory\s+to|not\s+responded\s+to))*")
FAILURE_BEFORE = Prefiltered(re.compile(
    _FAILURE_PHRASE + _FAILURE_MORE
    # "failed prior at least one therapy with a hypomethylating agent", "failed 2 or more cycles of azacitidine"
    + r"[\s,]*(?:(?:the|prior|previous|an?|first-line|initial|at\s+least\s+(?:one|two|three|\d+)|(?:≥|>=|=>|>/=)\s*\d+"
      r"|(?:one|two|\d+)\s+or\s+more|(?:(?:lines?|courses?|cycles?)\s+of)|(?:treatments?|therap(?:y|ies)|regimens?)\s+(?:with|of|containing|including)"
      r"|(?:treatments?|therap(?:y|ies))(?=\s+(?:with|of)\b)"
      # "failed prior non-hypomethylating agent therapy (ie growth factors or lenalidomide)"
      r"|(?:[\w-]+\s+){0,6}?(?:therapy|therapies|treatments?|agents?)\s*\(\s*(?:i\.?\s?e\.?|e\.?\s?g\.?|such\s+as"
      r"|including|namely)[\s,]*)\s*)*$",
    re.I,
))

CONDITION_THERAPY = Prefiltered(re.compile(  # therapies named as a patient's need, not as the recommendation
    r"(?:need(?:s|ing)?|requir(?:e|es|ed|ing)|dependen(?:t|ce)\s+on|who\s+(?:have\s+)?receiv\w*|after|prior"
    r"|previous(?:ly)?|history\s+of|despite)\s+(?:\w+\s+){0,3}$",
    re.I,
))
CONDITION_AFTER = re.compile(  # "transfusion needs", "transfusion independence": a state, not a treatment
    r"^\s*[-–]?\s*(?:needs?|requirements?|dependen\w*|independen\w*|history|burden|support|-?free|na[iï]ve)\b", re.I)

CLAUSE_SPLIT = re.compile(r",\s*(?:for\s+which|for\s+whom|in\s+whom|whereas|while|but|although|so(?!\s+far)|because)\b"
                          r"|;\s*|\s+but\s+|\s+whereas\s+|\s+because\s+", re.I)

MDS_ID = "NCIT:C3247"
CLINICAL_TRIAL_ID = "MDSKG:therapy/clinical-trial"

RISK_VARIABLES = ("risk_group", "ipss_category", "ipssr_category", "ipssm_category")

_OUTCOME_BEFORE = re.compile(
    r"\b(?:progress\w*|evol\w*|transform\w*|turn\w*|reclassified|leukemic)\b[^.;]{0,60}?\b(?:to|into|as)\s+"
    r"(?:an?\s+|frank\s+)?$", re.I)
