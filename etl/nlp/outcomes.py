"""Outcome records (endpoint + value) from one sentence of a publication abstract.

Pure functions on plain strings, no spaCy:

    find_outcomes("The overall response rate was 45% (54/120).")
    -> [OutcomeMatch(endpoint="overall_response_rate", value=45.0, unit="%", n=120, ...)]

Endpoints come from the closed list of tests/data/real_gold/README.md. Precision first: a value is only
taken when an endpoint cue and a number with a fitting unit are close together with nothing in between that
could belong to something else (another number, another endpoint, a negation, a threshold sign). Two readings
of one number cancel each other. Sentences that deny or do not report a number give nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from etl.nlp.literals import Prefiltered
from mdskg.records import Evidence, ExtractedOutcome

NUM = r"\d+(?:\.\d+)?"
PCT = rf"(?P<v>{NUM})\s?%"
TIME_UNIT = r"(?P<u>months?|mo|years?|weeks?|days?)\b"

#: right after a survival name: a time value ("was 14 months", "of 7 months", "14 (11-17) months")
_AS_TIME = (r"(?=\s*(?:(?:was|were|is|of|:)\s*)?\d+(?:\.\d+)?\s*(?:\([^()]{0,40}\)\s*)?"
            r"(?:months?|mo|years?|weeks?|days?)\b)")

#: endpoint -> (cue regex, unit kind: "%" or "time")
_CUES: list[tuple[str, str, str]] = [
    # "CR, PR or HI", "CR + PR + HI": a composite joined by "or" / "+" / "plus" is one endpoint (joined by "and"
    # only, it is a list of endpoints: "CR and PR rates were 20% and 12%, respectively")
    ("overall_response_rate", r"(?:(?:CR|mCR|marrow\s+CR|PR|HI(?:-[ENP])?)\s*(?:,\s*|\s*\+\s*|\s+plus\s+))+"
                              r"(?:(?:,\s*)?(?:or|and/or|\+|plus)\s*)?HI(?:-[ENP])?"
                              r"|(?:CR|PR)\s*(?:,\s*)?(?:\s+or\s+|\s*\+\s*|\s+plus\s+)HI(?:-[ENP])?", "%"),
    ("cr_plus_pr_rate", r"(?:complete\s+(?:or|plus|and/or)\s+partial\s+(?:remission|response)s?|CR\s*(?:\+|\s+or\s+|\s+plus\s+|/)\s*PR|"
                        r"(?:(?:best\s+|overall\s+)?response\s+rates?\s*)?\(\s*CR\s*(?:\+|or|plus|and|/)\s*PR\s*\))", "%"),
    ("marrow_cr_rate", r"(?:marrow\s+(?:complete\s+)?(?:remission|response)s?|marrow\s+CR|mCR)"
                       r"(?:\s*/\s*HI|\s+(?:with\s+or\s+without|and/or|±)\s+HI)?(?:\s+rates?)?", "%"),
    ("overall_response_rate", r"(?:overall\s+response\s+rates?|objective\s+response\s+rates?|ORR|"
                              r"(?:clinical|ha?ematologic(?:al)?)\s+responses?(?!\s+(?:criteria|rates?\s+(?:was|were)\s+defined))|"
                              r"overall\s+improvement\s+rates?|"
                              r"overall\s+response|objective\s+response|response\s+rates?)", "%"),
    # "CR/CRi" (complete remission with or without count recovery) is read as the complete remission rate
    # "complete and partial remission rates were 20% and 12%": the first of an elliptical pair is its own endpoint
    ("complete_remission_rate", r"(?:complete(?=\s+and\s+partial\s+(?:remission|response))|"
                                r"complete\s+(?:remission|response)s?(?:\s*\(CR\))?(?:\s+rates?)?"
                                r"|CR\s*/\s*CRi(?![\w/-])(?:\s+rates?)?|CR\s+rates?|CR)",
     "%"),
    ("partial_remission_rate", r"(?:partial\s+(?:remission|response)s?(?:\s*\(PR\))?(?:\s+rates?)?|PR)", "%"),
    # a response in one lineage is haematological improvement in it (IWG HI-E / HI-P / HI-N): "erythroid response",
    # "major erythroid response", "platelet responses" ("response criteria" stay out, as for the overall response)
    ("hematologic_improvement_rate", r"(?:ha?ematologic(?:al)?\s+improvement|HI(?:-[ENP])?"
                                     r"|(?:(?:major|minor|overall)\s+)?(?:erythroid|platelet|neutrophil)\s+"
                                     r"(?:responses?|improvement)(?:\s+rates?)?(?!\s+(?:criteria|definitions?|was\s+defined"
                                     r"|were\s+defined)))", "%"),
    ("stable_disease_rate", r"(?:stable\s+diseases?|SD|stable(?=\s+and\s+(?:\d+(?:\.\d+)?\s?%\s+(?:had\s+)?)?"
                            r"progressive\s+disease))", "%"),
    ("transfusion_independence_rate", r"(?:(?:RBC\s+|red\s+(?:blood\s+)?cell\s+)?transfusion[\s-]+independence|"
                                      r"RBC-TI|TI"
                                      # "16-week independence in 28 (19%)": the kind of independence said before
                                      r"|(?<=week[\s-])independence)", "%"),
    # "became transfusion independent", "became independent of red cell transfusions" (the share comes before)
    ("transfusion_independence_rate", r"(?:became|become|remained|rendered)\s+(?:(?:RBC\s+|red\s+(?:blood\s+)?"
                                      r"cell\s+)?transfusion[\s-]+independent|independent\s+of\s+(?:RBC\s+|red\s+"
                                      r"(?:blood\s+)?cell\s+)?transfusions?)", "%"),
    ("overall_survival_at_years", r"(?:(?P<yrs>\d+|one|two|three|four|five)[\s-]+years?[\s-]+"
                                  r"(?:overall\s+survival|OS|survival)(?:\s+rates?)?)", "%"),
    # "the 12-month survival rate was 38%", "18-month OS of 45%": a survival rate at a time point in months
    ("overall_survival_at_years", r"(?:(?P<mos>\d+)[\s-]+months?[\s-]+(?:overall\s+survival|OS|survival)"
                                  r"(?:\s+(?:rates?|probabilit(?:y|ies)|estimates?))?)", "%"),
    ("overall_survival_at_years", r"(?:overall\s+survival|OS)(?=\s+(?:rate\s+)?(?:was|were)\s+\d+(?:\.\d+)?\s?%"
                                  r"\s+at\s+\d+\s+years?)", "%"),
    ("overall_survival_at_years", r"(?:(?:overall\s+)?survival|OS)(?:\s+rates?)?\s+at\s+(?P<yrs>\d+|one|two|three|four|five)"
                                  r"\s+years?", "%"),
    ("overall_survival_at_years", r"(?:(?:overall\s+)?survival|OS)(?:\s*\(OS\))?(?:\s+rates?)?\s+at\s+(?P<mos>\d+)\s+months?",
     "%"),
    ("median_overall_survival", r"(?:median\s+(?:\([^()]{1,40}\)\s+)?(?:actuarial\s+)?(?:overall[\s-]+)?survival"
                                r"(?:\s+times?)?|median\s+(?:\([^()]{1,40}\)\s+)?OS(?:\s+times?)?)", "time"),
    # "overall survival was 53%" (at the follow-up the sentence names) is a survival proportion
    ("overall_survival_at_years", r"(?:overall\s+survival|OS)(?:\s+rates?)?(?=\s+(?:was|were)\s+\d+(?:\.\d+)?\s?%)",
     "%"),
    ("median_event_free_survival", r"(?:median\s+(?:event[\s-]free\s+survival|EFS)|(?:median\s+)?(?:(?:disease|relapse|"
                                   r"leuka?emia)[\s-]+free\s+survival|DFS|RFS|LFS)(?=[^.;%\d]{0,40}\d+(?:\.\d+)?"
                                   r"(?:\s*(?:,|,?\s*and|vs\.?|versus)\s*\d+(?:\.\d+)?)*\s+(?:months?|years?|weeks?|days?)\b))",
     "time"),
    ("median_progression_free_survival", r"(?:median\s+(?:progression[\s-]free\s+survival|PFS))", "time"),
    # "OS of 7 months", "event-free survival 14 months": a survival stated as a time is its median ("survival at
    # 24 months was 60%" is a rate at a time point, read above; a mean or a follow-up is not read: _cue_spans)
    ("median_overall_survival", r"(?:overall[\s-]+survival|OS)(?:\s*\(OS\))?" + _AS_TIME, "time"),
    ("median_event_free_survival", r"(?:event[\s-]free\s+survival|EFS)(?:\s*\(EFS\))?" + _AS_TIME, "time"),
    ("median_progression_free_survival", r"(?:progression[\s-]free\s+survival|PFS)(?:\s*\(PFS\))?" + _AS_TIME,
     "time"),
    # the closed endpoint list has no time to progression: it is read as progression-free survival (not the time
    # to progression to AML, read below)
    ("median_progression_free_survival", r"(?:(?:median\s+)?time\s+to\s+(?:disease\s+)?progression|TTP)"
                                         r"(?!\s+(?:to|into)\b)", "time"),
    ("median_response_duration", r"(?:(?:median\s+)?(?:duration\s+of\s+(?:the\s+)?(?:[\w-]+\s+)?(?:response|remission)s?"
                                 r"|duration\s+of\s+(?:RBC\s+|red\s+(?:blood\s+)?cell\s+)?(?:transfusion[\s-]+independence"
                                 r"|RBC-TI|TI)"
                                 r"|(?:response|remission|CR|PR)\s+duration))",
     "time"),
    ("median_time_to_response", r"(?:(?:median\s+)?times?\s+to\s+(?:(?:best|first|initial)\s+)?(?:(?:erythroid|platelet"
                                r"|neutrophil|ha?ematologic(?:al)?|overall)\s+)?(?:responses?|CR|complete\s+(?:remission|response)"
                                r"|remission|transfusion\s+independence))", "time"),
    # "transfusion independence began after a median of 8 weeks", "... achieved a response, after a median of 9
    # weeks" (only after a response word: _cue_spans); "lasted a median of 20 months" is the response duration
    ("median_time_to_response", r"(?:(?:began|started|appeared|emerged|was\s+(?:reached|achieved|attained)"
                                r"|(?:were|was)\s+(?:first\s+)?(?:seen|observed|noted)|occurred|responded)\s*,?\s+"
                                r"|(?<=,\s)|(?<=%\)\s))after\s+a\s+median\s+(?:time\s+)?of", "time"),
    ("median_response_duration", r"lasted\s+(?:for\s+)?a\s+median\s+(?:duration\s+)?of", "time"),
    ("progression_to_aml_rate", r"(?:progress(?:ed|ion)\s+to\s+(?:acute\s+(?:myeloid\s+)?leuka?emia|AML)|"
                                r"(?:AML|acute\s+(?:myeloid|myelogenous|non-?lymphoblastic)\s+leuka?emia)\s+developed"
                                r"(?:\s+(?:during|after)\s+(?:the\s+)?follow-?up)?|"
                                r"(?:developed|transformed|evolved)\s+(?:in)?to\s+(?:AML|acute\s+(?:myeloid|myelogenous|"
                                r"non-?lymphoblastic)\s+leuka?emia)|"
                                r"(?:transformation|evolution)\s+to\s+(?:AML|acute\s+(?:myeloid\s+)?leuka?emia)|"
                                # "the cumulative incidence of AML evolution", "the AML transformation rate"
                                r"(?:cumulative\s+)?incidence\s+of\s+(?:AML|leuka?emic)\s+(?:transformation|evolution|"
                                r"progression)|(?:AML|leuka?emic)\s+(?:transformation|evolution)\s+rates?|"
                                r"rates?\s+of\s+(?:AML|leuka?emic)\s+(?:transformation|evolution))",
     "%"),
    ("early_mortality_rate", r"(?:(?P<wks>\d+|one|two|three|four|six|eight|twelve)[\s-]+week\s+(?:early\s+)?"
                             r"mortality(?:\s+rates?)?|"
                             # "early death within 8 weeks occurred in 11%", "death within 30 days"
                             r"(?:early\s+)?deaths?\s+within\s+(?:the\s+first\s+)?(?:\d+|one|two|three|four|six|eight)\s+"
                             r"(?:weeks?|days?)(?:\s+of\s+(?:starting\s+)?(?:treatment|therapy|randomi[sz]ation))?|"
                             r"early\s+mortality(?:\s+rates?)?)", "%"),
    ("death_rate", r"(?:death\s+rates?|mortality\s+rates?)", "%"),
    ("early_mortality_rate", r"(?:mortality(?:\s+rates?)?\s+(?:in|during|within)\s+the\s+first\s+"
                             r"(?:\d+|one|two|three|four|six|eight)\s+(?:weeks?|days?))", "%"),
    ("early_mortality_rate", r"(?:mortality(?:\s+rates?)?\s+(?:at|within)\s+(?:\d+|one|two|three|four|six|eight)\s+"
                             r"(?:weeks?|days?)|(?:mortality(?:\s+rates?)?\s+(?:at|within)\s+(?:1|2|3|one|two|three)\s+"
                             r"months?)|\d+[\s-]+day\s+(?:early\s+)?mortality(?:\s+rates?)?)", "%"),
    ("median_time_to_aml", r"(?:(?:median\s+)?time\s+(?:from\s+[^,;()\d]{1,50}?\s+)?to\s+(?:AML|acute\s+"
                           r"(?:myeloid\s+)?leuka?emia|leuka?emic)(?:\s+(?:transformation|progression|evolution))?|"
                           r"(?:median\s+)?time\s+to\s+(?:progression|transformation|evolution)\s+to\s+(?:AML|acute\s+"
                           r"(?:myeloid\s+)?leuka?emia))", "time"),
    ("progression_rate", r"(?:cumulative\s+incidence\s+of\s+(?:disease\s+)?progression|"
                         r"(?:disease\s+)?progression\s+rates?|rates?\s+of\s+(?:disease\s+)?progression|"
                         r"disease\s+progression|progressive\s+disease)(?!\s+to\b)", "%"),
    ("no_response_rate", r"(?:treatment\s+failures?|TF|neither\s+[\w-]+\s+nor\s+[\w-]+\s+(?:response|remission)|"
                         r"no\s+(?:objective\s+|clinical\s+|ha?ematologic\s+)?response|non-?response|"
                         r"did\s+not\s+respond|failed\s+to\s+respond)", "%"),
    ("dose_modification_rate", r"(?:treatment\s+(?:interruptions?|delays?)|dos(?:e|age|ing)\s+(?:modifications?|reductions?|delays?|interruptions?|"
                               r"adjustments?)(?:\s*(?:/|or|and)\s*(?:modifications?|reductions?|delays?|"
                               r"interruptions?|adjustments?))*)", "%"),
    # "treatment was interrupted or the dose reduced in 62%", "cycles were delayed or doses reduced in 22% vs 35%"
    ("dose_modification_rate", r"(?:treatment|therapy|cycles?|doses?)\s+(?:was|were)\s+(?:interrupted|delayed|reduced"
                               r"|held|withheld|modified)(?:\s+(?:or|and|and/or)\s+(?:the\s+)?(?:dose|doses|dosing|cycles?"
                               r"|treatment)\s+(?:(?:was|were)\s+)?(?:reduced|delayed|interrupted|held|withheld|modified))?",
     "%"),
    # "adverse events led to discontinuation in 9%", "toxicity led to treatment withdrawal in 12%"
    ("dose_modification_rate", r"(?:(?:treatment[\s-]related\s+|drug[\s-]related\s+)?adverse\s+events?|AEs?|toxicit(?:y|ies))"
                               r"\s+led\s+to\s+(?:(?:treatment|drug|study[\s-]drug)\s+)?(?:discontinuation|withdrawal"
                               r"|interruption|dose\s+reduction)", "%"),
    # "the dose was interrupted or reduced due to A (n = 5, 16%) or B (n = 6, 19%) adverse events"
    ("dose_modification_rate", r"dos(?:e|age|ing)\s+was\s+(?:interrupted|reduced|delayed|held|withheld|modified)"
                               r"(?:\s+(?:or|and|and/or)\s+(?:interrupted|reduced|delayed|held|withheld|modified))?", "%"),
    ("serious_adverse_event_rate", r"(?:serious\s+(?:treatment[\s-]emergent\s+)?adverse\s+(?:events?|reactions?)|"
                                   r"SAEs?|TESAEs?)", "%"),
    ("adverse_event_rate", r"(?:(?:treatment[\s-](?:related|emergent)|drug[\s-]related)\s+(?:adverse\s+events?|"
                           r"TEAEs?|AEs?)|TEAEs?)", "%"),
    # transplant outcomes: relapse incidence reads as progression, non-relapse mortality as deaths
    ("progression_rate", r"(?:(?:cumulative\s+)?(?:relapse\s+incidence|incidence\s+of\s+relapse)|relapse\s+rates?)",
     "%"),
    ("death_rate", r"(?:(?:non-?\s?relapse\s+mortality|NRM|transplant(?:ation)?[\s-]related\s+mortality|TRM)"
                   # "non-relapse mortality at 1 year after transplantation was 19%"
                   r"(?:\s+at\s+(?:\d+|one|two|three|five)\s+(?:years?|months?|days?)(?:\s+(?:after|from|post)[\s-]+"
                   r"(?:allogeneic\s+)?(?:transplant(?:ation)?|HSCT|SCT))?)?)", "%"),
    ("grade3plus_adverse_event_rate", r"(?:(?:severe\s+)?acute\s+(?:\(\s*)?grade\s*(?:III\s*[-–/]\s*IV|3\s*[-–/]\s*4)"
                                      r"(?:\s*\))?\s+|severe\s+acute\s+(?:\(\s*grade\s*(?:III\s*[-–/]\s*IV|"
                                      r"3\s*[-–/]\s*4)\s*\)\s+)?|grade\s*(?:III\s*[-–/]\s*IV|3\s*[-–/]\s*4)\s+acute\s+)"
                                      r"(?:graft[\s-]+versus[\s-]+host\s+disease|GVHD)(?:\s*\(GVHD\))?", "%"),
    ("adverse_event_rate", r"(?:(?:chronic|acute)\s+(?:\([^()]{1,30}\)\s+)?(?:graft[\s-]+versus[\s-]+host\s+disease|"
                           r"GVHD)(?:\s*\(GVHD\))?)", "%"),
    ("grade3plus_adverse_event_rate", r"(?:grade\s*(?:3\s*(?:or|-|–|/|to)\s*4|≥\s*3|III\s*[-–/]\s*IV)\s+"
                                      r"(?:[\w-]+\s+){0,3}?(?:toxicit(?:y|ies)|adverse\s+(?:events?|reactions?)|(?:TE)?AEs?"
                                      r"|side\s+effects?))", "%"),
    ("death_rate", r"(?:treatment[\s-]related\s+mortality(?:\s+rates?)?(?:\s+at\s+\d+\s+(?:years?|months?))?)", "%"),
    ("infection_rate", r"(?:infections?|infectious\s+(?:episodes?|complications?|events?))", "%"),
    ("pk_auc_ratio", r"(?:(?:total|systemic|overall)\s+(?:drug\s+)?exposure|AUC(?:last|inf|tau|0-(?:t|inf|\d+h?))?(?:\s+ratio)?|"
                     r"geometric\s+mean\s+ratios?)", "%"),
    ("death_rate", r"(?:had\s+)?died|lethal\s+outcomes?", "%"),
    ("adverse_event_rate", r"(?:(?:non-?)?ha?ematologic(?:al)?\s+(?:side\s+effects?|toxicit(?:y|ies)|adverse\s+events?))",
     "%"),
    ("overall_response_rate", r"(?:responses?|responded)", "%"),
    ("median_overall_survival", r"median\s*[,:]?(?=\s*\d)", "time"),
    ("hsct_rate", r"(?:(?<=underwent\s)|(?<=received\s)|(?<=proceeded\sto\s)|(?<=went\son\sto\s))"
                  r"(?:(?:allogeneic|ha?ematopoietic|allo)[\s-]+)*(?:stem[\s-]+cell\s+"
                  r"transplant(?:ation)?|HSCT|SCT|transplant(?:ation)?\b(?![\s-]+(?:eligib|candida|evaluat|work-?up)))"
                  # a transplant before the study, or one that kept patients out, is a baseline share
                  r"(?![^.;]{0,40}?\b(?:(?:before|prior\s+to)\s+(?:enrol|enroll|study|entry|inclusion|registration|randomi)"
                  r"|(?:were|was)\s+(?:excluded|not\s+eligible|ineligible)))", "%"),
]

_CUE_RX = [(endpoint, re.compile(rf"(?<![\w-])(?:{rx})(?![\w-])", re.I), kind) for endpoint, rx, kind in _CUES]
#: abbreviations only count in capitals ("hi", "or", "os" are words)
_ABBREV = re.compile(r"(?:CR|PR|HI|HI-[ENP]|OS|ORR|mCR|EFS|PFS|TTP|SCT|HSCT|RBC-TI|TI|SD|TF|NRM|TRM|TEAEs?|TESAEs?|SAEs?|AUC)"
                     r"(?:\s+rates?|\s+ratio)?")

_NEG = re.compile(r"\b(?:not|no|never|neither|nor|without|n't|unknown|unavailable|undetermined|defined|definition|"
                  r"required|requires|requiring|eligib\w*|inclusion|exclusion|threshold|cut-?off|expected|"
                  r"anticipated|assum\w*|hypothes\w*|target\w*|previous\w*|prior|historical\w*|(?:as|been|earlier)\s+reported|"
                  r"reported\s+in\s+(?:the\s+)?(?:literature|other|earlier|published)|"
                  r"baseline|approximately|roughly|about|around|up\s+to|at\s+least|more\s+than|less\s+than|nearly|almost)\b"
                  r"|[<>≤≥]|=<|>=", re.I)
#: "over" / "under" are thresholds only right before the number ("over 60%"), not in "death rate under drug X"
_NEG_AT_END = re.compile(r"\b(?:over|under|above|below)\s*\(?\s*$", re.I)
_SENTENCE_NEG = re.compile(r"\b(?:not\s+(?:been\s+)?(?:reported|available|reached|evaluable|assessed|estimable)|"
                           r"could\s+not\s+be|were\s+not|was\s+not)\b", re.I)
#: "not reached" as the upper end of an interval ("(95% CI 9-not reached)"), or said of one group in a list of
#: groups ("not reached in A, 5 months in B"): the clause still states the other values
_GROUP_NOT_REACHED = re.compile(r"(?:(?:was|were)\s+)?not\s+(?:yet\s+)?reached(?:\s*\)|\s*(?:\((?:[^()]|\([^()]*\))*\)\s*)?"
                                r"(?:in|for|among)\s+(?!(?:any|all|either|both|the\s+whole)\b))", re.I)
_BACKGROUND = re.compile(r"\bremains?\s+poor\b|\bhistorical(?:ly)?\b|\bpreviously\s+(?:reported|published|shown)\b|"
                         r"\b(?:earlier|previous|prior|other|published)\s+(?:series|studies|trials|reports)"
                         r"(?:\s+(?:of|with|in|on)\s+[\w\s-]{1,40}?)?\s+(?:have\s+)?"
                         r"(?:reported|showed|shown|found|described|observed)\b|"
                         r"\b(?:in|from)\s+(?:previous|prior|earlier|other)\s+(?:studies|trials|reports|series)\b",
                         re.I)
_GRADE3 = re.compile(r"\bgrade\s*(?:3\s*(?:[-–/]|to|or)\s*4|≥\s*3|>=\s*3|3\s+or\s+(?:higher|worse|above|more)|"
                     r"III\s*[-–/]\s*IV|3\+?)\b", re.I)
_AE_EVENTS = {
    "anaemia": "anaemia", "anemia": "anaemia", "neutropenia": "neutropenia", "thrombocytopenia": "thrombocytopenia",
    "febrile neutropenia": "febrile neutropenia", "pneumonia": "pneumonia", "sepsis": "sepsis",
    "infection": "infection", "infections": "infection", "fatigue": "fatigue", "leukopenia": "leukopenia",
    "leucopenia": "leukopenia", "diarrhoea": "diarrhoea", "diarrhea": "diarrhoea", "nausea": "nausea",
    "vomiting": "vomiting", "nausea and vomiting": "nausea and vomiting", "mucositis": "mucositis",
    "stomatitis": "stomatitis", "febrile neutropaenia": "febrile neutropenia", "haemorrhage": "bleeding",
    "hemorrhage": "bleeding", "bleeding": "bleeding",
    "febrile episodes": "febrile episodes", "fever": "fever", "febrile episodes during neutropenia": "febrile neutropenia",
    "febrile neutropenic episodes": "febrile neutropenia",
    "gastrointestinal toxicity": "gastrointestinal toxicity", "gastrointestinal toxicities": "gastrointestinal toxicity",
    "hypertension": "hypertension", "thrombosis": "thrombosis", "venous thromboembolism": "venous thromboembolism",
    "thromboembolic events": "thromboembolic events", "thromboembolism": "thromboembolism",
    "differentiation syndrome": "differentiation syndrome", "serum sickness": "serum sickness",
    "qt prolongation": "QT prolongation", "transaminase rises": "transaminase rise",
    "transaminase elevations": "transaminase rise", "rash": "rash", "constipation": "constipation",
    "genitourinary toxicity": "genitourinary toxicity", "genitourinary toxicities": "genitourinary toxicity",
    "bone pain": "bone pain", "pneumonitis": "pneumonitis", "colitis": "colitis", "arthralgia": "arthralgia",
    "headache": "headache", "peripheral oedema": "peripheral oedema", "peripheral edema": "peripheral oedema",
}
_AE_ALT = "|".join(sorted(map(re.escape, _AE_EVENTS), key=len, reverse=True))
_AE_WORD = re.compile(rf"(?<![\w-])(?:{_AE_ALT})(?![\w-])", re.I)
_AE_RX = re.compile(rf"(?<![\w-])(?P<ev>{_AE_ALT})"
                    + rf"\s*\((?:(?P<k>\d+|[a-z]+)\s*\[|n\s*=\s*\d+\s*[,;]\s*)?(?P<v>{NUM})\s?%\]?"
                    + r"(?:\s+of\s+(?P<n>\d+))?", re.I)  # "neutropenia (12 [30%])", "anaemia (n = 9, 29%)"
#: "grade 3/4 neutropenia occurred in 12 (30%) patients", "grade 3-4 anaemia was 20%"
_AE_IN = re.compile(rf"(?<![\w-])(?P<ev>{_AE_ALT})\s+(?:(?:was|were)\s+(?:(?:observed|reported|seen|noted)\s+)?|"
                    rf"occurred\s+|developed\s+)?(?:in\s+)?(?:(?P<k>\d+)\s*(?:(?:patients|pts|participants|subjects)\s*)?\(\s*)?(?P<v>{NUM})\s?%"
                    rf"(?:\s*\)?\s*(?:of\s+(?:the\s+)?(?P<n>\d+)\s+)?)?", re.I)
#: "18% grade 3-4 anaemia and 22% grade 3-4 neutropenia"
_AE_PCT_GRADE = re.compile(rf"(?P<v>{NUM})\s?%\s+(?P<g>{_GRADE3.pattern})\s+(?P<ev>{_AE_ALT})(?![\w-])", re.I)
#: "neutropenia (grade 3 or 4, 55%)", "anaemia (grade ≥3: 20%)": the grade and the share in the event's bracket
_AE_GRADE_BRACKET = re.compile(rf"(?<![\w-])(?P<ev>{_AE_ALT})\s*\(\s*(?P<g>{_GRADE3.pattern})\s*[,:;]\s*(?P<v>{NUM})\s?%\s*\)",
                               re.I)
#: "30% of patients had grade 3/4 neutropenia"
_AE_BEFORE = re.compile(rf"(?P<v>{NUM})\s?%\s*\)?\s+"
                        rf"(?:of\s+(?:the\s+|all\s+)?(?:\d+\s+)?(?:patients|pts|participants)\s+)?"
                        rf"(?:patients\s+)?(?:had|experienced|developed)\s+(?:an?\s+)?(?P<g>{_GRADE3.pattern})\s+"
                        rf"(?P<ev>{_AE_ALT})(?![\w-])", re.I)

_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_COUNT_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred")
_COUNT = rf"(?:\d+|(?:{_COUNT_WORDS})(?:[\s-](?:{_COUNT_WORDS}))?)"
_PEOPLE = r"(?:patients|pts|participants|subjects|individuals|cases)"

#: bare words that are cues only in a narrow context
_BARE_RESPONSE = re.compile(r"responses?|responded", re.I)
_RESPONSE_BEFORE = re.compile(r"\b(?:respon\w*|remissions?|transfusion[\s-]+independen\w*|independent\s+of\s+(?:red\s+)?"
                              r"(?:cell\s+)?transfusions?|improvements?)\b", re.I)
_BARE_MEDIAN = re.compile(r"median\s*[,:]?", re.I)
_RESPONSE_PRE = re.compile(r"^\s*(?:of\s+(?:the\s+)?[\w-]+\s+)?(?:to\s+(?:the\s+|this\s+)?[\w-]+(?:\s+[\w-]+)?\s+)?"
                           r"(?:was|were)\s+"
                           r"(?:(?:seen|observed|achieved|obtained|documented|noted|recorded|reported)\s+in\s+)?$", re.I)
_SURVIVAL_NAME = re.compile(r"(?<![\w-])(?:(?P<other>(?i:(?:leuka?emia|relapse|disease|AML|metastasis|failure)"
                            r"[\s-]+free\s+survival)|LFS|RFS|DFS)|(?P<efs>(?i:event[\s-]free\s+survival)|EFS)|"
                            r"(?P<pfs>(?i:progression[\s-]free\s+survival)|PFS)|"
                            r"(?P<os>(?i:overall\s+survival|survival)|OS))(?![\w-])")
_SURVIVAL_ENDPOINT = {"efs": "median_event_free_survival", "pfs": "median_progression_free_survival",
                      "os": "median_overall_survival"}
_PK_SENTENCE = re.compile(r"\b(?:AUC(?:last|inf|tau)?|area\s+under\s+the\s+(?:\w+[\s-]+)?curve|pharmacokinetic\w*)\b", re.I)
_LINEAGE = re.compile(r"(?<![\w-])(?:erythroid|neutrophil|platelet)(?:\s*\(\s*HI-[ENP]\s*\))?"
                      r"(?:\s+(?:response|improvement|lineage))?(?![\w-])", re.I)


@dataclass(frozen=True)
class OutcomeMatch:
    """One outcome read from a sentence; `start`/`end` are sentence offsets of the matched stretch."""

    endpoint: str
    value: float
    unit: str
    start: int
    end: int
    arm: str | None = None
    comparator_value: float | None = None
    n: int | None = None
    p: str | None = None
    hr: float | None = None
    ci: str | None = None
    event: str | None = None
    timepoint: str | None = None


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    endpoint: str
    kind: str
    m: re.Match
    mode: str = ""  # "" | "response" (bare response) | "before" (value must come before) | "median" (bare median)


def _normalise(sentence: str) -> str:
    """Same-length copy with middle-dot decimals and unicode spaces made plain, a share in square brackets
    ("9 patients [33%]") in round ones, and the year of a response criteria set ("IWG 2006") hidden."""
    text = sentence.replace("·", ".").replace("\u2009", " ").replace("\u00a0", " ").replace("–", "-").replace("−", "-")
    if "[" in text:  # only outside round brackets: "neutropenia (12 [30%])" is read as it is
        text = _SQUARE_SHARE.sub(lambda m: m.group(0) if text.count("(", 0, m.start()) > text.count(")", 0, m.start())
                                 else "(" + m.group(1) + ")", text)
    if not _CRITERIA_YEAR.possible(text):
        return text
    return _CRITERIA_YEAR.regex.sub(lambda m: m.group(1) + "#" * len(m.group(2)), text)


_SQUARE_SHARE = re.compile(r"\[(\s*\d+(?:\.\d+)?\s?%\s*)\]")
_CRITERIA_YEAR = Prefiltered(re.compile(r"\b((?:IWG|ELN|WHO|ICC|NCCN|IMRAW|Cheson)[\s-]*(?:criteria\s+)?\(?)"
                                        r"((?:19|20)\d\d)\b"))


def _pieces(text: str) -> list[tuple[int, int]]:
    """Sentence pieces of a text the sentence splitter left joined ("... in Group B. Compared with ...")."""
    cuts = [0]
    for m in re.finditer(r"\.\s+(?=[A-Z])", text):
        before = text[:m.start()]
        if not re.search(r"[a-z0-9%)\]]$", before) or re.search(
                r"(?:\b(?:vs|v|al|e\.g|i\.e|approx|ca|fig|no|pts|st|dr|resp)|\d\.\d*)$", before, re.I):
            continue
        cuts.append(m.end())
    cuts.append(len(text))
    return [(a, b) for a, b in pairwise(cuts) if b > a]


_SEQUENCE = re.compile(r"\b(?:after|following|subsequent(?:ly)?|then|later|bridg\w*)\b", re.I)
_CAUSE_BEFORE = re.compile(r"\b(?:because\s+of|due\s+to|from|of|with|until|at|after)\s+$", re.I)
_MEAN_OR_FOLLOW_UP = re.compile(r"\b(?:mean|average|follow-?up|observation)\b[^.;]{0,30}$", re.I)


_ANY_GRADE = re.compile(r"\s*(?:of\s+any\s+(?:grade|severity)|\(\s*(?:any|all)\s+grades?\s*\))", re.I)


def _cue_spans(text: str) -> list[_Cue]:
    spans: list[_Cue] = []
    grade3 = _GRADE3.search(text) is not None
    pk = _PK_SENTENCE.search(text) is not None
    for endpoint, rx, kind in _CUE_RX:
        for m in rx.finditer(text):
            word = m.group(0)
            if _ABBREV.fullmatch(word) is None and re.fullmatch(_ABBREV.pattern, word, re.I):
                continue
            if _ABBREV.fullmatch(word) and "/" in (text[m.start() - 1:m.start()] + text[m.end():m.end() + 1]):
                continue  # "CR/CRi/PR": a composite response, not its parts (a known composite has its own cue)
            if endpoint == "hsct_rate" and re.search(r"received\s$", text[:m.start()]) and not _SEQUENCE.search(text):
                continue  # "20% received a transplant" is uptake; "... received a transplant after HMA" is an outcome
            if endpoint == "progression_rate" and _CAUSE_BEFORE.search(text, max(0, m.start() - 30), m.start()):
                continue  # "died because of progressive disease": a cause of death, not the progression rate
            if endpoint.startswith("median_") and not word.lower().startswith("median") \
                    and _MEAN_OR_FOLLOW_UP.search(text, max(0, m.start() - 40), m.start()):
                continue  # "mean OS was 20 months", "follow-up for OS was 30 months": not a median survival
            mode = ""
            if word.lower().startswith(("lasted", "began", "started", "was ", "were ", "appeared", "emerged", "occurred",
                                        "responded", "after")) \
                    and endpoint in ("median_time_to_response", "median_response_duration") \
                    and not _RESPONSE_BEFORE.search(text, 0, m.end()):
                continue  # "treatment lasted a median of 6 months": exposure, not how long a response lasted
            if endpoint == "infection_rate" and grade3 and not _ANY_GRADE.match(text, m.end()):
                continue  # listed as an adverse event, read by _grade3_events ("infections of any grade": all grades)
            if endpoint == "pk_auc_ratio" and not pk:
                continue
            if _BARE_RESPONSE.fullmatch(word):
                prev = re.search(r"(\S+)\s*$", text[:m.start()])
                if prev is not None and prev.group(1).lower() not in {"a", "an", "the", "%)", "(", "had",
                                                                      "patients", "pts"} \
                        and not prev.group(1).endswith(("%)", "%")):
                    continue  # "haematologic response", "impact on response": not the overall response
                mode = "before" if word.lower() == "responded" else "response"
            elif endpoint == "death_rate" and word.lower().endswith("died"):
                mode = "before"
            elif _BARE_MEDIAN.fullmatch(word):
                mode = "median"
            spans.append(_Cue(m.start(), m.end(), endpoint, kind, m, mode))
    # overlapping cues: keep the longest (leftmost on ties)
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[_Cue] = []
    for s in spans:
        if kept and s.start < kept[-1].end:
            if (s.end - s.start) > (kept[-1].end - kept[-1].start):
                kept[-1] = s
            continue
        kept.append(s)
    # a bare "median 14 months" takes the endpoint of the nearest survival (or time) endpoint named before it
    out: list[_Cue] = []
    for c in kept:
        if c.mode == "median":
            endpoint = _median_endpoint(text, c.start, out)
            if endpoint is None:
                continue
            c = _Cue(c.start, c.end, endpoint, "time", c.m, "median")
        out.append(c)
    return out


def _median_endpoint(text: str, pos: int, earlier: list[_Cue]) -> str | None:
    name_pos, name_endpoint = -1, None
    for s in _SURVIVAL_NAME.finditer(text, 0, pos):
        kind = s.lastgroup
        name_pos, name_endpoint = s.start(), (_SURVIVAL_ENDPOINT.get(kind) if kind != "other" else None)
    cue = next((c for c in reversed(earlier)), None)
    if cue is not None and cue.start > name_pos:
        return cue.endpoint if cue.kind == "time" else None
    return name_endpoint


_P_RX = re.compile(r"\bp\s*(?P<op>[=<>≤]|<\s*=|=\s*<)?\s*(?P<val>0?\.\d+|1\.0+|10\s*\(\s*-\s*(?P<exp>\d+)\s*\)|NS)",
                   re.I)
_NS_RX = re.compile(r"\((?:difference\s+)?(?:NS|not\s+significant)\)", re.I)
_HR_RX = re.compile(rf"\b(?:HR|hazard\s+ratio)(?:\s*\(HR\))?(?:\s+for\s+(?:death|survival|OS|overall\s+survival))?"
                    rf"\s*[:=,]?\s*(?P<hr>{NUM})", re.I)
_CI_RX = re.compile(rf"(?:95\s?%\s*(?:CI|confidence\s+interval)\s*[:,]?\s*|\[?\s*\(?)\[?(?P<lo>{NUM})\s*(?:-|to|,)\s*"
                    rf"(?P<hi>{NUM})", re.I)
_N_SLASH = re.compile(r"^\s*\(?\s*(?P<k>\d+)\s*/\s*(?P<n>\d+)\s*\)?")
_N_OF = re.compile(r"^\s*\(?(?:\s*\d+\s+)?of\s+(?:the\s+|all\s+)?(?P<n>\d+)\s+(?:\w+\s+)?(?:patients|pts|participants|"
                   r"subjects|evaluable)\b", re.I)


def _p_value(window: str) -> str | None:
    m = _P_RX.search(window)
    if m is None:
        return "NS" if _NS_RX.search(window) else None
    if m.group("val").upper() == "NS":
        return "NS"
    op = (m.group("op") or "=").replace(" ", "")
    op = {"=": "", "<=": "<=", "=<": "<=", "≤": "<="}.get(op, op)
    if m.group("exp"):
        return f"{op}0.{'0' * (int(m.group('exp')) - 1)}1"
    val = m.group("val")
    if val.startswith("."):
        val = "0" + val
    return f"{op}{val}"


def _hr_ci(window: str) -> tuple[float | None, str | None]:
    m = _HR_RX.search(window)
    if m is None:
        return None, None
    rest = window[m.end():m.end() + 60]
    c = _CI_RX.search(rest)
    ci = f"{c.group('lo')}-{c.group('hi')}" if c and c.start() < 30 else None
    return float(m.group("hr")), ci


_VALUE_PCT = re.compile(
    rf"^(?P<pre>[^\d;]*?)(?:(?<![\w-])(?:(?P<k>{_COUNT})\s+{_PEOPLE}\s*\(\s*"
    # "5 of the 14 TP53-mutated patients (36%)": the words between may hold a gene name with digits
    rf"|(?P<k2>{_COUNT})\s+(?:of|out\s+of)\s+(?:the\s+|all\s+)?(?P<n0>\d+)\s+(?:[^\d;()]{{0,30}}?\s"
    rf"|(?:[A-Za-z][\w/-]*\s+){{1,3}}?)?"
    rf"{_PEOPLE}\s*\(\s*"
    rf"|(?P<k3>\d+)\s*/\s*(?P<n1>\d+)\s*\(\s*"
    rf"|(?P<k4>{_COUNT})\s*\(\s*(?={NUM}\s?%\s*\)\s*(?:of\s+(?:the\s+)?\d+\s+)?{_PEOPLE}\b)"
    # "... and CR in 4 (9%)": a count right after "in", its share in brackets (the people named earlier)
    rf"|(?<=\bin\s)(?P<k5>{_COUNT})\s*\(\s*(?={NUM}\s?%\s*\))))?"
    rf"(?P<v>{NUM})\s?%(?!\s*(?:CI|confidence))", re.I)
_TU = r"(?:months?|mo|years?|weeks?|days?)\b"
_RANGE = (rf"\s*[(\[]\s*(?:(?:95\s?%\s*)?(?:CI|confidence\s+interval)\s*[:,]?\s*|range\s*[:,]?\s*|IQR\s*[:,]?\s*)?"
          rf"{NUM}\s*(?:-|to|,)\s*{NUM}\+?\s*(?:{_TU})?\s*[)\]]")
_VALUE_TIME = re.compile(rf"^(?P<pre>[^\d;]*?)(?P<v>{NUM})(?P<range>{_RANGE})?"
                         rf"(?P<and>\s+(?:and|vs\.?|versus|v)\s+(?P<c>{NUM}))?\s+{TIME_UNIT}")
_COMP_PCT = re.compile(rf"^(?P<fill>[^\d;]{{0,40}}?)\b(?:vs\.?|versus|v|compared\s+with|than)\s+(?:[^\d;]{{0,25}}?)"
                       rf"(?P<c>{NUM})\s?%")
_COMP_TIME = re.compile(rf"^(?:{_RANGE})?(?P<fill>[^\d;]{{0,40}}?)\b(?:vs\.?|versus|v|compared\s+with|than)\s+"
                        rf"(?:[^\d;]{{0,25}}?)(?P<c>{NUM})\s+{TIME_UNIT}")
_AND_PCT = re.compile(rf"^\s*(?:and|,)\s+(?P<c>{NUM})\s?%")
#: a second "A vs B" pair after the first one: "..., and 14 months (9-17) versus 21 months"
_CONT = {
    "%": re.compile(rf"\band,?\s+(?:(?:at|by|after|within)\s+\d+\s+(?:weeks?|months?|years?|days?),?\s+)?"
                    rf"(?P<v>{NUM})\s?%\s*(?:\([^()]*\)\s*)?(?:(?:with|in|for)\s+[^\d;]{{1,40}}?\s+)?"
                    rf"(?:vs\.?|versus)\s+(?P<c>{NUM})\s?%"),
    "time": re.compile(rf"\band,?\s+(?P<v>{NUM})\s+{_TU}\s*(?:\([^()]*\)\s*)?(?:(?:with|in|for)\s+[^\d;]{{1,40}}?\s+)?"
                       rf"(?:vs\.?|versus)\s+(?P<c>{NUM})\s+{_TU}"),
}
_ARM = re.compile(r"^\s*(?:in|with|for|among)\s+(?:the\s+)?(?P<arm>[A-Za-z][\w+/-]*(?:\s+[\w+/-]+){0,3}?)"
                  r"(?:\s+(?:arm|group|cohort)s?\b|(?=\s*[,;(]|\s+(?:vs|versus|v|compared)\b))")
_BEFORE = re.compile(rf"(?P<v>{NUM})\s?%(?:\s*[(\[]\s*n\s*=\s*\d+\s*[)\]])?\s*\)?\s+"
                     rf"(?:of\s+(?:the\s+|all\s+)?(?:(?P<n>\d+)\s+)?(?:[A-Za-z][\w/-]*\s+){{0,2}}?"
                     r"(?:patients|pts|participants|those|these)\s+"
                     # "6% of patients (3 of 48) had ...": the count and denominator in brackets
                     r"(?:\(\s*\d+\s*(?:of|/)\s*(?P<n_b>\d+)\s*\)\s+)?)?"
                     r"(?:patients\s+|pts\s+)?(?P<qual>(?:in|with|on|after)\s+(?:an?\s+|the\s+)?[a-z][^\d%;,()]{0,30}?\s+)?"
                     r"(?:(?:who|that|which)\s+)?"
                     r"(?P<verb>(?:achieved|had|attained|obtained|showed|reached|demonstrated|achieving|attaining|reaching|"
                     r"experienced|underwent|developed|required|experiencing|developing|requiring|received|"
                     r"proceeded\s+to|went\s+on\s+to)\s+(?:an?\s+|a\s+major\s+|major\s+)?"
                     r"(?P<mods>(?:(?:[a-z]+(?:-[a-z]*)?|or|and)\s+){0,4}?))?$", re.I)
#: "14 (27%) and 20 (38%) patients in the A and the B group, respectively, progressed to AML"
_BEFORE_PAIR = re.compile(
    rf"(?<![\w.])\w+(?:[\s-]\w+)?\s*\(\s*(?P<v>{NUM})\s?%\s*\)\s*(?:of\s+(?P<n>\d+)\s+)?(?:{_PEOPLE}\s+)?"
    rf"(?:in\s+the\s+(?:[^\d;()%]|(?<=[A-Za-z])\d+){{1,40}}?\s+(?:group|arm|cohort)\s+)?"
    rf"and\s+\w+(?:[\s-]\w+){{0,2}}\s*\(\s*(?P<c>{NUM})\s?%\s*\)"
    rf"\s*(?:of\s+\d+\s+)?(?:{_PEOPLE})?(?P<fill>(?:[^\d;()%]|(?<=[A-Za-z])\d+){{0,70}}?)$", re.I)
_IN_SHARE = re.compile(rf"(?:^|[.;,]\s*|\b)[Ii]n\s+(?:(?P<v>{NUM})\s?%\s+of\s+(?:the\s+|all\s+)?(?:cases|{_PEOPLE})\b|"
                       rf"(?P<k>{_COUNT})\s+{_PEOPLE}\s*\(\s*(?P<v2>{NUM})\s?%\s*\))"
                       rf"(?P<fill>[^%\d;,()]{{0,40}})$")
#: "17 (21%) with a complete response", "9 patients (11%) with marrow CR": a count and its share, then the endpoint
_WITH_SHARE = re.compile(rf"(?<![\w.])(?:{_COUNT})\s+(?:{_PEOPLE}\s+)?\(\s*(?P<v>{NUM})\s?%\s*\)\s+with\s+(?:an?\s+)?$",
                         re.I)
#: ... and the endpoint ends the phrase: "12 (30%) with CR had a TET2 mutation" is a subgroup, not a rate
_WITH_SHARE_AFTER = re.compile(r"(?:\s+rates?)?\s*(?:[,;.)]|$|\(|and\s+\d|(?:and\s+)?(?:\d+|one|two|three|four|five|six|"
                               r"seven|eight|nine|ten)\s+(?:\(|with\b)|including\b|whereas\b|while\b)", re.I)
_MASK = re.compile(r"\b(?:cycles?|courses?)\s+\d+(?:\s*(?:-|to|and)\s*\d+)?|\b(?:first|initial|last|after|by|within)\s+"
                   r"(?:\d+|[a-z]+)\s+(?:cycles|courses)\b"
                   # how long a transfusion independence lasted: "for at least 8 weeks", "for 24 weeks or longer"
                   r"|\b(?:for|lasting)\s+(?:at\s+least\s+|≥\s*|>=\s*)?\d+\s+(?:weeks|days)(?:\s+or\s+(?:longer|more))?",
                   re.I)
_TI_DURATION = re.compile(r"\b(?:for|lasting)\s+(?:at\s+least\s+|≥\s*|>=\s*)?#+\s+(?:weeks|days)(?:\s+or\s+(?:longer|more))?",
                          re.I)
#: cues that are verbs themselves ("progressed to AML", "died")
_VERB_CUE = re.compile(r"(?:progressed|developed|transformed|evolved|died|responded|relapsed)\b", re.I)
_NOT_RESULT_MODS = re.compile(r"\b(?:history|prior|previous|baseline|known|pre-?existing|of|with|received)\b", re.I)
#: study-design words just before a cue: "an expected response rate of 30%" is an assumption, not a result
_DESIGN_BEFORE = re.compile(r"\b(?:expected|assum\w+|hypothes\w+|target(?:ed)?|powered|anticipated|required|"
                            r"defined|definition|null)\b[^.;]{0,25}$", re.I)
_DESIGN_AFTER = re.compile(r"\s*(?:was|were|is|are|had\s+been|has\s+been)\s+(?:\w+\s+)?(?:expected|assumed|"
                          r"anticipated|hypothesi[sz]ed|targeted|required|considered\s+(?:promising|of\s+interest)|eligible|"
                          r"excluded|included|defined|needed)\b",
                          re.I)
_FILLER_MAX = 50
_FILLER_LONG = 90


#: "median survival of the 48 treated patients was 15 months": the count names who, not a time
_PEOPLE_COUNT = re.compile(rf"\b(?:of|in|for|among)\s+(?:the\s+|all\s+|these\s+)?\d+\s+(?:[\w-]+\s+)?{_PEOPLE}\b",
                           re.I)


def _hide_digits(m: re.Match) -> str:
    return re.sub(r"\d", "#", m.group(0))


def _mask(s: str) -> str:
    """Same-length copy with cycle numbers ("in cycles 1-2") hidden: they are not values."""
    return _MASK.sub(lambda m: re.sub(r"\d", "#", m.group(0)), s)


# "Overall response rate (i.e., complete remission, HI or transfusion independence) was 35%": the bracket says
# what the response counts, and the endpoints it names are not results of their own.
_EXPLAINING_BRACKET = re.compile(r"\(\s*(?:i\.\s?e\.|e\.\s?g\.|defined\s+as|including)[^()]*\)"
                                 # the same between commas, right before the verb: "an overall response, including
                                 # marrow CR and HI, occurred in 25 patients (78%)"
                                 r"|,\s*(?:i\.\s?e\.,?|defined\s+as|including)\s+[^,;()%\d]{1,80}?,(?=\s*(?:was|were|occurred"
                                 r"|is|are|developed)\b)", re.I)


# "complete remission in seven patients (CR, 18%)": the bracket repeats the endpoint's name before the share.
_NAMED_SHARE = re.compile(r"(?<=\()(\s*(?:CR|PR|HI|mCR|ORR|complete\s+(?:remission|response)|partial\s+(?:remission|response)"
                          r"|hematologic\s+improvement|haematological\s+improvement)\s*),(?=\s*\d+(?:\.\d+)?\s?%\s*\))",
                          re.I)


def _unnamed_shares(text: str) -> str:
    """"(CR, 18%)" read as "(CR: 18%)", the form the cue reader knows (same length)."""
    return _NAMED_SHARE.sub(lambda m: m.group(1) + ":", text)


def _without_explanations(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with explaining brackets cut out, and the cuts (position in the cut text, length removed)."""
    cuts: list[tuple[int, int]] = []
    removed = 0
    for m in _EXPLAINING_BRACKET.finditer(text):
        cuts.append((m.start() - removed, len(m.group(0))))
        removed += len(m.group(0))
    return _EXPLAINING_BRACKET.sub("", text), cuts


def _restored(c: OutcomeMatch, cuts: list[tuple[int, int]]) -> OutcomeMatch:
    """A claim's offsets in the sentence as written (before the brackets were cut)."""
    def back(position: int) -> int:
        return position + sum(length for at, length in cuts if at <= position)
    return replace(c, start=back(c.start), end=back(c.end))


def find_outcomes(sentence: str) -> list[OutcomeMatch]:
    """Outcomes stated in one sentence (sentence offsets). Empty when anything is ambiguous."""
    text, cuts = _without_explanations(_unnamed_shares(_normalise(sentence)))
    claims: list[OutcomeMatch] = []
    for a, b in _pieces(text):
        piece = text[a:b]
        # "responses were seen in 61%; their median duration was not reached": a clause that states no
        # value drops only its own claims
        # "..., whereas X and Y were not (P = .41)": an elliptical denial after a contrast drops only its own clause
        negated = [_clause(piece, m.start(), a) if _CONTRAST_BEFORE.search(piece, 0, m.start())
                   else (text.rfind(";", a, m.start() + a) + 1 or a, (text.find(";", m.end() + a, b) + 1 or b + 1) - 1)
                   for m in _SENTENCE_NEG.finditer(piece) if not _GROUP_NOT_REACHED.match(piece, m.start())
                   and not _CI_UPPER_END.search(piece, max(0, m.start() - 12), m.start())]
        # "... 19 months, and toxicity matched earlier reports": a background clause drops
        # its own claims, not the results stated in the clauses before it
        negated += [_clause(piece, m.start(), a) for m in _BACKGROUND.finditer(piece)]
        claims += [c for c in (_shift(c, a) for c in _find_in_piece(piece))
                   if not any(lo <= c.start < hi for lo, hi in negated)]
    claims = _early_deaths(text, claims) + _named_share_list(text) + _alive_at(text) + _more_than(text) \
        + _responded_share(text)
    claims += _time_to_aml_after(text, claims)
    # "grade 3 or higher non-haematological toxicity (22%)": the grade written before the event's name
    claims = [replace(c, endpoint="grade3plus_adverse_event_rate") if c.endpoint == "adverse_event_rate"
              and _GRADE3_BEFORE.search(text, max(0, c.start - 30), c.start) else c for c in claims]
    if _COMPLETE_AND_PARTIAL.search(text) and len([c for c in claims if c.endpoint in _CR_PR]) == 1:
        # "complete and partial remissions were seen in 30%": one share for the two together, neither's own rate
        claims = [c for c in claims if c.endpoint not in _CR_PR]
    return [_restored(c, cuts) for c in _resolve(claims)] if cuts else _resolve(claims)


_GRADE3_BEFORE = re.compile(r"\bgrade\s*(?:3\s*(?:[-–/]|to|or)\s*4|≥\s*3|>=\s*3|3\s+or\s+(?:higher|worse|above|more)"
                            r"|III\s*[-–/]\s*IV)\s+$", re.I)
# "... was 59% (38/64): complete remission, 17%; marrow CR, 30%; haematological improvement alone, 13%", "HI in 41%:
# erythroid, 28%; platelet, 19%; neutrophil, 15%": after a colon, items written "name, value%" and separated by
# semicolons, each an outcome of its own. Every name must be an endpoint (or, after a haematological improvement
# head, a lineage), or the list is left alone.
_NAMED_SHARE_LIST = re.compile(rf"(?::|(?P<open>\())\s*(?P<items>[A-Za-z][\w\s+/-]{{0,50}}?,\s*{NUM}\s?%(?:\s*;\s*(?:and\s+)?"
                               rf"[A-Za-z][\w\s+/-]{{0,50}}?,\s*{NUM}\s?%)+)\s*(?(open)\)|(?:[.;]|$))")
_NAMED_SHARE_ITEM = re.compile(rf"(?P<name>[A-Za-z][\w\s+/-]{{0,50}}?),\s*(?P<v>{NUM})\s?%")
_ITEM_QUALIFIER = re.compile(r"\s+(?:alone|only|rates?)$", re.I)


def _named_share_list(text: str) -> list[OutcomeMatch]:
    out: list[OutcomeMatch] = []
    for lst in _NAMED_SHARE_LIST.finditer(text):
        head = [c for c in _cue_spans(text[:lst.start()]) if c.kind == "%"]
        hi_head = bool(head) and head[-1].endpoint == "hematologic_improvement_rate"
        found = []
        for item in _NAMED_SHARE_ITEM.finditer(text, lst.start("items"), lst.end("items")):
            name = _ITEM_QUALIFIER.sub("", re.sub(r"^(?:and\s+)", "", item.group("name").strip(), flags=re.I))
            lineage = re.fullmatch(r"erythroid|platelet|neutrophil", name, re.I)
            endpoint = "hematologic_improvement_rate" if lineage and hi_head else next(
                (e for e, rx, kind in _CUE_RX if kind == "%" and rx.fullmatch(name)), None)
            if endpoint is None:
                found = []
                break
            found.append(OutcomeMatch(endpoint, float(item.group("v")), "%", item.start("name"), item.end(),
                                      event=name.lower() if lineage else None))
        out += found
    return out


# "17 patients (23%) were alive at one year", "41% of patients remained alive at 2 years": survival at a time point
_ALIVE_AT = Prefiltered(re.compile(rf"(?:(?<![\w-])(?:\d+|[A-Za-z]+(?:-[a-z]+)?)\s+(?:patients\s+|pts\s+)?\(\s*(?P<v>{NUM})\s?%\s*\)"
                       rf"|(?<![\w.-])(?P<v2>{NUM})\s?%\s+of\s+(?:the\s+|all\s+)?(?:patients|pts|participants))"
                       rf"\s+(?:were|was|remained)\s+(?:still\s+)?alive\s+at\s+(?P<yrs>one|two|three|four|five|\d+)\s+years?\b",
                       re.I))


def _alive_at(text: str) -> list[OutcomeMatch]:
    out = []
    for m in _ALIVE_AT.finditer(text):
        if _NEG.search(text, max(0, m.start() - 25), m.start()):
            continue
        years = _WORD_NUMBERS.get(m.group("yrs").lower(), m.group("yrs"))
        value = m.group("v") or m.group("v2")
        out.append(OutcomeMatch("overall_survival_at_years", float(value), "%", m.start(), m.end(),
                                timepoint=f"{years} year" + ("" if str(years) == "1" else "s")))
    return out


# "Horse ATG produced more responses than rabbit ATG (48% vs 26%, P = .03)": a response count compared in words, the
# two shares in the bracket that follows
_MORE_THAN = Prefiltered(re.compile(rf"\b(?:produced|gave|induced|yielded|achieved|had|led\s+to|resulted\s+in)\s+(?:significantly\s+)?"
                        rf"(?:more|fewer)\s+(?P<ep>responses|complete\s+remissions|remissions)\s+than\s+[^()%;\d]{{1,60}}?"
                        rf"\s*\(\s*(?P<v>{NUM})\s?%\s*(?:vs\.?|versus)\s*(?P<c>{NUM})\s?%", re.I))
# "Only 9 patients responded (12%)": a count of responders with its share after the verb
_RESPONDED_SHARE = Prefiltered(re.compile(rf"(?<![\w-])(?P<k>{_COUNT})\s+{_PEOPLE}\s+(?:had\s+)?responded\s*\(\s*(?P<v>{NUM})\s?%\s*\)",
                              re.I))


def _more_than(text: str) -> list[OutcomeMatch]:
    out = []
    for m in _MORE_THAN.finditer(text):
        endpoint = "complete_remission_rate" if m.group("ep").lower().startswith("complete") else "overall_response_rate"
        out.append(OutcomeMatch(endpoint, float(m.group("v")), "%", m.start("ep"), m.end(),
                                comparator_value=float(m.group("c")), p=_p_value(_tail(text, m.end()))))
    return out


def _responded_share(text: str) -> list[OutcomeMatch]:
    return [OutcomeMatch("overall_response_rate", float(m.group("v")), "%", m.start(), m.end())
            for m in _RESPONDED_SHARE.finditer(text) if not _NEG.search(text, max(0, m.start() - 25), m.start())]


# "Progression to AML occurred in 27% of patients after a median of 15.3 months": the time to AML of those who
# progressed, right after their share
_AFTER_A_MEDIAN = re.compile(rf"\s*(?:of\s+(?:the\s+|all\s+)?{_PEOPLE}(?=[\s,]))?\s*,?\s*after\s+a\s+median\s+(?:time\s+)?of\s+"
                             rf"(?P<t>{NUM})\s+(?P<u>months?|years?|weeks?)\b", re.I)


def _time_to_aml_after(text: str, claims: list[OutcomeMatch]) -> list[OutcomeMatch]:
    out = []
    for c in claims:
        if c.endpoint == "progression_to_aml_rate":
            m = _AFTER_A_MEDIAN.match(text, c.end)
            if m is not None:
                out.append(OutcomeMatch("median_time_to_aml", float(m.group("t")), _unit(m.group("u")),
                                        m.start("t"), m.end()))
    return out


_COMPLETE_AND_PARTIAL = re.compile(r"\bcomplete\s+and\s+partial\s+(?:remission|response)", re.I)
_CR_PR = ("complete_remission_rate", "partial_remission_rate")


# "3 patients (3%) died within 12 weeks of starting", "Within 8 weeks of the first dose, 4% of patients died": deaths
# counted over a short window from the start of treatment are the early mortality, not the overall death rate
_WITHIN = re.compile(r"\bwithin\s+(?:the\s+first\s+)?(?P<n>\d+|one|two|three|four|six|eight|twelve)\s+"
                     r"(?P<u>weeks?|days?|months?)\b", re.I)
_SPELLED = {"one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "eight": 8, "twelve": 12}


# "two patients died within 8 weeks (3%)": the share after the window
_DIED_WITHIN_SHARE = Prefiltered(re.compile(
    rf"(?<![\w-])(?:{_COUNT})\s+(?:{_PEOPLE}\s+)?died\s+within\s+(?:the\s+first\s+)?(?P<n>\d+|one|two|three|four|six"
    rf"|eight|twelve)\s+(?P<u>weeks?|days?)(?:\s+of\s+[\w\s-]{{1,30}}?)?\s*\(\s*(?P<v>{NUM})\s?%\s*\)", re.I))


def _early_deaths(text: str, claims: list[OutcomeMatch]) -> list[OutcomeMatch]:
    out = []
    for m in _DIED_WITHIN_SHARE.finditer(text):
        if any(c.start < m.end() and m.start() < c.end for c in claims) or _NEG.search(text, max(0, m.start() - 25),
                                                                                       m.start()):
            continue
        n = int(_SPELLED.get(m.group("n").lower(), m.group("n")))
        unit = m.group("u").lower().rstrip("s")
        if (unit == "week" and n <= 13) or (unit == "day" and n <= 100):
            out.append(OutcomeMatch("early_mortality_rate", float(m.group("v")), "%", m.start(), m.end(),
                                    timepoint=f"{n} {unit}s"))
    for c in claims:
        if c.endpoint == "death_rate" and c.event is None and re.search(r"\bdied\b|\bdeaths?\b", text[c.start:c.end + 12],
                                                                         re.I):
            lo, hi = _clause(text, c.start, 0)
            window = _WITHIN.search(text, lo, hi)
            if window:
                n = int(_SPELLED.get(window.group("n").lower(), window.group("n")))
                unit = window.group("u").lower().rstrip("s")
                if (unit == "week" and n <= 13) or (unit == "day" and n <= 100) or (unit == "month" and n <= 3):
                    c = replace(c, endpoint="early_mortality_rate", timepoint=f"{n} {unit}s")
        out.append(c)
    return out


_CONTRAST_BEFORE = re.compile(r"(?:,\s+(?:and|but|whereas|while)|\s(?:whereas|while|but))\s[^;,]*$", re.I)
#: "(95% CI, 20.3 to not estimable)": the open upper end of an interval, not a denied value
_CI_UPPER_END = re.compile(r"\d\s*(?:-|to)\s*$", re.I)
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|whereas|while)\s+(?!\d)|\s+(?:whereas|while)\s+", re.I)


def _clause(piece: str, pos: int, a: int) -> tuple[int, int]:
    """(start, end) in the sentence (the piece starts at `a`) of the clause around `pos`."""
    lo, hi = 0, len(piece)
    for m in _CLAUSE_BREAK.finditer(piece):
        if m.end() <= pos:
            lo = m.end()
        elif m.start() >= pos:
            hi = m.start()
            break
    return a + lo, a + hi


def _shift(c: OutcomeMatch, a: int) -> OutcomeMatch:
    return replace(c, start=c.start + a, end=c.end + a) if a else c


def _find_in_piece(text: str) -> list[OutcomeMatch]:
    severe, hidden, owned = _severity_events(text)
    for a, b in hidden:  # the severity brackets are read; the other readers do not see them
        text = text[:a] + " " * (b - a) + text[b:]
    cues = _cue_spans(text)
    claims, consumed = _lists(text, cues)
    claims += severe
    year_claims, year_span = _year_lists(text)
    if year_claims:
        claims += year_claims
        consumed |= {i for i, c in enumerate(cues) if year_span[0] <= c.start < year_span[1]}
    claimed_end = 0  # end of the last cue that read a value
    for i, cue in enumerate(cues):
        if i in consumed:
            claimed_end = cue.end
            continue
        limit = _region_end(text, cue, cues[i + 1:])
        found: list[OutcomeMatch] = []
        if cue.mode != "before":
            found = _after_cue(text, cue, text[cue.end:limit])
        if not found:
            one = _before_cue(text, cue, cues[i - 1].end if i else 0)
            if one is None and i and claimed_end < cues[i - 1].start:
                # "29% of patients in CR progressed to AML": the cue inside the subgroup ("CR") read nothing
                one = _before_cue(text, cue, claimed_end, skipped_from=cues[i - 1].start)
            found = [one] if one is not None else []
        if found:
            claimed_end = cue.end
            found += _included_subgroups(text, cue, max([cue.end] + [f.end for f in found]), limit)
        claims += found
    if _AE_WORD.search(text):
        # "grade 3/4 toxicities: neutropenia (40%) …": the rates are the named events' (_grade3_events)
        claims = [c for c in claims if c.endpoint != "grade3plus_adverse_event_rate" or c.event]
    claims += _grade3_events(text)
    claims += [e for e in _events_graded_after(text) + _compared_events(text)
               if not any(c.start < e.end and e.start < c.end for c in claims)]
    claims += [e for e in _plain_events(text) if not any(c.value == e.value and c.start < e.end and e.start < c.end
                                                         for c in claims)]
    for e in _event_lists(text):
        same = [c for c in claims if c.value == e.value and c.start < e.end and e.start < c.end]
        if any(c.endpoint == e.endpoint for c in same):
            continue  # the same share read by an older rule stays one row
        # a list under its own head ("the most common adverse events were ...") says which kind of event it counts
        claims = [c for c in claims if c not in same or c.endpoint not in _AE_ENDPOINTS]
        claims.append(e)
    if owned:  # a value read with its severe share is that event's, never a head's ("side effects were X in 60%")
        claims = [c for c in claims if c in severe or not any(c.start <= v < c.end for v in owned)]
    elliptic, spans = _elliptic_survival(text)
    claims = [c for c in claims if not any(a <= c.start < b for a, b in spans)] + elliptic + _death_counts(text)
    claims += _compared_in_brackets(text, claims)
    claims += _hr_only(text, claims)
    return claims


def _region_end(text: str, cue: _Cue, later: list[_Cue]) -> int:
    """Where a cue's value may be sought: up to the next cue, but past a bracket opened right after the cue
    ("response rate (complete remission or HI) was 40%": the cues inside the bracket define this one)."""
    for nxt in later:
        gap = text[cue.end : nxt.start]
        if gap.count("(") > gap.count(")"):
            close = text.find(")", nxt.start)
            if close < 0:
                return len(text)
            continue_from = close + 1
            following = [c for c in later if c.start >= continue_from]
            return following[0].start if following else len(text)
        return nxt.start
    return len(text)


# ---- one endpoint, several groups ------------------------------------------------------------------------------
# "48% in lower-risk MDS, 44% in higher-risk MDS and 39% in CMML", "31% for MDS, 18% for AML and 24% for CMML",
# "12% of MDS, 9% of AML and 15% of CMML patients", "38% by one set of criteria (A 41%, B 35%) and 52% by another":
# each value names its own group (a prepositional phrase, or a bracket of labelled values); a value that names none
# ends the series.
_SUBGROUP = re.compile(r"\s+(?:in|for|of|among|by|per|with)\s+(?P<arm>(?:the\s+)?[A-Za-z](?:[^,;.%\d()]|\([^()%=]{1,15}\))"
                       r"{0,40}?)(?=\s*[,;]|\s*\((?=[^()]*%)|\s*\.|\s*$|\s+and\s+\d)", re.I)
_NOT_A_GROUP = re.compile(r"^(?:the\s+|all\s+|these\s+|those\s+)?(?:(?:evaluable|treated|eligible|enrolled|included|remaining|"
                          r"other|responding|assessable)\s+)?(?:patients|pts|participants|subjects|"
                          r"cases|individuals)(?!\s+(?:with|without|treated|receiving|given|on|aged|older|younger|from|"
                          r"after)\b)|\b(?:had|has|have|was|were|is|are|achieved|attained|developed|"
                          r"experienced|received|showed|who|which|that|whom|follow-?up|median|months?|years?|weeks?|"
                          r"cycles?|courses?)\b", re.I)
_NEXT_VALUE = re.compile(rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?P<v>{NUM})\s?%")
_BREAK_OPEN = re.compile(r"\s*\(")
_BREAK_ITEM = re.compile(rf"\s*(?P<arm>[A-Za-z][\w/+-]*(?:\s+[A-Za-z][\w/+-]*){{0,2}}?)\s*[-:=]?\s*(?<![\d.])(?P<v>{NUM})\s?%\s*")
_BREAK_SEP = re.compile(r"(?:[,;]\s*(?:and\s+)?|and\s+)")
_NOT_A_LABEL = re.compile(r"^(?:CI|confidence(?:\s+interval)?|range|IQR|n|p|HR|OR|RR|vs\.?|versus|median|mean|SD|SE|"
                          r"rate|rates|overall|total|all|about|approximately|up\s+to|to|from|and|or|of|in|at|by)$", re.I)


def _group_name(raw: str) -> str | None:
    """The group a value belongs to ("the MDS/CMML subgroups" -> "MDS/CMML"), or None when the phrase is a
    count of patients, a time or a clause rather than a group."""
    name = raw.strip()
    if not name or _NOT_A_GROUP.search(name):
        return None
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    name = re.sub(r"\s+(?:sub)?(?:groups?|arms?|cohorts?|patients)$", "", name, flags=re.I).strip()
    return name or None


def _is_cue(label: str) -> bool:
    return any(rx.fullmatch(label) for _, rx, _ in _CUE_RX)


def _breakdown(text: str, pos: int, limit: int) -> tuple[list[tuple[str, float, int, int]], int] | None:
    """'(azacitidine 45%, decitabine 39%)' at `pos`: the labelled values and the position after the bracket, or
    None when the bracket is anything else (a CI, a range, a count, or a breakdown by endpoint: 'CR 20%, PR 9%',
    which the cues read themselves)."""
    o = _BREAK_OPEN.match(text, pos, limit)
    if o is None:
        return None
    items: list[tuple[str, float, int, int]] = []
    position = o.end()
    while True:
        it = _BREAK_ITEM.match(text, position, limit)
        if it is None:
            return None
        label = it.group("arm").rstrip("-").strip()
        if _NOT_A_LABEL.match(label) or _is_cue(label) or _NEG.search(label):
            return None
        items.append((label, float(it.group("v")), it.start("v"), it.end("v")))
        position = it.end()
        if text.startswith(")", position):
            return (items, position + 1) if len(items) >= 2 else None
        sep = _BREAK_SEP.match(text, position, limit)
        if sep is None:
            return None
        position = sep.end()


def _series(text: str, first: OutcomeMatch, position: int, limit: int) -> tuple[str | None, list[OutcomeMatch]]:
    """The group of the first value and the further values of a series that starts at `position` (just after
    the first value)."""
    out: list[OutcomeMatch] = []
    first_arm: str | None = None
    pending: tuple[float, int, int] | None = None  # a later value, kept once it names its group
    while True:
        sub = _SUBGROUP.match(text, position, limit)
        arm = _group_name(sub.group("arm")) if sub else None
        if arm is not None and sub is not None:
            position = sub.end()
        broken = _breakdown(text, position, limit)
        if broken is not None:
            position = broken[1]
        if pending is None:
            first_arm = arm
        elif arm is None and broken is None:
            break
        else:
            out.append(OutcomeMatch(first.endpoint, pending[0], first.unit, pending[1], pending[2], arm=arm))
        if broken is not None:
            out += [OutcomeMatch(first.endpoint, v, first.unit, a, b, arm=label) for label, v, a, b in broken[0]]
        if arm is None and broken is None:
            break
        nxt = _NEXT_VALUE.match(text, position, limit)
        if nxt is None:
            break
        pending = (float(nxt.group("v")), nxt.start("v"), nxt.end("v"))
        position = nxt.end()
    return first_arm, out


# ---- values named by group before them --------------------------------------------------------------------------
_GROUP = r"(?:the\s+)?(?P<{0}>[A-Za-z][^,;%\d()]{{0,40}}?)"
_TIME_OR_PCT = {"%": r"\s?%", "time": rf"\s*(?:{_TU}\s*)?"}
#: "TI rates in the A and B subgroups were 33% and 25%, respectively"
_PAIR_RESPECTIVELY = {
    kind: re.compile(rf"^(?:\s+rates?)?\s+(?:in|among|for)\s+{_GROUP.format('a')}\s+and\s+{_GROUP.format('b')}"
                     rf"\s+(?:was|were)\s+(?P<v>{NUM}){unit}\s*(?:\([^()]*\)\s*)?,?\s*(?:and|vs\.?|versus)\s+"
                     rf"(?P<c>{NUM})" + (r"\s?%" if kind == "%" else rf"\s+(?P<u>{_TU})")
                     + r"\s*(?:\([^()]*\)\s*)?,?\s*respectively\b", re.I)
    for kind, unit in _TIME_OR_PCT.items()}
#: "ORR (definition) in the A subgroup was 32% and in the B subgroup (definition) was 22%"
_QUALIFIED_FIRST = re.compile(rf"^(?:\s+rates?)?\s*(?:\((?:[^()]|\([^()]*\))*\)\s*)?(?:in|among|for)\s+{_GROUP.format('a')}"
                              rf"(?:\s*\([^()]*\))?\s+(?:was|were)\s+(?P<v>{NUM})\s?%", re.I)
_QUALIFIED_NEXT = re.compile(rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:in|among|for)\s+{_GROUP.format('a')}"
                             rf"(?:\s*\([^()]*\))?\s+(?:was|were)\s+(?P<v>{NUM})\s?%", re.I)
#: "CR was significantly higher in patients given A (58%) compared with B (21%)"
_COMPARED = {
    kind: re.compile(rf"^(?:\s+rates?)?\s+(?:was|were)\s+(?:(?:significantly|markedly|statistically\s+significantly)\s+)?"
                     rf"(?:higher|lower|greater|better|longer|shorter|superior|inferior)\s+(?:in|with|for|among)\s+"
                     rf"(?P<a>[^;%\d()]{{1,60}}?)\s*\(\s*(?P<v>{NUM})" + (r"\s?%" if kind == "%" else rf"\s+(?P<u>{_TU})")
                     + rf"\s*\)\s*,?\s*(?:when\s+|as\s+)?(?:compared\s+(?:with|to)|than|vs\.?|versus)\s+"
                     rf"(?P<b>[^;%\d()]{{1,60}}?)\s*\(\s*(?P<c>{NUM})" + (r"\s?%" if kind == "%" else rf"\s+{_TU}")
                     + r"\s*\)", re.I)
    for kind in ("%", "time")}


def _named_groups(text: str, cue: _Cue, after: str) -> list[OutcomeMatch] | None:
    """Values whose groups are named before them (three forms above), or None when the text is not one of them."""
    endpoint, kind, base = cue.endpoint, cue.kind, cue.end
    pair = _PAIR_RESPECTIVELY[cue.kind].match(after)
    if pair is not None:
        a, b = _group_name(pair.group("a")), _group_name(pair.group("b"))
        if a and b and not _NEG.search(pair.group("a") + " " + pair.group("b")):
            unit = "%" if kind == "%" else _unit(pair.group("u"))
            return [OutcomeMatch(endpoint, float(pair.group("v")), unit, cue.start, base + pair.end("v"), arm=a),
                    OutcomeMatch(endpoint, float(pair.group("c")), unit, base + pair.start("c"), base + pair.end("c"),
                                 arm=b)]
    if kind == "%":
        first = _QUALIFIED_FIRST.match(after)
        if first is not None and _group_name(first.group("a")) and not _NEG.search(first.group("a")):
            out = [OutcomeMatch(endpoint, float(first.group("v")), "%", cue.start, base + first.end("v"),
                                arm=_group_name(first.group("a")))]
            position = first.end()
            while (nxt := _QUALIFIED_NEXT.match(after, position)) is not None:
                if not _group_name(nxt.group("a")) or _NEG.search(nxt.group("a")):
                    break
                out.append(OutcomeMatch(endpoint, float(nxt.group("v")), "%", base + nxt.start("v"), base + nxt.end("v"),
                                        arm=_group_name(nxt.group("a"))))
                position = nxt.end()
            if len(out) >= 2:
                return out
    compared = _COMPARED[kind].match(after)
    if compared is not None and not _NEG.search(compared.group("a") + " " + compared.group("b")):
        unit = "%" if kind == "%" else _unit(compared.group("u"))
        return [OutcomeMatch(endpoint, float(compared.group("v")), unit, cue.start, base + compared.end("c"),
                             arm=compared.group("a").strip(), comparator_value=float(compared.group("c")),
                             p=_p_value(_tail(text, base + compared.end())))]
    return None


_CATEGORY_ITEM = re.compile(rf"\s*(?:(?:,\s*)?(?:and|or)\s+|,\s*)?(?P<cat>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s*\(\s*"
                            rf"(?:n\s*=\s*\d+\s*[,;]\s*)?(?P<v>{NUM})\s?%(?:\s+of\s+(?:the\s+|all\s+)?{_PEOPLE})?\s*\)",
                            re.I)
_EVENT_WORDS = re.compile(r"\s*(?:(?:treatment[\s-]emergent\s+)?adverse\s+events?|(?:TE)?AEs?|toxicit(?:y|ies)|"
                          r"side\s+effects?)\b", re.I)


def _category_rates(text: str, position: int, limit: int, endpoint: str, kind_of: str | None) -> list[OutcomeMatch]:
    """'gastrointestinal (84%) and renal (n = 4, 12%)' at `position`: one rate per named kind of event."""
    out: list[OutcomeMatch] = []
    while (m := _CATEGORY_ITEM.match(text, position, limit)) is not None:
        category = m.group("cat").lower()
        if _is_cue(category) or _NEG.search(category):
            break
        out.append(OutcomeMatch(endpoint, float(m.group("v")), "%", m.start("v"), m.end("v"),
                                event=f"{category} {kind_of}" if kind_of else category))
        position = m.end()
    return out


# ---- one endpoint, a list of values each with its own group (session 10, E2) ---------------------------------------
# "18 months (CI) in A, 7.8 months (CI) in B and 6 months (CI) in C", "89% in A (62 of 70 patients; CI), 80% in B
# (...)", "33% in CMML (50% in A and 23% in B) and 48% in sAML (...)", "not reached in A and 5 months in B": each value
# (or "not reached") is followed by an optional bracket and the group it belongs to; a group's own bracket may hold a
# series of its sub-groups. A list of values then a list of groups ("14, 9 and 3 months for A, B and C,
# respectively") is read by _respective_groups below.

_BRACKET = r"\((?:[^()]|\([^()]*\))*\)"
_ITEM_VALUE = {
    "%": re.compile(rf"(?P<v>{NUM})\s?%(?!\s*(?:CI|confidence))", re.I),
    "time": re.compile(rf"(?:(?P<v>{NUM})\s*(?:{_BRACKET}\s*)?(?P<u>{_TU})|(?P<nr>not\s+(?:yet\s+)?reached))", re.I),
}
_ITEM_BRACKET = re.compile(rf"\s*{_BRACKET}")
#: a group's words: no list punctuation or numbers, except a digit after a letter ("CMML-1") and a bracket written onto
#: a word ("del(5q)", "inv(3)")
_GROUP_WORDS = r"(?:[^,;%()\d.]|(?<=[A-Za-z-])\d|\.(?=\w)|(?<=[A-Za-z0-9])\([^()%=\s]{1,10}\))"
_GROUP_END = r"(?=\s*[,;)]|\s*\((?![^()%=\s]{1,10}\))|\s*\.(?:\s|$)|\s*$|\s+and\s+(?:\d|not\s+reached|in\b|for\b|among\b))"
_ITEM_GROUP = re.compile(rf"\s+(?:in|for|among|of)\s+(?P<arm>(?:the\s+)?[A-Za-z]{_GROUP_WORDS}{{0,50}}?){_GROUP_END}",
                         re.I)
#: a last group written without its preposition, right before the end of the sentence ("..., and 7 months (5-9) CMML.")
_ITEM_BARE_GROUP = re.compile(rf"\s+(?P<arm>[A-Za-z]{_GROUP_WORDS}{{0,50}}?)(?=\s*\.?\s*$)", re.I)
#: words that make a phrase something other than a group ("in previously treated AML" is a group; "in up to 30%",
#: "in no patient" are not)
_GROUP_NEG = re.compile(r"\b(?:not|no|never|neither|nor|unknown|eligib\w*|threshold|expected|baseline|approximately|about|"
                        r"around|nearly|almost|up\s+to|at\s+least|more\s+than|less\s+than|historical\w*)\b|[<>≤≥]", re.I)
_ITEM_SEP = re.compile(r"\s*[,;]\s*(?:and\s+)?|\s+and\s+", re.I)
#: "... and in disease subgroups were: 89% in A, ...": the first value is everyone's, the list that follows by group
_SUBGROUPS_HEAD = re.compile(r"(?:\s*,)?\s+and\s+(?:in|by|across|among|for)\s+(?:the\s+)?(?:[a-z-]+\s+){0,3}?"
                             r"(?:sub)?(?:groups?|cohorts?|subsets?)\s*(?:(?:were|was)\s*)?:?\s*", re.I)
_SERIES_HEAD = re.compile(r"^(?:\s+rates?)?\s*(?:\((?:\d+\s?%\s*)?(?:CI|confidence\s+interval|range|IQR)\)\s*)?"
                          # "the 3-year survival rate on drug X was 15% (...) for A and 29% (...) for B"
                          r"(?:(?:after|with|on|under)\s+(?:treatment\s+with\s+|therapy\s+with\s+)?[A-Za-z][\w/+-]*"
                          r"(?:\s+[\w/+-]+){0,2}?\s+(?=(?:was|were)\b))?"
                          r"(?:(?:was|were|is|are)\s+(?:(?:observed|seen|achieved|reached|attained)\s+in\s+)?|of\s+|:\s*)",
                          re.I)
_COMPARING = re.compile(r"\b(?:vs|versus|compared|comparison|than|superior|inferior|significant\w*|HR|hazard|"
                        r"improved|longer|shorter|higher|lower)\b(?!-)|\bp\s*(?:[=<>≤]|value)", re.I)


@dataclass(frozen=True)
class _Item:
    value: float | None  # None: "not reached"
    unit: str
    arm: str | None
    start: int
    end: int


def _grouped_items(text: str, pos: int, limit: int, kind: str, depth: int = 0,
                   first_may_lack_group: bool = False) -> tuple[list[_Item], int]:
    """The value-then-group items from `pos` (see above) and where they end; items inside a group's bracket are
    that group's sub-groups."""
    items: list[_Item] = []
    value_rx = _ITEM_VALUE[kind]
    position = pos
    while True:
        vm = value_rx.match(text, position, limit)
        if vm is None:
            break
        value = None if vm.groupdict().get("nr") else float(vm.group("v"))
        unit = "%" if kind == "%" else (_unit(vm.group("u")) if vm.group("u") else "")
        position = vm.end()
        br = _ITEM_BRACKET.match(text, position, limit)
        if br is not None and _breakdown(text, position, limit) is None:
            position = br.end()
        g = _ITEM_GROUP.match(text, position, limit)
        arm = _group_name(g.group("arm")) if g else None
        if arm is not None and _GROUP_NEG.search(g.group("arm")):
            arm = None
        if arm is None and br is not None and items and all(i.arm for i in items):
            bare = _ITEM_BARE_GROUP.match(text, position, limit)
            if bare is not None and _group_name(bare.group("arm")) and not _GROUP_NEG.search(bare.group("arm")):
                g, arm = bare, _group_name(bare.group("arm"))
        if arm is None and not (first_may_lack_group and not items):
            break
        if g is not None and arm is not None:
            position = g.end()
        items.append(_Item(value, unit, arm, vm.start("v") if value is not None else vm.start(),
                           vm.end("v") if value is not None else vm.end()))
        inner = _ITEM_BRACKET.match(text, position, limit)
        if inner is not None and arm is not None and depth == 0:
            open_at = text.index("(", position)
            sub, _ = _grouped_items(text, open_at + 1, inner.end() - 1, kind, depth + 1)
            if len(sub) >= 2:
                items += sub
            position = inner.end()
        if arm is None:  # the first value, everyone's: a list by group may follow
            head = _SUBGROUPS_HEAD.match(text, position, limit)
            if head is None:
                sep = _ITEM_SEP.match(text, position, limit)
                if sep is None:
                    break
                position = sep.end()
            else:
                position = head.end()
            continue
        sep = _ITEM_SEP.match(text, position, limit)
        if sep is None:
            break
        position = sep.end()
    return items, pos if not items else items[-1].end


def _grouped_series(text: str, cue: _Cue, after: str) -> list[OutcomeMatch] | None:
    """Rows of a value-then-group list right after the cue (two or more named groups), else None."""
    head = _SERIES_HEAD.match(after)
    if head is None:
        return None
    start = cue.end + head.end()
    items, _ = _grouped_items(text, start, cue.end + len(after), cue.kind, first_may_lack_group=True)
    named = [i for i in items if i.arm is not None]
    if len(named) < 2 or not any(i.value is not None for i in named):
        return None
    timepoint = _timepoint(cue.m, after)
    if cue.endpoint == "overall_survival_at_years" and timepoint is None:
        return None  # a survival percentage needs its time point
    if len(items) == 2 and items[0].value is not None and items[1].value is not None and \
            _COMPARING.search(text) and all(i.arm for i in items):
        # "14 months in the A arm and 10 months in the B arm (p = 0.03)": one comparison, not two descriptions
        a, b = items
        return [OutcomeMatch(cue.endpoint, a.value, a.unit, cue.start, b.end, arm=a.arm, comparator_value=b.value,
                             p=_p_value(_tail(text, b.end)), event=_cue_event(text[cue.start:cue.end]),
                             timepoint=timepoint)]
    return [OutcomeMatch(cue.endpoint, i.value, i.unit, i.start if k else cue.start, i.end, arm=i.arm,
                         event=_cue_event(text[cue.start:cue.end]), timepoint=timepoint)
            for k, i in enumerate(items) if i.value is not None]


# "14.4, 8.8 and 2.9 months for A, B and C, respectively", "93% (82-106) and 97% (80-118) for the first and the second
# stage, respectively", "8.1 (5.0-11.3) months and 13.6 (10.2-18.8) months, respectively": k values (each may carry a
# bracket; a time unit may be written once, after the last), then k groups or none. Without groups, two values in a
# comparison ("higher", "vs", a p value) are one row with its comparator; otherwise each value is a row of its own.
_RESP_VALUE = {
    "%": re.compile(rf"(?P<v>{NUM})\s?%(?:\s*{_BRACKET})?", re.I),
    "time": re.compile(rf"(?P<v>{NUM})(?:\s*{_BRACKET})?(?:\s*(?P<u>{_TU})(?:\s*{_BRACKET})?)?", re.I),
}
_RESP_HEAD = re.compile(r"^(?:\s+rates?)?\s*(?:\((?:\d+\s?%\s*)?(?:CI|confidence\s+interval|range|IQR)\)\s*)?"
                        # "median survival in the three subgroups was 26, 9 and 14 months, respectively"
                        r"(?:(?:in|for|among|across)\s+(?:the\s+|these\s+|those\s+|both\s+|all\s+)?(?:[\w-]+\s+){0,3}?"
                        r"(?:sub)?(?:groups?|cohorts?|arms?|categories|subsets?)\s+)?"
                        r"(?:(?:was|were|is|are)\s+|of\s+|:\s*)", re.I)
_RESP_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+", re.I)
_RESP_GROUPS = re.compile(r"\s+(?:for|in|among|of)\s+(?:the\s+)?(?P<groups>[A-Za-z][^;%\d()]{0,160}?)\s*,?\s*"
                          r"respectively\b", re.I)
_RESP_END = re.compile(r"\s*,?\s*respectively\b", re.I)


def _respective_groups(text: str, cue: _Cue, after: str) -> list[OutcomeMatch] | None:
    head = _RESP_HEAD.match(after)
    if head is None or not re.search(r"\brespectively\b", after, re.I):
        return None
    position, limit = cue.end + head.end(), cue.end + len(after)
    found: list[re.Match] = []
    rx = _RESP_VALUE[cue.kind]
    while (vm := rx.match(text, position, limit)) is not None:
        found.append(vm)
        position = vm.end()
        sep = _RESP_SEP.match(text, position, limit)
        if sep is None or rx.match(text, sep.end(), limit) is None:
            break
        position = sep.end()
    if len(found) < 2:
        return None
    unit = "%"
    if cue.kind == "time":
        if found[-1].group("u") is None or any(f.group("u") and _unit(f.group("u")) != _unit(found[-1].group("u"))
                                               for f in found):
            return None
        unit = _unit(found[-1].group("u"))
    groups: list[str | None] = [None] * len(found)
    g = _RESP_GROUPS.match(text, position, limit)
    if g is not None:
        names = [n for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", g.group("groups")) if n.strip()]
        if len(names) != len(found) or _NEG.search(g.group("groups")):
            return None
        groups = [_group_name(n) or n.strip() for n in names]
    elif _RESP_END.match(text, position, limit) is None:
        return None
    event = _cue_event(text[cue.start:cue.end])
    timepoint = _timepoint(cue.m, after)
    if cue.endpoint == "overall_survival_at_years" and timepoint is None:
        return None  # a survival percentage needs its time point
    values = [float(f.group("v")) for f in found]
    if len(found) == 2 and _COMPARING.search(text):
        # "24 and 19 months for A and B, respectively (P = 0.89)": one comparison, A against B
        tail = _tail(text, found[1].end())
        hr, ci = _hr_ci(tail)
        return [OutcomeMatch(cue.endpoint, values[0], unit, cue.start, found[1].end("v"), arm=groups[0],
                             comparator_value=values[1], p=_p_value(tail), hr=hr, ci=ci, event=event, timepoint=timepoint)]
    return [OutcomeMatch(cue.endpoint, v, unit, f.start("v") if k else cue.start, f.end("v"), arm=a, event=event,
                         timepoint=timepoint)
            for k, (v, f, a) in enumerate(zip(values, found, groups, strict=True))]


# ---- the most common adverse events, each with its rate -------------------------------------------------------------
# "grade 3-4 events seen most often were infection in 14 patients (31%), febrile neutropenia (n = 9, 20%) and
# hypokalaemia (7 [16%])", "11 (37%) had serious adverse events, mostly pneumonia (5, 17%), then sepsis (2, 7%)": an adverse-event head, a word that opens the list, then named events each with a share. The
# endpoint comes from the head (grade 3 or higher, serious, or any), or from the item when it names its own grade.
_AE_HEAD = re.compile(
    r"(?P<head>\b(?:most\s+(?:common(?:ly)?|frequent(?:ly)?)\s+(?:\([^()]{0,30}\)\s+)?(?:reported\s+)?)?"
    r"(?:(?:non-?\s?ha?ematologic(?:al)?|ha?ematologic(?:al)?)\s+)?"
    r"(?:(?:grade\s*(?:3\s*(?:or|-|/|to)\s*(?:4|higher|more|above|worse)|≥\s*3|>=\s*3|III\s*[-/]\s*IV|3\+?)|"
    r"serious|severe|treatment[\s-](?:emergent|related)|drug[\s-]related|non-?\s?ha?ematologic(?:al)?)[\s,]+){0,3}"
    r"(?:adverse\s+(?:events?|reactions?|effects?)|(?:TE)?AEs?|TEAEs?|SAEs?|toxicit(?:y|ies)|side\s+effects?|"
    r"(?<=related\s)events?|(?<=emergent\s)events?)"
    r"(?:\s*\([^()]{0,30}\))?(?:\s+(?:regardless\s+of\s+(?:causality|attribution|relatedness)|of\s+any\s+grade))?)"
    r"(?P<intro>\s*(?:,\s*)?(?:were|was|included|including|comprised|:|,?\s*(?:most\s+(?:frequently|commonly)|"
    r"mainly|chiefly|such\s+as|namely))\s*:?\s*)", re.I)
_AE_NAME = r"(?P<ev>(?:grades?\s*(?:≥\s*)?\d(?:\s*(?:or|-|/|to)\s*\d)?\s+)?[a-z][a-z'-]*(?:\s+(?:[a-z][a-z'/-]*|grades?\s*\d(?:\s*(?:or|-|/|to)\s*\d)?)){0,5}?)"
_AE_ITEM = re.compile(
    rf"{_AE_NAME}(?:\s*\([A-Za-z][\w-]{{0,7}}\))?\s*(?:\(\s*(?:n\s*=\s*)?(?P<k>\d+)\s*[,;]\s*(?P<v>{NUM})\s?%\s*\)|\(\s*(?P<k2>\d+)\s*\[\s*(?P<v2>{NUM})\s?%\s*\]\s*\)"
    rf"|\(\s*(?P<v3>{NUM})\s?%\s*\)|\s+in\s+(?P<k3>{_COUNT})\s+{_PEOPLE}\s*\(\s*(?P<v4>{NUM})\s?%\s*\)"
    rf"|\s+in\s+(?P<v5>{NUM})\s?%(?:\s+of\s+(?:the\s+|all\s+)?{_PEOPLE})?)", re.I)
_AE_ITEM_SEP = re.compile(r"\s*(?:[,;]\s*(?:and\s+|or\s+|followed\s+by\s+)?|\s+and\s+|\s+or\s+|,?\s+followed\s+by\s+)",
                          re.I)
_NOT_AN_EVENT = re.compile(r"\b(?:patients?|cases?|subjects?|cycles?|courses?|doses?|days?|months?|years?|weeks?|"
                           r"median|mean|total|overall|respectively|rates?|grade|grades)$|^(?:and|or|the|a|an|of|with|in)$",
                           re.I)


_AE_ENDPOINTS = frozenset({"adverse_event_rate", "grade3plus_adverse_event_rate", "serious_adverse_event_rate"})


_AE_HINT = re.compile(r"adverse|\bS?AEs?\b|TEAE|toxicit|side\s+effect|(?:related|emergent)\s+events?\b", re.I)


def _event_lists(text: str) -> list[OutcomeMatch]:
    out: list[OutcomeMatch] = []
    if _AE_HINT.search(text) is None:
        return out
    for h in _AE_HEAD.finditer(text):
        lead = text[max(0, h.start() - 30):h.start()]  # "Severe (grade 3-4) side effects included ...", same clause
        head = re.split(r"[;.]\s", lead)[-1] + text[h.start():h.start("intro")]
        if _DESIGN_BEFORE.search(text[max(0, h.start() - 40):h.start()]) or re.search(
                r"\b(?:no|not|without|none)\b[^.;]{0,20}$", text[max(0, h.start() - 25):h.start()], re.I):
            continue
        endpoint = ("grade3plus_adverse_event_rate" if _GRADE3.search(head) or re.search(r"\bsevere\b", head, re.I)
                    else "serious_adverse_event_rate" if re.search(r"\bserious\b|\bSAEs?\b", head, re.I)
                    else "adverse_event_rate")
        position = h.end()
        found: list[OutcomeMatch] = []
        while (m := _AE_ITEM.match(text, position)) is not None:
            event = m.group("ev").strip().lower()
            if _NOT_AN_EVENT.search(event) or _NEG.search(event) or (_is_cue(event) and not _AE_WORD.fullmatch(event)):
                break
            v = next(m.group(g) for g in ("v", "v2", "v3", "v4", "v5") if m.group(g))
            own = "grade3plus_adverse_event_rate" if re.search(r"\bgrades?\s*(?:3|III|≥\s*3)\b", event) else endpoint
            found.append(OutcomeMatch(own, float(v), "%", m.start("ev"), m.end(), event=_AE_EVENTS.get(event, event)))
            sep = _AE_ITEM_SEP.match(text, m.end())
            if sep is None:
                break
            position = sep.end()
        if re.match(r"\s*(?:vs\.?|versus)\b", text[position:]) is None:  # two arms per event: ambiguous
            out += found
    return out



# "median OS increased from 10 months before 2010 to 23 months after it", "the CR rate rose from 12% to 30%": the
# value is where it went, the comparator where it came from
_FROM_TO = {
    kind: re.compile(rf"^\s*(?:\([^()]{{1,20}}\)\s*)?(?:(?:has|had|was|were)\s+)?(?:(?:significantly|markedly)\s+)?"
                     rf"(?:increased|improved|rose|decreased|declined|fell|dropped|changed|went\s+(?:up|down))\s+from\s+"
                     rf"(?P<c>{NUM})" + (r"\s?%" if kind == "%" else rf"\s+(?P<cu>{_TU})")
                     + rf"(?P<fill>(?:[^\d;%]|(?<![\d.])\d{{4}}(?![\d.]))*?)\s+to\s+(?P<v>{NUM})" + (r"\s?%" if kind == "%" else rf"\s+(?P<u>{_TU})"),
                     re.I)
    for kind in ("%", "time")}


def _from_to(text: str, cue: _Cue, after: str) -> list[OutcomeMatch] | None:
    m = _FROM_TO[cue.kind].match(after)
    if m is None or _NEG.search(m.group("fill")):
        return None
    unit = "%"
    if cue.kind == "time":
        if _unit(m.group("u")) != _unit(m.group("cu")):
            return None
        unit = _unit(m.group("u"))
    return [OutcomeMatch(cue.endpoint, float(m.group("v")), unit, cue.start, cue.end + m.end("v"),
                         comparator_value=float(m.group("c")), p=_p_value(_tail(text, cue.end + m.end())))]


def _after_cue(text, cue: _Cue, after: str) -> list[OutcomeMatch]:
    start, end, endpoint, kind, m = cue.start, cue.end, cue.endpoint, cue.kind, cue.m
    cause = re.match(r"\s+(?:due\s+to|because\s+of|for)\s+", after) if endpoint == "dose_modification_rate" else None
    if cause is not None:
        # "the dose was reduced because of A (n = 5, 16%) or B (n = 6, 19%) TEAEs": a rate per cause
        found = _category_rates(text, end + cause.end(), end + len(after), endpoint, None)
        if found and _EVENT_WORDS.match(text, text.find(")", found[-1].end) + 1):
            found = [replace(f, event=f"{f.event} adverse events") for f in found]
        if found:
            return found
    if not _DESIGN_BEFORE.search(text[max(0, start - 40):start]) and re.search(r"\d", after):
        moved = _from_to(text, cue, after)
        if moved is not None:
            return moved
        named = _named_groups(text, cue, after) or _observed_counts(text, cue, after)
        if named:
            return named
        listed = _respective_groups(text, cue, after) or _grouped_series(text, cue, after)
        if listed:
            return listed
    rx = _VALUE_PCT if kind == "%" else _VALUE_TIME
    v = rx.match(_mask(after) if kind == "%" else _PEOPLE_COUNT.sub(_hide_digits, _mask(after)))
    if v is None or _DESIGN_BEFORE.search(text[max(0, start - 40):start]):
        return []
    if endpoint in ("adverse_event_rate", "grade3plus_adverse_event_rate", "serious_adverse_event_rate") \
            and re.search(r"\bmost\s+(?:common|frequent)\w*\b[^.;]{0,60}$", text[max(0, start - 80):start], re.I):
        # "the most common adverse events were gastrointestinal (84%) and renal (12%)": the rate of each kind of
        # event, never the overall rate
        head = re.match(r"\s*(?:\([^()]{1,20}\)\s*)?(?:were|was|included|:)\s+", after)
        if endpoint != "adverse_event_rate" or head is None:
            return []
        return _category_rates(text, end + head.end(), end + len(after), endpoint, "adverse events")
    pre = v.group("pre")
    rest = text[end + v.end():]
    if _DESIGN_AFTER.match(rest):
        return []  # "a 12-month survival rate of 40% was expected": the design, not a result
    if pre.strip() == "(" and re.match(r"\s+(?!(?:of|vs\.?|versus|in|with|and|or|at|patients|pts)\b)[A-Za-z]", rest):
        return []  # "toxicity (18% grade 3-4 anaemia and ...)": a breakdown, not the rate itself
    abbreviation = _ABBREV.fullmatch(text[start:end]) is not None and pre.lstrip().startswith(")")
    if pre.count(")") > pre.count("(") and not abbreviation:
        return []  # the cue is inside a bracket that defines another endpoint: "response rate (CR, PR or HI) was 40%"
    # "... was longer in A than in B (24 vs. 14 months; HR ...)": the pair in brackets is the cue's value
    pair_in_brackets = pre.rstrip().endswith("(") and (re.match(r"\s*(?:vs\.?|versus|v)\s", rest) is not None or (
        kind == "time" and bool(v.group("and")) and v.group("and").split()[0].lower().rstrip(".") in ("vs", "versus", "v")))
    long_ok = pair_in_brackets or re.search(r"\b(?:was|were|is|are|of|reached)\s*$", pre) is not None
    # A bracket that defines the endpoint right after its name does not count as filler.
    filler = re.sub(r"^\s*\([^()]{1,80}\)", "", pre) if long_ok else pre
    if pair_in_brackets:
        # "median OS did not differ significantly (5.2 vs 4.9 years)": no difference between two stated values,
        # which are still the values
        filler = re.sub(r"\b(?:did|does|do)\s+not\s+differ(?:\s+(?:significantly|materially))?", "", filler)
    if endpoint in ("dose_modification_rate", "hsct_rate"):
        filler = re.sub(r"\brequir(?:ed|ing)\b", "", filler)  # "dose reduction was required in 30%": a result
    if endpoint == "dose_modification_rate" and re.search(r"\b(?:to|by)\s*$", pre):
        return []  # "the dose was reduced to 50% (by 25%)": a dose level or step, not the share of patients
    if endpoint == "transfusion_independence_rate":
        filler = _TI_DURATION.sub("", filler)  # "RBC-TI for 24 weeks or longer was reached by 41%": its duration
    if len(filler) > (_FILLER_LONG if long_ok else _FILLER_MAX) or _NEG.search(filler) or _NEG_AT_END.search(filler) \
            or "+" in filler or "/" in filler or "," in filler or (kind == "%" and re.search(r"\band\b", filler)):
        return []  # too far, negated or a threshold, or the value belongs to the next item of a list
    if cue.mode == "response" and _RESPONSE_PRE.match(pre) is None:
        return []
    unit = "%"
    comparator = None
    value_end = end + v.end()
    if kind == "time":
        u = v.group("u").lower()
        unit = _unit(u)
        if v.group("and"):
            joiner = v.group("and").split()[0].lower()
            if joiner == "and" and not re.search(r"\brespectively\b", text, re.I):
                return []
            # "median EFS and OS were 17 and 19 months": the second number is another endpoint
            comparator = None if re.search(r"\band\b", pre) else float(v.group("c"))
    if kind == "%" and re.match(r"\s*(?:of\s+)?(?:bone\s+)?(?:marrow\s+)?blasts?\b", rest, re.I):
        return []  # a blast percentage, not a rate
    if comparator is None:
        comp_rx = _COMP_PCT if kind == "%" else _COMP_TIME
        c = comp_rx.match(rest)
        if c and not _NEG.search(c.group("fill")):
            if kind == "time" and _unit(c.group("u")) != unit:
                return []
            comparator = float(c.group("c"))
        elif kind == "%" and re.search(r"\brespectively\b", text, re.I):
            a = _AND_PCT.match(rest)
            if a:
                comparator = float(a.group("c"))
    if endpoint == "overall_survival_at_years" and m.groupdict().get("yrs") is None and not m.groupdict().get("mos") \
            and re.match(r"\s+at\s+\d+\s+years?", rest) is None and not re.search(r"\bfollow-?up\b", text, re.I):
        return []  # a survival percentage needs its time point: a year, or the follow-up the sentence names
    arm_m = _ARM.match(rest)  # arm after the value ("45% in the X arm")
    arm = arm_m.group("arm") if arm_m else None
    if arm_m is None:
        a2 = re.search(r"\b(?:in|with|for)\s+(?:the\s+)?(?P<arm>[A-Za-z][\w+/-]*(?:\s+[\w+/-]+){0,2}?)\s+"
                       r"(?:arm|group|cohort)\b", pre)
        arm = a2.group("arm") if a2 else None
    n = _n_after(rest)
    if kind == "%":
        n0 = v.group("n0") or v.group("n1")
        n = int(n0) if n0 else n
    tail = (_enclosing(text, value_end) if pair_in_brackets else None) or _tail(text, value_end)
    hr, ci = _hr_ci(tail)
    p = _p_value(tail)
    out = [OutcomeMatch(endpoint, float(v.group("v")), unit, start, value_end, arm, comparator, n, p, hr, ci,
                        event=_cue_event(text[start:end]), timepoint=_timepoint(m, rest))]
    if comparator is None and kind == "%":
        # "57% in lower-risk MDS, 53% in higher-risk MDS and 50% in CMML": one result per subgroup
        first_arm, more = _series(text, out[0], value_end, end + len(after))
        if first_arm is not None and (out[0].arm is None or first_arm.startswith(out[0].arm)):
            out[0] = replace(out[0], arm=first_arm)
        out += more
    if comparator is not None:
        region_end = end + len(after)
        for c2 in _CONT[kind].finditer(text, value_end, region_end):
            out.append(OutcomeMatch(endpoint, float(c2.group("v")), unit, c2.start("v"), c2.end(),
                                    comparator_value=float(c2.group("c")), p=_p_value(_tail(text, c2.end()))))
    return out


# "41 IC patients (29%) and 20 azacitidine patients (9%) went on to ...": each share's people named by their arm
_NAMED_PEOPLE = re.compile(rf"(?<![\w-])(?!(?:{_COUNT_WORDS})\b)[A-Za-z][\w-]*\s+(?:patients|recipients|participants)\s*\(",
                           re.I)


def _before_cue(text, cue: _Cue, prev_end, skipped_from: int | None = None) -> OutcomeMatch | None:
    """'32 patients (40%) achieved a complete response', '30% obtained complete or partial remission'."""
    start, end, endpoint, kind = cue.start, cue.end, cue.endpoint, cue.kind
    if kind != "%" or endpoint in ("overall_survival_at_years",):
        return None
    head = text[prev_end:start]
    pair = _BEFORE_PAIR.search(head)
    if pair is not None and not _NEG.search(pair.group("fill")) and (
            re.search(r"\brespectively\b", head, re.I) or len(re.findall(r"\b(?:group|arm|cohort)s?\b", head)) >= 1
            or len(_NAMED_PEOPLE.findall(pair.group(0))) >= 2):
        v_start = prev_end + pair.start("v")
        return OutcomeMatch(endpoint, float(pair.group("v")), "%", v_start, end, None, float(pair.group("c")),
                            int(pair.group("n")) if pair.group("n") else None, _p_value(_tail(text, end)), None, None)
    b = _BEFORE.search(head)
    if b is not None and b.group("qual") and (_NEG.search(b.group("qual")) or (
            not b.group("verb") and not _VERB_CUE.match(text, start))):
        b = None  # "29% of patients in CR progressed to AML" (a subgroup's rate) needs a verb, as the cue is one
    if skipped_from is not None and (b is None or not b.group("qual") or prev_end + b.start("qual") > skipped_from):
        return None  # read past an earlier cue only when that cue sits in the subgroup phrase
    if b is None:
        lead = _IN_SHARE.search(head)
        if lead is None:
            shared = _WITH_SHARE.search(head)
            if shared is None or _WITH_SHARE_AFTER.match(text, end) is None:
                return None
            # "including 17 (21%) with a complete response": the count and share of those with the endpoint
            v_start = prev_end + shared.start("v")
            if _DESIGN_BEFORE.search(text[max(0, v_start - 40):v_start]):
                return None
            return OutcomeMatch(endpoint, float(shared.group("v")), "%", v_start, end, p=_p_value(_tail(text, end)),
                                event=_cue_event(text[start:end]))
        if _NEG.search(lead.group("fill")):
            return None
        # "In 24% of the cases the disease developed into AML": the share opens the clause
        group = "v" if lead.group("v") else "v2"
        return OutcomeMatch(endpoint, float(lead.group(group)), "%", prev_end + lead.start(group), end,
                            event=_cue_event(text[start:end]))
    if endpoint == "adverse_event_rate" and not b.group("mods") and not re.search(
            r"\b(?:had|experienced|developed)\b", b.group(0), re.I):
        return None  # "due to hematologic (19%) TEAEs": the share of one kind of event, not the event rate
    if b.group("mods") and (_NEG.search(b.group("mods")) or _NOT_RESULT_MODS.search(b.group("mods"))):
        return None  # "had a history of infection", "had prior ...": a baseline feature
    v_start = prev_end + b.start()
    before = text[:v_start]
    if re.search(r"(?:\d\s*%?\s*-|\bto|[<>≤≥])\s*$", before):
        return None  # a range or a threshold ("0-28% response rates")
    if _DESIGN_BEFORE.search(before[-40:]) or _DESIGN_AFTER.match(text, end):
        return None  # "assuming a 30% response rate", "a 30% response rate was expected": the design, not a result
    n = int(b.group("n")) if b.group("n") else int(b.group("n_b")) if b.group("n_b") else None
    k = re.search(r"(?P<k>\d+)\s*/\s*(?P<n>\d+)\s*\(\s*$", before)
    if k:
        n = int(k.group("n"))
    tail = _tail(text, end)
    # "76% of those with secondary AML reached CR": the share of a subgroup names it
    qual = re.sub(r"^(?:in|with|on|after)\s+(?:an?\s+|the\s+)?", "", (b.group("qual") or "").strip(), flags=re.I)
    return OutcomeMatch(endpoint, float(b.group("v")), "%", v_start, end, _group_name(qual) if qual else None, None, n,
                        _p_value(tail), None, None, event=_cue_event(text[start:end]))


def _timepoint(cue: re.Match, rest: str) -> str | None:
    """'2-year OS ...' or '... at 3 years': the time point of a survival rate; 'N-week mortality' likewise."""
    found = cue.groupdict()
    if found.get("yrs"):
        n = _WORD_NUMBERS.get(found["yrs"].lower(), found["yrs"])
        return f"{n} year" + ("" if str(n) == "1" else "s")
    if found.get("wks"):
        return f"{found['wks']} weeks"
    if found.get("mos"):
        return f"{found['mos']} months"
    at = re.match(r"\s*(?:\([^()]*\)\s*)?at\s+(?P<n>\d+)\s+(?P<u>years?|months?|weeks?|days?)\b", rest, re.I)
    return f"{at.group('n')} {at.group('u').lower()}" if at else None


def _cue_event(cue_text: str) -> str | None:
    """The event of an adverse-event or death row whose cue names it (GVHD, non-relapse mortality)."""
    if re.search(r"graft|GVHD", cue_text, re.I):
        kind = "chronic" if re.search(r"chronic", cue_text, re.I) else "acute"
        severe = re.search(r"severe|III|3\s*[-–/]\s*4", cue_text, re.I)
        return f"{kind} GVHD" + (" grade III-IV" if severe and kind == "acute" else "")
    if re.search(r"non-?\s?relapse|NRM", cue_text, re.I):
        return "non-relapse mortality"
    if re.search(r"transplant\w*[\s-]+related\s+mortality|\bTRM\b", cue_text, re.I):
        return "transplant-related mortality"  # not "underwent stem cell transplantation" (an hsct_rate cue)
    lineage = re.match(r"(non-?)?ha?ematologic(?:al)?\s+(side\s+effects?|toxicit(?:y|ies)|adverse\s+events?)",
                       cue_text, re.I)
    if lineage:
        return ("non-haematological " if lineage.group(1) else "haematological ") + lineage.group(2).lower()
    if re.match(r"treatment\s+(?:interruption|delay)", cue_text, re.I):
        return "treatment interruption or delay"
    return None


# ---- survival at several time points ----------------------------------------------------------------------------

_YEAR = r"(?:\d+|one|two|three|four|five)"
_YEAR_LIST = re.compile(
    rf"(?P<years>{_YEAR}(?:[\s-]*years?)?[\s-]*(?:(?:,\s*(?:and\s+)?|\s+and\s+){_YEAR}(?:[\s-]*years?)?[\s-]*)+)"
    rf"[\s-]*years?\s+(?:overall\s+)?(?:survival|OS)(?:\s+(?:rates?|estimates?|probabilit(?:y|ies)))?", re.I)
_RATE = rf"(?P<v>{NUM})\s?%(?:\s*\((?:[^()\[\]]|\[[^\[\]]*\]){{0,80}}\)|\s*\[[^\[\]]{{0,60}}\])?"
_RATE_RX = re.compile(_RATE)
_RATE_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)", re.I)
_GROUP_HEAD = re.compile(r"\s*(?:(?:,\s*)?(?:and\s+)?(?:for|in|among)\s+(?P<arm>(?:[^,;%\d]|(?<=[A-Za-z]-)\d){1,60}?)\s+)?"
                         r"(?:(?:were|was|of)\s+)?(?=\d)", re.I)


def _rates(text: str, pos: int, k: int) -> tuple[list[tuple[float, int, int]], int] | None:
    """k percentages from `pos` ('61% (CI 52-72), 48% (...) and 44%') with their spans, or None when there are
    not k of them."""
    values: list[tuple[float, int, int]] = []
    while len(values) < k:
        r = _RATE_RX.match(text, pos)
        if r is None:
            return None
        values.append((float(r.group("v")), r.start("v"), r.end("v")))
        pos = r.end()
        if len(values) < k:
            sep = _RATE_SEP.match(text, pos)
            if sep is None:
                return None
            pos = sep.end()
    return values, pos


def _year_lists(text: str) -> tuple[list[OutcomeMatch], tuple[int, int]]:
    """'1-, 2- and 3-year survival rates were 70%, 50% and 40%' (one rate per time point), and the same list for a
    second group ('..., and for B were 38%, 32% and 19%') as comparator values."""
    m = _YEAR_LIST.search(text)
    if m is None:
        return [], (0, 0)
    years = [_WORD_NUMBERS.get(y.lower(), y) for y in re.findall(_YEAR, m.group("years"), re.I)]
    head = _GROUP_HEAD.match(text, m.end())
    if head is None or len(years) < 2:
        return [], (0, 0)
    first = _rates(text, head.end(), len(years))
    if first is None:
        return [], (0, 0)
    values, pos = first
    arm = head.group("arm").strip() if head.group("arm") else None
    comparators: list[float | None] = [None] * len(years)
    second_head = _GROUP_HEAD.match(text, pos)
    if second_head is not None and second_head.group("arm"):
        second = _rates(text, second_head.end(), len(years))
        if second is not None:
            comparators = [v for v, _, _ in second[0]]
            pos = second[1]
    out = [OutcomeMatch("overall_survival_at_years", v, "%", start, end, arm=arm, comparator_value=c,
                        timepoint=f"{y} year" + ("" if str(y) == "1" else "s"))
           for y, (v, start, end), c in zip(years, values, comparators, strict=True)]
    return out, (m.start(), pos)


# ---- lists with "respectively" --------------------------------------------------------------------------------

_LIST_SEP = re.compile(r"^\s*(?:rates?\s*)?(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*)(?:the\s+)?$", re.I)
_VAL_ITEM = re.compile(rf"(?P<v>{NUM})\s?(?P<u>%|{_TU})?(?:\s*(?:vs\.?|versus|v)\s*(?P<c>{NUM})\s?(?:%|{_TU})?)?",
                       re.I)
_VAL_SEP = re.compile(r"(?:\s*\((?:[^()]|\([^()]*\))*\))?\s*(?:,\s*(?:and\s+)?|and\s+)", re.I)


def _lists(text: str, cues: list[_Cue]) -> tuple[list[OutcomeMatch], set[int]]:
    """'CR and PR rates were 20% and 12%, respectively', 'median EFS and OS were 17 and 19 months, respectively',
    'HI-E, HI-N and HI-P in 51%, 36% and 48%, respectively', 'grade 3-4 anaemia and neutropenia were 13% vs 4% and
    61% vs 17%, respectively': k names, then k values (or k pairs), one outcome each."""
    if not re.search(r"\brespectively\b", text, re.I):
        return [], set()
    # items: (start, end, endpoint, kind, event, cue index or None, needs a median head)
    items = [(c.start, c.end, c.endpoint, c.kind, None, i, False) for i, c in enumerate(cues) if c.mode == ""]
    taken = [(c.start, c.end) for c in cues]

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    hi_heads = [i for i, c in enumerate(cues) if c.endpoint == "hematologic_improvement_rate"]
    if hi_heads:
        for m in _LINEAGE.finditer(text, cues[hi_heads[0]].end):
            inner = [i for i, c in enumerate(cues) if m.start() <= c.start and c.end <= m.end()]
            if not free(m.start(), m.end()) and not (
                    inner and all(cues[i].endpoint == "hematologic_improvement_rate" for i in inner)
                    and free(m.start(), cues[inner[0]].start) and free(cues[inner[-1]].end, m.end())):
                continue
            items = [it for it in items if it[5] not in inner]
            items.append((m.start(), m.end(), "hematologic_improvement_rate", "%", None, tuple(inner) or None,
                          False))
    for m in _SURVIVAL_NAME.finditer(text):
        if m.lastgroup in _SURVIVAL_ENDPOINT and free(m.start(), m.end()):
            items.append((m.start(), m.end(), _SURVIVAL_ENDPOINT[m.lastgroup], "time", None, None, True))
    g = _GRADE3.search(text)
    if g is not None:
        items += [(m.start(), m.end(), "grade3plus_adverse_event_rate", "%", _AE_EVENTS[m.group(0).lower()], None,
                   False) for m in _AE_WORD.finditer(text, g.end()) if free(m.start(), m.end())]
    items.sort()
    groups: list[list[tuple]] = []
    for it in items:
        if groups and _LIST_SEP.match(text[groups[-1][-1][1]:it[0]]):
            groups[-1].append(it)
        else:
            groups.append([it])
    out: list[OutcomeMatch] = []
    consumed: set[int] = set()
    for group in groups:
        if len(group) < 2 or len({it[3] for it in group}) != 1:
            continue
        if group[0][6] or (any(it[6] for it in group) and not group[0][2].startswith("median_")):
            continue  # a bare "OS" is a median only after "median EFS and ..."
        kind = group[0][3]
        last_end = group[-1][1]
        fill = re.match(r"[^\d;]{0,60}?(?=\d)", text[last_end:])
        if fill is None or _NEG.search(fill.group(0)) or any(last_end < c.start < last_end + fill.end() for c in cues):
            continue
        values, pos = [], last_end + fill.end()
        while True:
            vm = _VAL_ITEM.match(text, pos)
            if vm is None:
                break
            values.append(vm)
            sep = _VAL_SEP.match(text, vm.end())
            if sep is None or not re.match(r"\d", text[sep.end():sep.end() + 1]):
                break
            pos = sep.end()
        if len(values) != len(group) or not re.match(r"[^;]{0,60}?\brespectively\b", text[values[-1].end():]):
            continue
        unit_word = values[-1].group("u")
        if unit_word is None or (unit_word == "%") != (kind == "%"):
            continue
        unit = "%" if kind == "%" else _unit(unit_word)
        p = _p_value(_tail(text, values[-1].end()))
        for it, vm in zip(group, values, strict=False):  # a list may name more items than values
            out.append(OutcomeMatch(it[2], float(vm.group("v")), unit, it[0], vm.end(),
                                    comparator_value=float(vm.group("c")) if vm.group("c") else None,
                                    p=p if len(values) == 1 else None, event=it[4]))
            if isinstance(it[5], tuple):
                consumed.update(it[5])
            elif it[5] is not None:
                consumed.add(it[5])
        if group[0][2] == "hematologic_improvement_rate" and not isinstance(group[0][5], int):
            consumed.update(i for i in hi_heads if cues[i].end <= group[0][0])
    return out, consumed


#: "febrile neutropenia occurred in 12 patients (15%)", "pneumonia developed in 9%": one named adverse event and its
#: share, with no grade in the sentence (a grade is read by _grade3_events); infections are read as infection_rate
_AE_PLAIN = re.compile(rf"(?<![\w-])(?P<ev>{_AE_ALT})\s+(?:(?:was|were)\s+)?(?:occurred|developed|observed|seen|reported|"
                       rf"noted|recorded)\s+(?:in|by)\s+(?:(?P<k>{_COUNT})\s+(?:of\s+(?:the\s+)?(?P<n>\d+)\s+)?(?:{_PEOPLE}\s*)?"
                       rf"\(\s*(?P<v>{NUM})\s?%\s*\)|(?P<v2>{NUM})\s?%(?:\s+of\s+(?:the\s+|all\s+)?{_PEOPLE})?)"
                       rf"(?!\s*(?:vs\.?|versus|and\s+\d|of\s+(?:cycles|courses)))", re.I)
_AE_PLAIN_CONTEXT = re.compile(r"\b(?:baseline|history|prior|previous\w*|pre-?existing|before\s+(?:treatment|therapy|"
                               r"enrol\w*|study))\b", re.I)


_AE_PLAIN_HINT = re.compile(r"\b(?:occurred|developed|observed|seen|reported|noted|recorded)\s+(?:in|by)\b", re.I)


def _plain_events(text: str) -> list[OutcomeMatch]:
    """An ungraded event read only before any grade in the sentence: "rash occurred in 12% and grade 3-4 infections in
    4%" gives rash 12% (the graded part is read by _grade3_events); an event after a grade is left to that reader."""
    if _AE_PLAIN_HINT.search(text) is None or _AE_PLAIN_CONTEXT.search(text):
        return []
    first_grade = _GRADE3.search(text)
    out = []
    for m in _AE_PLAIN.finditer(text):
        event = _AE_EVENTS[m.group("ev").lower()]
        if event == "infection" or _NEG.search(text, max(0, m.start() - 30), m.start()):
            continue
        if first_grade is not None and first_grade.start() < m.end():
            continue
        v = m.group("v") or m.group("v2")
        out.append(OutcomeMatch("adverse_event_rate", float(v), "%", m.start(), m.end(),
                                n=int(m.group("n")) if m.group("n") else None, event=event))
    return out


_GRADE3_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|whereas|while|but)\s+|\s+(?:whereas|while)\s+", re.I)
_OWN_VERB = re.compile(r"\b(?:occurred|developed|had|has|have|experienced|(?:was|were)\s+(?:reported|observed|seen|noted"
                       r"|recorded))\b", re.I)
_REFERS_BACK = re.compile(r"\b(?:most\s+(?:frequent|common)\w*|commonest|included|including|mainly|mostly)\b", re.I)


def _in_grade_scope(text: str, grade_end: int, start: int, end: int) -> bool:
    """Whether a grade named before (ending at grade_end) reaches the event at text[start:end]: always within its
    clause; in a later clause only when that clause has no verb of its own ("..., and thrombocytopenia in 20%") or
    refers back ("; the most frequent were ..."). "..., and 4 patients had a venous thromboembolism (6%)" is not
    graded, and neither is "..., and transaminase rises occurred in 8%"."""
    breaks = list(_GRADE3_CLAUSE_BREAK.finditer(text, grade_end, start))
    if not breaks:
        return True
    clause = text[breaks[-1].end():end]
    return _GRADE3.search(clause) is not None or _REFERS_BACK.search(clause) is not None \
        or _OWN_VERB.search(clause) is None


# "Febrile neutropenia of grade 3 or worse occurred in 39% and 24% of patients", "Hypertension of grade 3 or higher
# developed in 4%", "Adverse events of grade 3 or higher, including colitis, occurred in 5 patients (19%)": the grade
# written after the event's name
_GRADE_AFTER = Prefiltered(re.compile(
    rf"(?<![\w-])(?P<ev>{_AE_ALT}|(?:[\w-]+\s+)?adverse\s+events)\s+of\s+(?P<g>{_GRADE3.pattern})"
    rf"(?:\s*,\s*(?:including|mainly|mostly)\s+[^,;()%\d]{{1,60}},)?\s+(?:occurred|developed|(?:was|were)\s+(?:seen|reported"
    rf"|observed|noted))\s+in\s+(?:(?P<k>{_COUNT})\s+(?:{_PEOPLE}\s*)?\(\s*(?P<v>{NUM})\s?%\s*\)|(?P<v2>{NUM})\s?%)"
    rf"(?:\s*(?:and|vs\.?|versus)\s+(?P<c>{NUM})\s?%)?", re.I))


def _events_graded_after(text: str) -> list[OutcomeMatch]:
    out = []
    for m in _GRADE_AFTER.finditer(text):
        event = _AE_EVENTS.get(m.group("ev").lower(), m.group("ev").lower())
        out.append(OutcomeMatch("grade3plus_adverse_event_rate", float(m.group("v") or m.group("v2")), "%",
                                m.start(), m.end(), comparator_value=float(m.group("c")) if m.group("c") else None,
                                event=event))
    return out


# "Clinically significant bleeding was less frequent with the drug (14% vs 42%)", "renal adverse events, mostly rises
# in creatinine, were more common with X (23% vs 9%)", "infections were similar (21% vs 18%)": an event's rate in two
# arms after a comparison word. A grade in the event's own clause makes it a grade 3+ rate.
_COMPARED_EVENT = Prefiltered(re.compile(
    rf"(?<![\w-])(?P<ev>(?:clinically\s+significant\s+|severe\s+|serious\s+)?(?:{_AE_ALT})|(?:[\w-]+\s+)?adverse\s+events)"
    rf"(?:\s*,\s*(?:mostly|mainly|chiefly|including)\s+[^,;()%\d]{{1,60}},)?\s+(?:was|were)\s+(?:(?:more|less)\s+"
    rf"(?:frequent|common)|similar|comparable)(?:\s+(?:with|in|on|for|after|between)\s+[^()%;\d]{{1,50}}?)?\s*\(\s*"
    rf"(?P<v>{NUM})\s?%\s*(?:vs\.?|versus)\s*(?P<c>{NUM})\s?%\s*[;,)]", re.I))


def _compared_events(text: str) -> list[OutcomeMatch]:
    out = []
    for m in _COMPARED_EVENT.finditer(text):
        name = m.group("ev").lower()
        if _AE_PLAIN_CONTEXT.search(text, max(0, m.start() - 30), m.end()) or _NEG.search(text, max(0, m.start() - 25),
                                                                                          m.start()):
            continue  # "a history of bleeding was more common in ...": a baseline feature
        clause_start = max([0] + [b.end() for b in _GRADE3_CLAUSE_BREAK.finditer(text, 0, m.start())])
        graded = _GRADE3.search(text, clause_start, m.end()) is not None
        base = re.sub(r"^(?:clinically\s+significant|severe|serious)\s+", "", name)
        event = _AE_EVENTS.get(base, base)
        if name.startswith("serious") and "adverse" in name:
            continue  # serious adverse events have their own endpoint, read elsewhere
        endpoint = ("grade3plus_adverse_event_rate" if graded else
                    "infection_rate" if event == "infection" else "adverse_event_rate")
        out.append(OutcomeMatch(endpoint, float(m.group("v")), "%", m.start(), m.end(),
                                comparator_value=float(m.group("c")), event=name))
    return out


def _grade3_events(text: str) -> list[OutcomeMatch]:
    """'grade 3-4 adverse events included neutropenia (20%) and anaemia (15%)'."""
    g = _GRADE3.search(text)
    if g is None:
        return []
    out = []
    seen = set()
    for m in list(_AE_RX.finditer(text, g.end())) or list(_AE_IN.finditer(text, g.end())):
        event = _AE_EVENTS[m.group("ev").lower()]
        if event in seen:
            return []  # the same event twice: two arms or two grades, ambiguous
        seen.add(event)
        n = int(m.group("n")) if m.group("n") else None
        comp = re.match(rf"\s*(?:vs\.?|versus)\s+(?:\w+\s*\[)?(?P<c>{NUM})\s?%", text[m.end():])
        graded = _in_grade_scope(text, g.end(), m.start(), m.end())
        out.append(OutcomeMatch("grade3plus_adverse_event_rate" if graded else "adverse_event_rate",
                                float(m.group("v")), "%", m.start(), m.end(),
                                comparator_value=float(comp.group("c")) if comp else None, n=n, event=event))
    bracketed = [] if _AE_PLAIN_CONTEXT.search(text) else list(_AE_GRADE_BRACKET.finditer(text))  # not at baseline
    for m in [*_AE_BEFORE.finditer(text), *_AE_PCT_GRADE.finditer(text), *bracketed]:
        event = _AE_EVENTS[m.group("ev").lower()]
        if event not in seen:
            seen.add(event)
            out.append(OutcomeMatch("grade3plus_adverse_event_rate", float(m.group("v")), "%", m.start(), m.end(),
                                    event=event))
    return out


# ---- session 10, E3: shares written with their count, adverse events with their severe share, elliptic survivals ----

_COUNT_VALUES = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                              "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_COUNT_VALUES.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                      "eighty": 80, "ninety": 90})


def _count_value(word: str) -> int | None:
    """12 -> 12, 'seven' -> 7, 'twenty-three' -> 23; None for a word it does not know."""
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    total = 0
    for part in re.split(r"[\s-]+", word):
        if part not in _COUNT_VALUES:
            return None
        total += _COUNT_VALUES[part]
    return total


def _share_fits(k: str | None, n: str | None, value: float) -> bool:
    """A printed share agrees with its printed count: k of n is value% (within rounding). Unknown counts fit."""
    if k is None or n is None:
        return True
    kk, nn = _count_value(k), _count_value(n)
    if kk is None or nn is None or nn == 0 or kk > nn:
        return False
    return abs(100.0 * kk / nn - value) <= 1.0


# "CR was reached by five of 20 patients with MDS (25%) and by eight of 24 with CMML (33%)", "responses were seen in
# 9 of 27 (33%) patients with CMML": after the endpoint and a verb of observation, one share per group, each with the
# count it was computed from (the share must agree with k of n, which keeps doses, ages and times out).
_OBSERVED = re.compile(r"^\s*(?:rates?\s+)?(?:(?:was|were|has\s+been|have\s+been)\s+(?:(?:also|then)\s+)?(?:achieved|observed|"
                       r"seen|obtained|noted|documented|reported|recorded|attained|reached)|occurred)\s+", re.I)
_GROUP_PHRASE = r"(?P<NAME>(?:with|in|having)\s+(?:the\s+|an?\s+)?[A-Za-z](?:[^,;()%\d.]|(?<=[A-Za-z-])\d){0,45}?)"
_ABBR_BRACKET = r"(?:\s*\([A-Za-z][\w/-]{0,9}\))?"
_GROUP_STOP = r"(?=\s*[,;.)]|\s*$|\s+(?:and|or|whereas|while|but)\b)"
_COUNT_SHARE_ITEM = re.compile(
    rf"(?:in\s+)?(?:(?P<k>{_COUNT})\s+(?:of|out\s+of)\s+(?:the\s+|all\s+)?|(?P<ks>\d+)\s*/\s*)(?P<n>\d+)"
    rf"(?:\s*\(\s*(?P<v>{NUM})\s?%\s*\)(?:\s+(?:evaluable\s+)?{_PEOPLE})?(?:\s+{_GROUP_PHRASE.replace('NAME', 'arm')}{_ABBR_BRACKET}{_GROUP_STOP})?"
    rf"|(?:\s+(?:evaluable\s+)?{_PEOPLE})?(?:\s+{_GROUP_PHRASE.replace('NAME', 'arm2')}{_ABBR_BRACKET})?\s*\(\s*(?P<v2>{NUM})\s?%\s*\))", re.I)
_COUNT_SHARE_SEP = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*", re.I)
#: "Eighteen patients (42%) had a response, including 12 of 17 (70%) patients with CMML": a subgroup's share
_INCLUDING = re.compile(r"\s*,?\s*(?:including|of\s+whom|among\s+them|among\s+whom)\s+", re.I)


def _count_share_items(text: str, position: int, limit: int, need_group: bool) -> list[OutcomeMatch]:
    out: list[OutcomeMatch] = []
    while (m := _COUNT_SHARE_ITEM.match(text, position, limit)) is not None:
        v = "v" if m.group("v") else "v2"
        raw = m.group("arm") or m.group("arm2")
        arm = _group_name(re.sub(r"^(?:with|in|having)\s+", "", raw, flags=re.I)) if raw else None
        if raw and (arm is None or _GROUP_NEG.search(raw)):
            break
        if (need_group and arm is None) or not _share_fits(m.group("k") or m.group("ks"), m.group("n"),
                                                           float(m.group(v))):
            break
        out.append(OutcomeMatch("", float(m.group(v)), "%", m.start(v), m.end(v), arm=arm, n=int(m.group("n"))))
        sep = _COUNT_SHARE_SEP.match(text, m.end(), limit)
        if sep is None:
            break
        position = sep.end()
    return out


def _observed_counts(text: str, cue: _Cue, after: str) -> list[OutcomeMatch] | None:
    head = _OBSERVED.match(after)
    if head is None or cue.kind != "%":
        return None
    items = _count_share_items(text, cue.end + head.end(), cue.end + len(after), need_group=False)
    if not items or (len(items) > 1 and not all(i.arm for i in items)):
        return None
    event = _cue_event(text[cue.start:cue.end])
    return [replace(i, endpoint=cue.endpoint, start=cue.start if k == 0 else i.start, event=event)
            for k, i in enumerate(items)]


_PAST_VALUE = re.compile(r"[\s%)\]]*(?:\([^()]{0,30}\))?")


def _included_subgroups(text: str, cue: _Cue, position: int, limit: int) -> list[OutcomeMatch]:
    """After the endpoint's value (or its cue, whichever ends later)."""
    position = _PAST_VALUE.match(text, position).end()  # "30% (12/40), including ...": past the value's bracket
    inc = _INCLUDING.match(text, position, max(limit, position))
    if inc is None or cue.kind != "%":
        return []
    return [replace(i, endpoint=cue.endpoint) for i in _count_share_items(text, inc.end(), limit, need_group=True)]


# "mucositis in 64% of patients (severe in 19%)", "diarrhoea in 38% (severe [grade 3-4] 17%)", "nausea (28%; grade 3-4,
# 5%)": an adverse event's rate and, in a bracket of its own, the share in which it was severe. The bracket qualifies
# that one event only: it is hidden from the other readers (a grade named inside it does not make the next events
# of the list grade 3 or higher).
_SEVERE_WORDS = (r"(?:severe|grade\s*(?:3\s*(?:[-/]|or|to)\s*4|III\s*[-/]\s*IV|≥\s*3|>=\s*3|3\s+or\s+(?:higher|more|above)))"
                 r"(?:\s*[(\[][^()\[\]%]{1,20}[)\]])?\s*[,:]?\s*(?:in\s+)?")
_SEVERE_BRACKET = re.compile(rf"\s*[(\[]\s*{_SEVERE_WORDS}(?:(?P<sk>{_COUNT})\s+(?:{_PEOPLE}\s*)?\(\s*)?(?P<s>{NUM})\s?%"
                             rf"\s*\)?\s*[)\]]", re.I)
_AE_SEVERITY = re.compile(
    rf"(?<![\w-])(?P<ev>{_AE_ALT})(?:\s*\((?:any\s+grade|all\s+grades)\))?\s+(?:(?:was|were)\s+)?"
    rf"(?:(?:occurred|observed|seen|reported|noted|developed)\s+)?"
    rf"in\s+(?:(?P<k>{_COUNT})\s+(?:{_PEOPLE}\s*)?\(\s*)?(?P<v>{NUM})\s?%\s*\)?(?:\s+of\s+(?:the\s+|all\s+)?{_PEOPLE})?"
    rf"(?=(?P<br>{_SEVERE_BRACKET.pattern}))"
    rf"|(?<![\w-])(?P<ev2>{_AE_ALT})\s*\(\s*(?P<v2>{NUM})\s?%\s*[,;]\s*{_SEVERE_WORDS}(?P<s2>{NUM})\s?%\s*\)", re.I)


def _severity_events(text: str) -> tuple[list[OutcomeMatch], list[tuple[int, int]], list[int]]:
    """The rows of events with a severe share, the spans of the severity brackets, and where the rates start."""
    out: list[OutcomeMatch] = []
    spans: list[tuple[int, int]] = []
    owned: list[int] = []
    for m in _AE_SEVERITY.finditer(text):
        if _NEG.search(text, max(0, m.start() - 30), m.start()) or _AE_PLAIN_CONTEXT.search(
                text, max(0, m.start() - 60), m.start()):
            continue
        if m.group("ev"):
            event, v, v_span = _AE_EVENTS[m.group("ev").lower()], float(m.group("v")), m.span("v")
            br = _SEVERE_BRACKET.match(text, m.end())
            if br is None:
                continue
            s, s_span, spans_end = float(br.group("s")), br.span("s"), br.end()
            spans.append((m.end(), br.end()))
        else:
            event, v, v_span = _AE_EVENTS[m.group("ev2").lower()], float(m.group("v2")), m.span("v2")
            s, s_span, spans_end = float(m.group("s2")), m.span("s2"), m.end()
            spans.append((m.end("v2"), m.end()))
        if s > v:
            continue  # the severe share is part of the whole: anything else is not this pattern
        endpoint = "infection_rate" if event == "infection" else "adverse_event_rate"
        owned.append(v_span[0])
        out.append(OutcomeMatch(endpoint, v, "%", m.start(), v_span[1], event=event))
        out.append(OutcomeMatch("grade3plus_adverse_event_rate", s, "%", s_span[0], spans_end, event=event))
    return out, spans, owned


# "median overall and leukaemia-free survival were 27.4 and 21.9 months, respectively": two survival names
# sharing the head noun
_SURVIVAL_KIND = (r"overall|event[\s-]free|progression[\s-]free|leuka?emia[\s-]free|AML[\s-]free|transformation[\s-]free|"
                  r"relapse[\s-]free|disease[\s-]free")
_ELLIPTIC_SURVIVAL = re.compile(
    rf"\bmedian\s+(?P<a>{_SURVIVAL_KIND})\s+and\s+(?P<b>{_SURVIVAL_KIND})\s+survivals?(?:\s+times?)?\s*"
    rf"(?:\([^()]*\)\s*)?(?:were|was|of)\s+(?P<v>{NUM})(?:\s*{_BRACKET})?(?:\s*(?P<u1>{_TU}))?(?:\s*{_BRACKET})?"
    rf"\s*,?\s*and\s+(?P<c>{NUM})(?:\s*{_BRACKET})?\s*(?P<u>{_TU})(?:\s*{_BRACKET})?\s*,?\s*respectively\b", re.I)


def _survival_kind(word: str) -> str:
    word = word.lower()
    return ("median_overall_survival" if word == "overall" else
            "median_progression_free_survival" if word.startswith("progression") else "median_event_free_survival")


def _elliptic_survival(text: str) -> tuple[list[OutcomeMatch], list[tuple[int, int]]]:
    """The two rows, and the spans no other reader may read (also when the pair is rejected: mixed units)."""
    out: list[OutcomeMatch] = []
    spans: list[tuple[int, int]] = []
    for m in _ELLIPTIC_SURVIVAL.finditer(text):
        spans.append(m.span())
        a, b = _survival_kind(m.group("a")), _survival_kind(m.group("b"))
        if a == b or (m.group("u1") and _unit(m.group("u1")) != _unit(m.group("u"))):
            continue
        unit = _unit(m.group("u"))
        out += [OutcomeMatch(a, float(m.group("v")), unit, m.start(), m.end("v")),
                OutcomeMatch(b, float(m.group("c")), unit, m.start("c"), m.end("c"))]
    return out, spans


# "five toxic deaths (17%)", "3 treatment-related deaths (6%)": deaths counted with their share of the patients
_DEATHS = re.compile(rf"(?<![\w-])(?P<k>{_COUNT})\s+(?P<kind>(?:(?:toxic|treatment[\s-]related|drug[\s-]related|"
                     rf"therapy[\s-]related|early|induction|infectious|septic)\s+)?)deaths?\s*\(\s*(?P<v>{NUM})\s?%\s*\)"
                     rf"(?!\s*(?:were|was)\s+(?:due|caused|attributed|related))", re.I)


def _death_counts(text: str) -> list[OutcomeMatch]:
    out = []
    for m in _DEATHS.finditer(text):
        if re.search(r"\b(?:of|among)\s+(?:the\s+)?$", text[max(0, m.start() - 12):m.start()], re.I) or _NEG.search(
                text, max(0, m.start() - 25), m.start()):
            continue
        kind = m.group("kind").strip().lower()
        out.append(OutcomeMatch("death_rate", float(m.group("v")), "%", m.start(), m.end(),
                                event=f"{kind} death" if kind else None))
    return out


# "Patients who reached CR had a better outcome than the others in terms of OS (19.8 months (CI) vs. 4.2 (CI), p =
# 0.01)", "OS was longer in A than in B (24 vs. 14 months; p = 0.02)": a survival compared in words, its two times in
# the bracket that follows. The times are the medians of the two groups (a survival written as a time is its median).
_PAIR_BRACKET = re.compile(rf"\(\s*(?P<v>{NUM})\s*(?P<u1>{_TU})?\s*(?:{_BRACKET}\s*)?,?\s*(?:vs\.?|versus|v)\s+"
                           rf"(?P<c>{NUM})\s*(?P<u2>{_TU})?\s*(?:{_BRACKET}\s*)?(?:[,;][^()]*(?:{_BRACKET}[^()]*)*)?\)",
                           re.I)
_COMPARED_WORD = re.compile(r"\b(?:longer|shorter|better|worse|superior|inferior|improved|prolonged|reduced|"
                            r"similar|comparable|differ(?:ed|ent)?)\b", re.I)
_SUBJECT = re.compile(r"^\s*(?P<a>[A-Z][^,;()%\d]{3,80}?)\s+(?:had|showed|experienced|enjoyed)\b")
#: "than those who did not": the comparator group, not a negation of the result
_WHO_DID_NOT = re.compile(r"\b(?:who|that)\s+(?:did|do|were|was|had|have)\s+not\b", re.I)
_IN_GROUP_THAN = re.compile(r"\b(?:in|for|among)\s+(?:the\s+)?(?P<a>[A-Za-z][^,;()%\d]{1,60}?)\s+(?:than|compared|vs\.?|"
                            r"versus)\b", re.I)


def _compared_in_brackets(text: str, claims: list[OutcomeMatch]) -> list[OutcomeMatch]:
    out: list[OutcomeMatch] = []
    for m in _PAIR_BRACKET.finditer(text):
        u1, u2 = m.group("u1"), m.group("u2")
        if not (u1 or u2) or (u1 and u2 and _unit(u1) != _unit(u2)):
            continue
        if any(c.start <= m.start("v") < c.end or c.value == float(m.group("v")) for c in claims):
            continue  # read already, with its cue
        clause_start = max(text.rfind(";", 0, m.start()), text.rfind(". ", 0, m.start())) + 1
        before = text[clause_start:m.start()]
        names = list(_SURVIVAL_NAME.finditer(before))
        if not names or not _COMPARED_WORD.search(before) or re.search(r"\d", before[names[-1].end():]):
            continue  # no survival named, no comparison, or another number between the name and the bracket
        kind = names[-1].lastgroup
        endpoint = _SURVIVAL_ENDPOINT.get(kind or "", "median_event_free_survival")
        if _NEG.search(_WHO_DID_NOT.sub(" ", before)) or _MEAN_OR_FOLLOW_UP.search(before):
            continue
        arm = None
        subject = _SUBJECT.match(before)
        if subject is not None and not _GROUP_NEG.search(subject.group("a")):
            arm = subject.group("a")[0].lower() + subject.group("a")[1:]  # "patients who reached CR"
        elif (group := _IN_GROUP_THAN.search(before)) is not None:
            arm = _group_name(group.group("a"))
        tail = m.group(0)
        hr, ci = _hr_ci(tail)
        out.append(OutcomeMatch(endpoint, float(m.group("v")), _unit(u1 or u2), clause_start + names[-1].start(),
                                m.end("c"), arm=arm, comparator_value=float(m.group("c")), p=_p_value(tail), hr=hr,
                                ci=ci))
    return out


# ---- hazard ratios without medians ----------------------------------------------------------------------------

_SURV_WORD = re.compile(r"\b(?:(?i:overall\s+survival|survival|death|mortality|died)|OS)\b")
_NOT_OS = re.compile(r"(?i:(?:progression|event|relapse|leuka?emia|disease|failure|metastasis)[\s-]+free|"
                     r"\btime\s+to\b|\bcumulative\s+incidence\b|\bodds\b)|\b(?:PFS|EFS|RFS|LFS|DFS|TTP)\b")
# "response" only keeps an HR from being read when it is the last event named before the HR (_HR_OF in _hr_only)


_HR_OF = re.compile(r"\b(?:survival|OS|death|mortality|relapse|progression|AML|leuka?emi\w*|responses?|remission"
                    r"|transformation|EFS|PFS|RFS|infections?|GVHD)\b", re.I)


def _hr_only(text: str, claims: list[OutcomeMatch]) -> list[OutcomeMatch]:
    """'longer OS (HR 0.55; 95% CI 0.33-0.91; p = 0.03)': an overall-survival hazard ratio in a sentence that
    gives no median, kept apart from HRs already read with a median."""
    if any(c.unit in ("months", "years", "weeks") for c in claims):
        return []
    if not _SURV_WORD.search(text) or _NOT_OS.search(text):
        return []
    attached = {c.hr for c in claims if c.hr is not None}
    out = []
    for m in _HR_RX.finditer(text):
        hr = float(m.group("hr"))
        if hr in attached or not 0.01 < hr < 50:
            continue
        named = list(_HR_OF.finditer(text, max(0, m.start() - 50), m.start()))
        if named and not re.match(r"surviv|OS\b|death|mortality", named[-1].group(), re.I):
            continue  # "nor with relapse (HR 1.10)": the hazard of another event, not of death
        _, ci = _hr_ci(text[m.start():m.start() + 120])
        context = _enclosing(text, m.start()) or _tail(text, m.end())
        if ci is None and _P_RX.search(context) is None:
            continue  # a bare "hazard ratio 2.9" in a list of factors: not a reported result
        out.append(OutcomeMatch("overall_survival_hazard_ratio", hr, "HR", m.start(), m.end(), hr=hr, ci=ci,
                                p=_p_value(context)))
    return out


def _enclosing(text: str, pos: int) -> str | None:
    """The bracketed stretch around `pos` ('(P = .006; hazard ratio, 0.74)'), or None outside brackets."""
    depth = 0
    for i in range(pos - 1, max(pos - 80, 0) - 1, -1):
        if text[i] in ")]":
            depth += 1
        elif text[i] in "([":
            if depth == 0:
                inner = 0
                for j in range(i, min(len(text), i + 200)):
                    inner += 1 if text[j] in "([" else -1 if text[j] in ")]" else 0
                    if inner == 0:
                        return text[i:j + 1]
                return text[i:i + 200]
            depth -= 1
    return None


def _resolve(claims: list[OutcomeMatch]) -> list[OutcomeMatch]:
    """One reading per number: a value span claimed by two endpoints is dropped."""
    by_value: dict[tuple[int, int], list[OutcomeMatch]] = {}
    for c in claims:
        by_value.setdefault((c.start, c.end), []).append(c)
    out = []
    for group in by_value.values():
        if len({c.endpoint for c in group}) == 1:
            out.append(group[0])
    # the same number read twice is one result; the same value for two named groups ("75% for MDS, 60% for AML
    # and 75% for CMML") is two, and a reading that names its group wins over one that does not
    by_key: dict[tuple, list[OutcomeMatch]] = {}
    for c in sorted(out, key=lambda c: c.start):
        kept = by_key.setdefault((c.endpoint, c.value, c.comparator_value, c.event), [])
        if not kept:
            kept.append(c)
        elif c.arm is not None and all(k.arm is None for k in kept):
            kept[:] = [c]
        elif c.arm is not None and all(k.arm is not None and k.arm.lower() != c.arm.lower() for k in kept):
            kept.append(c)
    return sorted((c for kept in by_key.values() for c in kept), key=lambda c: c.start)


def _unit(u: str) -> str:
    u = u.lower()
    return ("months" if u.startswith("mo") else "years" if u.startswith("year") else
            "days" if u.startswith("day") else "weeks")


def _n_after(rest: str) -> int | None:
    s = _N_SLASH.match(rest)
    if s:
        return int(s.group("n"))
    o = _N_OF.match(rest)
    if o:
        return int(o.group("n"))
    return None


def _tail(text: str, pos: int) -> str:
    """The rest of the clause after a value, up to the next outcome-ish value outside brackets."""
    rest = text[pos:pos + 160]
    depth = 0
    for i, ch in enumerate(rest):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return rest[: i + 1]
        elif depth <= 0 and ch == ";":
            return rest[:i]
        elif depth <= 0 and rest.startswith(", and", i):
            return rest[:i]
    return rest


def sentence_outcomes(sentence: str, evidence: Evidence, offset: int = 0) -> list[ExtractedOutcome]:
    """ExtractedOutcome records of one abstract sentence; `evidence` is the sentence's provenance."""
    del offset
    return [
        ExtractedOutcome(endpoint=o.endpoint, value=o.value, unit=o.unit, arm=o.arm,
                         comparator_value=o.comparator_value, n=o.n, p=o.p, hr=o.hr, ci=o.ci,
                         text=sentence[o.start:o.end], evidence=evidence, event=o.event, timepoint=o.timepoint)
        for o in find_outcomes(sentence)
    ]


# An abstract whose only response is one lineage's ("erythroid response" in an ESA study) and that names no
# overall response or remission: its bare "response rates were 46% vs 44%" are that haematological improvement.
_LINEAGE_RESPONSE = re.compile(r"\b(?:erythroid|platelet|neutrophil)\s+(?:responses?|improvement)\b|\bHI-[ENP]\b", re.I)
_OTHER_RESPONSE = re.compile(r"\b(?:overall|objective|clinical|best|cytogenetic|molecular)\s+response|\bORR\b|\bremissions?\b"
                             r"|\b(?:m?CR|PR|CRi)\b|\bmarrow\s+(?:CR|response)", re.I)
_BARE_RESPONSE_TEXT = re.compile(r"^\W*(?:(?:the\s+)?response\s+rates?|responses?|responded)\b", re.I)


def lineage_responses(outcomes: list[ExtractedOutcome], abstract: str) -> list[ExtractedOutcome]:
    """`outcomes` of one abstract with bare response rates read as haematological improvement when the abstract's
    only response is a lineage response (see above); otherwise unchanged."""
    if not _LINEAGE_RESPONSE.search(abstract) or _OTHER_RESPONSE.search(abstract):
        return outcomes
    return [replace(o, endpoint="hematologic_improvement_rate")
            if o.endpoint == "overall_response_rate" and _BARE_RESPONSE_TEXT.match(o.text) else o for o in outcomes]
