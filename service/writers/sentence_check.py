# ruff: noqa: E501  (tables of regular expressions read better unwrapped)
"""Does one written sentence say only what the facts it cites say?

`check_sentence(sentence, cited, vocabulary, answer_facts=…)` compares one sentence of a
structured answer (its text, its kind and the facts it cites) with those facts only — not with
every fact of the answer — and returns short problems, each naming the rule that failed.

First, claim words (service/writers/claim_words.py, a table): absolutes ("never", "only", "every
patient"), proof ("proved", "confirmed"), evaluative strength ("the first choice", "the mainstay"),
safety adjectives ("low-risk", "benign"), comparisons ("just as well as", "on a par"), trend and
spread ("increasingly", "widely") and time frames ("rapidly", "long-term") each need a word of the
same family and sense in the text of a fact the sentence cites; a failure names the family and is
reported under the rule below that the family belongs to (certainty, strength, safety, direction,
frequency). Then the rules:

  citation     a statement cites no fact; a question or "not covered" sentence cites wrongly
  markup       tags, links, e-mail addresses or headings inside a sentence
  dose         dose or schedule language (mg, mg/m2, "twice a day", "every morning", "for 7 days",
               "double the dose") — rejected outright, whatever the facts say
  directive    advice to act, in any person ("you should", "start …", "ask … to start … now",
               "let's", "I recommend", "you'll need to", "time to start", "get you started"), and
               telling the reader to check or remember ("make sure", "be sure to", "remember to",
               "don't forget", "check that your …"); a bare imperative opening the main clause after
               an opening clause or ", so" ("With lower-risk MDS, ask for IST first.")
  concept      a drug, therapy, gene, test or subtype (the grounding vocabulary), a word shaped like
               a drug name, or a name (a capitalised word or brand) its facts do not name; a drug
               named only inside another drug's longer name ("decitabine" in "decitabine and
               cedazuridine"); a brand name (Procrit) its cited facts' own text does not give — the
               facts' terms list every brand the vocabulary knows, so they license none, not even next
               to the drug's own name; a word introduced as a name at a sentence's start ("Atgam, the
               horse ATG, …", "Binocrit (epoetin alfa) …") its facts do not write; a sentence opening
               with "It" / "They" whose referent (the main clause's treatment of the sentence before —
               for "They" its first one named in the plural —, that sentence's plural subject, or, when
               it names no treatment, the treatment of the sentences before it) its facts do not name or
               is not what its facts are about (a fact's subject: its terms' treatments and its main
               clause's subject, or for a fact opening with a pronoun the subject of the fact before)
  population   a patient group (lower/higher risk, del(5q), ring sideroblasts/SF3B1, hypocellular,
               CMML, AML, TP53, transfusion-dependent, fit/unfit for transplant …) its facts do
               not speak of; the opposite of a group they speak of ("without del(5q)", "not fit");
               a claim widened past its group ("regardless of", "whether or not", "for anyone",
               "even for …"); or a claim that drops the group its facts limit it to (not a
               sentence that only says how a treatment is given, in its fact's own words; with
               several facts cited, only the groups of the parts of a fact the sentence draws on);
               an ESA history swapped ("never had an ESA" for people after an ESA failed, or the
               other way round); a named study (a name among its facts' terms: MEDALIST, MDS-003)
               given a group or ESA history its own fact does not give; a finding its facts report of
               another disease (kidney disease, solid cancers, aplastic anaemia) said of MDS
  strength     a strength of recommendation (recommended — also "standard", "routine", "usual",
               "mainstay", "proven", "the treatment for" — / an option / approved / not established
               / not recommended) its facts do not give ("not outside a trial" = "only in a trial" =
               not established); a recommended treatment made to sound optional ("may be considered",
               "worth considering", "might be tried", "sometimes used") where its facts only recommend
               it; a question whose premise presupposes that a treatment works well or is the best
               choice ("Given how well X works, …?"); a treatment said to be done plainly ("is carried
               out", "patients undergo") where its facts only call it an option ("is considered")
  certainty    "will", "always", "definitely", "guaranteed", "reliably", "consistently", "clearly",
               "strongly", "without question" … where its facts hedge or say nothing; an effect verb
               said plainly ("respond", "frees", "improves") where every use of it in its facts is
               hedged ("may still respond", "can restore") or a comparison ("freed more … than placebo")
  safety       a safety or tolerability claim ("safe", "well tolerated", "mild side effects") its
               facts do not make; an absolute one ("no side effects", "harmless") needs an absolute one;
               "well tolerated" licenses how it feels to take ("easy to tolerate"), not "safe" or
               "little risk"; a safety claim about an organ ("safe for the heart") needs its facts to name it
  cure         cure words its facts do not use the same way (a "not a cure" made into "cures")
  frequency    "most", "nearly all", "many", "few", "everyone" … its facts do not say
  direction    a comparison or threshold turned around (above/below, older/younger, more/less,
               ≥/≤, better/worse, longer/shorter, increase/decrease); two arms its facts tell apart said
               to have done alike ("similar shares", "about the same number", "comparable rates");
               "more common" / "less frequent" in a direction its facts do not give; an opposite word in
               the matching clause ("high" / "low", "mild" / "severe"), or a treatment said to be continued
               where its facts say it is stopped (or the other way round)
  negation     a clause that says the opposite of the matching clause of its facts; an effect or a
               listing said plainly ("ESAs still work", "NCCN still lists it") where the matching clause
               of its facts denies it for the same treatment ("rarely work", "advises against")
  number       a number not in its facts with the same unit and the same comparison (numbers
               inside names — del(5q), PD-1, TP53, IPSS-R — are not numbers); a time span
               ("within a few months") its facts do not mention; an approximate share ("roughly
               half", "nearly a third", "one in four") that no share of its facts falls in (about
               X: ±5 points, ±3 below 20%; nearly X: X−10 to X; just over X: X to X+10; more than X);
               a named study given a number of another study's fact that the sentence also cites; an
               "about" share that a common fraction would say better ("about a quarter" for 30%: a third
               is nearer). Counting words are not numbers: "one example", "one of", and two to ten where
               a cited fact lists that many things ("the two ESAs": "epoetin alfa and darbepoetin alfa")
  support      a statement that shares almost no content with the facts it cites
  wording      a word of a statement (or of a doctor question's premise) that is neither its cited facts'
               own, nor of a family those facts use, nor a word with no claim of its own (wording.yaml):
               the closed list catches the claims no rule above names ("similar", "best", "several")
  kind         a "not covered" sentence with clinical content (what an indirect question asks — "how
               long it is usually given" — is not said; saying that the dose is not given is not dose
               language), or one that says what the sources do say ("… beyond the fact that it works");
               a question that embeds a claim. A yes/no question about the patient's own results ("Did
               my karyotype show a 5q deletion?") may name what any fact of the answer names.

Session 9 additions, each under the rule named: concept — a pronoun subject before the sentence's first
treatment name ("In a trial it was added to azacitidine"), "the comparator" / "that earlier medicine" anywhere
(the arm after "compared with"), plural "These" after "other treatments", "It" after a sentence whose subject is
no treatment ("erythropoietin is the hormone …"), "They" for people where the cited fact's "They" is a treatment,
a result given to a treatment its fact names only as what failed before or alongside; population — "in that
group" / "these patients" take the groups of the sentence before, a threshold its facts pair with another ("age
<= 60 with blasts < 5 %") given alone; negation — a condition its facts state said not to count ("being willing
is not one of the conditions"), "rather than" / "instead of" deny what follows; certainty — an effect said plainly
where its facts only say it is judged ("before its effect can be judged"); number — a share given to another item
of a list ("fever" for the rash's 25.6%), two shares set against each other taken from different findings;
strength — a question that takes for granted that a treatment will be given ("when will my transplant be
scheduled?") or offers "the best chance of" an outcome; kind — a "not covered" sentence with a claim word, or with
a later part that denies something other than what the sources cover ("which means they do not apply").

Session 9b additions: number — "close to" a fraction is "about" it (a share rounded up past the margin is a larger
share), "well over" / "well under" need a clear gap on their side; certainty — a fact's "often" / "may" /
"usually" on a verb ("counts often drop") dropped where the sentence says it of the same words; negation — a
negated part of a sentence (the comma-delimited piece with a plain "not" outside a who/when/after qualifier) with no
negated clause of its facts about the same words; frequency — "all" / "every one of" a counted group of people
where the facts' "all" belongs to another group (or to none); concept — a pronoun object ("more often with it") in
a sentence that names no treatment, "this medicine" / "that drug" anywhere before the first treatment name (for a
class named in the plural too), and "it" after several opening clauses, with treatments named inside a patient
group or a negated condition ("has not had an HMA fail") not counted as its referent.

Session 11 additions (the thirteenth blind file's slips, as general rules): certainty — a question that takes an
outcome for granted also as "how many weeks / cycles until …", "at what point will …", "how long will my response
last", "when will it start working" (not when it asks "if" / "whether"); kind — a relative clause added to a "not
covered" sentence ("…, which are low") is a claim however short, and one added to a question ("…, which are usually
mild?") is held to the facts the question cites (refused when it cites none); concept — "Adding it to …" (the pronoun
object of a gerund subject) stands for the sentence before's treatment, and a result given to a treatment that the
fact with the result does not name, linked to it only by another cited fact (a member given its class's trial, a
class given one member's result); number — a figure its facts give only as a median said without "median" (as
"typically", "most", "usually", "on average", or plainly), and a span its facts give for how long a result lasted
said of how long people live (or the reverse); direction — a time order turned around (two changes of opposite
direction, "rise first, fall later" for "fall further before they improve"; "after X" for what its facts put before
X or "while X is being arranged"); population — a share given of a subgroup picked by its outcome ("of the people
who responded") where its facts give it of everyone (or the reverse). Two faithful readings: a pronoun before a
comparison after an opening that names a treatment only as background ("after an ESA had not worked, it freed
more …") is not that treatment, and a therapy its facts name in another inflection ("heavily transfused" →
"transfusions", "many") is named.

Every fact's profile (concepts, groups, strength, certainty, directions, numbers, clauses) is
derived by pure functions from the fields every Fact has (text, terms, numbers), so facts
loaded from YAML fixtures are checked the same way as facts from the graph. A fact that starts
with a pronoun ("It slows …") also names the concepts of the fact before it in its section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from mdskg.records import Fact

from .claim_words import describe as describe_claim, unlicensed
from .grounding import (
    _CYTOGENETICS,
    Vocabulary,
    _blank,
    _kind_phrase,
    _looks_like_drug,
    extract_numbers,
)
from .wording import load_wording, stem as wording_stem, unsupported_words

KINDS = ("statement", "doctor_question", "not_covered")

RULES: tuple[str, ...] = (
    "citation", "markup", "dose", "directive", "concept", "population", "strength", "certainty", "safety", "cure",
    "frequency", "direction", "negation", "number", "support", "wording", "kind",
)

# ---- patterns ---------------------------------------------------------------------------------

_I = re.IGNORECASE

# Numbers that are part of a name: gene and protein names (TP53, SF3B1, PD-1, PD-L1, CD34, IDH1),
# chromosome arms (5q, 17p, 7q-), karyotypes (del(5q), t(3;3)), score names (IPSS-R, IPSS-M), -7.
_NAME_WITH_DIGITS = re.compile(
    r"(?<![\w-])(?:[A-Za-z]+[A-Za-z-]*\d+[A-Za-z\d]*(?:-[A-Za-z\d]+)*"  # TP53, PD-1, PD-L1, SF3B1, COVID-19
    r"|\d{1,2}[pq]\d*-?(?![\w])"  # 5q, 17p, 11q23
    r"|(?:monosomy|trisomy)\s+\d{1,2}"  # karyotype names
    r"|[-+]\d{1,2}(?=[\s,.;)]|$)(?!\s*(?:%|mg|years?|months?|weeks?|days?))"  # -7, +8 in karyotypes
    r")"
)

_DOSE: list[re.Pattern[str]] = [
    re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|g|ml|mL|iu|IU)(?!\s*/\s*(?:dL|L|mL|µL|uL)\b)(?:\s*/\s*(?:m2|m²|kg|day|d|dose))?\b", _I),
    re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:units?)\s*/\s*(?:kg|day|m2|m²)\b", _I),
    re.compile(r"\bmg\s*/\s*(?:m2|m²|kg)|\bmg/m\^?2\b|\bmilligrams?\b|\bmicrograms?\b", _I),
    re.compile(r"\b(?:once|twice|three times|four times|\d+\s*times)\s+(?:a|per|each|every)\s+(?:day|week|month)\b", _I),
    re.compile(r"\b(?:every|each)\s+(?:morning|evening|night|day|other day|\d+\s*(?:hours?|days?))\b", _I),
    # every N weeks: a schedule, except for how many transfusions someone needs (a patient group)
    re.compile(r"\b(?:every|each)\s+\d+\s*weeks?\b", _I),
    re.compile(r"\b(?:daily|nightly|weekly|fortnightly|monthly|bid|tid|qd|q\d+h)\b", _I),
    re.compile(r"\b(?:per|a)\s+day\b", _I),
    re.compile(r"\bfor\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|twenty[- ]?one|twenty[- ]?eight)"
               r"\s+(?:consecutive\s+)?days?\b", _I),
    re.compile(r"\b(?:given|taken|take|takes|receive[sd]?|injected|infused|treated|used)\b(?:\s+\w+){0,4}\s+for\s+"
               r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:consecutive\s+)?(?:weeks?|months?)\b", _I),
    re.compile(r"\b(?:double|halve|triple|increase|decrease|raise|lower|cut|skip|split)\s+(?:it|the dose|your dose|a dose|doses|the amount)\b", _I),
    re.compile(r"\b(?:doubled|halved|tripled|quadrupled)\b|\b(?:double|triple|twice|three\s+times)\s+(?:the\s+)?(?:amount|strength|usual\s+amount)\b", _I),
    re.compile(r"\b(?:dosage|dosing)\b|\b(?:your|the|a|this|that|each|every|one|same|right|correct|usual|starting|full|reduced|lower|"
               r"higher|double|extra|bigger|smaller)\s+doses?\b|\bdoses?\s+of\b", _I),
    re.compile(r"\b(?:tablets?|pills?|capsules?|injections? of)\b.*\b(?:a|per|each|every)\s+(?:day|week)\b", _I),
    # an amount given: "given as 2 units", "given at 1.0", "dosed at 3" (a threshold's number read as a dose)
    # (one space apart in the text as written: a blanked name between "given" and "at 15 centres" is no dose)
    re.compile(r"\b(?:given|taken|injected|infused|dosed|administered|prescribed|started) (?:as|at|in) (?:a |an )?"
               r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten)\b"
               r"(?!\s*(?:%|percent|cycles?|days?|weeks?|months?|years?|injections?|infusions?|shots?|drips?|courses?|doses?"
               r"|centres?|centers?|sites?|hospitals?|institutions?|countries|trials?|studies)\b)", _I),
]

# Words that name a dose without giving one ("the dose", "dosing"): a "not covered" sentence may say
# that its sources do not give it.
_DOSE_WORDS = next(p for p in _DOSE if p.pattern.startswith(r"\b(?:dosage|dosing)"))

# How many transfusions someone needs per N weeks describes a patient group, not a schedule.
_TRANSFUSION_NEED = re.compile(r"transfus\w*|\bunits?\b|\bRBC\b|red[- ](?:blood[- ])?cells?", _I)

_DIRECTIVE = [
    re.compile(r"\byou\s+(?:should|must|need to|have to|ought to|'d better|had better)\b", _I),
    re.compile(r"\b(?:be sure to|make sure (?:you|to)|don't forget to|do not forget to|insist on|demand)\b", _I),
    re.compile(r"\b(?:ask|tell|get)\s+(?:your|the)\s+(?:doctor|hematologist|haematologist|care team|oncologist)\s+to\s+"
               r"(?:start|stop|switch|begin|give|prescribe|put you on|increase|change)\b", _I),
    re.compile(r"\b(?:start|stop|begin|switch)\w*\b[^.?!]*\b(?:now|today|right away|immediately|at once|as soon as possible)\b", _I),
    re.compile(r"^\s*(?:please\s+)?(?:take|start|stop|begin|avoid|double|skip|switch|try|use|get|insist|demand|refuse|"
               r"quit|increase|decrease|continue|go|buy|order|request|keep taking|find|book|call|schedule|arrange|sign up|"
               r"enrol|enroll|join|push|make sure|look for|apply|aim|keep|target|wait|plan|delay|hold off)\b", _I),
    re.compile(r"\b(?:right away|immediately|at once|as soon as possible|without delay|asap)\b", _I),
    # The writer speaks for the sources, never in its own voice: "let's", "I recommend", "we suggest".
    re.compile(r"\blet(?:['’]s|\s+us)\s+(?!say\b|see\b|look\b|be\s+clear\b)\w+|\b(?:I|we)(?:\s+would|['’]d)?\s+(?:strongly\s+)?(?:recommend|suggest|advise|urge|"
               r"encourage|propose|prescribe)\b|\b(?:my|our)\s+(?:advice|recommendation|suggestion)\b|\bif\s+I\s+were\s+you\b|\bI['’]d\s+(?:go|start|choose|pick|opt|try)\b", _I),
]
# Advice to act that is ordinary wording in a question ("Is it time to start …?") or a "not covered"
# sentence ("… do not say when it is time to start"): refused in statements only.
_DIRECTIVE_STATEMENT = [
    # Telling the reader to check, ensure or remember something, anywhere in the sentence.
    re.compile(r"\b(?:make\s+(?:very\s+)?(?:sure|certain)|be\s+(?:sure|certain)\s+(?:to|that|your|you)|ensure\s+(?:that\s+)?(?:you|your)|remember\s+to|don['’]t\s+forget|do\s+not\s+forget|never\s+forget"
               r"|(?:check|confirm|verify|double[- ]check)\s+(?:that\s+|whether\s+|with\s+\w+\s+that\s+)?(?:you|your)\b|see\s+to\s+it|keep\s+(?:a\s+)?(?:track|record|note|an\s+eye)\s+(?:of|on)\s+your)\b", _I),
    re.compile(r"\bget\s+(?:you|yourself)\s+(?:started|going|booked|set\s+up|signed\s+up|on\s+|onto|in\s+for|scheduled)|\bsign\s+(?:you\s+|yourself\s+)?up\b", _I),
    re.compile(r"\byou(?:['’]ll|\s+will)\s+(?:need\s+to|want\s+to|have\s+to|start|begin|switch|stop|take|go\s+on|be\s+(?:started|put)\s+on|get\s+started"
               r"|be\s+(?:starting|beginning|switching|taking|getting|going\s+on))\b"
               r"|\bwe(?:['’]ll|\s+will|\s+can|\s+should|['’]d|\s+would)\s+(?:start|begin|switch|try|put\s+you|give\s+you|get\s+you|book|arrange|go\s+with)\b"
               r"|\bI\s+would\s+(?:go|start|choose|pick|opt|try)\b|\b(?:your|the)\s+next\s+step\s+(?:is|should\s+be|would\s+be|will\s+be)\s+to\b", _I),
    re.compile(r"\b(?:it\s+is|it['’]s|now\s+is)\s+(?:\w+\s+)?(?:time|moment)\s+to\s+(?:start|begin|switch|stop|act|move|get|ask|book|go|try|take)\b"
               r"|\b(?:time|moment)\s+to\s+(?:start|begin|switch)\b", _I),
    # advice in an impersonal voice: "It is best to begin an ESA before …", "it would be wise to ask …" (session 11, P2)
    re.compile(r"\b(?:it\s+is|it['’]s|it\s+would\s+be|it\s+may\s+be)\s+(?:best|better|wisest|wise|advisable|a\s+good\s+idea|sensible|smart|safest)\s+to\s+(?!be\b)[a-z]+", _I),
    # ("willing to go ahead and has a donor": a person's consent, not an instruction)
    re.compile(r"(?<!\bwilling\sto\s)(?<!\bready\sto\s)(?<!\bagreed\sto\s)(?<!\bagrees\sto\s)\bgo\s+ahead\s+(?:and|with)\b|\bwhy\s+not\s+(?:start|try|ask|begin|switch|go)\b|\bbook\s+(?:a|an|your|yourself|you|in)\b", _I),
    re.compile(r"\b(?:start|stop|begin|switch)\w*\s+(?:\w+\s+){0,4}?(?:soon(?!\s+after)|this\s+(?:week|month)|next\s+(?:week|month|visit)|straight\s+away)\b", _I),
    re.compile(r"^\s*(?:ask\s+(?:for|to|about\s+(?:starting|switching|getting))|consider\s+(?:starting|switching|asking|taking|trying|getting)|opt\s+for|"
               r"choose|pick|go\s+for|talk\s+to\s+your\s+doctor\s+about\s+(?:starting|switching|getting)|make\s+(?:an?|sure|time)|contact|"
               r"speak\s+(?:to|with)|talk\s+(?:to|with)|discuss|see\s+(?:your|a)\s+(?:doctor|specialist|hematologist|haematologist)|have\s+(?:your|a|an)|"
               r"remember\s+to|don['’]t|do\s+not)\b", _I),
]

_MARKUP = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]{0,80})?/?>|&lt;|&gt;|https?://|\bwww\.|[\w.+-]+@[\w-]+\.\w|^\s*#|\[\s*\d+\s*\]|\bignore (?:all |any |the |your |previous )|"
                     r"\b(?:system prompt|these instructions|previous instructions)\b", _I)

# Patient groups: (name, pattern). Order matters only for reporting.
_POPULATIONS: list[tuple[str, re.Pattern[str]]] = [
    ("lower-risk", re.compile(r"\b(?:very\s+)?low(?:er)?[- ]risk\b(?!\s+(?:of|for|that|procedures?|operations?|options?|treatments?|choices?|approach|interventions?)\b)|\b(?:very\s+)?low-?\s+to\s+intermediate[- ](?:\d[- ])?risk\b|\blow(?:er)?[- ]grade\b|\bIPSS-R\s+(?:very\s+)?low\b", _I)),
    ("higher-risk", re.compile(r"\b(?:very\s+)?high(?:er)?[- ]risk\b(?!\s+(?:of|for|that)\b)|\bhigh(?:er)?[- ]grade\b", _I)),
    ("intermediate-risk", re.compile(r"(?<!-\sto\s)(?<!\sto\s)\bintermediate[- ](?:\d[- ])?risk\b", _I)),
    ("del(5q)", re.compile(r"del\s*\(\s*5q\s*\)|(?<![\w(])5q(?:\s*-|\s+(?:deletion|syndrome|minus))|deletion\s+(?:of\s+)?(?:chromosome\s+)?5q|\bisolated\s+5q\b|\b5q\b", _I)),
    ("ring sideroblasts", re.compile(r"ring[- ]sideroblast|\bMDS-RS\b|\bRARS\b", _I)),
    ("SF3B1", re.compile(r"\bSF3B1\b", _I)),
    ("excess blasts", re.compile(r"excess(?:ive)?\s+blasts|\bMDS-EB\b|\bRAEB\b|\bMDS-IB\b|increased\s+blasts", _I)),
    ("hypocellular", re.compile(r"\bhypocellular|\bhypoplastic|\blow(?:-|\s+)(?:marrow\s+)?cellularity"
                                # the same in plain words: an under-filled, sparse or emptier marrow, too few cells in it
                                r"|\bunder[- ]?filled\s+(?:bone\s+)?marrow|\b(?:sparse(?:ly)?(?:[- ]filled)?|empt(?:y|ier)(?:\s+than\s+(?:normal|usual))?)\s+(?:bone\s+)?marrow"
                                r"|\bmarrow\s+(?:that\s+)?(?:has|with|holds|containing)\s+(?:too\s+|very\s+)?few\s+cells|\b(?:too\s+|very\s+)?few\s+cells\s+in\s+the\s+(?:bone\s+)?marrow"
                                r"|\bmarrow\s+(?:is|was)\s+(?:\w+\s+)?(?:under[- ]?filled|sparse|empty)", _I)),
    ("CMML", re.compile(r"\bCMML\b|chronic\s+myelomonocytic", _I)),
    ("AML", re.compile(r"\bAML\b|acute\s+myeloid\s+leuk", _I)),
    ("TP53", re.compile(r"\bTP53\b|\bp53\b", _I)),
    ("transfusion-dependent", re.compile(r"transfusion[- ]dependen|\b(?:who|that)\s+(?:needed|required)\s+(?:regular\s+|frequent\s+)?(?:red[- ](?:blood[- ])?cell\s+|blood\s+)?transfusions|(?:need|needs|needing|require|requires|requiring)\s+(?:regular\s+|frequent\s+)?"
                                         r"(?:red[- ](?:blood[- ])?cell\s+|blood\s+)?transfusions|transfusion\s+burden", _I)),
    ("therapy-related", re.compile(r"therapy[- ]related|treatment[- ]related|\bt-MDS\b|after\s+(?:chemotherapy|radiation)\s+for", _I)),
    ("after HMA failure", re.compile(r"\bafter\s+(?:an?\s+)?(?:HMA|hypomethylating\s+agents?)\s+(?:has\s+|have\s+)?(?:fail|stop|no\s+longer)|(?:HMAs?|hypomethylating\s+agents?)"
                                     r"\s+(?:(?:treatment|therapy|drugs?)\s+)?(?:that\s+|which\s+)?(?:has\s+|have\s+|had\s+)?(?:failure|fail|stopped\s+working|not\s+worked|no\s+longer\s+work)|\brefractory\b|\brelapsed\b|no\s+longer\s+respond", _I)),
    ("unfit for transplant", re.compile(r"\bunfit\b|\bnot\s+(?:medically\s+)?(?:fit|well|strong)\s+enough|\bnot\s+(?:medically\s+)?fit\b|\btoo\s+(?:frail|sick|ill|old)\b|\bfrail\b|"
                                        r"\bnot\s+(?:eligible|a\s+candidate|suitable)\s+for\s+(?:a\s+)?(?:stem[- ]cell\s+)?transplant|\bineligible\b"
                                        r"|\bnot\s+(?:an?\s+)?(?:stem[- ]cell\s+)?transplant\s+candidate"
                                        # "when a transplant is not possible", "who cannot have a transplant" (session 11, P2)
                                        r"|\b(?:stem[- ]cell\s+)?transplant\s+is\s+not\s+(?:possible|an\s+option|feasible)\b|\b(?:cannot|can['’]t|could\s+not)\s+(?:have|get|undergo|receive)\s+(?:an?\s+)?(?:stem[- ]cell\s+)?transplant", _I)),
    ("fit for transplant", re.compile(r"(?<!un)(?<!not )\bfit\s+(?:enough\s+)?(?:for|to)\b|(?<!not )\b(?:eligible|a\s+(?:good\s+)?candidate|suitable)\s+for\s+(?:a\s+)?"
                                      r"(?:stem[- ]cell\s+)?transplant|(?<!un)(?<!not )\bfit\s+(?:patients?|people|persons?|adults|individuals|(?:lower|higher)[- ]risk)\b"
                                      r"|(?<!un)(?<!not )\bfit\s+enough\b|(?<!not\sa\s)(?<!not\san\s)(?<!not\s)\btransplant\s+candidates?\b|\b(?:is|are)\s+(?:medically\s+)?fit\b(?!\s+(?:enough\s+)?(?:for|to)\b)"
                                      # on the way to a transplant: "about to go on to a transplant", "waiting for a transplant"
                                      r"|\b(?:about|going|due|set|planned|scheduled|booked|listed)\s+(?:to|for)\s+(?:have\s+|go\s+on\s+to\s+|undergo\s+|receive\s+|get\s+)?(?:an?\s+)?(?:(?:stem[- ]cell|donor|allogeneic)\s+){0,2}transplant"
                                      r"|\b(?:heading|waiting|bound|on\s+(?:the|their|his|her)\s+way)\s+(?:for|to)\s+(?:an?\s+)?(?:(?:stem[- ]cell|donor|allogeneic)\s+){0,2}transplant"
                                      # able to have one: "people who could go on to a transplant" (not "who could not …")
                                      r"|\b(?:who|that)\s+(?:could|can|might|may|will)\s+(?:still\s+)?(?:go\s+on\s+to\s+(?:have\s+)?|have\s+|get\s+|receive\s+|undergo\s+)(?:an?\s+)?(?:(?:stem[- ]cell|donor|allogeneic)\s+){0,2}transplant", _I)),
    ("children", re.compile(r"\bchild(?:ren|hood)?\b|\bp(?:a)?ediatric\b|\bkids?\b|\badolescents?\b", _I)),
    ("older adults", re.compile(r"\bolder\s+(?:adults|people|patients|persons)\b|\belderly\b", _I)),
]

# Claims about how well something works: with these, a sentence must keep its facts' groups.
_CLAIM = re.compile(
    r"\b(?:recommend\w*|option|choice|standard|first[- ]line|preferred|approved|works?|worked|effective|helps?|helped|"
    r"benefit\w*|respond\w*|improv\w*|live\s+longer|survival|surviv\w*|useful|reduc\w*|lower\w*|raise\w*|increase\w*|"
    r"used|given|offered)\b", _I)
# Groups that define who a claim is about (a risk group or a kind of MDS), as opposed to a circumstance.
# "without", "no", and a negated verb of having ("has not had", "haven't received", "never had any")
_GROUP_NEGATED = re.compile(r"(?:\b(?:without|no|not|non|never|lacking|lack\s+of|absence\s+of|free\s+of|none\s+of|no\s+(?:sign|evidence)\s+of)|n't)\s*-?\s*"
                            r"(?:(?:had|have|has|having|received|got|gotten|shown|experienced|developed|been|yet|ever|any|an?|the|prior|previous)\s+){0,3}$", _I)
# An outcome said with "without needing transfusions": "went a year or more without needing transfusions".
_OUTCOME_WITHOUT = re.compile(r"\b(?:went|go|goes|going|gone|stayed|stay|stays|remained|remain|lived|live|period|periods|weeks|months|years?|longer)\b"
                              r"(?:\s+[\w-]+){0,5}?\s+(?:without|no\s+longer)\s*$", _I)
# Groups whose own words carry the negation ("not fit enough", "HMAs have not worked"): not absent groups.
_NEGATIVE_GROUPS = frozenset({"unfit for transplant", "after HMA failure"})
_RISK_GROUPS = frozenset({"lower-risk", "higher-risk", "intermediate-risk"})
_CORE_GROUPS = frozenset({"lower-risk", "higher-risk", "intermediate-risk", "del(5q)", "ring sideroblasts", "SF3B1", "excess blasts",
                          "hypocellular", "CMML", "AML", "TP53", "therapy-related", "children", "after HMA failure"})

# "Not outside a trial": the same as "only within a trial" (not established), not "not recommended".
_TRIAL_ONLY_NOT = (r"\b(?:outside|except\s+(?:in|within|as\s+part\s+of))\s+(?:of\s+)?(?:an?\s+)?(?:clinical\s+)?(?:trials?|studies|study|research)\b[^.;]{0,40}(?:\b(?:not|never)\b|n't)"
                   r"|(?:\b(?:not|never)\b|n't)[^.;]{0,40}\b(?:outside|except\s+(?:in|within|as\s+part\s+of))\s+(?:of\s+)?(?:an?\s+)?(?:clinical\s+)?(?:trials?|studies|study|research)\b")
_STRENGTHS: list[tuple[str, re.Pattern[str]]] = [
    ("not recommended", re.compile(
        r"\bnot\s+(?:generally\s+|usually\s+|routinely\s+|currently\s+)?(?:be\s+)?(?:recommended|advised|suggested|appropriate|indicated|advisable)\b"
        r"|\bshould\s*(?:n't|not)\b|\bnot\s+be\s+(?:used|given|offered)\b|\bavoid(?:ed)?\b|\b(?:advise[sd]?|recommend(?:s|ed)?|"
        r"argue[sd]?)\s+against\b|\bdo(?:es)?\s*(?:n't|not)\s+recommend\b|\bdiscouraged\b|\bno\s+role\b", _I)),
    ("not established", re.compile(
        r"\bnot\s+(?:yet\s+|been\s+|well\s+)?(?:established|proven|shown|standard|approved|an?\s+(?:established|standard|approved)\b)"
        r"|\bunproven\b|\bexperimental\b|\binvestigational\b|\bonly\s+(?:(?:be\s+)?(?:used|given|offered|tried)\s+)?(?:in|within|through|as\s+part\s+of)\s+(?:an?\s+)?(?:clinical\s+)?(?:trials?|studies|study|research)\b"
        r"|" + _TRIAL_ONLY_NOT + r""
        r"|\bunder\s+(?:study|investigation)\b|\b(?:is|are|still)\s+being\s+(?:studied|tested|investigated)\b|\bno\s+(?:proven\s+|clear\s+|good\s+|strong\s+)?"
        r"(?:evidence|benefit)\b|\blimited\s+evidence\b|\bremains?\s+(?:unclear|uncertain|unknown)\b|\b(?:un|not\s+)clear\s+whether\b"
        r"|\bearly[- ]stage\s+(?:research|studies|trials)\b|\bstill\s+(?:being\s+)?(?:studied|tested|researched)\b", _I)),
    ("recommended", re.compile(
        r"\brecommend(?:s|ed)?\b|\bstandard\s+(?:of\s+care|treatment|therapy|first[- ]line|option|choice)\b|\bthe\s+standard\b|\bfirst[- ]line\b"
        r"|\bpreferred\b|\b(?:an?\s+|the\s+)?(?:well[- ])?established\s+(?:treatment|therapy|option|choice|approach)\b|\b(?:is|are)\s+(?:well[- ])?established\b"
        r"|\bthe\s+(?:usual|main|best|treatment\s+of)\s+(?:treatment|therapy|choice)\b|\bshould\s+be\s+(?:given|used|offered|treated|started)\b(?!\s+only)"
        r"|\bguidelines?\s+(?:say|advise|favou?r)\b|\btreatment\s+of\s+choice\b|\bgo-to\b|\b(?:first|best|top|main)\s+choice\b"
        r"|\badvis(?:e|es|ed)\b(?!\s+against)|\b(?:backs|backed|endorses|endorsed|favou?rs|favou?red)\b"
        # the same level in other words: "standard", "routine", "usual", "mainstay", "proven" …
        r"|\bpart\s+of\s+(?:the\s+)?(?:standard|routine|normal|usual|regular|everyday|accepted)\s+(?:\w+\s+)?(?:care|treatment|management|practice|therapy)\b"
        r"|\b(?:gold[- ])?standard\b(?![- ]?(?:dose|doses|dosing|risk|deviation|arm|group|blood|test|\w*-dose))"
        r"|\broutine(?:ly)?\s+(?:used|given|offered|recommended|prescribed|treatment|therapy|care|practice|option|choice|approach|use)\b"
        r"|\busual\s+(?:treatment|therapy|care|approach|choice|option|practice|first)\b|\b(?:mainstay|backbone|cornerstone)\b"
        r"|\bproven\b|\b(?:is|are|remains?|as|become|became)\s+the\s+(?:right\s+|main\s+)?treatment\s+for\b|\b(?:widely|generally|well)[- ]accepted\b|\baccepted\s+(?:treatment|therapy|option|standard)\b"
        r"|\b(?:leading|primary|top|main|principal)\s+(?:treatment|therapy|option)\b(?!\s+(?:options|choices|goals?|aims?|plans?))|\b(?:firmly|clearly|widely|now)\s+established\b", _I)),
    ("last resort", re.compile(r"\blast\s+resort\b|\bwhen\s+nothing\s+else\b|\bonly\s+(?:be\s+)?(?:worth|considered|an\s+option|tried)\b[^.;]{0,40}"
                               r"\b(?:once|after|when|if)\b|\bonce\s+(?:every|all)\s+other\b|\brun\s+out\s+of\s+(?:options|treatments)\b"
                               r"|\bhas\s+run\s+out\b", _I)),
    ("approved", re.compile(r"\b(?:FDA|EMA)?[- ]?approved\b|\blicensed\b|\bapproval\b", _I)),
    ("option", re.compile(
        r"\b(?:an?|one|another|possible|reasonable|good|further|other|treatment)\s+(?:[\w-]+\s+){0,2}(?:options?|choices?|alternatives?)\b|\boptions?\b"
        r"|\b(?:sometimes|often|occasionally|also)?\s*tried\b"
        r"|\b(?:may|can|could|might)\s+(?:also\s+)?(?:be\s+)?(?:considered|used|offered|given|tried|an\s+option|suitable)\b|\bconsider(?:ed)?\b", _I)),
]
# "when X is tried (after …)": a condition a result is given for
_TRIED_WHEN = re.compile(r"\b(?:when|if|once|whenever)\s+(?:[\w()-]+\s+){1,4}(?:is|are|was|were|gets|get|been)\s+tried$", _I)  # "when no ESA has been tried"
# What a sentence's strength needs from its facts.
# A treatment called marginal: "only occasionally tried", "a niche option".
_RARELY_USED = re.compile(r"\b(?:occasionally|rarely|seldom|hardly\s+ever|once\s+in\s+a\s+while)\s+(?:be\s+)?(?:tried|used|given|considered|offered|recommended|an\s+option)\b"
                          r"|\b(?:minor|marginal|fringe|niche|last-ditch)\s+(?:option|choice|treatment)\b|\bjust\s+one\s+(?:possibility|option)\s+among\b", _I)
# A treatment called merely optional: "may be considered", "worth considering", "might be tried".
_OPTIONAL = re.compile(r"\b(?:may|might|could|can)\s+(?:also\s+|perhaps\s+|sometimes\s+)?(?:be\s+)?(?:worth\s+(?:considering|trying|a\s+try|discussing|a\s+look)|considered|tried|"
                       r"an?\s+(?:[\w-]+\s+)?(?:option|possibility|alternative|choice)|offered|suitable|reasonable|appropriate)\b"
                       r"|\bworth\s+(?:considering|trying|a\s+try|discussing|a\s+look|thinking\s+about)\b|\b(?:sometimes|occasionally|at\s+times)\s+(?:be\s+)?(?:used|given|tried|offered)\b"
                       r"|\bone\s+(?:possible\s+)?(?:option|possibility)\b|\ba\s+possible\s+(?:option|choice|treatment)\b|\bmight\s+help\b"
                       r"|\b(?:is|are|as|remains?)\s+(?:(?:also|still|just|simply|merely|only)\s+)?(?:an?|one)\s+(?:[\w-]+\s+)?(?:option|alternative|possibility)\b(?!\s+(?:of|for\s+(?:first|initial)))", _I)
_COMPARATOR_BEFORE = re.compile(r"\b(?:than|with|versus|vs\.?|against|over|to|from|beyond|instead\s+of|rather\s+than|on|plus|alongside)\s+(?:the\s+)?(?:\w+\s+)?$", _I)
_STRENGTH_LICENCE = {
    "recommended": {"recommended"},
    "option": {"option", "recommended", "approved"},
    "approved": {"approved"},
    "not established": {"not established"},
    "not recommended": {"not recommended"},
    "last resort": {"last resort"},
}

# "not", "not a", "not a proven," before a word: the negation reaches over a list of adjectives
_NOT_A_BEFORE = re.compile(r"(?:\bnot|\bnever|n['’]t)\s+(?:(?:a|an|the|yet|been|be)\s+)?(?:(?<=\ba\s)\w+,\s+|(?<=\ban\s)\w+,\s+)?$", _I)
_CERTAIN = re.compile(r"\b(?:will|always|definitely|certainly|certain\s+to|guarantee[sd]?|guaranteed|surely|sure\s+to|without\s+(?:any\s+)?doubt|"
                      r"never\s+fails?|in\s+(?:all|every)\s+cases?|reliably|consistently|predictably|dependably|unfailingly|without\s+fail|invariably|completely|totally|100\s*%|proven|proves?|shown\s+to|for\s+good|forever|"
                      r"permanently|for\s+life|"
                      # certainty and emphasis a writer adds: "clearly", "without question", "strongly", "dramatically"
                      r"clearly|undoubtedly|unquestionabl[ey]|no\s+doubt|without\s+(?:a\s+|any\s+)?(?:question|doubt)|beyond\s+(?:any\s+)?doubt|"
                      r"dramatically|remarkably|strongly|(?:highly|very|extremely|hugely)\s+effective)\b", _I)
_POOR_EFFECT = re.compile(r"\b(?:rarely|seldom|unlikely\s+to)\s+(?:\w+\s+)?(?:work|help|respond|benefit|succeed)|\b(?:little|no)\s+(?:benefit|effect|response)\b"
                          r"|\b(?:does|do|did)\s*(?:n't|not)\s+work\b", _I)
# "after an ESA did not work": the condition a result is given for (an earlier treatment failed), not a poor effect
_PRIOR_FAILURE = re.compile(r"\b(?:after|once|when|if|since|because)\s+(?:an?\s+|the\s+|their\s+|prior\s+)?[\w-]+(?:\s+[\w-]+)?\s+"
                            r"(?:did|does|do|had|has|have)\s*(?:n't|not)\s+work(?:ed)?\b", _I)
_ANY_EFFECT = re.compile(r"\b(?:works?|worked|effective|help(?:s|ed)?|benefit\w*|improv\w*|respon\w*|freed|free\s+of|live\s+longer|better|beat|"
                         r"reduc\w*|restor\w*|control\w*|remission|surviv\w*|success\w*)\b", _I)
_GOOD_EFFECT = re.compile(r"\b(?:works?|worked|working)\s+(?:very\s+|really\s+)?(?:well|best)\b|\beffective\b|\bgood\s+(?:choice|option)\b", _I)
_WILL_PROMISE = re.compile(r"\bwill\b(?=[^.;]*\b(?:you|your)\b)|\bwill\s+(?:\w+\s+)?(?:free|end|cure|work|help|raise|stop|improve|make|fix|clear|"
                           r"remove|eliminate|prevent|restore|keep|bring|give|return|heal|reduce|lower|increase|boost|respond|control)\b", _I)
_HEDGE = re.compile(r"\b(?:may|might|can|could|possibl\w*|sometimes|some|often|in\s+some|usually|likely|help\w*)\b", _I)

_CURE = re.compile(r"\b(?:cur(?:e|es|ed|ing|ative|able)|eradicat\w*|g[eo]t(?:s|ting)?\s+rid\s+of|heal(?:s|ed)?|permanent(?:ly)?|go\s+away\s+for\s+good|"
                   r"miracle|breakthrough|wip(?:e|es|ed|ing)\s+(?:\w+\s+){0,2}out|eliminat\w*\s+(?:the\s+)?(?:disease|MDS|cancer)"
                   r"|(?:lasting|long[- ]term|permanent|complete\s+and\s+lasting|durable)\s+remissions?"
                   r"|(?:MDS|disease|cancer|illness)\s+(?:\w+\s+){0,2}(?:disappear\w*|go(?:es)?\s+away|vanish\w*)"
                   r"|clear(?:s|ed|ing)?\s+(?:the\s+|your\s+|their\s+)?(?:disease|MDS|cancer)|disease[- ]free|free\s+of\s+(?:the\s+)?(?:disease|MDS|cancer)"
                   r"|beat(?:s|ing)?\s+(?:the\s+|your\s+)?(?:disease|MDS|cancer))\b", _I)
_NEG_BEFORE = re.compile(r"(?:\b(?:not|no|never|cannot|nor|neither|without|rarely|unlikely\s+to)\b|n't)\W+(?:\w+\W+){0,4}$", _I)

_FREQUENCY: list[tuple[str, re.Pattern[str]]] = [
    ("all", re.compile(r"\b(?:all\s+(?:of\s+(?:the|these|those)\s+)?(?:\d+\s+)?|every\s+(?:of\s+(?:the|these|those)\s+)?)(?:patients|people|persons|adults|cases|men|women|one)\b|\beveryone\b|\beverybody\b"
                       r"|\balways\b|\binvariably\b|\buniversally\b|\bwithout\s+exception\b", _I)),
    ("most", re.compile(r"\bmost\b(?!\s+(?:often|likely|common|important|serious|useful|effective|of\s+all\b))|\bmajority\b|\b(?:nearly|almost|virtually)\s+(?:all|every|always)\b"
                        r"|\busually\b|\bgenerally\b|\btypically\b|\bin\s+general\b", _I)),
    ("many", re.compile(r"(?<!how )\bmany\b|(?<!how )(?<!more )(?<!less )\boften\b|(?<!more )(?<!less )\bcommon(?:ly)?\b|(?<!more )(?<!less )\bfrequent(?:ly)?\b|\blots\s+of\b|\ba\s+lot\s+of\b", _I)),
    ("some", re.compile(r"\bsome\b|\bsometimes\b|\bcertain\s+(?:patients|people)\b|\ba\s+(?:subset|portion|proportion)\b|\bcan\b", _I)),
    ("few", re.compile(r"\b(?:very\s+|a\s+|only\s+a\s+)?few\b(?!\s+(?:days|weeks|months|years|hours|cycles|cells))|\brare(?:ly)?\b|\bseldom\b|\buncommon(?:ly)?\b"
                       r"|\bminority\b|\bhardly\s+any\b", _I)),
    ("half", re.compile(r"\bhalf\b|\bone\s+in\s+(?:two|three|four|five|ten)\b|\ba\s+(?:third|quarter)\b|\btwo[- ]thirds\b", _I)),
    # "seen mostly in kidney disease" for "seen mainly in …": an adverb of emphasis (not a share of people)
    ("mostly", re.compile(r"\b(?:mostly|mainly|chiefly|largely|predominantly|primarily)\b|\bin\s+the\s+main\b|\bmost\s+of\s+all\b", _I)),
]
# A sentence's frequency word is licensed by these frequency words of its facts.
_HOW_OFTEN_COMPARED = re.compile(r"\b(more|less)\s+(?:common(?:ly)?|frequent(?:ly)?|often)\b", _I)
_FREQUENCY_LICENCE = {
    "all": {"all"},
    "most": {"most", "all"},
    "many": {"many", "most", "all"},
    "some": {"some", "many", "most", "half", "few", "all"},
    "few": {"few"},
    "half": {"half"},
    "mostly": {"mostly", "most", "all"},
}

# Comparisons and directions: (axis, direction, pattern).
_DIRECTIONS: list[tuple[str, str, re.Pattern[str]]] = [
    ("threshold", "up", re.compile(r"\b(?<!\bno )(?<!\bnot )(?:above|over|more\s+than|greater\s+than|higher\s+than|exceed(?:s|ing)?|at\s+least|or\s+(?:more|higher|above|older|greater)"
                                   r"|no\s+(?:lower|less|fewer|younger)\s+than|not\s+(?:below|under|less\s+than|lower\s+than|fewer\s+than)"
                                   r"|and\s+(?:above|over|older)|(?:≥|>=|>)|upwards\s+of|in\s+excess\s+of|beyond)\b|≥|>", _I)),
    ("threshold", "down", re.compile(r"\b(?<!\bno )(?<!\bnot )(?:below|under(?!\s+(?:close\s+)?(?:watch|control|review|observation|investigation|study|the\s+skin)\b)|less\s+than|fewer\s+than|lower\s+than|at\s+most|or\s+(?:less|fewer|lower|below|younger)|and\s+(?:below|under|younger)"
                                     r"|no\s+(?:higher|greater|older)\s+than|not\s+(?:above|over|more\s+than|higher\s+than|greater\s+than|exceeding)"
                                     r"|up\s+to|no\s+more\s+than|(?:≤|<=|<)|beneath)\b|≤|<", _I)),
    ("age", "up", re.compile(r"\bolder\b|\bover\s+the\s+age\b|\belderly\b|\baged\s+over\b", _I)),
    ("age", "down", re.compile(r"\byounger\b|\bunder\s+the\s+age\b|\baged\s+under\b", _I)),
    ("quality", "up", re.compile(r"\bbetter\b|\bimprov\w*\b|\bmore\s+effective\b|\bsuperior\b|\bbenefit\w*\b|\bgains?\b|\bhelp(?:s|ed)?\s+(?:them\s+)?live\s+longer\b", _I)),
    ("quality", "down", re.compile(r"\bworse\b|\bworsen\w*\b|\bless\s+effective\b|\binferior\b|\bharm\w*\b|\bshorten\w*\b", _I)),
    ("duration", "up", re.compile(r"\blonger\b|\bprolong\w*\b|\bextend\w*\b", _I)),
    ("duration", "down", re.compile(r"\bshorter\b|\bshorten\w*\b|\breduced\s+survival\b", _I)),
    ("amount", "up", re.compile(r"\bmore\b(?!\s+than)|\bincreas\w*\b|\braise[sd]?\b|\braising\b|\bris(?:e|es|ing)\b|\bhigher\b(?!\s+than|[- ]risk|[- ]grade)|\bgreater\b(?!\s+than)"
                                r"|\bboost\w*\b|\bgrow\w*\b", _I)),
    ("amount", "down", re.compile(r"\bless\b(?!\s+than)|\bfewer\b(?!\s+than)|\breduc\w*\b|\bdecreas\w*\b|\blower(?:s|ed|ing)?\b(?!\s+than|[- ]risk|[- ]grade)"
                                  r"|\bdrop\w*\b|\bfall(?:s|ing)?\b|\bcut(?:s)?\b|\bshrink\w*\b|\bslow(?:s|ed|ing)?\b", _I)),
]
_DIRECTIONS += [
    ("timing", "up", re.compile(r"\bwait(?:ing)?\s+(?:for|until)\b|\bdelay\w*\b|\buntil\s+(?:the\s+)?(?:disease\s+)?progress\w*|\bafter\s+(?:the\s+)?"
                                r"(?:disease\s+)?(?:has\s+)?progress\w*|\bhold\s+off\b|\bpostpone\w*\b", _I)),
    ("timing", "down", re.compile(r"\bearly\b|\bearlier\b|\bat\s+(?:the\s+time\s+of\s+)?diagnosis\b|\baround\s+(?:the\s+time\s+of\s+)?diagnosis\b"
                                  r"|\bupfront\b|\bup\s+front\b|\bpromptly\b|\bwithout\s+waiting\b|\bsoon\s+after\s+diagnosis\b|\bfrom\s+diagnosis\b", _I)),
]
_OPPOSITE = {"up": "down", "down": "up"}

# Negation, and words that carry one ("ESA-naive" = no ESA before; "freed from" = no longer needs).
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|none|neither|nor|without|unlikely|fail(?:s|ed|ure|ures)?(?:\s+to)?|lack(?:s|ed|ing)?|unable|"
                       r"na[iï]ve|untreated|free[ds]?(?!\s+to\b)|freedom|independen\w*|stopped|no\s+longer|"
                       # "stops attacking" = "no longer attacks"
                       r"stop(?:s|ping)?(?=\s+(?:[\w'-]+\s+){0,3}(?!during\b|bring\b|nothing\b|morning\b|something\b|anything\b|everything\b)\w+ing\b)"
                       r"|ceases?(?=\s+to\b|\s+\w+ing\b)|rather\s+than|instead\s+of)\b|n't\b|-free\b", _I)
_CLAUSE_SPLIT = re.compile(r"[;:]|,\s*(?=(?:and|but|while|although|whereas|however|though|yet|which|who)\b)|\b(?:and|but|while|although|whereas|however|though|yet)\b", _I)

_TIME_SPAN = re.compile(r"\b(?:days?|weeks?|months?|years?|decades?)\b", _I)

_SMALL_COUNT = re.compile(r"^(?:one|two|three|four|five|six|seven|eight|nine|ten)$", _I)
_NOT_COVERED_CUE = re.compile(
    r"\b(?:sources?|facts?|information|data|evidence|we|they|studies|guidelines?)\b[^.?!]{0,20}?\b(?:do|does|did|can|could)\s*(?:n't|not)\b|"
    r"\b(?:do(?:es)?\s*(?:n't|not)\s+(?:say|cover|mention|include|answer|address|describe|tell|discuss|give|report|show|list|contain|have)|"
    r"(?:is|are)\s*(?:n't|not)\s+(?:covered|addressed|included|mentioned|described|given|stated|reported|listed|provided)|not\s+covered|no\s+(?:information|facts?|data|details?)\b|"
    r"nothing\s+(?:in|about)|(?:could|did|can)\s*(?:n't|not)\s+find|outside\s+(?:what|the)|beyond\s+(?:what|the)|not\s+part\s+of)", _I)
# A later part of a "not covered" sentence that also says what is not covered ("… and they do not list …"),
# not a denial of something else ("which means they do not apply").
_SAYS_NOT_PART = re.compile(r"(?:\b(?:(?:do|does|did|can|could)\s*(?:n't|not)|cannot)\s+(?:\w+\s+)?(?:say|cover|mention|include|answer|address|describe|tell|discuss|give|"
                            r"report|show|list|contain|have|go|state|specify|rank|compare|know|find|offer|provide|explain|break|detail|spell|look|touch|deal|set)\b"
                            r"|\b(?:is|are)\s*(?:n't|not)\s+(?:covered|addressed|included|mentioned|described|given|stated|reported|listed|provided)|not\s+covered"
                            r"|\bno\s+(?:information|facts?|data|details?|figures?|rates?|numbers?|results?)\b|\bnothing\s+(?:in|about|on)\b|\boutside\s+(?:what|the)|\bbeyond\s+(?:what|the)|\bnot\s+part\s+of\b)", _I)
_INDIRECT_QUESTION = re.compile(r"(?<!,)(?<!,\s)\b(?:how|whether|what|why)\b[^,;]*", _I)
_PREMISE = re.compile(r"^\s*(?:since|because|given|as|now\s+that|considering|seeing|knowing|if\s+it\s+is\s+true\s+that)\b"
                      r"|,\s*(?:since|because|given\s+that)\b|\b(?:since|because|given\s+that)\s+\w+"
                      r"|\b(?:given|considering|seeing|knowing)\s+(?:how|that|the\s+fact|its|their|it['’]s|as)\b|\bnow\s+that\b"
                      r"|\bwith\s+[^,?]{1,60}?\bbeing\b", _I)
# Questions that presuppose what they ask about ("Why does X work so well?", "What makes X so effective?").
_PRESUPPOSING_QUESTION = re.compile(r"^\s*(?:why\s+(?:is|are|does|do|did|has|have|was|were)|what\s+makes|how\s+come)\b", _I)
# What a premise presupposes: that a treatment works well, or is the best choice.
_PRESUPPOSED_EFFECT = re.compile(r"\bhow\s+(?:well|effective|good|helpful|successful|powerful)\b|\bso\s+(?:well|effective|good|helpful|successful|powerful|promising)\b"
                                 r"|\bworks?\s+(?:so\s+|very\s+|really\s+|extremely\s+)?well\b|\b(?:highly|very|extremely|really|so)\s+effective\b|\bworks?\s+wonders\b"
                                 r"|\b(?:great|excellent|impressive|strong)\s+(?:results?|record|track\s+record|response)\b", _I)
# A statement ahead of the question proper: "X means IST will work, so when can I start?", "X works; can I have it?"
_STATED_BEFORE_QUESTION = re.compile(r"^\s*((?!(?:is|are|was|were|do|does|did|can|could|would|will|should|has|have|how|what|when|which|who|why|where|whether|if)\b)"
                                     r"[^,;?]{8,200}?)\s*(?:,\s*(?:so|and\s+so|then)\b|;)\s*[^?]*\?\s*$", _I)
# "How soon will I be able to stop having transfusions?": asks when, taking for granted that it will happen.
_PRESUPPOSED_OUTCOME = re.compile(r"\b(?:how\s+(?:soon|quickly|fast|long\s+(?:until|before|till|after|from|into))|when|by\s+when|at\s+what\s+(?:point|stage)"
                                  # "How many weeks after my first injection will I …?", "After how many cycles will it …?" (session 11)
                                  r"|how\s+(?:many|much)\s+(?:more\s+)?(?:weeks?|months?|days?|years?|cycles?|injections?|infusions?|doses?|treatments?|courses?|rounds?|sessions?|time))\b"
                                  r"[^?]{0,80}?\b(?:will|would|can|could)\s+(?:i|my|it|they|we|this|the\s+(?:drug|medicine|treatment)|(?!(?:you|not|be|we)\b)[a-z][\w-]+)\b"
                                  r"[^?]{0,60}?\b(?:stop(?:ping)?\s+(?:having|needing)|come\s+off|be\s+(?:free|cured|transfusion[- ]free|off)|be\s+able\s+to\s+stop|"
                                  r"recover|go\s+(?:away|back\s+to\s+normal)|get\s+(?:better|back\s+to\s+normal)|normali[sz]e|respond|be\s+in\s+remission|"
                                  # "… will my haemoglobin return to normal", "… to bring my counts back to normal" (session 11, P2)
                                  r"(?:return|come\s+back|be\s+back)\s+to\s+normal|bring\s+(?:[\w-]+\s+){0,4}?back(?:\s+(?:to\s+normal|up))?|"
                                  r"no\s+longer\s+need|not\s+need|need\s+(?:no|fewer)|start(?:s)?\s+(?:to\s+(?:work|help)|working|helping)|kick\s+in|take\s+effect|"
                                  r"work|(?:see|notice|feel)\s+(?:an?\s+|any\s+|the\s+|some\s+)?(?:benefit|effect|response|improvement|results?|difference|rise|change)|feel\s+better|"
                                  r"improve|rise|go\s+up)\b", _I)
# "How long will my response last?", "How long will it keep working?": takes for granted that there is one (session 11).
_PRESUPPOSED_LASTING = re.compile(r"\bhow\s+long\s+(?:will|would)\s+(?:my|the|its|this|that|our)\s+(?:[\w-]+\s+)?(?:response|benefit|remission|improvement|effect|results?|gain)s?\s+"
                                  r"(?:(?:to|from|with|on|of)\s+(?:[\w()-]+\s+){1,3}?)?(?:last|continue|hold|go\s+on|stay)\b|\bhow\s+long\s+(?:will|would)\s+(?:it|they|this|the\s+(?:drug|medicine|treatment))\s+"
                                  r"(?:keep|go\s+on|continue)\s+(?:working|helping|to\s+work|to\s+help|me\s+off|me\s+free)\b|\bhow\s+long\s+(?:will|would)\s+(?:i|we)\s+"
                                  r"(?:stay|remain|be\s+kept)\s+(?:transfusion[- ]free|in\s+remission|off|free|well|in\s+response)"
                                  # "How long will imetelstat keep me free of transfusions?" (a named treatment as the subject; session 11, P2)
                                  r"|\bhow\s+long\s+(?:will|would)\s+(?!(?:i|we|you)\b)[\w-]+(?:\s+[\w-]+)?\s+(?:keep|go\s+on|continue)\s+(?:working|helping|to\s+work|to\s+help|me\s+(?:off|free|transfusion[- ]free|in\s+remission))\b"
                                  # "Will my response to lenalidomide last longer than …?": a yes/no question about a response it takes for granted
                                  r"|\b(?:will|would)\s+(?:my|the)\s+(?:[\w-]+\s+)?(?:response|benefit|remission|improvement)s?\s+(?:(?:to|from|with|on|of)\s+(?:[\w()-]+\s+){1,3}?)?(?:last|continue|hold|stay)\b", _I)
# (a question that asks whether it will happen presupposes nothing: "If it works, how long will my response last?")
# A relative clause added to a "not covered" sentence or a question ("…, which are low", "…, which works well?"): a claim
# of its own. In a question, only a "which" / "who" followed by a verb or an adverb, not the interrogative "…, which trial …?".
_RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|whose|where)\s+(?P<rest>[^,;.?!]+)", _I)
_RELATIVE_VERB = re.compile(r"\s*(?:(?:is|are|was|were|has|have|had|can|could|may|might|will|would|tends?|seems?|works?|worked|helps?|helped|usually|often|"
                            r"generally|mostly|typically|normally|rarely|seldom|always|never|remains?|lasts?|lasted|makes?|made|means|meant|suggests?|"
                            r"shows?|causes?|caused|gives?|gave|suits?|beats?|outperforms?|settles?|stays?|brings?|keeps?|leads?|depends?)\b)", _I)
_RELATIVE_FILLER = frozenset("is are was were be been being has have had do does did can could may might will would shall should must "
                             "tend tends seem seems it its they them their this that these those there the a an of to".split())


def _added_relative_claim(text: str, *, broad: bool = False) -> re.Match[str] | None:
    """The words of a relative clause that adds a claim ("which are low"), unless it too says what is not covered."""
    for m in _RELATIVE_CLAUSE.finditer(text):
        rest = m.group("rest")
        if not broad and not _RELATIVE_VERB.match(rest):
            continue
        if (_NOT_COVERED_CUE.search(rest) or re.search(r"\b(?:this|the|our)\s+answer\b", rest, _I)) and _SAYS_NOT_PART.search(rest):
            continue
        if [w for w in _WORD.findall(rest) if w.casefold() not in _RELATIVE_FILLER]:
            return m
    return None


_ASKS_IF = re.compile(r"\b(?:if|whether|in\s+case|assuming|should\s+(?:i|it)\s+respond)\b", _I)
_PRESUPPOSED_TREATMENT = re.compile(r"\bwhen\s+(?:will|would|can|could|should|do|does|shall)\s+(?:i|we|my|me|you)\b(?:\s+[\w-]+){0,3}?\s+(?:be\s+)?"
                                    r"(?:scheduled|booked|arranged|planned|started|start|begin|begun|performed|done|go\s+ahead|get\s+(?:it|my|the|a|an)|have\s+(?:it|my|the|a|an)|receive)\b", _I)
_BEST_CHANCE = re.compile(r"\b(?:best|better|good|greater|higher|real|fair|decent|strongest|biggest)\s+(?:chance|odds|hope|shot|prospects?|likelihood)\s+(?:of|for|at)\s+"
                          r"((?:an?\s+|getting\s+|having\s+|a\s+)?[\w-]+(?:\s+[\w-]+)?)", _I)
_PRESUPPOSED_BEST = re.compile(r"\b(?:the\s+)?best\s+(?:option|treatment|choice|drug|therapy|medicine|bet|way)\b|\b(?:first|top)\s+choice\b|\bgo-to\b", _I)

# Safety and tolerability claims. Absolute ones ("no side effects", "harmless") need an absolute claim
# in their facts; the others ("safe", "well tolerated", "mild", "few side effects") any safety claim.
_HARMS = r"(?:side[- ]effects?|risks?|harm|toxicit(?:y|ies)|complications?|adverse\s+(?:effects?|events?|reactions?)|problems?|downsides?|dangers?|(?:safety\s+)?concerns?|safety\s+(?:issues?|signals?))"
_SAFETY_ABSOLUTE = re.compile(
    r"\b(?:no|zero|without(?:\s+any)?|free\s+(?:of|from)(?:\s+any)?|never\s+(?:causes?|caused|has|had|gives?))\s+(?:(?!(?:and|or|but|better|worse|more|less|than)\b)\w+\s+){0,2}?" + _HARMS + r"\b"
    r"|\b(?:completely|totally|perfectly|entirely|absolutely|100\s*%|very|extremely|really|remarkably|exceptionally|incredibly|super|so)\s+safe\b|\bharmless\b|\brisk[- ]free\b|\bnon[- ]?toxic\b|\b(?:perfectly|completely|totally|absolutely|entirely)\s+(?:fine|okay|OK)\b"
    r"|\bnothing\s+to\s+worry\b|\bcan(?:not|['’]t|\s+not)\s+(?:hurt|harm)\b"
    r"|\b(?:does|do|did|will|would)\s*(?:n['’]t|not)\s+(?:\w+\s+)?(?:cause|have|has|lead\s+to|bring|carry|give)\s+(?:any\s+)?(?:\w+\s+)?" + _HARMS + r"\b", _I)
_SAFETY_RELATIVE = re.compile(
    r"\bsafe(?:ly|r|st)?\b|\bwell[- ]tolerated\b|\btolerated\s+(?:\w+\s+)?well\b|\btolerable\b|\bmanageable\b|\beasy\s+to\s+(?:tolerate|take|handle|cope\s+with)\b"
    r"|\b(?:good|favou?rable|excellent|reassuring|clean|acceptable|strong)\s+safety\b"
    r"|\b(?:easy|easier|gentle|gentler|kind|kinder)\s+on\s+(?:the\s+)?(?:body|bodies|patients?|you|people)\b|\bgentle\b"
    r"|\bmild\s+(?:side[- ]effects?|reactions?|form|toxicit\w*|problems?)\b|\bin\s+(?:a\s+)?mild\s+form\b"
    r"|\b(?:few|fewer|little|minimal|hardly\s+any|barely\s+any|scarcely\s+any|minor|rare)\s+(?:\w+\s+)?" + _HARMS + r"\b"
    r"|\b(?:low|small|slight)\s+risk\s+of\s+(?:\w+\s+)?(?:side[- ]effects?|harm|toxicit\w*|complications?|problems?|reactions?)\b"
    r"|\brarely\s+(?:\w+\s+)?(?:causes?|leads?\s+to|gives?|has|had|brings?)\s+(?:\w+\s+){0,2}?" + _HARMS + r"\b"
    r"|\b" + _HARMS + r"\s+(?:are|were|is|was|tend\s+to\s+be|are\s+usually|are\s+generally)\s+(?:\w+\s+)?(?:mild|minor|rare|manageable|minimal|uncommon|few|small)\b", _I)
# What licenses a relative safety claim in a fact besides one of the claims above: harms called rare or mild.
_SAFETY_FACT = re.compile(r"\b(?:rare|rarely|uncommon|infrequent|mild|minor)\b[^.;]{0,30}\b(?:side[- ]effects?|reactions?|risks?|harm|toxicit\w*|complications?|events?)"
                          r"|\b(?:side[- ]effects?|reactions?|risks?|toxicit\w*|complications?|events?)\b[^.;]{0,30}\b(?:rare|rarely|uncommon|infrequent|mild|minor)\b", _I)
_SAFE_WORD = re.compile(r"\bsafe(?:ly|r|st|ty)?\b|\bharmless\b|\brisk[- ]free\b", _I)
_TOLERATED_ONLY = re.compile(r"\btolera\w*", _I)
# Claims about how a treatment feels to take, which "well tolerated" licenses (not "safe", "little risk").
_TOLERABILITY = re.compile(r"\btolera\w*|\beasy\s+to\s+(?:tolerate|take|handle|cope)|\bmanageable\b|\bgentle|\b(?:easy|easier|kind|kinder)\s+on\b|\bmild\b", _I)
_SAFE_FOR_ORGAN = re.compile(r"\b(?:safe|harmless|gentle|easy|fine|okay|kind)\s+(?:for|on|to)\s+(?:the\s+|your\s+|their\s+)?(heart|kidneys?|liver|lungs?|brain|bones?|nerves?|blood\s+vessels|eyes?|skin|stomach|gut|bowels?|fertility|baby|pregnancy)\b", _I)
_SAFETY_NEGATED = re.compile(r"(?:\bnot|\bnever|n['’]t|\bno\s+longer)\s+(?:\w+\s+){0,2}$|\b(?:whether|if|how)\s+(?:\w+\s+){0,4}$", _I)

# Words that judge a treatment: after "which" / "as" in a "not covered" sentence, a claim.
_EVALUATIVE = re.compile(r"\b(?:good|better|best|worse|worst|safe\w*|effective|works?|helps?|same|equal\w*|superior|inferior|preferred|"
                         r"recommend\w*|standard|proven|harmless|risky|dangerous|widely|commonly|routinely|usually|often|always|rarely)\b", _I)
# A modal hedge in a fact's clause ("can reduce", "may help"), not a strength phrase ("may be considered").
_MODAL = re.compile(r"\b(?:can|could|may|might)\b(?!\s+(?:also\s+)?(?:be\s+)?(?:considered|an\s+option|suitable|offered|tried|not)\b)", _I)
_PURPOSE = re.compile(r"\bto\s+(?:\w+\s+)?(?:keep|help|reduce|lower|raise|restore|improve|control|free|cut|stop|slow|bring)\b", _I)
_CLAUSE_HEDGE = re.compile(r"\b(?:can|could|may|might|possibl\w*|sometimes|some|often|many|few|usually|likely|tends?\s+to|in\s+some|help\w*|"
                           r"several|a\s+number\s+of|occasionally|generally|typically|about|around|roughly|up\s+to|at\s+least|if|when|once)\b", _I)
_PRONOUN_START = re.compile(r"^\s*(?:it|its|they|their|them|this|these|those|that|such|the\s+(?:drug|medicine|treatment|therapy|procedure|test|"
                            r"transplant|injection|infusion))\b", _I)

_PRONOUN_ANY = re.compile(r"\b(?:it|its|they|their|them|this|these|those)\b", _I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
_CAPITALISED = re.compile(r"(?<![\w-])([A-Z][A-Za-z]*[A-Z0-9][A-Za-z0-9]*|[A-Z][a-z]{2,}(?:[A-Z][a-z]+)*)(?![\w-])")
_TRADEMARK = re.compile(r"[®™©]")
# Words that may be capitalised without naming anything the facts must mention.
_SAFE_NAMES = frozenset(
    """mds myelodysplastic syndrome syndromes your you i we our doctor doctors hematologist haematologist nurse care team
    the a an this these those it its they their if in for with when what which how who why where whether is are can
    may might do does not no yes some most many people patients about ask questions question sources source our
    ipss ipss-r ipss-m who icc nccn esmo fda ema
    """.split()
)

_STOP = frozenset(
    """a an the and or but if then than that this these those there their them they it its is are was were be been being
    to of in on at by for with from as into onto about over under after before between through during without within
    not no nor so such can could may might will would shall should must do does did done have has had having
    you your yours we our us i me my he she his her who whom whose which what when where why how whether
    all any some most many much more less few each every other another same own only also just very too
    people person patients patient someone anyone mds myelodysplastic syndrome syndromes disease doctor doctors
    one two three get gets got make makes made use used uses using help helps helped work works worked
    say says said like well often usually still even because since while although though however
    """.split()
)


def _stems(text: str) -> set[str]:
    stems: set[str] = set()
    for word in _WORD.findall(text):
        lower = word.casefold().strip("'-")
        if len(lower) < 4 or lower in _STOP:
            continue
        stems.add(lower[:6])
    return stems


@dataclass
class Clause:
    text: str
    stems: set[str]  # content stems, plus "C:<concept id>" and "P:<group>" markers
    negated: bool
    scope: set[str]  # stems of the few words a negation applies to

    def add_concepts(self, ids: Iterable[str]) -> None:
        self.stems |= {f"C:{cid}" for cid in ids}


_DOUBLE_NEGATION = re.compile(r"\b(?:not|never)\s+(?:\w+\s+)?(?:free\s+(?:of|from)|without)\b|\bnot\s+(?:\w+\s+)?(?:risk|side[- ]effect)[- ]free\b"
                              # "no treatment other than X", "nothing but X": "only X", no negation of X
                              r"|\b(?:no|none)\s+(?:[\w-]+\s+){0,2}?(?:other\s+than|but|except|apart\s+from|besides|save)\b|\bnothing\s+(?:else\s+)?(?:other\s+than|but|except|apart\s+from|besides)\b", _I)


def _clause(text: str, vocabulary: Vocabulary) -> Clause:
    mentions = vocabulary.find(text)
    stems = _stems(_blank(text, [(m.start, m.end) for m in mentions])) | {f"C:{cid}" for m in mentions for cid in m.concept_ids}
    stems |= {f"P:{name}" for name, pattern in _POPULATIONS if pattern.search(text)}
    # Two negations cancel: "not free of risk", "not without side effects" say that there is risk.
    text = _DOUBLE_NEGATION.sub(lambda m: " " * len(m.group(0)), text)
    neg = _NEGATION.search(text)
    scope: set[str] = set()
    if neg:
        if re.fullmatch(r"(?:na[iï]ve|untreated|free[ds]?|independen\w*|-free|failure|failures|stopped|failed)", neg.group(0).strip(), _I) \
                and not re.match(r"\s*(?:from|of|to)\b", text[neg.end():]):
            # "ESA-naive", "transfusion-free", "after HMA failure": the words before are what is absent
            scope_text = " ".join(re.split(r"[,;:()]", text[:neg.start()])[-1].split()[-1:])
        else:
            scope_text = " ".join(re.split(r"[,;:()]", text[neg.end():])[0].split()[:5])
        scope = _stems(scope_text) | {f"C:{cid}" for m in vocabulary.find(scope_text) for cid in m.concept_ids}
        scope |= {f"P:{name}" for name, pattern in _POPULATIONS if pattern.search(scope_text)}
    return Clause(text, stems, bool(neg), scope)


def _closest_clauses(clause: Clause, facts: Profile, *, share: float = 0.5) -> list[Clause]:
    """The clauses of its facts that share the most content words with a clause of the sentence: at least two,
    and at least `share` of the shorter clause's."""
    scored = []
    for fc in facts.clauses:
        common = len(clause.stems & fc.stems)
        if common >= 2 and common / max(1, min(len(clause.stems), len(fc.stems))) >= share:
            scored.append((common, fc))
    best = max((n for n, _ in scored), default=0)
    return [fc for n, fc in scored if n == best]


# A negation inside a relative or conditional qualifier: "people who could not have a transplant".
_QUALIFIER_NEGATION = re.compile(r"\b(?:who|that|which|whose|when|if|where)\s+(?:\w+\s+){0,2}?(?:(?:could|can|did|do|does|were|was|are|is|have|has|had)\s*(?:not|n't)|cannot|never)\b", _I)


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_SPLIT.split(text) if c and c.strip()]


def _negated_before(text: str, start: int) -> bool:
    return bool(_NEG_BEFORE.search(text[max(0, start - 60):start]))


# ---- profiles ---------------------------------------------------------------------------------


@dataclass
class Profile:
    """What a text (a fact, or a sentence) names and claims, as far as the checks need."""

    text: str
    concepts: set[str] = field(default_factory=set)  # concept ids
    concept_words: dict[str, str] = field(default_factory=dict)  # concept id -> surface seen
    drug_words: set[str] = field(default_factory=set)  # drug-shaped words the vocabulary does not know
    brands: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)  # brand (case-folded) -> (as written, concepts)
    generic_concepts: set[str] = field(default_factory=set)  # concepts named by a name that is not a brand
    names: set[str] = field(default_factory=set)  # capitalised words / acronyms, case-folded
    words: set[str] = field(default_factory=set)  # every word, case-folded
    populations: set[str] = field(default_factory=set)
    population_spans: list[tuple[int, int, str]] = field(default_factory=list)
    absent_populations: set[str] = field(default_factory=set)  # groups said to be absent ("without del(5q)")
    comparisons: set[tuple[str, str]] = field(default_factory=set)  # (better, worse) concept ids
    negated_comparisons: set[tuple[str, str]] = field(default_factory=set)  # "A did not do better than B"
    subjects: list[str] = field(default_factory=list)  # drugs and therapies in order of first mention
    equal_pairs: set[frozenset[str]] = field(default_factory=set)  # "A and B worked equally well"
    strengths: set[str] = field(default_factory=set)
    certainty: set[str] = field(default_factory=set)
    hedged: bool = False
    cures: list[bool] = field(default_factory=list)  # one per cure word: negated?
    frequencies: set[str] = field(default_factory=set)
    directions: set[tuple[str, str]] = field(default_factory=set)
    numbers: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (value, unit, comparison)
    number_texts: dict[str, str] = field(default_factory=dict)
    time_units: set[str] = field(default_factory=set)
    clauses: list[Clause] = field(default_factory=list)
    stems: set[str] = field(default_factory=set)
    concept_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    trials: set[str] = field(default_factory=set)  # names among a fact's terms the vocabulary does not know (COMMANDS, MDS-003)
    about: set[str] = field(default_factory=set)  # a fact's subject: the treatments of its terms and of its main clause's subject

    def alternative_groups(self) -> bool:
        """Whether the text's patient groups are offered as alternatives ("… or …")."""
        spans = sorted((s, e) for s, e, name in self.population_spans if name in _CORE_GROUPS)
        return len(spans) > 1 and bool(re.search(r"\bor\b", self.text[spans[0][1]:spans[-1][0]], _I))

    def in_population(self, cid: str, groups: set[str]) -> bool:
        """Whether every mention of concept `cid` lies inside the words of one of `groups`."""
        spans = self.concept_spans.get(cid, [])
        return bool(spans) and all(any(s < pe and ps < e and name in groups for ps, pe, name in self.population_spans)
                                   for s, e in spans)


# A study's name among a fact's terms: COMMANDS, MEDALIST, MDS-003, AZA-001, IMerge.
_TRIAL_SHAPE = re.compile(r"[A-Z][A-Z0-9]{3,}|[A-Z][A-Za-z]*-\d{2,4}|[A-Z]{1,3}[a-z]+[A-Z][A-Za-z]*")
_BRAND_SHAPE = re.compile(r"[A-Z][a-z]{2,}")
# A word introduced as a name: followed by an apposition ("Atgam, the horse ATG") or a bracket ("Binocrit (epoetin")
_INTRODUCED_NAME = re.compile(r"\s*(?:,\s+(?:the|a|an)\s|\()")  # "Epogen", "Revlimid": one capitalised word (generic names are lower-case)


def _is_brand(written: str, concept_ids: Iterable[str], vocabulary: Vocabulary) -> bool:
    """Whether a vocabulary mention is a drug's brand name: the vocabulary spells that surface form
    as one capitalised word ("Epogen"), as the ontology spells brands and never generic names."""
    key = written.casefold()
    for cid in concept_ids:
        if (vocabulary.kind({cid}) or "").casefold() != "drug":
            continue
        if key in vocabulary.brand_surfaces:
            return True
        if any(_BRAND_SHAPE.fullmatch(form) for form in vocabulary.surfaces_by_concept.get(cid, ()) if form.casefold() == key):
            return True
    return False


def _mask_names(text: str, vocabulary: Vocabulary) -> tuple[str, list]:
    mentions = vocabulary.find(text)
    spans = [(m.start, m.end) for m in mentions]
    spans += [(m.start(), m.end()) for m in _CYTOGENETICS.finditer(text)]
    spans += [(m.start(), m.end()) for m in _NAME_WITH_DIGITS.finditer(text)]
    return _blank(text, spans), mentions


def _comparison(text: str, start: int, end: int) -> str | None:
    """'up', 'down' or None: the comparison attached to the number at text[start:end]."""
    before = text[max(0, start - 40):start]
    after = text[end:end + 30]
    for direction, pattern in (("up", _UP_BEFORE), ("down", _DOWN_BEFORE)):
        if pattern.search(before):
            return direction
    for direction, pattern in (("up", _UP_AFTER), ("down", _DOWN_AFTER)):
        if pattern.match(after):
            return direction
    return None


_UP_BEFORE = re.compile(r"(?:\b(?<!\bno )(?<!\bnot )(?:above|over|more\s+than|greater\s+than|higher\s+than|exceed(?:s|ing|ed)?|at\s+least|older\s+than|aged\s+over|beyond|upwards\s+of|past"
                        r"|no\s+(?:lower|less|fewer|younger)\s+than|not\s+(?:below|under|less\s+than|lower\s+than|fewer\s+than)"
                        r"|in\s+excess\s+of|minimum\s+of)|≥|>=|>)\s*(?:about\s+|around\s+|roughly\s+|approximately\s+)?(?:the\s+age\s+of\s+)?$", _I)
_DOWN_BEFORE = re.compile(r"(?:\b(?<!\bno )(?<!\bnot )(?:below|under|less\s+than|fewer\s+than|lower\s+than|at\s+most|younger\s+than|aged\s+under|up\s+to|no\s+more\s+than"
                          r"|no\s+(?:higher|greater|older)\s+than|not\s+(?:above|over|more\s+than|higher\s+than|greater\s+than|exceeding)"
                          r"|maximum\s+of|beneath)|≤|<=|<)\s*(?:about\s+|around\s+|roughly\s+|approximately\s+)?(?:the\s+age\s+of\s+)?$", _I)
_UP_AFTER = re.compile(r"^\s*(?:%|percent|years?|months?|weeks?|days?|units?|[a-zA-Z/µ]+)?\s*(?:or|and)\s+(?:more|higher|above|over|older|greater|up)\b|^\s*\+", _I)
_DOWN_AFTER = re.compile(r"^\s*(?:%|percent|years?|months?|weeks?|days?|units?|[a-zA-Z/µ]+)?\s*(?:or|and)\s+(?:less|fewer|lower|below|under|younger)\b", _I)


def profile(text: str, vocabulary: Vocabulary, terms: Iterable[str] = (), numbers: Iterable[str] = ()) -> Profile:
    """The profile of a text; `terms` and `numbers` (a Fact's fields) add to what it names."""
    text = re.sub(r"\s+", " ", text or "").strip()
    p = Profile(text=text)
    masked, mentions = _mask_names(text, vocabulary)
    for m in mentions:
        p.concepts |= m.concept_ids
        for cid in m.concept_ids:
            p.concept_words.setdefault(cid, m.text)
        if _is_brand(m.text, m.concept_ids, vocabulary):
            p.brands.setdefault(m.text.casefold(), (m.text, m.concept_ids))
        else:
            p.generic_concepts |= m.concept_ids
    for term in terms:
        ids = vocabulary.concepts_by_surface.get(re.sub(r"\s+", " ", term).strip().casefold(), set())
        p.concepts |= ids
        if not ids and _TRIAL_SHAPE.fullmatch(term.strip()):
            p.trials.add(term.strip())
        p.words |= {w.casefold() for w in _WORD.findall(term)}
    concept_blanked = _blank(text, [(m.start, m.end) for m in mentions])
    for word in _WORD.findall(concept_blanked):
        if _looks_like_drug(word):
            p.drug_words.add(word.casefold())
    p.words |= {w.casefold() for w in _WORD.findall(text)}
    for m in _CAPITALISED.finditer(concept_blanked):
        word = m.group(1)
        if m.start() == 0 or re.search(r"[.!?:]\s*[\"'(]?$", concept_blanked[:m.start()]):
            if not any(ch.isupper() for ch in word[1:]) and not _INTRODUCED_NAME.match(concept_blanked, m.end()):
                continue  # an ordinary word that starts a sentence (not "Atgam, the horse ATG, …")
        p.names.add(word.casefold())
    for name, pattern in _POPULATIONS:
        for m in pattern.finditer(text):
            if name == "transfusion-dependent" and _OUTCOME_WITHOUT.search(text[max(0, m.start() - 60):m.start()]):
                continue  # "went a year without needing transfusions": an outcome, not a group
            if _GROUP_NEGATED.search(text[max(0, m.start() - 30):m.start()]) or (
                    name not in _NEGATIVE_GROUPS and re.search(r"\bnot\b|n't", m.group(0))):
                p.absent_populations.add(name)
                continue
            p.populations.add(name)
            p.population_spans.append((m.start(), m.end(), name))
    p.concept_spans = {}
    for m in mentions:
        for cid in m.concept_ids:
            p.concept_spans.setdefault(cid, []).append((m.start, m.end))
    rest = text
    for name, pattern in _STRENGTHS:
        found = list(pattern.finditer(rest))
        for m in found:
            negated = name in ("recommended", "approved", "option") and re.search(
                r"(?:\bnot|\bno|\bnever|n't)\s+(?:(?:\w+\s+){0,3}|(?:a|an)\s+\w+,\s+)$", rest[max(0, m.start() - 40):m.start()], _I) \
                or _NOT_A_BEFORE.search(text[max(0, m.start() - 40):m.start()]) and text[max(0, m.start() - 2):m.start()] == ", "
            if negated and name == "option":
                continue  # "does not rank these options": no claim
            if name == "option" and re.fullmatch(r"\s*tried", m.group(0), _I) and _TRIED_WHEN.search(rest[max(0, m.start() - 80):m.end()]):
                continue  # "when decitabine is tried after azacitidine has failed": the condition of a result, not an option
            if name == "not recommended" and re.search(_TRIAL_ONLY_NOT, rest, _I):
                continue  # "not to be used outside a trial": only in trials (not established)
            if name == "recommended" and re.match(r"\s*only\b", text[m.end():], _I):
                continue  # "should be used only in a trial": a restriction, not a recommendation
            if name == "recommended" and _COMPARATOR_BEFORE.search(rest[max(0, m.start() - 40):m.start()]) and \
                    re.match(r"(?:the\s+)?(?:gold[- ])?(?:standard|usual|routine)", m.group(0), _I):
                continue  # "than standard care", "compared with usual care": the comparison arm, not a claim
            p.strengths.add("not established" if negated else name)
        if found:
            rest = _blank(rest, [(m.start(), m.end()) for m in found])
    for m in _CERTAIN.finditer(text):
        if m.group(0).casefold() in ("proven", "proves", "prove", "guaranteed", "definitely", "certainly", "completely", "totally") and \
                _NOT_A_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
            continue  # "not a proven, established treatment", "not guaranteed": no certainty claimed
        p.certainty.add(re.sub(r"\s+", " ", m.group(0).casefold()))
    p.hedged = bool(_HEDGE.search(text))
    for m in _CURE.finditer(text):
        p.cures.append(_negated_before(text, m.start()))
    for name, pattern in _FREQUENCY:
        if pattern.search(masked):
            p.frequencies.add(name)
    numbers_blanked = re.sub(r"\d", "0", masked)  # direction words are looked for outside numbers too
    # "… rather than waiting": the rejected alternative does not give the text's direction
    numbers_blanked = re.sub(r"\b(?:rather\s+than|instead\s+of)\b[^.;:,]*", " ", numbers_blanked, flags=_I)
    for axis, direction, pattern in _DIRECTIONS:
        if pattern.search(numbers_blanked):
            p.directions.add((axis, direction))
    seen: set[tuple[str, str | None, str | None]] = set()
    for n in extract_numbers(masked, vocabulary):
        comparison = _comparison(masked, n.start, n.end)
        key = (n.value, n.unit, comparison)
        if key not in seen:
            seen.add(key)
            p.numbers.append(key)
            p.number_texts.setdefault(n.value, n.text)
    for raw in numbers:
        masked_raw, _ = _mask_names(str(raw), vocabulary)
        for n in extract_numbers(masked_raw, vocabulary):
            key = (n.value, n.unit, None)
            digits = re.escape(str(raw).strip())
            if n.unit is None and re.search(rf"(?<![\w.]){digits}", text) and not re.search(rf"(?<![\w.]){digits}(?![\w])", masked):
                continue  # a number its text has only inside a name (the 5 of "5q deletion")
            if not any(v == n.value and u == n.unit for v, u, _ in p.numbers):
                p.numbers.append(key)
    p.time_units = {m.group(0).casefold().rstrip("s") for m in _TIME_SPAN.finditer(text)}
    for clause in _clauses(text):
        p.clauses.append(_clause(clause, vocabulary))
    for m in mentions:
        for cid in sorted(m.concept_ids):
            if (vocabulary.kind({cid}) or "").casefold() in ("drug", "therapy") and cid not in p.subjects:
                p.subjects.append(cid)
    p.comparisons = _comparisons(text, vocabulary, p)
    p.stems = _stems(text)
    return p


def _treatments(ids: Iterable[str], vocabulary: Vocabulary) -> set[str]:
    return {cid for cid in ids if (vocabulary.kind({cid}) or "").casefold() in ("drug", "therapy")}


# The subject of a main clause: a pronoun ("It …", "They …", "Adding one to …"), or a treatment its first
# words name ("Transplant is …", "a donor stem cell transplant is …", "horse ATG with …").
_MAIN_PRONOUN = re.compile(r"\s*(?:it|its|they|their|these|this|those|such|(?:\w+ing\s+)?one)\b", _I)
_SUBJECT_LEAD = re.compile(r"\s*(?:(?:a|an|the|both|each|oral|injected|donor|horse|allogeneic)\s+){0,3}", _I)


def _text_subject(text: str, vocabulary: Vocabulary) -> tuple[str, set[str]]:
    """('pronoun' | 'named' | 'unknown', treatments): what the main clause of a text is about, after
    its opening clauses ("In people who …, luspatercept beat …" is about luspatercept)."""
    start = 0
    for _ in range(3):
        opening = _SUBORDINATE_OPENING.match(text, start)
        if not opening:
            break
        start = opening.end()
    if _MAIN_PRONOUN.match(text, start):
        return "pronoun", set()
    for mention in sorted(vocabulary.find(text), key=lambda x: x.start):
        if mention.start < start:
            continue
        lead = _SUBJECT_LEAD.match(text, start)
        if lead and mention.start <= lead.end():
            return "named", _treatments(mention.concept_ids, vocabulary)
        break
    return "unknown", set()


# A fact whose subject is a pronoun after a short opening without a comma: "In MDS they are used to …".
_LEAD_PRONOUN = re.compile(r"^\s*(?:in|for|among|with)\s+(?:[\w()-]+\s+){1,2}(?:it|they)\s+(?:is|are|was|were|can|may|have|has|should|work|help)\b", _I)


def fact_profiles(facts: Sequence[Fact], vocabulary: Vocabulary) -> list[Profile]:
    """Profiles of facts in prompt order; a fact that starts with a pronoun also names the
    concepts (and groups) of the fact before it in the same section."""
    profiles: list[Profile] = []
    for i, fact in enumerate(facts):
        p = profile(fact.text, vocabulary, fact.terms, fact.numbers)
        how, subject = _text_subject(fact.text or "", vocabulary)
        p.about = _treatments({cid for term in fact.terms
                               for cid in vocabulary.concepts_by_surface.get(re.sub(r"\s+", " ", term).strip().casefold(), set())}, vocabulary) | subject
        if (how == "pronoun" or _LEAD_PRONOUN.match(fact.text or "")) and i > 0:
            same = [j for j in range(i - 1, -1, -1) if facts[j].section == fact.section]
            p.about |= profiles[same[0] if same else i - 1].about
            p.concepts |= p.about  # "They should only be used …" names what "They" stands for
        if i > 0 and (_PRONOUN_START.match(fact.text or "") or _LEAD_PRONOUN.match(fact.text or "")
                      or (not p.subjects and _PRONOUN_ANY.search(fact.text or ""))):
            same = [j for j in range(i - 1, -1, -1) if facts[j].section == fact.section]
            before = profiles[same[0] if same else i - 1]
            p.concepts |= before.concepts
            for cid, surface in before.concept_words.items():
                p.concept_words.setdefault(cid, surface)
            p.drug_words |= before.drug_words
            p.names |= before.names
            p.words |= before.words
            p.stems |= before.stems
            for clause in p.clauses:
                if _PRONOUN_ANY.search(clause.text):
                    clause.add_concepts(before.concepts)
            if not p.subjects:
                p.subjects = list(before.subjects)
            if not p.comparisons:
                p.comparisons = _comparisons(fact.text, vocabulary, p)
        profiles.append(p)
    return profiles


# ---- the check --------------------------------------------------------------------------------


def _merge(profiles: Sequence[Profile]) -> Profile:
    merged = Profile(text="\n".join(p.text for p in profiles))
    for p in profiles:
        merged.concepts |= p.concepts
        merged.concept_words.update(p.concept_words)
        merged.drug_words |= p.drug_words
        merged.names |= p.names
        merged.words |= p.words
        merged.populations |= p.populations
        merged.absent_populations |= p.absent_populations
        merged.strengths |= p.strengths
        merged.certainty |= p.certainty
        merged.hedged = merged.hedged or p.hedged
        merged.cures.extend(p.cures)
        merged.frequencies |= p.frequencies
        merged.directions |= p.directions
        merged.numbers.extend(p.numbers)
        merged.time_units |= p.time_units
        merged.clauses.extend(p.clauses)
        merged.comparisons |= p.comparisons
        merged.equal_pairs |= p.equal_pairs
        merged.stems |= p.stems
        merged.trials |= p.trials
        merged.about |= p.about
    return merged


def _short(text: str, limit: int = 70) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class SentenceVerdict:
    ok: bool
    problems: tuple[str, ...]  # "rule: detail"
    rules: tuple[str, ...]  # the rules that failed


def check_sentence(
    text: str,
    kind: str,
    cited: Sequence[Profile],
    vocabulary: Vocabulary,
    *,
    answer_facts: Sequence[Profile] = (),
    antecedent: Profile | None = None,
    earlier: Sequence[Profile] = (),
) -> SentenceVerdict:
    """Problems of one sentence against the profiles of the facts it cites (`cited`).

    `answer_facts`: every fact of the answer; a question for the doctor that cites nothing may
    name what the answer's facts name. `antecedent`: the sentence before this one in the reply; a
    sentence that starts with a pronoun ("It is preferred …") speaks of its first treatment, or, when it
    names none, of the first treatment of the sentences before it (`earlier`, newest first).
    Dose and schedule wording is refused unless it is its cited facts' own words.
    Problems read "<rule>: <what is wrong>"."""
    problems: list[str] = []

    def fail(rule: str, detail: str) -> None:
        item = f"{rule}: {detail}"
        if item not in problems:
            problems.append(item)

    text = re.sub(r"\s+", " ", text or "").strip()
    if not text:
        return SentenceVerdict(False, ("citation: empty sentence",), ("citation",))
    if kind not in KINDS:
        return SentenceVerdict(False, (f"kind: unknown kind {kind!r}",), ("kind",))

    facts = _merge(cited) if cited else Profile(text="")
    everything = _merge(answer_facts) if answer_facts else facts
    if kind == "statement" and cited:
        text = _read_as_facts_say(text, cited, vocabulary)  # "the first has failed", "just over four in ten (42.9%)" …
    # "… for selected people rather than for everyone": the rejected alternative restates a limit its facts give
    # ("selected", "some"); it is read as no claim (the same words as the sentence's claim stay: "for everyone").
    if kind == "statement" and _LIMITED.search(facts.text):
        text = _RATHER_THAN_ALL.sub(lambda m: " " * len(m.group(0)) if _LIMITED.search(text[:m.start()]) else m.group(0), text)
    s = profile(text, vocabulary)
    if antecedent is not None:
        pronoun = _pronoun_subject(text, s, vocabulary, later=kind == "statement")
        if pronoun:
            _refer(s, antecedent, facts, vocabulary, fail, cited, earlier, pronoun=pronoun)
        # "In that group, …", "These patients …": the patient groups of the sentence before, held to its facts.
        if kind == "statement" and _THAT_GROUP.search(text):
            # (a risk group left unsaid by facts that name none is no conflict: "lower-risk" where they say nothing of risk)
            s.populations |= {g for g in antecedent.populations - s.absent_populations
                              if g not in _RISK_GROUPS or facts.populations & _RISK_GROUPS}
            s.absent_populations |= antecedent.absent_populations - s.populations

    # Refusals whatever the facts say (dose wording: unless the cited facts say it so).
    if _MARKUP.search(text):
        fail("markup", "contains markup, a link, a citation mark or an instruction")
    unnamed = _blank(text, [(x.start, x.end) for x in vocabulary.find(text)])
    own_words = re.sub(r"\s+", " ", facts.text).casefold()
    for pattern in _DOSE:
        found = [m for m in pattern.finditer(unnamed)
                 if not (_TRANSFUSION_NEED.search(unnamed[max(0, m.start() - 60):m.start()]) and re.search(r"weeks?\b", m.group(0)))
                 and re.sub(r"\s+", " ", m.group(0).strip()).casefold() not in own_words
                 and not (pattern is _DOSE_WORDS and _own_dose_practice(m.group(0), unnamed, facts.text))
                 and not (kind == "not_covered" and pattern is _DOSE_WORDS and not re.search(r"\d", m.group(0)))]
        if found:
            fail("dose", f"dose or schedule language ({found[0].group(0).strip()!r})")
            break
    for pattern in _DIRECTIVE + (_DIRECTIVE_STATEMENT if kind == "statement" else []):
        m = pattern.search(text)
        if m and not (kind == "doctor_question" and re.match(r"^\s*(?:ask|try)\b", m.group(0), _I)):
            fail("directive", f"tells the reader what to do ({m.group(0).strip()!r})")
            break
    else:
        if kind == "statement":
            bare = _bare_imperative(text)
            if bare:
                fail("directive", f"tells the reader what to do (a bare imperative: {bare!r})")

    if kind == "not_covered":
        if cited:
            fail("kind", "a 'not covered' sentence cites facts")
        if not _NOT_COVERED_CUE.search(text):
            fail("kind", "a 'not covered' sentence must say what the sources do not cover")
        clinical = []
        # What the answer's facts name may be named, also as a group they speak of ("hypocellular MDS"
        # where they say "hypocellular lower-risk MDS") or in their own words.
        foreign = {s.concept_words.get(c, c) for c in s.concepts - everything.concepts
                   if not s.in_population(c, everything.populations)
                   and s.concept_words.get(c, c).casefold() not in everything.text.casefold()}
        foreign |= {w for w in s.drug_words if w not in everything.words}
        if foreign:
            clinical.append("names " + ", ".join(sorted(foreign)) + ", which the answer's facts do not")
        if any(not _SMALL_COUNT.match(s.number_texts.get(v, v)) or u is not None for v, u, _ in s.numbers):
            clinical.append("states a number")
        # "… do not say who should not be given it": a strength inside what is asked is not stated
        asked_removed = _INDIRECT_QUESTION.sub(" ", re.sub(r"(?<!,)(?<!,\s)\b(?:who|which|when|where|that)\b[^,;]*", " ", text, flags=_I))
        if s.strengths - {"option"} and profile(asked_removed, vocabulary).strengths - {"option"}:
            clinical.append("states a strength of recommendation")
        if s.comparisons or s.negated_comparisons or s.equal_pairs:
            clinical.append("makes a comparison")
        beyond = _BEYOND_CLAIM.search(text)
        if beyond:
            clinical.append(f"says what its sources do say ('{_short(beyond.group(0).strip(), 40)}')")
        claims = unlicensed(asked_removed, [])
        if claims:
            clinical.append(f"makes a claim ('{claims[0].word}')")
        for part in re.split(r",?\s*\b(?:but|although|though|however|yet|while|whereas)\b|;|,\s*(?:which|who|where|as|since|because|so|and)\b", text, flags=_I)[1:]:
            # (a later part is a claim unless it too says what is not covered: "they do not apply" is a claim)
            if (len(_stems(part)) >= 2 or _EVALUATIVE.search(part)) and not ((_NOT_COVERED_CUE.search(part) or re.search(r"\b(?:this|the|our)\s+answer\b", part, _I))
                                                                                  and _SAYS_NOT_PART.search(part)):
                clinical.append("adds a claim after saying what is not covered")
                break
        else:
            # "…, which are low": a relative clause is a claim about what the sources do not cover, however short (session 11)
            added = _added_relative_claim(text, broad=True)
            if added:
                clinical.append(f"adds a claim after saying what is not covered ('{_short(added.group(0).lstrip(', '), 40)}')")
        # What an indirect question asks ("how long it is usually continued") is not said.
        stated = _INDIRECT_QUESTION.sub(" ", text)
        if any(not neg for neg in s.cures) or _CERTAIN.search(stated):
            clinical.append("makes a claim")
        if {name for name, pattern in _FREQUENCY if pattern.search(stated)} - {"some"}:
            clinical.append("says how often")
        for item in clinical:
            fail("kind", f"a 'not covered' sentence has clinical content ({item})")
        return SentenceVerdict(not problems, tuple(problems), tuple(dict.fromkeys(p.split(":")[0] for p in problems)))

    if kind == "doctor_question":
        if not text.endswith("?"):
            fail("kind", "a question for the doctor must end with '?'")
        outcome = _PRESUPPOSED_OUTCOME.search(text) or _PRESUPPOSED_LASTING.search(text)
        if outcome and _ASKS_IF.search(text):
            outcome = None
        if outcome:
            fail("certainty", f"a question takes the outcome for granted ('{_short(outcome.group(0), 50)}')")
        # "When will my transplant be scheduled?": takes for granted that it will be given, where its facts do not recommend it
        happens = _PRESUPPOSED_TREATMENT.search(text)
        if happens and "recommended" not in facts.strengths:
            fail("strength", f"a question takes for granted that the treatment will be given ('{_short(happens.group(0), 50)}'); its facts do not recommend it")
        # "Which trial would give me the best chance of remission?": takes that chance for granted
        chance = _BEST_CHANCE.search(text)
        if chance:
            wanted = _stems(chance.group(1)) - {"chance", "getting", "having"}
            if not (wanted & facts.stems) or not (facts.strengths - {"not established", "not recommended", "last resort"}
                                                  or (_shows_effect(facts.text) and not _POOR_EFFECT.search(facts.text))):
                fail("strength", f"a question takes for granted that it offers a chance of that ('{_short(chance.group(0), 50)}'); its facts do not say so")
        # "What are its response rates, which are low?": a relative clause states a claim, held to the facts cited (session 11)
        added = _added_relative_claim(text)
        if added and not cited:
            fail("kind", f"a question embeds a claim ('{_short(added.group(0).lstrip(', '), 40)}')")
        elif added:
            claim = added.group("rest")
            _check_premise(claim, facts, fail)
            _check_wording(claim, cited, vocabulary, fail)
            _check_claims(profile(claim, vocabulary), facts, vocabulary, fail, question=False, cited=cited, context=answer_facts)
        if not cited:
            # No facts: it may only ask, about what the answer names.
            premise = _PREMISE.search(text)
            if premise:
                fail("kind", "a question embeds a claim ('" + premise.group(0).strip(" ,") + " …')")
            _check_names(s, everything, vocabulary, fail, treatments_only=True)
            known = {(v, u) for v, u, _ in everything.numbers} | {(v, None) for v, _, _ in everything.numbers}
            strange = [v for v, u, _ in s.numbers if (v, u) not in known]
            if strange:
                fail("number", f"a question states a number its answer's facts do not ({strange[0]})")
            if any(not neg for neg in s.cures):
                fail("cure", "a question speaks of a cure")
            if s.certainty - {"will"}:
                fail("certainty", "a question states a certainty (" + ", ".join(sorted(s.certainty)) + ")")
            if s.frequencies - {"some"}:
                fail("frequency", "a question says how often (" + ", ".join(sorted(s.frequencies)) + ")")
            return SentenceVerdict(not problems, tuple(problems), tuple(dict.fromkeys(p.split(":")[0] for p in problems)))
        # A question that cites facts: its claims are held to them, but asking about a
        # recommendation is not making one.
        premise = _PREMISE.search(text)
        claim_first = _STATED_BEFORE_QUESTION.match(text)
        if premise:
            _check_premise(_premise_text(text, premise), facts, fail)
            _check_wording(_premise_text(text, premise), cited, vocabulary, fail)
        elif claim_first:
            # "My clone means IST will work, so when can I start ATG?": a claim stated before the question
            claim = claim_first.group(1)
            _check_premise(claim, facts, fail)
            _check_wording(claim, cited, vocabulary, fail)
            _check_claims(profile(claim, vocabulary), facts, vocabulary, fail, question=False, cited=cited, context=answer_facts)
        elif _PRESUPPOSING_QUESTION.search(text):
            _check_premise(text, facts, fail)
        elif _ASKS_WHETHER.search(text):
            # "Did my karyotype show a 5q deletion?": asking whether a test found something makes no
            # claim; the finding may be anything the answer's facts name (also as absent: "without del(5q)").
            facts = _merge(list(cited) + list(answer_facts))
            facts.populations |= facts.absent_populations
            facts.clauses = []  # and has no polarity to keep
        _check_claims(s, facts, vocabulary, fail, question=premise is None, cited=cited, context=answer_facts)
        return SentenceVerdict(not problems, tuple(problems), tuple(dict.fromkeys(p.split(":")[0] for p in problems)))

    # statement
    if not cited:
        fail("citation", "a statement cites no fact")
        return SentenceVerdict(False, tuple(problems), tuple(dict.fromkeys(p.split(":")[0] for p in problems)))
    if text.endswith("?"):
        fail("kind", "a statement written as a question")
    _check_claims(s, facts, vocabulary, fail, question=False, cited=cited, context=answer_facts)
    _check_wording(text, cited, vocabulary, fail)
    _check_only_one(text, facts, fail)
    _check_denied_requirement(text, facts, fail)
    _check_background_subject(text, cited, vocabulary, fail)
    _check_result_from_other_fact(text, cited, vocabulary, fail)
    _check_median_and_measure(text, s, cited, fail)
    _check_time_order(text, cited, fail)
    _check_share_denominator(text, cited, fail)
    _check_share_promise(text, cited, fail)
    _check_waiting(text, cited, fail)
    _check_paired_shares(text, cited, fail)  # session 11, helper P2: subtle drifts
    _check_share_difference(text, cited, fail)
    _check_absolute_negative(text, cited, fail)
    _check_given_alone(text, cited, vocabulary, fail)
    _check_disease_cells(text, cited, fail)
    _check_dropped_condition(s, cited, fail)
    return SentenceVerdict(not problems, tuple(problems), tuple(dict.fromkeys(p.split(":")[0] for p in problems)))


_SUBORDINATE_OPENING = re.compile(r"^\s*(?:while|when|whenever|if|after|before|although|though|since|because|once|until|for|in|among|during|with|on|according\s+to)\b[^,]{0,200},\s*", _I)

# A "not covered" sentence that goes on to say what the sources do say: "… beyond the fact that it works".
_BEYOND_CLAIM = re.compile(r"\b(?:beyond|except|other\s+than|apart\s+from|aside\s+from|besides|save\s+for|but\s+for)\s+(?:for\s+)?(?:the\s+(?:fact|point|finding|note)\s+)?"
                           r"(?:that|saying|noting|stating|mentioning|showing|reporting|telling\s+us)\b[^.;]*", _I)
# A yes/no question about the patient's own results: "Did my karyotype show …?", "… and is there a …?"
_ASKS_WHETHER = re.compile(r"(?:^\s*|[,;]\s*(?:and\s+|or\s+)?)(?:did|does|do|is|are|was|were|has|have|had)\s+(?:there|my|i|it|the|a|an|any)\b", _I)

# A bare imperative at the start of the main clause, after an opening "If …," / "With …," / "Once …,"
# clause or after ", so" / "; ": "With lower-risk MDS, ask for IST first."
_IMPERATIVE_OPENING = re.compile(r"^\s*(?:if|when|whenever|once|with|for|before|after|while|since|because|as\s+soon\s+as|in|on|given|until|unless|to|"
                                 r"going\s+by|based\s+on|judging\s+by|from|looking\s+at|considering|at\s+this\s+(?:point|stage)|now|first|next|then|so)\b[^,]{0,200},\s*", _I)
_IMPERATIVE = re.compile(
    r"(?:please\s+)?(?:take|start|stop|begin|avoid|double|skip|switch|try|get|insist|demand|refuse|quit|request|ask\s+(?:for|about|your|to)|push\s+for|"
    r"go\s+(?:with|for|ahead)|opt\s+for|choose|pick|consider|book|call|schedule|arrange|sign\s+up|enrol|enroll|join|make\s+sure|look\s+for|"
    r"apply|keep|wait|plan|delay|hold\s+off|contact|speak\s+(?:to|with)|talk\s+(?:to|with)|discuss|see\s+(?:your|a)|remember|don['’]t|do\s+not|"
    r"use|continue|increase|decrease|aim|target|find|seek|press\s+for|hold\s+out\s+for|stick\s+with|go\s+on)\b"
    r"(?!\s+(?:of|is|are|was|were|can|may|might|should|will|would|has|have|had|could|must)\b)", _I)


def _bare_imperative(text: str) -> str | None:
    """The verb of a main clause that is a bare imperative, after an opening clause or a ", so" / ";"."""
    starts = []
    opening = _IMPERATIVE_OPENING.match(text)
    if opening:
        starts.append(opening.end())
    starts += [m.end() for m in re.finditer(r",\s*(?:so|then|and\s+then|and\s+so)\s+|;\s*|:\s*(?=[a-z])", text, _I)]
    for start in starts:
        m = _IMPERATIVE.match(text, start)
        if m:
            return m.group(0).strip()
    return None
# The subject of a sentence that is no treatment, which a following "It" stands for: "Placebo freed only 6% …"
# (not "The trial was randomised. It freed …", where "It" reaches back to the drug).
_NON_TREATMENT_SUBJECT = re.compile(r"\s*((?:the\s+)?(?:placebo(?:\s+(?:group|arm))?|comparator\s+arm|control\s+(?:group|arm)|hormone))\b"
                                    r"(?!\s+(?:of|with|for|in|on|to)\b)", _I)
_PEOPLE_SUBJECT = re.compile(r"\s*(?:the\s+|most\s+|some\s+|many\s+)?(?:people|patients|participants|those|adults|men|women|persons)\b", _I)
_PLURAL_SUBJECT = re.compile(r"(?:^|[,;]\s*(?:and\s+|but\s+)?)(?:the\s+)?([a-z][a-z-]+s)\s+(?:are|were|can|may|might|have|had|help|work)\b", _I)


# The subject of a sentence that names no treatment: "erythropoietin is the hormone …", "The serum EPO level tells …".
_NOUN_SUBJECT = re.compile(r"\s*(?:the\s+|a\s+|an\s+|your\s+)?((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+(?:is|was|are|were|can|may|might|has|had|tells?|makes?|measures?|shows?)\b", _I)
_GENERIC_TREATMENT = re.compile(r"\b(?:treatments?|therapy|therapies|drugs?|medicines?|medications?|injections?|infusions?|procedures?|transplants?|options?|it|this|that|they)\b", _I)
# Treatments named only as "the others": "other treatments", "alternative drugs".
_OTHER_TREATMENTS = re.compile(r"\b(other|alternative|different|further|newer|older)\s+(treatments|therapies|medicines|drugs|options|agents|approaches)\b", _I)
# A phrase that points at the patient group of the sentence before: "in that group", "these patients".
_THAT_GROUP = re.compile(r"\b(?:that|this|these|those|such|the\s+same)\s+(?:group|groups|population|subgroup|patients|people|setting|situation|cases?)\b", _I)

# "The comparator", "the other drug", "the second of these": the treatment named after the first one.
_OTHER_ONE_WORDS = (r"(?:the\s+(?:comparator|comparison\s+(?:drug|treatment|medicine|arm)|other\s+(?:drug|one|treatment|medicine|arm|option)|"
                    r"latter|second(?:\s+(?:one|drug|medicine|treatment|of\s+(?:these|those|them|the\s+two)))?)"
                    # "that earlier medicine", "the previous drug", "this alternative treatment": not the one the sentence before is about
                    r"|(?:the|that|this)\s+(?:earlier|previous|prior|older|alternative|competing|comparison|other)\s+"
                    r"(?:drug|medicine|treatment|therapy|agent|option|one|product))\b")
_OTHER_ONE = re.compile(r"^\s*" + _OTHER_ONE_WORDS, _I)
_OTHER_ONE_ANY = re.compile(r"\b" + _OTHER_ONE_WORDS, _I)
# What a comparison's second arm follows: "compared with", "versus", "than", "against".
_VERSUS_BEFORE = re.compile(r"\b(?:compared\s+(?:with|to|against)|versus|vs\.?|against|than|over|rather\s+than|instead\s+of)\s+(?:the\s+|an?\s+)?$", _I)


def _pronoun_subject(text: str, s: Profile, vocabulary: Vocabulary, later: bool = True) -> str | None:
    """The pronoun or referring phrase a sentence's subject is ("It", "These medicines", "The comparator"): at its
    start, or, in a sentence that names no treatment, at the start of its main clause ("Because …, it should …")."""
    m = _OTHER_ONE.match(text) or _PRONOUN_START.match(text)
    if m:
        return m.group(0).strip()
    m = _GERUND_PRONOUN.match(text)  # "Adding it to azacitidine …": the pronoun object of a gerund subject (session 11)
    if m:
        return m.group(1)
    if not later:
        return None  # (a question's "they" is its own: "Which treatments have I had, and how well did they work?")
    m = _OTHER_ONE_ANY.search(text)  # "… were more common with the comparator"
    if m:
        return m.group(0).strip()
    # A treatment the sentence names before the pronoun is what the pronoun stands for ("Azacitidine … and it …");
    # one named after it is not ("In a randomized trial it was added to azacitidine").
    # (a treatment named inside a patient group — "not a transplant candidate", "has not had an HMA fail" — is a
    # condition, not what the pronoun can stand for)
    in_group = [(b, e) for b, e, _g in s.population_spans]
    named_from = min((b for c, spans in s.concept_spans.items() if (vocabulary.kind({c}) or "").casefold() in ("drug", "therapy")
                      for b, e in spans if not any(gb <= b and e <= ge for gb, ge in in_group) and not _negated_before(text, b)
                      and not _failed_before(text, b, e)),
                     default=len(text))
    m = _REFERRING_PHRASE.search(text, 0, named_from)  # "The amount of this medicine …"
    if m:
        return m.group(0).strip()
    # "With it, blood counts often drop …": an opening that is only the pronoun's phrase (session 11, P2)
    m = re.match(r"^\s*(?:with|on|after|taking|using|while\s+on|while\s+taking)\s+(it|them)\s*,", text, _I)
    if m:
        return m.group(1)
    opening = _SUBORDINATE_OPENING.match(text) or re.match(r"^\s*(?:because|since|as|so|given\s+that)\b[^,]{0,200},\s*", text, _I)
    while opening and opening.end() <= named_from:
        m = re.match(r"(?:it|they|these|those)\b", text[opening.end():], _I)
        if m:
            return m.group(0)
        m = _GERUND_PRONOUN.match(text, opening.end())
        if m:
            return m.group(1)
        # "In higher-risk MDS, for someone who …, it is …": an opening clause after another
        opening = _SUBORDINATE_NEXT.match(text, opening.end()) if opening.end() < len(text) else None
    # "In MDS studies it was also given weekly": a pronoun as the subject of a clause, not "it is possible to …"
    for m in _PRONOUN_SUBJECT.finditer(text, 0, named_from):
        if _EXPLETIVE_IT.match(text, m.start()) or (m.group(1).casefold() == "they" and _OWN_PLURAL.search(text, 0, m.start())):
            continue
        return m.group(1)
    # "… were seen more often with it.": the object of a sentence that names no treatment before it
    m = _OBJECT_PRONOUN.search(text, 0, named_from)
    if m and named_from == len(text):
        return m.group(1)
    return None


_SUBORDINATE_NEXT = re.compile(_SUBORDINATE_OPENING.pattern.removeprefix("^"), _I)
# A treatment named as what failed before: "after an ESA had not worked", "once azacitidine has failed" (session 11).
_FAILED_CONDITION_BEFORE = re.compile(r"\b(?:after|following|once|when|if|since|because)\s+(?:an?\s+|the\s+|their\s+|prior\s+|previous\s+)?$", _I)


def _failed_before(text: str, start: int, end: int) -> bool:
    """Whether the treatment at text[start:end] is named only as a condition that failed ("after an ESA had not worked")."""
    return bool(_FAILED_CONDITION_BEFORE.search(text[max(0, start - 30):start])) and bool(
        re.match(r"\s*(?:(?:had|has|have)\s+)?(?:failed|not\s+worked|stopped\s+working|did\s*(?:n't|\s+not)\s+work|no\s+longer\s+work\w*|"
                 r"was\s+not\s+tolerated|(?:had|has)\s+not\s+(?:worked|helped))\b", text[end:end + 40], _I))


# A gerund subject whose object is a pronoun: "Adding it to azacitidine did not help", "Combining them with an ESA …".
_GERUND_PRONOUN = re.compile(r"\s*(?:adding|combining|giving|using|starting|stopping|taking|trying|continuing|pairing|switching\s+to|switching)\s+(it|them)\b", _I)
_REFERRING_PHRASE = re.compile(r"\b(?:this|that|the\s+same)\s+(?:drug|medicine|medication|treatment|therapy|injection|infusion|agent)\b", _I)
_OBJECT_PRONOUN = re.compile(r"\b(?:with|on|after|from|by|taking|given|receiving|using|to)\s+(it|them)\b(?!\s+(?:is|was|to)\b)", _I)


_OWN_PLURAL = re.compile(r"\b(?:treatments|drugs|medicines|options|therapies|agents|people|patients|studies|trials)\b", _I)
_PRONOUN_SUBJECT = re.compile(r"\b(it|they)\s+(?:(?:is|was|are|were)\s+(?:also\s+|usually\s+|often\s+|then\s+)?(?:given|used|taken|stopped|continued|injected|"
                              r"started|offered|approved|tested|combined|added|meant|preferred|recommended|the\s+only|the\s+standard|an?\s+option)|can|could|may|might|should|has|had|have|will|needs?|works?|"
                              r"helps?|helped|causes?|caused|freed|frees|raises?|lowers?|brought|brings?|led|leads?|improves?|improved"
                              # "In a placebo-controlled trial it was well tolerated": any participle or claim adjective (session 10)
                              r"|(?:is|was|are|were)\s+(?:(?:well|poorly|generally|also|usually|often|widely|better|less|more|very|mostly|largely)\s+)?"
                              r"(?:[a-z]{3,}ed|shown|proven|safe|effective|active|useful|helpful|tolerable))\b", _I)
_EXPLETIVE_IT = re.compile(r"it\s+(?:is|was|will\s+be|can\s+be|may\s+be|might\s+be)\s+(?!(?:\w+ed|given|taken|used)\s+to\b)(?:\w+\s+)?(?:to|that|whether|how|why|when|unclear|unknown|possible|important|not\s+known)\b", _I)


def _listed_together(antecedent: Profile, treatments: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """The first run of two or more treatments named as a list ("azacitidine, decitabine or a transplant")."""
    run: list[tuple[int, str]] = []
    for start, cid in sorted(treatments):
        if run:
            prev_start, prev = run[-1]
            prev_end = next((e for b, e in antecedent.concept_spans.get(prev, []) if b == prev_start), prev_start)
            if re.fullmatch(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)(?:an?\s+|the\s+)?", antecedent.text[prev_end:start], _I):
                run.append((start, cid))
                continue
            if len({c for _, c in run}) >= 2:
                return run
        run = [(start, cid)]
    return run if len({c for _, c in run}) >= 2 else []


def _refer(s: Profile, antecedent: Profile, facts: Profile, vocabulary: Vocabulary, fail, cited: Sequence[Profile] = (),
           earlier: Sequence[Profile] = (), pronoun: str | None = None) -> None:
    """A sentence whose subject is a pronoun speaks of the first treatment of the sentence before (for
    "They", its first treatment named in the plural, or the treatments it lists together; for "the
    comparator" or "the other drug", the one named after the first); the facts it cites must be about it."""
    word = pronoun or s.text.split()[0]
    # The main clause's treatment: after an opening "While …, ", "When …, ", "For …, " clause.
    lead = _SUBORDINATE_OPENING.match(antecedent.text)
    main_from = lead.end() if lead else 0
    if _OTHER_ONE.match(word):
        named = sorted((start, cid) for cid, spans in antecedent.concept_spans.items() for start, _ in spans[:1]
                       if (vocabulary.kind({cid}) or "").casefold() in ("drug", "therapy"))
        named = [t for t in named if t[0] >= main_from] if len({c for st, c in named if st >= main_from}) >= 2 else named
        distinct = list(dict.fromkeys(cid for _, cid in named))
        if len(distinct) >= 2:
            # the arm named after "compared with" / "versus" / "than", else the one named after the first
            versus = [cid for start, cid in named if _VERSUS_BEFORE.search(antecedent.text[max(0, start - 40):start]) and cid != distinct[0]]
            other = versus[0] if versus else distinct[1]
            surface = antecedent.concept_words.get(other, other)
            subject = bool(_OTHER_ONE.match(s.text))
            if other not in facts.concepts and surface.casefold() not in facts.text.casefold():
                fail("concept", f"'{word}' stands for {surface} (the sentence before), which its facts do not name")
            elif subject and cited and all(f.about for f in cited) and other not in set().union(*(f.about for f in cited)):
                fail("concept", f"'{word}' stands for {surface} (the sentence before), but the facts it cites are about another treatment")
        return
    if re.match(r"\s*(?:they|them|their)\b", word, _I) and _PEOPLE_SUBJECT.match(antecedent.text, main_from):
        # "People with … had … . They …": the people, not a treatment; but where the facts it cites say "They"
        # of a treatment ("They should only be used within a trial"), their claim is not about people
        if cited and all(f.about and _PRONOUN_START.match(f.text) for f in cited):
            fail("concept", f"'{word}' stands for the people of the sentence before, but the facts it cites say it of a treatment")
        return
    non_treatment = _NON_TREATMENT_SUBJECT.match(antecedent.text, main_from)
    if non_treatment and re.match(r"\s*(?:it|its)\b", word, _I) and (s.strengths or s.concepts - facts.concepts or not cited
                                                              or any(f.about for f in cited)):
        fail("concept", f"'{word}' stands for {non_treatment.group(1)} (the subject of the sentence before), not a treatment its facts are about")
        return
    if re.match(r"\s*(?:it|its)\b", word, _I) and not any((vocabulary.kind({c}) or "").casefold() in ("drug", "therapy")
                                                          for sentence in (antecedent, *earlier) for c in sentence.concepts):
        # "In the body, erythropoietin is the hormone … . It can push blood pressure up.": "It" is that subject
        subject_np = _NOUN_SUBJECT.match(antecedent.text, main_from)
        phrase = subject_np.group(1) if subject_np else ""
        content = [w for w in _WORD.findall(phrase) if w.casefold() not in _STOP]
        said = {w.casefold().rstrip("s") for w in _WORD.findall(facts.text)}
        if content and not _GENERIC_TREATMENT.search(phrase) and not any(w.casefold().rstrip("s") in said for w in content):
            fail("concept", f"'{word}' stands for {phrase} (the subject of the sentence before), which its facts do not name")
            return
    treatments = sorted((start, cid) for cid, spans in antecedent.concept_spans.items() for start, _ in spans[:1]
                        if (vocabulary.kind({cid}) or "").casefold() in ("drug", "therapy")
                        and not _OUTCOME_NAME.search(antecedent.concept_words.get(cid, "")))
    firsts = [t for t in treatments if t[0] >= main_from] or treatments
    # Number agreement: "They" stands for a treatment named in the plural ("hypomethylating agents") or
    # for two or more named together; "It" for one named in the singular.
    plural_pronoun = bool(re.match(r"\s*(?:they|these|those|their|them)\b", word, _I))
    others = _OTHER_TREATMENTS.search(antecedent.text)
    if plural_pronoun and others and not re.search(r"\b" + re.escape(others.group(1)) + r"\s+" + re.escape(others.group(2)), facts.text, _I):
        # "… advise other treatments instead of an ESA. These work best …": the other treatments, which its facts do not speak of
        fail("concept", f"'{word}' may stand for the {others.group(0)} of the sentence before, which its facts do not speak of")
        return
    named_plural = [t for t in firsts if re.search(r"(?<!s)s$", antecedent.concept_words.get(t[1], ""), _I)]
    if plural_pronoun:
        firsts = named_plural or _listed_together(antecedent, firsts) or (firsts if len({c for _, c in firsts}) >= 2 else [])
    else:
        # "this medicine" after "ESAs are given …": a class named in the plural, spoken of as one medicine
        firsts = [t for t in firsts if t not in named_plural] or \
            (named_plural if re.match(r"\s*(?:this|that|the\s+same)\s", word, _I) else [])
    if not firsts and not plural_pronoun and not earlier and named_plural:
        firsts = named_plural  # "It" after "hypomethylating agents may stop working": the one treatment there (session 11, P2)
    if not firsts and not plural_pronoun and cited and any(f.about for f in cited) and re.search(r"\bplacebo\b", antecedent.text[main_from:], _I):
        # "Only 6% on placebo were freed … . With it, blood counts drop …": "it" is the placebo, not the treatment (session 11, P2)
        fail("concept", f"'{word}' stands for placebo (the sentence before), but the facts it cites are about a treatment")
        return
    if not firsts:
        # "They" after "…, and steroids are given …": the plural subject of the sentence before.
        plural = list(_PLURAL_SUBJECT.finditer(antecedent.text)) if re.match(r"\s*(?:they|these|those|their)\b", word, _I) else []
        if plural:
            noun = plural[-1].group(1)
            if noun.casefold() not in _STOP and not (_stems(noun) & facts.stems) and noun.casefold() not in facts.text.casefold():
                fail("concept", f"'{word}' stands for {noun} (the sentence before), which its facts do not name")
        elif earlier:
            _refer(s, earlier[0], facts, vocabulary, fail, cited, earlier[1:], pronoun=pronoun)  # a sentence with no treatment: look further back
        return
    cid = firsts[0][1]
    if not plural_pronoun:
        partner = _combined_with(antecedent, cid, treatments)
        if partner and partner not in facts.concepts \
                and antecedent.concept_words.get(partner, partner).casefold() not in facts.text.casefold():
            fail("concept", f"'{word}' stands for {antecedent.concept_words.get(cid, cid)} combined with "
                            f"{antecedent.concept_words.get(partner, partner)} (the sentence before), which its facts do not name")
            return
    s.concepts.add(cid)
    s.concept_words.setdefault(cid, antecedent.concept_words.get(cid, cid))
    for clause in s.clauses:
        if _PRONOUN_ANY.search(clause.text):
            clause.add_concepts([cid])
    surface = antecedent.concept_words.get(cid, cid)
    if cited and all(f.about for f in cited):
        about = set().union(*(f.about for f in cited))
        if cid not in about:
            names = ", ".join(sorted({next((f.concept_words[c] for f in cited if c in f.concept_words), c.rsplit("/", 1)[-1].replace("-", " "))
                                      for c in about}))
            fail("concept", f"'{word}' stands for {surface} (the sentence before), but the facts it cites are about {names}")
            return
    if cid not in facts.concepts:
        if surface.casefold() not in facts.text.casefold():
            fail("concept", f"'{word}' stands for {surface} (the sentence before), which its facts do not name")


_COMBINED = re.compile(r"\s*(?:(?:is|are|was|were)\s+)?(?:combined\s+with|together\s+with|in\s+combination\s+with|with|plus|alongside|and)\s+(?:an?\s+|the\s+)?$", _I)


def _combined_with(antecedent: Profile, cid: str, treatments: Sequence[tuple[int, str]]) -> str | None:
    """The treatment named as given with `cid` in the sentence before ("lenalidomide combined with an ESA"):
    "It" then stands for the pair, and a fact about one of them alone is not what it speaks of."""
    spans = antecedent.concept_spans.get(cid) or []
    if not spans:
        return None
    end = spans[0][1]
    for start, other in sorted(treatments):
        if other != cid and start >= end and _COMBINED.fullmatch(antecedent.text[end:start]):
            return other
    return None


_RATIO = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out\s+of)\s+(\d+|two|three|four|five|six|seven|eight|nine|ten)\b", _I)
_FRACTIONS = {"a quarter": 25.0, "one quarter": 25.0, "a third": 33.3, "one third": 33.3, "half": 50.0,
              "two[- ]thirds": 66.7, "three[- ]quarters": 75.0, "a fifth": 20.0, "a tenth": 10.0}
_SMALL = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}


_SHARE_QUALIFIERS = {
    "": "about", "roughly": "about", "about": "about", "around": "about", "approximately": "about", "some": "about",
    "close to": "close", "nearly": "under", "almost": "under", "just under": "under", "just below": "under",
    "not quite": "under", "a little under": "under", "slightly under": "under", "a little less than": "under",
    "slightly less than": "under", "slightly fewer than": "under", "barely": "under",
    "just over": "over", "just above": "over", "a little over": "over", "slightly over": "over",
    "a little more than": "over", "slightly more than": "over",
    "more than": "above", "over": "above", "above": "above", "at least": "above", "well over": "well_above", "well above": "well_above",
    "less than": "below", "fewer than": "below", "under": "below", "below": "below", "up to": "below",
    "well under": "well_below", "well below": "well_below", "far more than": "well_above", "far fewer than": "well_below",
    "far less than": "well_below", "much more than": "well_above", "much less than": "well_below",
}
_SHARE = re.compile(
    r"(?:\b(?P<q>" + "|".join(sorted((re.escape(q).replace(r"\ ", r"\s+") for q in _SHARE_QUALIFIERS if q), key=len, reverse=True))
    + r")\s+)?(?:(?:of\s+)?(?:the\s+)?)?"
    r"(?P<f>\b(?:a|one)[- ](?:third|quarter|fourth|fifth|tenth|half)\b|\btwo[- ]thirds\b|\bthree[- ](?:quarters|fourths)\b"
    r"|(?<!\band\s)(?<!\band\sa\s)(?<!\bfirst\s)(?<!\bsecond\s)\bhalf\b(?![- ]?(?:life|lives|way|time|dose|hour|day|year|month|week))(?!\s+(?:an?\s+)?(?:year|month|week|day|dose|hour)s?\b)"
    r"|\b(?P<x>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<y>\d+|two|three|four|five|six|seven|eight|nine|ten)\b"
    r"(?!\s*(?:weeks?|days?|months?|years?|hours?|cycles?)))", _I)
_FRACTION_SHARE = {"third": 100 / 3, "quarter": 25.0, "fourth": 25.0, "fifth": 20.0, "tenth": 10.0, "thirds": 200 / 3,
                   "quarters": 75.0, "fourths": 75.0, "half": 50.0}
_MOST_AS_SHARE = re.compile(r"\b(?:most|(?:the|a)\s+majority)\s+of\b|\bmost\s+(?:people|patients|participants|of\s+them)\b", _I)


def _share_value(m: re.Match[str]) -> float | None:
    if m.group("x"):
        x, y = _ratio_value(m.group("x")), _ratio_value(m.group("y"))
        return 100.0 * x / y if x and y and y > x else None
    return _FRACTION_SHARE.get(re.split(r"[- ]", m.group("f").casefold())[-1])


# The fractions people round a share to ("about a third" for 34%): a named share must be no farther from
# its facts' value than the nearest of these (plus a point), or a nearer fraction would have been said.
_COMMON_FRACTIONS = (10.0, 20.0, 25.0, 100 / 3, 50.0, 200 / 3, 75.0, 80.0, 90.0)


def _natural_share(value: float, fact_value: float) -> bool:
    """Whether "about <value>" is a natural rounding of `fact_value`: no common fraction is clearly nearer."""
    nearest = min(abs(f - fact_value) for f in _COMMON_FRACTIONS)
    return abs(value - fact_value) <= nearest + 1.0


def _shares(text: str) -> list[tuple[str, float, float, set[str]]]:
    """Approximate shares a text states: (words, lowest, highest share in %, numbers the words use)."""
    return [(words, low, high, numbers) for words, low, high, numbers, _value, _kind in _shares_said(text)]


def _shares_said(text: str) -> list[tuple[str, float, float, set[str], float, str]]:
    """Approximate shares with the value named and the kind of qualifier ("about", "under", "above" …)."""
    found = []
    for m in _SHARE.finditer(text):
        value = _share_value(m)
        if value is None:
            continue
        kind = _SHARE_QUALIFIERS.get(re.sub(r"\s+", " ", (m.group("q") or "").casefold()), "about")
        tol = 5.0 if value >= 20 else 3.0
        # "close to" is "about", not "nearly": a share it rounds up by more than the margin is a larger share than
        # its facts give; "well over" / "well under" need a clear gap on their own side.
        low, high = {"about": (value - tol, value + tol), "close": (value - tol, value + tol), "under": (value - 10.0, value + 1.0),
                     "over": (value - 1.0, value + 10.0), "above": (value - 1.0, 100.0), "below": (0.0, value + 1.0),
                     "well_above": (value + tol, 100.0), "well_below": (0.0, value - tol)}[kind]
        numbers = {str(n.value) for n in extract_numbers(m.group(0))}
        found.append((re.sub(r"\s+", " ", m.group(0).strip()), low, high, numbers, value, kind))
    return found


def _fact_shares(facts: Profile) -> tuple[list[float], bool]:
    """Shares its facts give, in %: percentages, fractions and "x in y" (no tolerance: the facts' own
    values); and whether they say "most" / "the majority"."""
    points = [float(v) for v, u, _ in facts.numbers if u == "%"]
    for m in _SHARE.finditer(facts.text):
        value = _share_value(m)
        if value is not None:
            points.append(value)
    return points, bool(re.search(r"\bmost\b|\bmajority\b", facts.text, _I))


_ONE_AS_PRONOUN = re.compile(r"\bone\s+(?:of|example|such|kind|type|form|way|sort|reason|thing|another|more|against|versus|comparing|testing)\b|\bone\s*[,.;)]|\b(?:being|is|as|just)\s+one\b"
                             # "the right one depends", "which one fits": a pronoun after a determiner, not a count of a unit
                             r"|\b(?:the|which|each|this|that|any|no)\s+(?:[a-z]+\s+)?one\b(?!\s*(?:%|percent|in|out|years?|months?|weeks?|days?|cycles?|doses?|units?|mg)\b)", _I)
_LIMITED = re.compile(r"\b(?:selected|some|certain|particular)\b", _I)
_RATHER_THAN_ALL = re.compile(r",?\s*\b(?:rather\s+than|instead\s+of|and\s+not|but\s+not|not)\s+(?:for\s+|in\s+|to\s+)?(?:everyone|everybody|all(?:\s+(?:patients|people))?)"
                              r"(?=\s*[.;,]|\s*$)", _I)
_ONE_AND_THE_OTHERS = re.compile(r"\bone\s+(?:[\w-]+\s+){1,2}(?:is|was)\b[^.]*\bthe\s+others?\b", _I)
_ONE_STUDY = re.compile(r"\b(?:in|from)\s+one\s+(?:direct\s+|randomi[sz]ed\s+|head-to-head\s+|large\s+|phase\s+\d\s+)?(?:comparison|trial|study)\b", _I)
_A_STUDY = re.compile(r"\b(?:a|an|the)\s+(?:[\w-]+\s+){0,2}(?:trial|study)\b|\bcompared\s+directly\b|\bdirectly\s+compared\b", _I)
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|(?:and|or|plus)\s+)", _I)
_WORD_LIST = re.compile(r"(?:\b[\w-]+(?:\s+[\w-]+)?,\s+)+[\w-]+(?:\s+[\w-]+)?,?\s+(?:and|or)\s+[\w-]+", _I)


@lru_cache(maxsize=4096)
def _list_lengths(text: str, vocabulary: Vocabulary) -> frozenset[int]:
    """How many items the lists of a text have: named things in a row ("epoetin alfa and darbepoetin
    alfa", "A, B, C and D") or words in a row ("tiredness, diarrhoea, weakness and nausea")."""
    lengths: set[int] = set()
    mentions = sorted(vocabulary.find(text), key=lambda m: m.start)
    run = 1
    for before, after in zip(mentions, mentions[1:], strict=False):
        if _LIST_GAP.fullmatch(text[before.end:after.start]):
            run += 1
        else:
            if run > 1:
                lengths.add(run)
            run = 1
    if run > 1:
        lengths.add(run)
    for m in _WORD_LIST.finditer(text):
        lengths.add(m.group(0).count(",") + (1 if re.search(r",\s*(?:and|or)\s+[\w-]+$", m.group(0)) else 2))
    return frozenset(lengths)


def _is_count(shown: str, text: str, cited: Sequence[Profile], vocabulary: Vocabulary) -> bool:
    """Whether a number word counts things rather than measuring them: "one" as a pronoun ("one
    example", "one of"), or two to ten where a cited fact lists that many things."""
    word = shown.casefold()
    if word == "one":
        if _ONE_AS_PRONOUN.search(text):
            return True
        # "One condition is …; the others are …": one item of a list its facts give
        if _ONE_AND_THE_OTHERS.search(text) and any(max(_list_lengths(f.text, vocabulary), default=0) >= 2
                                                    or re.search(r":[^;.]+;", f.text) for f in cited):
            return True
        # "in one direct comparison", "one trial": the single study its facts report
        return bool(_ONE_STUDY.search(text) and any(f.trials or _A_STUDY.search(f.text) for f in cited))
    n = _SMALL.get(word)
    if n and n >= 2 and re.search(r"\bone\s+of\s+(?:the\s+|these\s+)?" + word + r"\b", text, _I) \
            and any(re.search(r"\bone\s+of\s*:", f.text, _I) for f in cited):
        return True  # "one of two things" where its facts say "one of: A or B"
    if n and n >= 2 and len(cited) == n and re.search(r"\b" + word + r"\s+(?:of\s+(?:these|the|them)\s+)?(?:[\w-]+\s+){0,2}"
                                                   r"(?:things|options|trials|studies|treatments|drugs|medicines|findings|choices|approaches)\b", text, _I):
        return True  # "two trials" citing the two facts that report them
    # "three things are needed: A, B and C": the count of the sentence's own list after the colon (each item is
    # held to its facts by the other rules); not a count its facts would have to give (session 10)
    own = re.search(r"\b" + re.escape(word) + r"\s+(?:[\w-]+\s+){0,2}?(?:things|conditions|requirements|criteria|steps|points|parts|features)\b[^:;.]{0,40}:\s*([^;]+)$",
                    text, _I) if n and n >= 2 else None
    if own and re.search(r"\bone\s+of\s+(?:the\s+|these\s+)?" + re.escape(word) + r"\s", text, _I):
        own = None  # "one of three things: A, B or C" says one is enough, which a count of its own list does not show
    if own and len([x for x in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", own.group(1).strip(" .")) if x.strip()]) == n:
        return True
    return bool(n and n >= 2 and any(n in _list_lengths(f.text, vocabulary) for f in cited))


def _ratio_value(word: str) -> int | None:
    word = word.casefold()
    if word.isdigit():
        return int(word)
    return _SMALL.get(word)


def _said_in_other_words(surface: str, words: set[str]) -> bool:
    """Whether every word of a (side effect's, test's) name appears in `words` in some form
    ("raised blood pressure" in "raise blood pressure")."""
    wanted = [w.casefold()[:4] for w in _WORD.findall(surface) if len(w) >= 3]
    have = {w[:4] for w in words if len(w) >= 3}
    return len(wanted) >= 2 and all(w in have for w in wanted)


def _named_on_its_own(surface: str, cid: str, text: str, vocabulary: Vocabulary) -> bool:
    """Whether `surface` occurs in `text` outside a longer name of another concept."""
    longer = [(m.start, m.end) for m in vocabulary.find(text) if cid not in m.concept_ids and len(m.text) > len(surface)]
    return bool(re.search(r"(?<![\w-])" + re.escape(surface) + r"(?![\w-])", _blank(text, longer), _I))


def _combination_named(s: Profile, cid: str, facts: Profile, vocabulary: Vocabulary) -> bool:
    """Whether every mention of drug `cid` is the first half of a combination its facts name, written with another
    joining word ("decitabine with cedazuridine" for the facts' "decitabine and cedazuridine")."""
    spans = s.concept_spans.get(cid, [])
    for start, end in spans:
        m = re.match(r"\s*(?:with|plus|and|combined\s+with|together\s+with|\+|/|-)\s*([A-Za-z][\w-]+)", s.text[end:])
        if not m:
            return False
        first = s.text[start:end].casefold()
        named = set().union(*(vocabulary.concepts_by_surface.get(f"{first}{joint}{m.group(1).casefold()}", set())
                              for joint in (" and ", "-", "/", " + ", " with ", " plus ")))
        if not named & facts.concepts:
            return False
    return bool(spans)


def _many_as_heavily(text: str, facts_text: str) -> bool:
    """Whether every "many" of a sentence is "many <X>" where its facts say "heavily <X>" in another inflection
    ("many transfusions" for "heavily transfused"): an amount its facts give, not a share of people."""
    said = [m.group(1).casefold() for m in re.finditer(r"\bmany\s+([a-z]+)", text, _I)]
    heavy = {m.group(1).casefold()[:7] for m in re.finditer(r"\bheavily\s+([a-z]+)", facts_text, _I)}
    return bool(said) and len(said) == len(re.findall(r"\bmany\b", text, _I)) and all(len(w) >= 7 and w[:7] in heavy for w in said)


def _inflected_in(surface: str, words: Iterable[str]) -> bool:
    """Whether a one-word name of eight letters or more occurs among `words` in another inflection (its first eight letters)."""
    key = surface.casefold()
    return bool(re.fullmatch(r"[a-z]{8,}", key)) and any(len(w) >= 8 and w[:8] == key[:8] for w in words)


def _check_names(s: Profile, facts: Profile, vocabulary: Vocabulary, fail, *, treatments_only: bool = False) -> None:
    for cid in sorted(s.concepts - facts.concepts):
        surface = s.concept_words.get(cid, cid)
        if treatments_only and (vocabulary.kind({cid}) or "").casefold() not in ("drug", "therapy"):
            continue  # a question may ask about a test or a risk score
        if s.in_population(cid, facts.populations):
            continue  # words of a patient group its facts speak of ("need regular transfusions")
        if (vocabulary.kind({cid}) or "").casefold() == "drug":
            # A drug's name only inside another drug's longer name ("decitabine" in "decitabine and
            # cedazuridine") or a term of another drug ("oral decitabine") does not name that drug.
            if _named_on_its_own(surface, cid, facts.text, vocabulary):
                continue
            if _combination_named(s, cid, facts, vocabulary):
                continue  # "decitabine with cedazuridine": the combination its facts name
        elif surface.casefold() in facts.words or surface.casefold() in facts.text.casefold():
            continue
        elif (vocabulary.kind({cid}) or "").casefold() == "therapy" and _inflected_in(surface, facts.words):
            continue  # "transfusions" where its facts say "heavily transfused": the same therapy in another form (session 11)
        elif (vocabulary.kind({cid}) or "").casefold() not in ("therapy", "gene") and _said_in_other_words(surface, facts.words):
            continue  # "raised blood pressure" where its facts say "can raise blood pressure"
        fail("concept", f"names {_kind_phrase(vocabulary.kind({cid}))} its facts do not name: {surface}")
    for word in sorted(s.drug_words - facts.drug_words - facts.words):
        fail("concept", f"names a drug its facts do not name: {word}")
    fact_text = facts.text.casefold()
    for name in sorted(s.names - facts.names - facts.words - _SAFE_NAMES - _months_of(facts.text)):
        if name in fact_text or name in s.drug_words:
            continue
        if any(name == w.casefold() for w in s.concept_words.values()):
            continue
        fail("concept", f"names something its facts do not: {name}")
    if _TRADEMARK.search(s.text):
        fail("concept", "uses a brand-name mark")
    # A brand name (the vocabulary's one-word capitalised drug names) only where a cited fact's own
    # text gives it: the facts' terms list every brand the vocabulary knows, so they license none,
    # not even next to the drug's own name ("epoetin alfa (Procrit)").
    text_words = set(re.findall(r"[\w-]+", fact_text))
    for brand, (written, _ids) in sorted(s.brands.items()):
        if brand not in text_words:
            fail("concept", f"names a brand its facts' own words do not give: {written}")


def _safety_claims(text: str) -> list[tuple[str, bool]]:
    """(words, absolute?) of each safety or tolerability claim in a text that is not negated
    ("not safe", "not without risk" are no claims of safety)."""
    found: list[tuple[str, bool]] = []
    for pattern, absolute in ((_SAFETY_ABSOLUTE, True), (_SAFETY_RELATIVE, False)):
        for m in pattern.finditer(text):
            if _SAFETY_NEGATED.search(text[max(0, m.start() - 30):m.start()]):
                continue
            if absolute and re.match(r"(?:without|free)", m.group(0), _I) and \
                    re.search(r"\b(?:not|never)\s+(?:\w+\s+){0,2}$", text[max(0, m.start() - 30):m.start()], _I):
                continue
            found.append((re.sub(r"\s+", " ", m.group(0)).strip(), absolute))
    return found


def _shows_effect(text: str) -> bool:
    """Whether a text says that something works: an effect word that is not negated ("did not
    improve results" says it did not)."""
    return any(not _EFFECT_NEGATED.search(text[max(0, m.start() - 40):m.start()]) for m in _ANY_EFFECT.finditer(text))


_EFFECT_NEGATED = re.compile(r"(?:\b(?:not|no|never|cannot|without|rarely|seldom)\b|n't)\s+(?:\w+\s+){0,2}$", _I)


def _hedge_on(text: str, stems: set[str]) -> str | None:
    """The modal of a fact's clause ("can") when what it hedges is a benefit ("can reduce", "can help",
    "can keep … under control") in words of the sentence's clause."""
    for m in _MODAL.finditer(text):
        hedged = " ".join(re.split(r"[,;:()]", text[m.end():])[0].split()[:8])
        if _ANY_EFFECT.search(hedged) and {w[:4] for w in _stems(hedged)} & {w[:4] for w in stems if not w.startswith(("C:", "P:"))}:
            return m.group(0)
    return None


# Pairs of opposite words (either form), outside names of groups ("lower-risk", "high-dose").
_NOT_GROUP = r"(?![- ](?:risk|grade|dose|intensity))"
_ANTONYMS: list[tuple[str, re.Pattern[str], str, re.Pattern[str]]] = [
    (a, re.compile(ra + _NOT_GROUP, _I), b, re.compile(rb + _NOT_GROUP, _I)) for a, ra, b, rb in (
        ("high", r"\bhigh(?:er|est)?\b", "low", r"\blow(?:er|est)?\b"),
        ("early", r"\bearl(?:y|ier|iest)\b", "late", r"\blat(?:e|er|est)\b"),
        ("short", r"\bshort(?:er|est)?\b", "long", r"\blong(?:er|est)?\b"),
        ("rare", r"\brare(?:ly|r|st)?\b|\buncommon\b", "common", r"(?<!un)\bcommon(?:ly)?\b|\bfrequent(?:ly)?\b"),
        ("best", r"\bbest\b", "worst", r"\bworst\b"),
        ("mild", r"\bmild(?:er)?\b", "severe", r"\bsevere\b|\bserious\b"),
        ("small", r"\bsmall(?:er|est)?\b", "large", r"\blarge(?:r|st)?\b|\bbig(?:ger|gest)?\b"),
        # whether a treatment goes on: "the ESA is usually stopped" is not "the ESA is kept going"
        ("stopped", r"\bstop(?:s|ped|ping)?\b(?!\s+(?:working|responding|helping))|\bdiscontinu\w*|\bhalt(?:s|ed)?\b",
         "continued", r"\bcontinu(?:e|es|ed|ing)\b|\b(?:kept|keeps?|keeping)\s+(?:going|on|up)\b|\bcarr(?:y|ies|ied)\s+on\b|\bmaintained\b"),
    )
]
# Words of the pairs whose own negation ("not stopped") the check leaves to the negation rule.
_ANTONYM_NEGATED = re.compile(r"(?:\b(?:not|no|never)|n['’]t)\s+(?:\w+\s+){0,2}$", _I)


def _check_antonyms(s: Profile, facts: Profile, fail) -> None:
    """A clause that matches clauses of its facts must not use the opposite word ("high" / "low",
    "rare" / "common", "mild" / "severe") where they use the other one and not its own; a sentence must
    not say a treatment its facts name is stopped where they say it is continued (or the other way round)."""
    _, stop, _, go = next(pair for pair in _ANTONYMS if pair[0] == "stopped")

    def affirms(pattern: re.Pattern[str], text: str) -> bool:
        return any(not _ANTONYM_NEGATED.search(text[max(0, m.start() - 30):m.start()]) for m in pattern.finditer(text))

    if s.concepts & facts.concepts:
        for mine, theirs, word, other in ((stop, go, "stopped", "continued"), (go, stop, "continued", "stopped")):
            if affirms(mine, s.text) and not mine.search(facts.text) and not theirs.search(s.text) and affirms(theirs, facts.text):
                fail("direction", f"says '{word}' where its facts say '{other}'")
                return
    for clause in s.clauses:
        if len(clause.stems) < 2:
            continue
        closest = _closest_clauses(clause, facts)
        if not closest:
            continue
        close = " ".join(fc.text for fc in closest)
        for a, ra, b, rb in _ANTONYMS:
            for said, rs, other, ro in ((a, ra, b, rb), (b, rb, a, ra)):
                if clause.negated and not (a == "stopped" and any(not _ANTONYM_NEGATED.search(clause.text[max(0, m.start() - 30):m.start()])
                                                                  for m in rs.finditer(clause.text))):
                    continue  # a negated clause: only the stop / go on pair, when that word itself is not negated
                if rs.search(clause.text) and not ro.search(clause.text) and ro.search(close) and not rs.search(close):
                    fail("direction", f"says '{said}' where its facts say '{other}'")
                    return


# An effect stated plainly, in the present tense (a general claim).
_PLAIN_EFFECT = re.compile(r"\b(?:cures|respond|responds|frees|clears|eliminates|ends(?=\s+(?:the\s+|their\s+|your\s+)?need)|raise|help|cuts?(?=\s+(?:the\s+)?(?:need|number|risk))|free(?=\s+(?:\w+\s+){0,2}from\b)|improves?|restores?|reduces?|lowers|raises|prolongs?|extends?|helps|works|controls"
                           r"|keeps?(?=\s+(?:\w+\s+){0,3}under\s+control))\b", _I)
# What hedges an effect in the words just before it, or makes it a comparison just after it.
_EFFECT_HEDGED_BEFORE = re.compile(r"(?:\b(?:may|might|can|could|would|some|sometimes|often|usually|occasionally|likely\s+to|tends?\s+to|not|never|to)\b|n't)"
                                   r"\s+(?:\w+\s+){0,2}$", _I)
_EFFECT_COMPARED_AFTER = re.compile(r"^\s*(?:\w+\s+){0,1}(?:more|fewer|less|better|longer)\b[^.;]{0,60}\bthan\b", _I)
_EFFECT_ROOTS = ("cur", "respon", "free", "clear", "elimin", "end", "cut", "impro", "restor", "reduc", "lower", "raise", "prolon", "extend", "help", "work", "control", "keep")
# Verbs that say the same effect: "clears" / "eliminates" the need for transfusions is "frees" from them.
_EFFECT_SAME = {"clear": "free|clear|elimin|end", "elimin": "free|clear|elimin|end", "free": "free|clear|elimin|end",
                "end": "free|clear|elimin|end", "reduc": "reduc|lower|cut", "lower": "reduc|lower|cut", "cut": "reduc|lower|cut"}


# An effect spoken of only as something to be judged or as a condition: "before its effect can be judged", "while it works".
_JUDGED_EFFECT = re.compile(r"\b(?:its|the|any|their)\s+(?:effect|benefit|response)\s+(?:can|could|may|is|will)\s+(?:be\s+)?(?:judged|assessed|seen|measured|evaluated|known)"
                            r"|\b(?:whether|if|while|as\s+long\s+as|until|once)\s+(?:it|they|the\s+(?:drug|treatment|medicine))\s+(?:is\s+|are\s+)?(?:works?|working|helps?|helping|benefits?)\b", _I)


_JUDGED_PLAIN = re.compile(_PLAIN_EFFECT.pattern + r"|\b(?:recover(?:s|ed)?|rises?|rose|go(?:es)?\s+up|get(?:s)?\s+better|normali[sz]e[sd]?|bounce\s+back)\b", _I)


def _effect_root(word: str) -> str | None:
    word = word.casefold()
    root = next((root for root in _EFFECT_ROOTS if word.startswith(root)), None)
    return f"(?:{_EFFECT_SAME.get(root, root)})" if root else None


def _check_plain_effects(s: Profile, facts: Profile, fail) -> None:
    # Facts that speak of an effect only as something to be judged ("before its effect can be judged", "while it
    # works") claim none: a plain "counts improve" goes beyond them.
    judged = _JUDGED_EFFECT.search(facts.text)
    if judged and not _ANY_EFFECT.search(_JUDGED_EFFECT.sub(" ", facts.text)):
        spoken_of = _JUDGED_EFFECT.sub(lambda m: " " * len(m.group(0)), s.text)  # "… while it works": no claim
        for m in _JUDGED_PLAIN.finditer(spoken_of):
            if _EFFECT_HEDGED_BEFORE.search(spoken_of[max(0, m.start() - 40):m.start()]) or _EFFECT_COMPARED_AFTER.match(spoken_of[m.end():]) \
                    or re.search(r"\b(?:whether|if|while|as\s+long\s+as|until|once|judge\w*|see|tell|know)\b(?:\s+\w+){0,3}\s*$", spoken_of[:m.start()], _I):
                continue
            fail("certainty", f"says '{m.group(0)}' as a plain fact where its facts only say the effect is judged ('{judged.group(0)}')")
            return
    for clause in s.clauses:
        for m in _PLAIN_EFFECT.finditer(clause.text):
            if _EFFECT_HEDGED_BEFORE.search(clause.text[max(0, m.start() - 40):m.start()]) or \
                    _EFFECT_COMPARED_AFTER.match(clause.text[m.end():]) or _CLAUSE_HEDGE_NEAR.search(clause.text):
                continue
            root = _effect_root(m.group(0))
            others = {w for w in _stems(clause.text) if not re.match(root or "~", w)}
            uses = []
            for fc in facts.clauses:
                for fm in re.finditer(r"\b" + (root or "~") + r"\w*", fc.text, _I):
                    if others & _stems(fc.text):
                        uses.append((fc.text, fm))
            if not uses:
                continue
            hedges = []
            for ftext, fm in uses:
                hedge = _EFFECT_HEDGED_BEFORE.search(ftext[max(0, fm.start() - 40):fm.start()])
                if hedge and re.match(r"to\b", hedge.group(0), _I):
                    hedge = None  # "used to raise": what it is given for, not a hedge
                compared = _EFFECT_COMPARED_AFTER.match(ftext[fm.end():])
                if not (hedge or compared):
                    break
                hedges.append((hedge.group(0).strip() + " " + fm.group(0)) if hedge else (fm.group(0) + " … than"))
            else:
                fail("certainty", f"says '{m.group(0)}' as a plain fact where its facts say '{hedges[0]}'")
                return


# A frequency or likelihood hedge on any verb of a fact ("counts often drop", "it may cause", "people sometimes
# need"): said without a hedge in the sentence, the same verb in a clause with the same words is a certainty.
_FACT_HEDGED_VERB = re.compile(r"\b(often|sometimes|usually|frequently|commonly|occasionally|may|might|tends?\s+to)\s+(?:also\s+|still\s+)?"
                               r"(?!be\b|been\b|not\b|have\b|also\b|still\b|need\s+to\b)([a-z]{3,})\b", _I)
_SENTENCE_HEDGE = re.compile(r"\b(?:can|could|may|might|some|sometimes|often|usually|frequently|commonly|occasionally|typically|generally|in\s+some|"
                             r"a\s+few|several|many|likely|possibl\w*|tends?\s+to|risk|chance|not\s+always|not\s+every|rarely|seldom)\b", _I)


_NOT_VERBS = frozenset("for with from into onto over under after before about around than then also still only even just more less "
                       "most very much well".split())


def _check_dropped_hedges(s: Profile, facts: Profile, fail) -> None:
    for clause in s.clauses:
        if len(clause.stems) < 3 or _SENTENCE_HEDGE.search(clause.text) or re.search(r"\d\s*%|\bpercent\b|\b\w+\s+(?:in|out\s+of)\s+\w+\b(?=[^.;]*\b(?:people|patients)\b)", clause.text, _I):
            continue
        for fc in facts.clauses:
            for fm in _FACT_HEDGED_VERB.finditer(fc.text):
                verb = fm.group(2).casefold()
                if verb in _STOP or verb in _NOT_VERBS or re.search(r"\b(?:who|that|which)\s+$", fc.text[:fm.start()], _I):
                    continue  # "usually for 7 days" (no verb); "people who may need …" (a group, not a claim)
                root = verb[:4] if len(verb) > 4 else verb
                said = re.search(r"\b" + re.escape(root) + r"\w*", clause.text, _I)
                if not said:
                    continue
                # the verb said plainly elsewhere in its facts licenses it plainly
                if any(re.search(r"\b" + re.escape(root) + r"\w*", other.text, _I) and not _FACT_HEDGED_VERB.search(other.text)
                       for other in facts.clauses):
                    continue
                shared = {w for w in clause.stems if not w.startswith(("C:", "P:")) and not w.startswith(root)} & \
                    {w for w in fc.stems if not w.startswith(("C:", "P:"))}
                if not shared:
                    continue
                fail("certainty", f"says '{said.group(0)}' without the hedge its facts give ('{fm.group(0)}')")
                return


def _every_negated(text: str, vocabulary: Vocabulary) -> set[str]:
    """The stems of the few words after every negation of a clause (its scope covers only the first)."""
    found: set[str] = set()
    for m in _NEGATION.finditer(text):
        words = " ".join(re.split(r"[,;:()]", text[m.end():])[0].split()[:5])
        found |= _stems(words) | {f"C:{cid}" for v in vocabulary.find(words) for cid in v.concept_ids}
        found |= {f"P:{name}" for name, pattern in _POPULATIONS if pattern.search(words)}
    return found


# "Every one of them", "all 40 people", "each of the 40": a universal claim over a counted group of people.
_UNIVERSAL_PEOPLE = re.compile(r"\b(?:every|each)\s+(?:single\s+)?one\s+of\b|\ball\s+of\s+(?:them|these|those|the)\b|\ball\s+(?:the\s+)?\d[\d,]*\s+(?:\w+\s+){0,2}?"
                               r"(?:people|patients|participants|adults|persons|subjects)\b|\b(?:every|each)\s+(?:single\s+)?(?:patient|person|participant|subject)\b"
                               r"|\beveryone\b|\beverybody\b", _I)
_PEOPLE_COUNT = re.compile(r"(?<![\d.,:/-])\b(\d[\d,]*)\s+(?:\w+\s+){0,2}?(?:people|patients|participants|adults|persons|men|women|subjects)\b", _I)
_EVERY_ONE = re.compile(r"\b(?:every|each)\s+(?:single\s+)?one\s+of\b|\ball\s+of\s+(?:them|these\s+people|those\s+people)\b", _I)
_FACT_UNIVERSAL = re.compile(r"\b(?:all|every|each|everyone|everybody)\b", _I)


def _check_universal_count(text: str, cited: Sequence[Profile], fail) -> None:
    """A universal over a counted group ("every one of the 476 people") needs a cited fact whose own clause says
    "all" / "every" of that same count: a count from one finding and the "all" of another are two claims merged."""
    if not _UNIVERSAL_PEOPLE.search(text):
        return
    if not any(_FACT_UNIVERSAL.search(f.text) for f in cited):
        said = _EVERY_ONE.search(text)
        if said:
            fail("frequency", f"says '{said.group(0)}' where its facts do not say all or every")
            return
    for m in _PEOPLE_COUNT.finditer(text):
        count = m.group(1).replace(",", "")
        pattern = re.compile(r"\b(?:all|every|each)\b(?:\s+(?:of\s+)?(?:the\s+)?)" + re.escape(count) + r"\b|\b" + re.escape(count)
                             + r"\b[^.;]{0,40}\b(?:all|every|each|everyone)\b", _I)
        if any(_FACT_UNIVERSAL.search(f.text) for f in cited) and not any(pattern.search(f.text) for f in cited):
            fail("frequency", f"says all of the {count} people; its facts say 'all' of another group, not of these {count}")
            return


_QUALIFIER_BEFORE = re.compile(r"\b(?:who|that|which|whose|when|whenever|if|where|after|before|once|unless|until|because|since|while)\b"
                               r"(?:\s+[\w'’()-]+){0,5}\s*$", _I)
# (not "no longer needed transfusions", "did not need": the transfusion-free outcome in other words)
_PLAIN_NEGATION = re.compile(r"(?:\b(?:not|never|cannot)\b|n['’]t\b)(?!\s+(?:\w+\s+)?(?:need|needed|needing|require|required)\b)", _I)


def _check_added_negation(s: Profile, facts: Profile, vocabulary: Vocabulary, fail) -> None:
    """A negated part of a sentence (the comma-delimited piece holding the negation: "…, the warning does not
    apply") needs a negated clause of its facts about the same words: matching clauses that are all positive, or a
    negation in them about other words ("without a 5q deletion" where the sentence says "not an option"), mean the
    sentence adds a negation its facts do not state."""
    for clause in s.clauses:
        if not clause.negated:
            continue
        for piece in re.split(r",\s*", clause.text):
            if not any(not _QUALIFIER_BEFORE.search(piece[:m.start()]) for m in _PLAIN_NEGATION.finditer(piece)):
                # "transfusion-free", "rather than", "failed": no plain "not" of its own; "people who cannot have a
                # transplant", "after an ESA had not worked": a condition, which the other rules hold to its facts
                continue
            seg = _clause(piece, vocabulary)
            if not seg.negated or len(seg.stems) < 2 or not seg.scope:
                continue
            if any(fc.negated and (fc.scope | _every_negated(fc.text, vocabulary)) & seg.scope for fc in facts.clauses):
                continue
            close = _closest_clauses(seg, facts)
            if not close:
                continue
            negated = [fc for fc in close if fc.negated]
            if not negated or seg.scope & set().union(*(fc.stems - fc.scope for fc in negated)):
                fail("negation", f"adds a negation its facts do not state ('{_short(piece.strip(), 60)}')")
                return


_MDS_WORD = re.compile(r"\bMDS\b|\bmyelodysplastic", _I)
_DENIED_FOR_MDS = re.compile(r"(?:\b(?:not|never|no\s+longer)|n['’]t)\s+(?:\w+\s+){0,2}(?:apply|applies|applicable|relevant|concern|concerns|matter|matters|count|counts|hold|holds|"
                             r"affect|affects|a\s+concern|an\s+issue|a\s+problem|a\s+risk)\b[^.;]{0,40}\b(?:MDS|myelodysplastic)", _I)
# Other diseases a fact may report a finding in (a drug label's population, another cancer).
_OTHER_DISEASE = re.compile(r"\bkidney\s+(?:disease|failure|transplant\w*)|\bsolid\s+(?:cancers?|tumou?rs?)|\baplastic\s+an(?:a)?emia"
                            r"|\b(?:some|other|several|many)\s+(?:\w+\s+)?cancers\b|\blymphomas?\b|\bmyeloma\b|\bchronic\s+kidney", _I)
# A treatment said to be done, plainly: "is carried out", "is performed", "patients undergo".
_ROUTINE = re.compile(r"\b(?:is|are)\s+(?:then\s+|now\s+|simply\s+)?(?:carried\s+out|done|performed|given|used|offered|started|prescribed|undertaken|arranged)\b"
                      r"(?!\s+(?:as|by|under|into|every|once\s+(?:every|a|per|each)|through|with|alongside|in\s+(?:cycles|a\s+vein)|to\s+(?:raise|keep|lower|reduce|cut|control|help|treat)))"
                      r"|\bundergo(?:es)?\b|\b(?:receive|receives|get|gets)\s+(?:an?\s+|the\s+)?(?:transplant|treatment|it)\b", _I)

# Polarity: an effect or a listing said plainly where the matching clause of its facts denies it.
_EFFECT_VERB = r"(?:work(?:s|ed)?|help(?:s|ed)?|respond(?:s|ed)?|benefit(?:s|ed)?|succeed(?:s|ed)?|effective)"
_LISTING_VERB = r"(?:list(?:s|ed)?|recommend(?:s|ed)?|advise(?:s|d)?|suggest(?:s|ed)?|endorse(?:s|d)?|include(?:s|d)?|support(?:s|ed)?|back(?:s|ed)?|favou?r(?:s|ed)?)"
_NEG_EFFECT = re.compile(r"(?:\b(?:rarely|seldom|hardly\s+ever|unlikely\s+to|not|never|no\s+longer|cannot)|n['’]t)\s+(?:\w+\s+){0,1}" + _EFFECT_VERB + r"\b"
                         r"|\b(?:little|no)\s+(?:benefit|effect|response)\b", _I)
_NEG_LISTING = re.compile(r"\b" + _LISTING_VERB + r"\s+against\b|\bnot\s+(?:be\s+)?(?:recommended|listed|advised|suggested|included|endorsed)\b"
                          r"|(?:\b(?:not|never)|n['’]t)\s+" + _LISTING_VERB + r"\b|\bavoid(?:ed|s)?\b", _I)
_PLAIN_EFFECT_VERB = re.compile(r"\b" + _EFFECT_VERB + r"\b", _I)
_PLAIN_LISTING_VERB = re.compile(r"\b" + _LISTING_VERB + r"\b(?!\s+against)", _I)


def _near_ids(text: str, start: int, end: int, vocabulary: Vocabulary, after: bool) -> set[str]:
    """The treatments named just before a verb (what works), or just after it (what is listed)."""
    span = text[end:end + 60] if after else text[max(0, start - 60):start]
    return _treatments({cid for m in vocabulary.find(span) for cid in m.concept_ids}, vocabulary)


def _check_polarity(s: Profile, facts: Profile, vocabulary: Vocabulary, fail) -> None:
    for clause in s.clauses:
        if len(clause.stems) < 2:
            continue
        said = []
        effect = _PLAIN_EFFECT_VERB.search(clause.text)
        if effect and not _NEG_EFFECT.search(clause.text) and not _POOR_EFFECT.search(clause.text):
            said.append((effect, _NEG_EFFECT, False))
        listing = _PLAIN_LISTING_VERB.search(clause.text)
        if listing and not _NEG_LISTING.search(clause.text):
            said.append((listing, _NEG_LISTING, True))
        if not said:
            continue
        close = _closest_clauses(clause, facts)
        if not close:
            continue
        for verb, denial, after in said:
            own = _near_ids(clause.text, verb.start(), verb.end(), vocabulary, after)
            denied = []
            for fc in close:
                found = denial.search(fc.text)
                theirs = _near_ids(fc.text, found.start(), found.end(), vocabulary, after) if found else set()
                # a denial about something else ("after an ESA did not work, imetelstat …") is not this one's
                denied.append(found if found and not (own and theirs and not own & theirs) else None)
            if all(denied):
                first = denied[0]
                assert first is not None
                fail("negation", f"says it plainly where its facts say '{first.group(0)}' (drops a negation)")
                return


# A sentence's own hedge on its whole clause: "in some people", "for a few", "can".
_CLAUSE_HEDGE_NEAR = re.compile(r"\b(?:can|could|may|might|some|sometimes|often|in\s+some|a\s+few|several|occasionally|likely|possibl\w*)\b", _I)


def _check_premise(premise: str, facts: Profile, fail) -> None:
    """A question's premise ("Given how well X works, …?") may presuppose only what its facts say."""
    effect = _PRESUPPOSED_EFFECT.search(premise)
    if effect and not _POOR_EFFECT.search(premise):
        positive = bool(facts.strengths & {"recommended", "option", "approved"}) or (
            _shows_effect(facts.text) and not _POOR_EFFECT.search(facts.text)
            and not (facts.strengths and facts.strengths <= {"not established", "not recommended", "last resort"}))
        if not positive:
            fail("strength", f"a question presupposes that it works well ('{effect.group(0)}'); its facts do not say so")
    best = _PRESUPPOSED_BEST.search(premise)
    if best and "recommended" not in facts.strengths:
        fail("strength", f"a question presupposes it is the best choice ('{best.group(0)}'); its facts do not say so")


def _premise_text(text: str, premise: re.Match[str]) -> str:
    """The words of a question's premise: up to the next comma when the question opens with it,
    otherwise to the end."""
    rest = text[premise.start():]
    if premise.start() <= 1 or text[:premise.start()].strip() == "":
        return rest.split(",", 1)[0]
    return rest


# Words that widen a claim beyond its group: "regardless of", "whether or not", "for anyone", "even for …".
_WIDEN = re.compile(
    r"\b(?:regardless\s+of|irrespective\s+of|whether\s+or\s+not|with\s+or\s+without|no\s+matter\s+(?:what|which|how|their|your|the|if)"
    r"|whatever\s+(?:their|your|the|its)|whatever\s+(?:other\s+|else\s+)?(?:\w+\s+)?(?:changes?|abnormalit\w+|types?|groups?|risks?|levels?|subtypes?|findings?|mutations?|features?)|whichever|(?:for|in|to)\s+(?:any|every)(?:one|body)\b|(?:for|in|to)\s+anybody\b"
    r"|(?:for|in|among)\s+(?:all|any|every)\s+(?:(?!\d|hundred\b|thousand\b)\w+\s+)?(?:patients?|people|adults|persons?|types?|forms?|kinds?|stages?|subtypes?|risk\s+groups?)\b"
    r"|across\s+(?:all\s+)?(?:the\s+)?(?:risk\s+groups|subtypes|groups|types)|all\s+(?:types|forms|kinds|stages|subtypes)\s+of"
    r"|(?:of|at|with|from)\s+(?:any|every|all)\s+(?:\w+\s+)?(?:risk|type|kind|subtype|stage|age|level|groups?)|any\s+(?:risk\s+(?:group|level|category)|subtype|type\s+of\s+MDS)"
    r"|not\s+(?:just|only)\s+(?:for|in|among)|with\s+and\s+without)"
    r"|\b(?P<even>(?:even|also|including)\s+(?:for|in|among|with|without|if|when|those|people|patients|someone|after|before|anyone))\b", _I)


_GROUP_AND_OPPOSITE = re.compile(r"[^.;,]{0,30}?\bor\s+not\b|\s*,?\s*(?:or|and)\s+(?:in\s+)?(?:those|people|patients|someone)?\s*(?:who\s+(?:are|do|have)\s+not|without)\b"
                                 r"(?=\s*(?:[.,;:]|$|it\b|one\b|them\b|that\b|this\b))", _I)


def _widen_lead(words: str) -> str:
    """The first two words of a widening phrase; "with or without X", "whether or not X", "with and
    without X" say the same thing."""
    lead = " ".join(words.casefold().split()[:2])
    return "with or" if lead in ("whether or", "with and") else lead


def _check_widening(s: Profile, facts: Profile, vocabulary: Vocabulary, fail) -> None:
    """A claim widened past its facts' group: "regardless of …", "whether or not …", "for anyone"
    need the same widening in their facts; "even for X" needs X to be a group its facts name."""
    fact_leads = {_widen_lead(m.group(0)) for m in _WIDEN.finditer(facts.text)}
    for m in _WIDEN.finditer(s.text):
        lead = _widen_lead(m.group(0))
        if lead in fact_leads:
            continue
        if m.group("even"):
            first = m.group("even").split()[0]
            span = re.split(r"[.,;:?!]", s.text[m.start() + len(first):], maxsplit=1)[0][:90]  # from after "even"
            named = {name for name, pattern in _POPULATIONS for g in pattern.finditer(span)
                     if not _GROUP_NEGATED.search(span[max(0, g.start() - 30):g.start()])}
            absent = {name for name, pattern in _POPULATIONS for g in pattern.finditer(span)
                      if _GROUP_NEGATED.search(span[max(0, g.start() - 30):g.start()])}
            if named or absent:
                if named <= facts.populations and absent <= facts.absent_populations:
                    continue
            elif _stems(span) <= facts.stems:
                continue
        fail("population", f"widens the group its facts speak of ('{m.group(0).strip()}')")
        return
    # "… with ring sideroblasts or not", "… del(5q) and those without": a group and its opposite.
    for _start, end, name in s.population_spans:
        after = _GROUP_AND_OPPOSITE.match(s.text[end:])
        if after and not _GROUP_AND_OPPOSITE.search(facts.text):
            fail("population", f"widens the group its facts speak of ('{name}{after.group(0).rstrip()}')")
            return


# How a treatment is given (route, form, interval): a description, not a claim about who it helps.
_ADMINISTRATION = re.compile(
    r"\b(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:injections?|infusions?|tablets?|pills?|capsules?|drips?)\b(?:\s+(?:under\s+the\s+skin|into\s+a\s+vein|by\s+mouth))?"
    r"|\bunder\s+the\s+skin\b|\binto\s+a\s+vein\b|\bby\s+(?:mouth|drip|injection|infusion)\b|\b(?:intravenous|subcutaneous|oral)(?:ly)?\b"
    r"|\b(?:every|each|once\s+every)\s+\d+\s*(?:weeks?|days?)\b", _I)
_GIVING = re.compile(r"\b(?:given|taken|injected|infused|administered|delivered|is|are|was|were|as|an?|the)\b", _I)


def _how_given_in_own_words(s: Profile, cited: Sequence[Profile]) -> bool:
    """Whether a sentence only says how a treatment is given, in the words of a fact it cites
    ("Luspatercept is given as an injection under the skin every 3 weeks."): it needs no patient group."""
    if not _ADMINISTRATION.search(s.text):
        return False
    rest = _GIVING.sub(" ", _ADMINISTRATION.sub(" ", s.text))
    if _CLAIM.search(rest) or _ANY_EFFECT.search(rest) or re.search(r"\bfree\w*|\bcure\w*|\bsafe\w*", rest, _I):
        return False
    return bool(s.stems) and any(len(s.stems & f.stems) / len(s.stems) >= 0.75 for f in cited)


def _check_trial(s: Profile, cited: Sequence[Profile], fail) -> None:
    """A sentence that names one study (a name among its cited facts' terms) and cites several facts
    gives that study only the numbers and patient groups of the facts that name it: "In MEDALIST …,
    about 60% …" must not take the 60% of the fact about COMMANDS."""
    named = {t for f in cited for t in f.trials if re.search(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])", s.text)}
    if len(named) != 1 or len(cited) < 2:
        return
    trial = next(iter(named))
    own = [f for f in cited if trial in f.trials]
    if len(own) == len(cited):
        return
    values = {(v, u) for f in own for v, u, _ in f.numbers} | {(v, None) for f in own for v, _, _ in f.numbers}
    for value, unit, _ in s.numbers:
        if (value, unit) not in values:
            fail("number", f"gives {trial} a number its facts about {trial} do not give ({s.number_texts.get(value, value)})")
            return
    groups = set().union(*(f.populations for f in own))
    for group in sorted(s.populations - groups):
        fail("population", f"gives {trial} a patient group ({group}) its facts about {trial} do not name")
        return
    said = _esa_status(s.text)
    if said and said not in set().union(*(_esa_status_all(f.text) for f in own)):
        fail("population", f"gives {trial} people {_ESA_STATUS_NAMES[said]}; its facts about {trial} do not")


# Whether people had an ESA before: never ("ESA-naive", "no prior ESA") or after one failed.
_ESA = r"(?:an?\s+|any\s+|prior\s+|previous\s+)?(?:ESAs?|erythropoiesis[- ]stimulating\s+agents?|epoetin\s+alfa|darbepoetin(?:\s+alfa)?)"
_ESA_NAIVE = re.compile(r"\bESA[- ]na[iï]ve\b|\b(?:never|not)\s+(?:\w+\s+){0,2}?(?:had|received|tried|been\s+given|given)\s+" + _ESA + r"|\b(?:no|without)\s+(?:prior\s+|previous\s+)?"
                        + _ESA + r"(?:\s+(?:so\s+far|before|yet|first|treatment))?\b|\bnever\s+given\s+" + _ESA, _I)
_ESA_AFTER = re.compile(_ESA + r"\s+(?:\w+\s+){0,2}?(?:fail\w*|stopped\s+working|(?:did|does|has|have)\s*(?:n't|not)\s+(?:work|worked|help)|no\s+longer\s+work\w*|not\s+tolerated)"
                        r"|\b(?:after|following|once)\s+" + _ESA + r"\b(?!\s+(?:so\s+far|before|yet))|\bESA[- ](?:failure|refractory|resistant)\b|\b(?:refractory|resistant|intolerant)\s+to\s+" + _ESA
                        + r"|(?:\b(?:not|no\s+longer|stopped)|n't)\s+respond\w*\s+to\s+" + _ESA, _I)
_ESA_STATUS_NAMES = {"naive": "who never had an ESA", "after": "after an ESA", "not_after": "with no ESA failure"}
# A failure denied: "no ESA failure", "without prior ESA failure", "an ESA has not failed" (session 10). Not a history
# of failure, and no "no ESA" either: such people may have had none (naive) or one that is working.
_ESA_NOT_FAILED = re.compile(r"\b(?:no|without)\s+(?:prior\s+|previous\s+|earlier\s+)?(?:ESA|erythropoiesis[- ]stimulating\s+agent)[- ]?(?:failure|resistance|refractoriness)\b"
                             r"|\b(?:has|have|had)\s*(?:n't|not)\s+(?:had\s+)?(?:an?\s+)?(?:ESA|erythropoiesis[- ]stimulating\s+agent)\s+fail\w*"
                             r"|" + _ESA + r"\s+(?:has|have|had|did)\s*(?:n't|not)\s+fail(?:ed)?\b", _I)


def _esa_status_all(text: str) -> set[str]:
    # a denied failure is "not_after", which also licenses "never had an ESA" (people with no failure include them)
    denied = _ESA_NOT_FAILED.search(text)
    text = _ESA_NOT_FAILED.sub(lambda m: " " * len(m.group(0)), text)
    found = {name for name, pattern in (("naive", _ESA_NAIVE), ("after", _ESA_AFTER)) if pattern.search(text)}
    return found | {"not_after", "naive"} if denied else found


def _esa_status(text: str) -> str | None:
    found = _esa_status_all(text)
    return next(iter(found)) if len(found) == 1 else None


def _groups_drawn_on(s: Profile, fact: Profile, cited: Sequence[Profile]) -> set[str]:
    """The patient groups of the parts of `fact` (split at ";" and full stops) that some clause of a
    sentence citing several facts draws on most: a sentence that merges "X can cure MDS but carries
    risks; in lower-risk MDS it is considered for …" with a fact about higher-risk MDS uses the first
    part of the first fact, which has no group."""
    parts = [(f is fact, part) for f in cited for part in re.split(r";|\.\s", f.text) if part.strip()]
    part_stems = [(own, part, _stems(part)) for own, part in parts]
    groups: set[str] = set()
    for clause in s.clauses:
        stems = _stems(clause.text)
        scored = [(len(stems & ps), own, part) for own, part, ps in part_stems]
        best = max((n for n, _, _ in scored), default=0)
        if best == 0:
            continue
        for n, own, part in scored:
            if n == best and own:
                groups |= {name for name, pattern in _POPULATIONS if pattern.search(part)}
    return groups


def _check_claims(s: Profile, facts: Profile, vocabulary: Vocabulary, fail, *, question: bool,
                  cited: Sequence[Profile] = (), context: Sequence[Profile] = ()) -> None:
    """`context`: every fact of the answer — a risk group that all its facts about a treatment share
    may go unsaid in one sentence about it; a subtype (del(5q), ring sideroblasts …) may not."""
    _check_names(s, facts, vocabulary, fail)

    if not question:
        _check_trial(s, cited, fail)
        # ESA status swapped: "never had an ESA" where its facts speak only of people after an ESA
        # (or the other way round).
        said = _esa_status(s.text)
        known = _esa_status_all(facts.text)
        if said and known and said not in known:
            fail("population", f"speaks of people {_ESA_STATUS_NAMES[said]}; its facts speak of people "
                               + " / ".join(_ESA_STATUS_NAMES[k] for k in sorted(known)))

    # Patient groups.
    for group in sorted(s.populations - facts.populations):
        if group == "older adults" and ("age", "up") in facts.directions:
            continue
        fail("population", f"speaks of {group} but its facts do not")
    for group in sorted(s.absent_populations & facts.populations - facts.absent_populations - s.populations):
        fail("population", f"speaks of people without {group}; its facts speak of people with it")
    if not question:
        _check_widening(s, facts, vocabulary, fail)
    if not question and _CLAIM.search(s.text) and (s.strengths or s.concepts or s.drug_words) \
            and not _how_given_in_own_words(s, cited):
        for fact in cited:
            if s.concepts and fact.concepts and not (s.concepts & fact.concepts):
                continue  # a claim about something else than this fact names
            core = fact.populations & _CORE_GROUPS
            missing = core - s.populations
            if missing & _RISK_GROUPS and context:
                about = [f for f in context if f.concepts & s.concepts]
                missing -= {g for g in missing & _RISK_GROUPS
                            if about and not any(f.populations & (_RISK_GROUPS - {g}) for f in about)}
            if missing and fact.alternative_groups() and core & s.populations:
                missing = set()  # "… with A, or with B": a sentence may speak of one of them
            if missing and len(cited) > 1:
                missing &= _groups_drawn_on(s, fact, cited)  # merged facts: the parts the sentence uses
            if missing & _RISK_GROUPS and s.strengths and any(
                    other is not fact and not other.populations & _RISK_GROUPS and s.strengths <= other.strengths
                    and s.concepts & other.concepts & _treatments(s.concepts, vocabulary) for other in cited):
                missing -= _RISK_GROUPS  # merged facts: another cited fact gives the same strength with no risk group
            if missing:
                fail("population", "drops the group its facts limit this to (" + ", ".join(sorted(missing)) + ")")
                break

    # A population moved: what its facts report of another disease ("seen mainly in kidney disease",
    # "used for several solid cancers") said of MDS.
    if not question and cited and _MDS_WORD.search(s.text) and not any(_MDS_WORD.search(f.text) for f in cited):
        elsewhere = [m.group(0) for f in cited for m in _OTHER_DISEASE.finditer(f.text)]
        if elsewhere and (not _OTHER_DISEASE.search(s.text)
                          or re.search(r"\b(?:too|also|as\s+well|including|included|such\s+as|among\s+them|like)\b", s.text, _I)):
            fail("population", f"says of MDS what its facts report of {elsewhere[0]}")
    # "… does not apply to people with MDS" where its facts do not speak of MDS at all: a denial they do not make
    if not question and cited and not any(_MDS_WORD.search(f.text) for f in cited):
        denial = _DENIED_FOR_MDS.search(s.text)
        if denial:
            fail("negation", f"says it does not hold in MDS ('{_short(denial.group(0), 50)}'); its facts do not say so")

    # Claim words (service/writers/claim_words.py): each needs a word of its own family in a cited fact.
    if not question:
        for claim in unlicensed(s.text, [f.text for f in cited] if cited else [facts.text]):
            problem = describe_claim(claim)
            fail(problem.split(":", 1)[0], problem.split(":", 1)[1].strip())

    # Strength of recommendation.
    if not question:
        for strength in sorted(s.strengths):
            if strength == "option" and _PLAINLY_USED.search(facts.text):
                continue  # "can be used" where its facts say it "is used for …"
            if not (_STRENGTH_LICENCE[strength] & facts.strengths):
                said = ", ".join(sorted(facts.strengths)) or "no strength"
                fail("strength", f"says '{strength}' where its facts say {said}")
        weak = _RARELY_USED.search(s.text)
        if weak and facts.strengths & {"recommended", "approved"} and not _RARELY_USED.search(facts.text):
            fail("strength", f"makes a recommended treatment sound marginal ('{weak.group(0)}')")
        # Strength deflated: "may be considered", "worth considering", "might be tried" where every
        # strength its facts give is "recommended" (standard, preferred …).
        optional = _OPTIONAL.search(s.text)
        if optional and not weak and "recommended" in facts.strengths and not facts.strengths & {"option", "approved", "last resort"} \
                and "recommended" not in s.strengths and not _OPTIONAL.search(facts.text):
            fail("strength", f"makes a recommended treatment sound optional ('{optional.group(0)}'); its facts recommend it")

    # A hedge made routine: "a transplant is carried out", "patients undergo" where every strength its
    # facts give is an option ("may be considered", "is considered").
    if not question and not s.strengths and facts.strengths == {"option"}:
        routine = _ROUTINE.search(s.text)
        if routine and not _CLAUSE_HEDGE_NEAR.search(s.text) and not re.search(r"\b(?:consider\w*|options?|possib\w*)\b", s.text, _I) \
                and re.sub(r"\s+", " ", routine.group(0)).casefold() not in facts.text.casefold():
            said = ", ".join(sorted({m.group(0) for m in _STRENGTHS[-1][1].finditer(facts.text)})) or "an option"
            fail("strength", f"states as routine ('{routine.group(0)}') what its facts only call an option ('{said}')")

    # A negation dropped: "ESAs still work" where the matching words of its facts say they rarely work,
    # "NCCN still lists it" where they advise against it.
    if not question:
        _check_polarity(s, facts, vocabulary, fail)

    # "Works well" where its facts say nothing about how well it works.
    if _GOOD_EFFECT.search(s.text) and not _POOR_EFFECT.search(s.text) and not _shows_effect(facts.text) \
            and not (facts.strengths & {"recommended", "option", "approved"}):
        fail("strength", "says it works well; its facts do not say how well it works")

    # "Works well" where its facts say only "not established" or "not recommended".
    if _GOOD_EFFECT.search(s.text) and not _POOR_EFFECT.search(s.text) and facts.strengths and \
            facts.strengths <= {"not established", "not recommended", "last resort"}:
        fail("strength", "says it works well where its facts say " + " / ".join(sorted(facts.strengths)))

    # A positive claim where the matching words of its facts say it rarely works.
    if not question and not _POOR_EFFECT.search(s.text) and ((s.strengths & {"recommended", "option", "approved"}) or _GOOD_EFFECT.search(s.text)):
        for clause in s.clauses:
            closest = _closest_clauses(clause, facts, share=0.0)
            if not closest:
                continue
            if all(_POOR_EFFECT.search(_PRIOR_FAILURE.sub(" ", fc.text)) for fc in closest):
                fail("strength", "makes a positive claim where its facts say it rarely works")
                break

    # Safety and tolerability claims.
    if not question:
        backed = _safety_claims(facts.text)
        rare_harms = _SAFETY_FACT.search(facts.text)
        if not backed and rare_harms:
            backed = [(rare_harms.group(0), False)]
        organ = _SAFE_FOR_ORGAN.search(s.text)
        if organ and not _SAFETY_NEGATED.search(s.text[max(0, organ.start() - 30):organ.start()]) \
                and organ.group(1).casefold()[:5] not in facts.text.casefold():
            fail("safety", f"makes a safety claim about the {organ.group(1)} its facts do not make")
        for word, absolute in _safety_claims(s.text):
            if absolute and not any(a for _, a in backed):
                fail("safety", f"makes an absolute safety claim ('{word}') its facts do not make"
                     + (f" (they say '{backed[0][0]}')" if backed else ""))
                break
            if not backed:
                fail("safety", f"makes a safety claim ('{word}') its facts do not make")
                break
            # Tolerated is not safe: "well tolerated" licenses "easy to tolerate", not "safe" or
            # "safe for the heart"; a named organ needs its facts to name it.
            if not _TOLERABILITY.search(word) and all(_TOLERATED_ONLY.search(b) and not _SAFE_WORD.search(b) for b, _ in backed):
                fail("safety", f"says '{word}' where its facts speak only of how well it was tolerated ('{backed[0][0]}')")
                break

    # Certainty and cure.
    for word in sorted(s.certainty):
        if word in facts.certainty or (question and word == "will"):
            continue
        if word == "will" and not facts.hedged and not _WILL_PROMISE.search(s.text):
            continue
        if word in ("proven", "shown to", "proves", "prove") and ({"proven", "shown to"} & facts.certainty):
            continue
        if word == "clearly" and re.search(r"(?<!un)\bclear\b", facts.text, _I) and not re.search(r"\bnot\s+clear\b", facts.text, _I):
            continue  # "haemoglobin clearly rose" where its facts report "a clear rise"
        fail("certainty", f"states a certainty ('{word}') its facts do not")
    for negated in s.cures:
        if negated not in facts.cures:
            if facts.cures:
                fail("cure", "speaks of a cure the opposite way to its facts")
            else:
                fail("cure", "speaks of a cure; its facts do not")
            break

    # Approximate shares ("roughly half", "nearly a third", "one in four"): within a stated tolerance
    # of a share its facts give (a percentage, a fraction, "x in y").
    said_shares = _shares_said(s.text)
    fact_points, fact_most = _fact_shares(facts)
    share_numbers: set[str] = set()
    for phrase, low, high, numbers, named, qualifier in said_shares:
        share_numbers |= numbers
        near = [pc for pc in fact_points if low <= pc <= high]
        if near and qualifier == "about" and not any(_natural_share(named, pc) for pc in near):
            fail("number", f"says '{phrase}' where its facts give {near[0]:g}%, which a nearer fraction would say")
            continue
        if near or (fact_most and low <= 50.0 and high >= 100.0):
            continue
        given = ", ".join(f"{pc:g}%" for pc in sorted(fact_points)[:4]) or ("'most'" if fact_most else "no share")
        fail("number", f"says '{phrase}' ({low:g}-{min(high, 100.0):g}%) where its facts give {given}")
    _check_share_owners(s.text, said_shares, cited, fail)
    _check_control_share(s.text, cited, fail)
    # shares in digits ("60%") are held to their finding's span as word shares are
    digit_shares: list[tuple[str, float, float, set[str], float, str]] = [
        (m.group(0), float(m.group(1)), float(m.group(1)), set(), float(m.group(1)), "")
        for m in re.finditer(r"(\d+(?:\.\d+)?)\s*%", s.text)]
    _check_share_finding(s.text, [*said_shares, *digit_shares], cited, fail)
    _check_subgroup_share(s.text, cited, fail)
    _check_list_item_shares(s.text, cited, fail)
    _check_universal_count(s.text, cited, fail)
    _check_paired_thresholds(s, cited, fail)

    # How often.
    for frequency in sorted(s.frequencies):
        if frequency == "some" and not facts.frequencies:
            continue  # "some people", "can": a hedge, not a claim
        if frequency == "half" and said_shares:
            continue  # checked as shares above
        if frequency == "many" and _many_as_heavily(s.text, facts.text):
            continue  # "need many transfusions" where its facts say "heavily transfused" (session 11)
        if frequency == "most" and any(pc > 50.0 for pc in fact_points) and \
                not _FREQUENCY[1][1].search(_MOST_AS_SHARE.sub(" ", s.text)):
            continue  # "most people", "the majority": a share over half, which its facts give
        if not (_FREQUENCY_LICENCE[frequency] & facts.frequencies):
            fail("frequency", f"says how often ('{frequency}') where its facts do not")

    # "More common with A", "less frequent": a comparison of how often, in the same direction as its facts'.
    for m in _HOW_OFTEN_COMPARED.finditer(s.text):
        said = "up" if m.group(1).casefold() == "more" else "down"
        if not re.search(r"\b(?:more|higher|increas\w*)\b" if said == "up" else r"\b(?:less|fewer|lower|reduc\w*|decreas\w*)\b", facts.text, _I):
            fail("direction", f"says '{m.group(0)}' where its facts do not compare how often in that direction")
            break

    # Directions of comparisons.
    for axis, direction in sorted(s.directions):
        if (axis, direction) in facts.directions:
            continue
        if (axis, _OPPOSITE[direction]) in facts.directions:
            fail("direction", f"turns a comparison around ({axis}: {direction} where its facts say {_OPPOSITE[direction]})")

    # Numbers: same value, unit and comparison ("one in four" may say a fact's 25%).
    fact_numbers = facts.numbers
    as_ratio: set[str] = set()
    percents = [float(v) for v, u, _ in fact_numbers if u == "%"]
    percents += [pc for word, pc in _FRACTIONS.items() if re.search(rf"\b{word}\b", facts.text, _I)]
    for m in _RATIO.finditer(s.text):
        x, y = _ratio_value(m.group(1)), _ratio_value(m.group(2))
        if x and y and y > x and any(abs(100.0 * x / y - pc) <= 3.0 for pc in percents):
            as_ratio |= {str(x), str(y)}
    for value, unit, comparison in s.numbers:
        if (value in as_ratio or value in share_numbers) and unit is None:
            continue
        same = [(u, c) for v, u, c in fact_numbers if v == value]
        shown = s.number_texts.get(value, value)
        if not same and unit is None and comparison is None and _is_count(shown, s.text, cited or [facts], vocabulary):
            continue  # "one example", "the two ESAs our sources name": a count of what its facts list
        if not same:
            fail("number", f"states a number its facts do not: {shown}")
            continue
        units = {u for u, _ in same}
        if unit is None and units == {"%"}:
            fail("number", f"states {shown} where its facts give it as a percentage")
            continue
        if unit is not None and unit not in units and (None not in units or unit == "%" or _TIME_SPAN.fullmatch(unit)):
            # a time span ("3 years") needs its facts' number in that unit: the 3 of "two in three" is no duration
            fail("number", f"states {shown} with a unit its facts do not use with it")
            continue
        if comparison is not None:
            comparisons = {c for _, c in same}
            if comparison not in comparisons:
                if _OPPOSITE[comparison] in comparisons:
                    fail("direction", f"turns the comparison of {shown} around")
                else:
                    fail("number", f"adds a comparison to {shown} its facts do not make")
    for unit in sorted(s.time_units - facts.time_units):
        if not any(u and u.rstrip("s") == unit for _, u, _ in s.numbers):
            fail("number", f"speaks of a time span in {unit}s its facts do not mention")

    # A hedge dropped: a clause that matches only hedged claims of benefit in its facts ("lenalidomide
    # can reduce the need for transfusions") states the benefit without any hedge ("… reduces the need …").
    if not question:
        for clause in s.clauses:
            if len(clause.stems) < 2 or clause.negated or _CLAUSE_HEDGE.search(clause.text) or _CERTAIN.search(clause.text):
                continue
            if _PURPOSE.search(clause.text) and _MODAL.search(s.text):
                continue  # "… can be given while …, to keep it under control": the purpose of a hedged clause
            close = _closest_clauses(clause, facts)
            if not close:
                continue
            hedges = [_hedge_on(fc.text, clause.stems) for fc in close if not fc.negated]
            if len(hedges) == len(close) and all(hedges):
                fail("certainty", f"drops the hedge ('{hedges[0]}') its facts use")
                break

    # Opposite words in the matching clause of its facts: "high EPO levels" where they say "low".
    _check_antonyms(s, facts, fail)

    # A hedge made certain, verb by verb: "respond" / "frees" / "improves" said plainly where every
    # clause of its facts with that verb hedges it ("may still respond") or gives it only as a
    # comparison ("freed more patients than placebo").
    if not question:
        _check_plain_effects(s, facts, fail)
        _check_dropped_hedges(s, facts, fail)

    # Negation, clause by clause: a clause that matches clauses of its facts must not be
    # negated where they are not (or the other way round) in the words the negation is about.
    for i, clause in enumerate(s.clauses):
        if len(clause.stems) < 2:
            continue
        close = _closest_clauses(clause, facts)
        if not close:
            continue
        if any(fc.negated == clause.negated for fc in close):
            continue
        if clause.negated:
            shared = clause.scope & set().union(*(fc.stems for fc in close))
            # a negation inside a qualifier ("people who could not have a transplant") that a clause of its facts
            # also negates ("when a transplant is not possible"): the facts' own condition, moved
            named_ids = {x for x in clause.scope if x.startswith("C:")}
            if shared and named_ids and _QUALIFIER_NEGATION.search(clause.text) \
                    and any(fc.negated and named_ids <= fc.stems for fc in facts.clauses):
                continue
        else:
            shared = clause.stems & set().union(*(fc.scope for fc in close))
            # the negation said in the clause before ("have not had an ESA yet, luspatercept is …")
            if shared and i > 0 and s.clauses[i - 1].negated and shared & s.clauses[i - 1].scope:
                continue
        if shared:
            fail("negation", "says the opposite of its facts (" + ("adds" if clause.negated else "drops") + " a negation)")
            break
    else:
        _check_added_negation(s, facts, vocabulary, fail)

    # Comparisons between two treatments (or a treatment and placebo) turned around.
    for equal in sorted(s.equal_pairs, key=sorted):
        one, other = sorted(equal)
        if equal not in facts.equal_pairs and ((one, other) in facts.comparisons or (other, one) in facts.comparisons):
            fail("direction", f"says {_arm_name(one, s, facts)} and {_arm_name(other, s, facts)} did equally well; "
                              f"its facts say one did better")
    for denied in sorted(s.negated_comparisons & facts.comparisons):
        fail("negation", f"denies that {_arm_name(denied[0], s, facts)} did better than "
                         f"{_arm_name(denied[1], s, facts)}, which its facts say")
    for better, worse in sorted(s.comparisons):
        if (better, worse) in facts.comparisons:
            continue
        a, b = _arm_name(better, s, facts), _arm_name(worse, s, facts)
        if (worse, better) in facts.comparisons:
            fail("direction", f"turns the comparison between {a} and {b} around")
        else:
            fail("direction", f"compares {a} with {b}; its facts make no such comparison")

    # Support: a statement must share content with what it cites.
    if not question and len(s.stems) >= 2:
        shared = s.stems & facts.stems
        if len(shared) / len(s.stems) < 0.25 and _shared_in_other_words(s.text, facts.text) < 0.25:
            fail("support", "shares too little with the facts it cites")


def _shared_in_other_words(text: str, facts_text: str) -> float:
    """The share of a sentence's content words that its facts use, by stem (British and American spellings
    alike) or by a word of the same family of wording.yaml ("lift" for "raise", "reduce" for "cut")."""
    wording = load_wording()
    words = {wording_stem(w): w for w in _WORD.findall(text) if len(w) >= 4 and w.casefold() not in _STOP}
    if not words:
        return 0.0
    fact_stems = {wording_stem(w) for w in _WORD.findall(facts_text)}
    present = wording.families_in(facts_text)
    shared = [st for st in words if st in fact_stems or wording.family_of.get(st, frozenset()) & present]
    return len(shared) / len(words)


# ---- comparisons ----------------------------------------------------------------------------------

_ARMS = re.compile(r"\b(?:placebo|(?:the\s+)?(?:conventional|usual|standard|best\s+supportive|supportive)\s+(?:care|alternatives?|treatment)|observation)\b", _I)
_BETTER = re.compile(r"\b(?:no\s+better\s+than|beat|beats|outperformed|outperforms|outdid|surpassed|came\s+out\s+ahead\s+of|(?:was|were|is|are|came|finished)\s+ahead\s+of|(?:did|worked|works|was|were|is|are)\s+(?:better|more\s+effective|superior)\s+(?:than|to)"
                     r"|(?:freed|frees|free|helped|helps|help|kept|keeps|gave|gives|led|leads)\s+(?:\w+\s+){0,1}more\b"
                     r"(?!\s+than\s+(?:a|an|one|two|three|four|half|\d|about|around|roughly|nearly|almost|twice)\b)[^.;:]{0,60}?\bthan"
                     r"|(?:helped|helps|help)\s+(?:[\w()-]+\s+){0,6}?live\s+longer\s+than|lived\s+longer\s+(?:on\s+\w+\s+)?than)\b", _I)
_WORSE = re.compile(r"\b(?:(?:did|worked|works|was|were|is|are)\s+(?:worse|less\s+effective|inferior)\s+(?:than|to)|lost\s+to"
                    r"|(?:freed|frees|free|helped|helps|help|kept|keeps|gave|gives|led|leads)\s+(?:\w+\s+){0,1}(?:fewer|less)\b"
                    r"(?!\s+than\s+(?:a|an|one|two|three|four|half|\d|about|around|roughly|nearly|almost)\b)[^.;:]{0,60}?\bthan)\b", _I)
_EQUAL = re.compile(r"\b(?:(?:worked|work|works|did|do|does|were|are|was|is)\s+(?:about\s+)?(?:equally\s+(?:well|effective|good)|the\s+same|just\s+as\s+well)"
                    r"|as\s+(?:well|effective|good)\s+as|no\s+(?:real\s+|clear\s+)?difference\s+between|similar(?:ly)?\s+(?:well|effective|results?))\b"
                    # the same share or result in other words: "similar shares", "comparable rates", "about the same number"
                    r"|\b(?:similar|comparable|equal|matching|identical)\s+(?:\w+\s+)?(?:shares?|proportions?|numbers?|rates?|percentages?|fractions?|results?|outcomes?|benefits?|effects?|responses?|success)\b"
                    r"|\b(?:(?:about|roughly|much|more\s+or\s+less|nearly|almost)\s+)?the\s+same\s+(?:share|proportion|number|rate|percentage|results?|benefit|effect|amount)\b"
                    r"|\b(?:equally|comparably|similarly)\s+(?:often|many|well|good|effective|likely)\b"
                    r"|\b(?:performed|perform|performs|did|do|does|worked|work|works|fared|fare|fares)\s+(?:about\s+|roughly\s+|much\s+)?(?:similarly|alike|equally|comparably)\b"
                    r"|\b(?:little|no(?:\s+(?:real|clear|meaningful|major|big))?)\s+difference\s+(?:between|in\s+how)\b|\bno\s+better\s+(?:or|nor)\s+worse\b|\bon\s+(?:a\s+)?par\b|\bneither\s+(?:\w+\s+)?(?:was|did|worked|is)\s+better\b", _I)
_PERCENT_VS = re.compile(r"(\d+(?:\.\d+)?)\s*%[^.;]{0,80}?\bcompared\s+with\s+(\d+(?:\.\d+)?)\s*%\s+(?:on|with|for|in|after)\s+", _I)
# "35% on A versus 60% on B": two shares, each tied to its arm by "on" / "with" / "in" / "taking"
# (also "reached by 27.6% on A and by 44.5% of those given B")
_ARM_SHARES = re.compile(r"(\d+(?:\.\d+)?)\s*%\s+(?:of\s+(?:people|patients|those)\s+)?(?:on|with|in|taking|given)\s+(?P<a>[^.;%]{1,40}?)"
                         r"\s*,?\s*(?:versus|vs\.?|against|compared\s+with|and)\s+(?:by\s+)?(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+)?"
                         r"(\d+(?:\.\d+)?)\s*%\s+(?:of\s+(?:people|patients|those)\s+)?(?:on|with|in|taking|given)\s+", _I)
_GOOD_OUTCOME = re.compile(r"\b(?:freed|free|freedom|response|respond\w*|independen\w*|surviv\w*|alive|remission|live\s+longer"
                           r"|no\s+longer\s+need\w*|without\s+(?:(?:a|any)\s+)?(?:red[- ]cell\s+|blood\s+)?transfusions?)\b", _I)


# What a trial measures, not an arm of it: "freed from transfusions", "fewer transfusions".
_OUTCOME_NAME = re.compile(r"transfus", _I)


def _entities(text: str, vocabulary: Vocabulary) -> list[tuple[int, str]]:
    """Treatments (and control arms) named in a text, with positions; a pronoun ("it", "they") is
    an entity "PRONOUN"; names inside a patient group ("transfusion-dependent") are not."""
    groups = [(m.start(), m.end()) for _, pattern in _POPULATIONS for m in pattern.finditer(text)]
    found = [(m.start, cid) for m in vocabulary.find(text) for cid in sorted(m.concept_ids)
             if (vocabulary.kind({cid}) or "").casefold() in ("drug", "therapy", "")
             and not any(gs <= m.start < ge for gs, ge in groups)
             and not _OUTCOME_NAME.search(m.text)]
    found += [(m.start(), "PRONOUN") for m in re.finditer(r"\b(?:it|they)\b", text, _I)]
    found += [(m.start(), "ARM:placebo" if "placebo" in m.group(0).casefold() else "ARM:usual care") for m in _ARMS.finditer(text)]
    return sorted(found)


def _comparisons(text: str, vocabulary: Vocabulary, p: Profile, own_first: str | None = None) -> set[tuple[str, str]]:
    """(better, worse) pairs a text states: "A beat B", "A freed more … than B", "B did worse than A",
    "A freed 38% … compared with 13% on B"; a pronoun before the comparison stands for the text's
    only treatment."""
    pairs: set[tuple[str, str]] = set()
    own = [c for c in p.subjects if not _OUTCOME_NAME.search(p.concept_words.get(c, ""))][:1] if own_first is None else [own_first]
    offset = 0
    whole = _entities(text, vocabulary)
    for clause in re.split(r"[;:]", text):
        start, offset = offset, offset + len(clause) + 1
        entities = _entities(clause, vocabulary)
        lead = _SUBORDINATE_OPENING.match(text)
        main_from = lead.end() if lead and lead.end() <= start else 0
        earlier = [e for pos, e in whole if main_from <= pos < start and not e.startswith("ARM:") and e != "PRONOUN"]
        if earlier:
            # a pronoun here stands for the subject of the text before it: its first treatment
            # ("X is an alternative to an ESA; it freed more …" speaks of X)
            own = earlier[:1]
        for pattern, flip in ((_BETTER, False), (_WORSE, True)):
            for m in pattern.finditer(clause):
                before = [e for pos, e in entities if pos < m.start()]
                after = [e for pos, e in entities if pos >= m.end() - 4 and e != "PRONOUN"]
                # "… lived longer on azacitidine than on …": the arm named inside the comparison is its subject
                inside = [e for pos, e in entities if m.start() < pos < m.end() - 4 and e != "PRONOUN" and not e.startswith("ARM:")
                          and re.search(r"\b(?:on|taking|given)\s+$", clause[max(0, pos - 8):pos], _I)]
                before = before + inside[:1]
                a = before[-1] if before else None
                if a == "PRONOUN":
                    # "X …, and … it …": a pronoun stands for the clause's subject (its first treatment
                    # after an opening "When …," clause), not for the treatment named last
                    opening = _SUBORDINATE_OPENING.match(clause)
                    placed = [(pos, e) for pos, e in entities if pos < m.start() and e != "PRONOUN" and not e.startswith("ARM:")]
                    main = [e for pos, e in placed if not opening or pos >= opening.end()] or [e for _, e in placed]
                    a = main[0] if main else (own[0] if own else None)
                    if placed and all(_BACKGROUND_BEFORE.search(clause[max(0, pos - 30):pos]) for pos, _ in placed):
                        a = None  # "after an ESA had not worked, it freed more …": "it" is not the ESA, but what the text before spoke of (session 11)
                elif a is None:
                    a = own[0] if own else None
                b = after[0] if after else None
                if a and b and a != b:
                    pair = (b, a) if flip else (a, b)
                    if re.search(r"(?:\bnot|\bnever|n't)\s+(?:\w+\s+)?$", clause[max(0, m.start() - 40):m.start()], _I) or m.group(0).casefold().startswith("no "):
                        p.negated_comparisons.add(pair)
                    else:
                        pairs.add(pair)
        if _EQUAL.search(clause):
            named = list(dict.fromkeys(e for _, e in entities if e != "PRONOUN"))
            for i, a in enumerate(named):
                for b in named[i + 1:]:
                    p.equal_pairs.add(frozenset((a, b)))
        for m in _PERCENT_VS.finditer(clause):
            if not _GOOD_OUTCOME.search(clause[:m.end()]):
                continue
            before = [e for pos, e in entities if pos < m.start() + 1]
            after = [e for pos, e in entities if pos >= m.end() and e != "PRONOUN"]
            a = before[-1] if before else None
            if a == "PRONOUN" or a is None:
                a = own[0] if own else None
            b = after[0] if after else None
            if a and b and a != b and float(m.group(1)) != float(m.group(2)):
                pairs.add((a, b) if float(m.group(1)) > float(m.group(2)) else (b, a))
        for m in _ARM_SHARES.finditer(clause):
            if not _GOOD_OUTCOME.search(clause):
                continue
            first = [e for pos, e in entities if m.start("a") <= pos < m.end("a") and e != "PRONOUN"]
            second = [e for pos, e in entities if m.end() <= pos < m.end() + 40 and e != "PRONOUN"]
            a, b = (first[0] if first else None), (second[0] if second else None)
            low, high = float(m.group(1)), float(m.group(3))
            if a and b and a != b and low != high:
                pairs.add((a, b) if low > high else (b, a))
    return pairs


def _arm_name(cid: str, *profiles: Profile) -> str:
    if cid.startswith("ARM:"):
        return cid[4:]
    for prof in profiles:
        if cid in prof.concept_words:
            return prof.concept_words[cid]
    return cid


_ONLY = re.compile(r"\b(?:the|its)\s+only\s+((?:[\w-]+\s+){0,3})", _I)
_ONE_OF = re.compile(r"\b(?:one\s+of\s+(?:the|several|many|a\s+few|various|a\s+number\s+of)|among\s+(?:the|several|many))\s+((?:[\w-]+\s+){0,3})", _I)


# A treatment a fact names only as what came before or alongside: "after an ESA has failed", "an ESA did not work",
# "combined with the ESA" (not what the fact's result is about).
_BACKGROUND_BEFORE = re.compile(r"(?:\b(?:after|following|when|once|if|unless|never\s+had|not\s+had|without|with|plus|alongside|to|than|versus|vs\.?|over|"
                                r"combined\s+with|added\s+to|instead\s+of|rather\s+than)\s+(?:an?\s+|the\s+|their\s+|prior\s+|previous\s+)?)$", _I)
_BACKGROUND_AFTER = re.compile(r"^\s*(?:has|have|had)?\s*(?:failed|not\s+worked|stopped\s+working|did\s+not\s+work|(?:has|have)\s+not\s+worked|failure|-naive|[- ]?na[iï]ve|was\s+not\s+tolerated)\b", _I)
# A strength of recommendation given to the subject ("HMAs are preferred …" citing azacitidine's "preferred … no HMA failure"):
# a class named in its facts only inside a condition does not take its member's recommendation (session 10).
_STRENGTH_GIVEN = re.compile(r"\b(?:preferred|recommended|advised|favou?red|suggested|endorsed|approved|the\s+(?:first|usual|standard)\s+(?:choice|treatment|option)|first[- ]line)\b", _I)
_OPENING_WITHOUT = re.compile(r"^\s*(?:without|in\s+people\s+without|for\s+people\s+without)\b[^,]{0,120},\s*", _I)


def _check_background_subject(text: str, cited: Sequence[Profile], vocabulary: Vocabulary, fail) -> None:
    """A result given to a treatment its facts name only as background: "Without a 5q deletion, an ESA freed about a
    quarter …" citing a fact whose quarter is lenalidomide's, where the ESA is only what failed before."""
    if not cited or not all(f.about for f in cited) or not (_ANY_EFFECT.search(text) or _shares(text) or _STRENGTH_GIVEN.search(text)):
        return
    opening = _OPENING_WITHOUT.match(text)
    how, subject = _text_subject(text[opening.end():] if opening else text, vocabulary)
    about = set().union(*(f.about for f in cited))
    if how != "named" or not subject or subject & about:
        return
    for cid in subject:
        spans = [(f.text, b, e) for f in cited for b, e in f.concept_spans.get(cid, [])]
        if spans and all(_BACKGROUND_BEFORE.search(ft[max(0, b - 30):b]) or _BACKGROUND_AFTER.match(ft[e:e + 30]) for ft, b, e in spans):
            surface = next((f.concept_words[cid] for f in cited if cid in f.concept_words), cid)
            fail("concept", f"gives {surface} a result; its facts name {surface} only as what came before or alongside")
            return


# A median ("responses lasted a median of about 2 years") is the middle value: half lasted longer, half shorter. Said as
# what is typical ("typically", "most", "usually", "on average") or as a plain figure, it becomes a claim about everyone.
_MEDIAN_SPAN = re.compile(r"\bmedian\b[^.;]*?(?=[.;]|,\s*(?:and|but|while|whereas|with)\b|$)", _I)
_SPAN_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(years?|months?|weeks?|days?|cycles?|%)", _I)
_SAYS_MEDIAN = re.compile(r"\bmedian\b|\bmid-?point\b|\bmiddle\b|\bhalf\b", _I)
_TYPICAL = re.compile(r"\b(?:typical(?:ly)?|usual(?:ly)?|most(?:ly)?|(?:the|a)\s+majority|on\s+average|average|generally|normally|in\s+general|"
                      r"as\s+a\s+rule|commonly|tend(?:s|ed)?\s+to|ordinarily|for\s+most)\b", _I)
# What a span of time measures: how long people lived, or how long a response (or a period without transfusions) lasted.
_SURVIVAL_WORDS = re.compile(r"\b(?:live[sd]?|living|lifespan|life\s+expectancy|surviv\w*|alive|die[sd]?|death|dying)\b", _I)
_LASTING_WORDS = re.compile(r"\b(?:respon\w*|remission\w*|last(?:s|ed|ing)?|duration|benefit\w*|transfusion[- ]free|independen\w*|"
                            r"follow[- ]?up|without\s+(?:red[- ]cell\s+)?transfusions)\b", _I)


def _unit_key(unit: str | None) -> str:
    return (unit or "").casefold().rstrip("s")


def _check_median_and_measure(text: str, s: Profile, cited: Sequence[Profile], fail) -> None:
    """A figure its facts give only as a median said without "median" ("typically live about 2 years", "most responses
    lasted about 2 years"); a span its facts give for how long responses lasted said of how long people live, or the
    other way round (session 11)."""
    medians: set[tuple[str, str]] = set()
    plain: set[tuple[str, str]] = set()
    for f in cited:
        spans = [(m.start(), m.end()) for m in _MEDIAN_SPAN.finditer(f.text)]
        for m in _SPAN_NUMBER.finditer(f.text):
            key = (m.group(1), _unit_key(m.group(2)))
            (medians if any(b <= m.start() < e for b, e in spans) else plain).add(key)
    said = [(v, _unit_key(u)) for v, u, _ in s.numbers if u]
    if medians and not _SAYS_MEDIAN.search(text):
        for key in said:
            if key in medians and key not in plain:
                typical = _TYPICAL.search(text)
                shown = s.number_texts.get(key[0], key[0])
                if typical:
                    fail("number", f"says '{typical.group(0)}' of {shown}, which its facts give as a median (half above, half below)")
                else:
                    fail("number", f"states {shown} plainly; its facts give it as a median (half above, half below)")
                break
    # survival for a response's duration, or the other way round: the words of the clause the figure is in
    for m in _SPAN_NUMBER.finditer(re.sub(r"\b(?:two|three|four|five|six)\b", lambda w: str(_SMALL[w.group(0).casefold()]), text, flags=_I)):
        key = (m.group(1), _unit_key(m.group(2)))
        if key[1] in ("", "%"):
            continue
        clause = re.split(r"[,;:(]", text[:m.start()])[-1]  # (the same window as its facts', so a fact said verbatim agrees with itself)
        survival, lasting = bool(_SURVIVAL_WORDS.search(clause)), bool(_LASTING_WORDS.search(clause))
        if survival == lasting:
            continue
        windows = [re.split(r"[,;:(]", f.text[:n.start()])[-1] for f in cited for n in _SPAN_NUMBER.finditer(f.text)
                   if (n.group(1), _unit_key(n.group(2))) == key]
        if not windows:
            continue
        if survival and not any(_SURVIVAL_WORDS.search(w) for w in windows):
            fail("number", f"says how long people live ('{m.group(0)}') where its facts give that span for how long a result lasted")
            return
        if lasting and all(_SURVIVAL_WORDS.search(w) and not _LASTING_WORDS.search(w) for w in windows):
            fail("number", f"says how long a result lasted ('{m.group(0)}') where its facts give that span for how long people lived")
            return


# Time order: which of two changes comes first ("counts fall further before they improve"), and what a step comes before
# or after ("while a transplant is being arranged" is before it, "before its effect can be judged").
_UP_EVENT = (r"(?:improv\w*|ris(?:e|es|ing)|rose|recover\w*|increas\w*|go(?:es)?\s+up|went\s+up|climb\w*|get(?:s)?\s+better|got\s+better|"
             r"pick(?:s|ed)?\s+up|bounce[sd]?\s+back)")
_DOWN_EVENT = (r"(?:lower(?:s|ed|ing)?|drop(?:s|ped|ping)?|dip(?:s|ped|ping)?|fall(?:s|ing)?|fell|decreas\w*|declin\w*|worsen\w*|go(?:es)?\s+down|"
               r"went\s+down|get(?:s)?\s+worse|got\s+worse|sink(?:s|ing)?|sank)")
_EVENT = r"\b(?:(?P<{0}up>" + _UP_EVENT + r")|(?P<{0}down>" + _DOWN_EVENT + r"))\b"
_EV1, _EV2 = _EVENT.format("a"), _EVENT.format("b")
_LATER = r"\b(?:then|later|afterwards|after\s+that|eventually|subsequently|in\s+later\s+cycles|over\s+time)\b"
_EARLY = r"\b(?:at\s+first|first|initially|early(?:\s+on)?|to\s+begin\s+with|in\s+the\s+(?:first|early|opening)\b)"
_EVENT_ORDERS = (  # (pattern, whether event a comes first)
    (re.compile(_EV1 + r"[^.;]{0,80}?\bbefore\b[^.;]{0,60}?" + _EV2, _I), True),
    (re.compile(_EV1 + r"[^.;]{0,80}?" + _LATER + r"[^.;]{0,60}?" + _EV2, _I), True),
    (re.compile(_EV1 + r"[^.;]{0,80}?" + _EV2 + r"[^.;,]{0,30}?" + _LATER, _I), True),
    (re.compile(_EV1 + r"\s+(?:(?!(?:after|once|following|before|until|when)\b)[\w-]+\s+){0,6}?" + _EARLY + r"[^.;]{0,80}?" + _EV2, _I), True),
    (re.compile(_EARLY + r"[^.;]{0,40}?" + _EV1 + r"[^.;]{0,80}?" + _EV2, _I), True),
    (re.compile(_EV1 + r"[^.;]{0,40}?\b(?:only\s+)?(?:after|once|following)\b[^.;]{0,40}?" + _EV2, _I), False),
)
# "before X", "after X", "while X is being arranged" (before it), "until X" (before it): X's first content word
_STEP_ORDER = re.compile(r"\b(?P<rel>before|prior\s+to|until|ahead\s+of|after|following|once|while)\s+(?:(?:the|a|an|its|their|your|any)\s+)?"
                         r"(?P<what>[a-z][\w-]+)(?P<rest>(?:\s+[\w-]+){0,3})", _I)
_BEING_READIED = re.compile(r"\s+(?:is|are)\s+being\s+(?:arranged|planned|organi[sz]ed|prepared|set\s+up|sought|found)", _I)


def _event_orders(text: str) -> set[tuple[str, str]]:
    """(first, second) of two changes of opposite direction whose order the text gives ("up" / "down")."""
    orders: set[tuple[str, str]] = set()
    for pattern, a_first in _EVENT_ORDERS:
        for m in pattern.finditer(text):
            a = "up" if m.group("aup") else "down"
            b = "up" if m.group("bup") else "down"
            if a != b:
                orders.add((a, b) if a_first else (b, a))
    return orders


def _step_orders(text: str) -> dict[str, set[str]]:
    """stem of X -> {"before", "after"}: what the text says happens before or after X."""
    found: dict[str, set[str]] = {}
    for m in _STEP_ORDER.finditer(text):
        rel = m.group("rel").casefold()
        what = m.group("what").casefold()
        if what in _STOP or len(what) < 4:
            continue
        if rel == "while":
            if not _BEING_READIED.match(m.group("rest")):
                continue
            side = "before"
        else:
            side = "before" if rel in ("before", "until", "ahead of") or rel.startswith("prior") else "after"
        found.setdefault(what[:6], set()).add(side)
        found.setdefault("=" + what[:6], {what})
    return found


def _check_time_order(text: str, cited: Sequence[Profile], fail) -> None:
    """A time order turned around: counts said to improve first and dip later where its facts say they fall further
    before they improve; a step said to come after X where its facts put it before X (or the other way round) (session 11)."""
    if not cited:
        return
    facts_text = "\n".join(f.text for f in cited)
    fact_orders = _event_orders(facts_text)
    if fact_orders:
        for first, second in sorted(_event_orders(text)):
            if (second, first) in fact_orders and (first, second) not in fact_orders:
                fail("direction", f"turns a time order around (a {'rise' if first == 'up' else 'fall'} first, where its facts put the "
                                  f"{'rise' if second == 'up' else 'fall'} first)")
                return
    fact_steps = _step_orders(facts_text)
    if fact_steps:
        said = _step_orders(text)
        for what, sides in sorted(said.items()):
            known = fact_steps.get(what, set())
            if not what.startswith("=") and len(sides) == 1 and known and not sides & known:
                word = next(iter(said["=" + what]))
                fail("direction", f"turns a time order around ('{next(iter(sides))} … {word}', where its facts say '{next(iter(known))}')")
                return


# A share's denominator: "of the people who responded", "among responders" (a share of a subgroup picked by its outcome)
# against a share of everyone treated. The two are different numbers: 60% of all is not 60% of those who responded.
_OUTCOME_DENOMINATOR = re.compile(r"\b(?:of|among|amongst|in)\s+(?:the\s+|all\s+|those\s+)?(?:(?:people|patients|participants|those|ones|individuals|adults)\s+"
                                  r"(?:(?:with|on|given|taking|in)\s+[^,;.]{1,60}?\s+)?)?(?:who|that|whose)\s+(?P<q>[^,;.]{3,80})|\b(?:of|among|amongst|in)\s+(?:the\s+|all\s+)?(?P<r>(?:non-?)?responders)\b", _I)
_OUTCOME_QUALIFIER = re.compile(r"\b(?:respon\w*|benefit\w*|improv\w*|complet\w*|finish\w*|(?:stayed|remained)\s+on|surviv\w*|were\s+freed|"
                                r"became\s+transfusion|got\s+better|(?:achieved|reached|had)\s+(?:a\s+)?(?:response|remission)|(?:an?|any)\s+(?:[\w-]+\s+)?(?:response|remission)|"
                                r"went\s+into\s+remission|did\s+well|"
                                # "whose haemoglobin rose", "whose counts recovered": a subgroup picked by a measured change (session 11, P2)
                                r"(?:(?:their|the)\s+)?(?:ha?emoglobin|hb|(?:blood\s+)?counts?|platelets?|neutrophils?|anaemia|anemia)\s+(?:levels?\s+)?"
                                r"(?:rose|went\s+up|improved|recovered|increased|normali[sz]ed|returned\s+to\s+normal|got\s+better|responded))", _I)
_ANY_SHARE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent\b|per\s+cent\b)|\b(?:half|third|quarter|fifth|tenth|thirds|quarters|most|majority|minority)\b"
                        r"|\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out\s+of)\s+(?:every\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\b", _I)


def _outcome_denominators(text: str) -> list[tuple[re.Match[str], str]]:
    """The subgroups picked by an outcome that a text gives a share of, with the outcome's stem ("respon")."""
    found = []
    for m in _OUTCOME_DENOMINATOR.finditer(text):
        q = m.group("r") or m.group("q")
        # the outcome is the relative clause's own verb ("who responded", "who had a response"), not a later verb
        # of the main clause ("of the patients who were tested also had a response")
        outcome = _OUTCOME_QUALIFIER.match(q, re.match(r"(?:(?:had|have|has|did|then|also|later|eventually|initially|ever|all)\s+)*", q, _I).end())  # type: ignore[union-attr]
        if outcome:
            found.append((m, outcome.group(0).casefold()[:5]))
    return found


def _check_share_denominator(text: str, cited: Sequence[Profile], fail) -> None:
    """A share given of a subgroup picked by its outcome ("Of the people who responded, about 60% …") where its facts
    give it of everyone treated, or a share its facts give of those who responded said of everyone (session 11)."""
    if not cited or not _ANY_SHARE.search(text):
        return
    facts_text = "\n".join(f.text for f in cited)
    fact_groups = _outcome_denominators(facts_text)
    said = _outcome_denominators(text)
    for m, stem in said:
        if not any(stem == other for _, other in fact_groups):
            fail("population", f"gives a share of a subgroup ('{_short(m.group(0), 45)}'); its facts give that share of everyone it counts")
            return
    if said:
        return
    for m, stem in fact_groups:
        sentence_end = min([i for i in (facts_text.find(".", m.end()), facts_text.find("\n", m.end())) if i >= 0] or [len(facts_text)])
        sentence_start = max(facts_text.rfind(".", 0, m.start()), facts_text.rfind("\n", 0, m.start())) + 1
        values = {v.group(1) for v in re.finditer(r"(\d+(?:\.\d+)?)\s*%", facts_text[sentence_start:sentence_end])}
        given = [v.group(1) for v in re.finditer(r"(\d+(?:\.\d+)?)\s*%", text) if v.group(1) in values]
        if given and not re.search(r"\b" + re.escape(stem), text, _I):
            fail("population", f"says {given[0]}% of everyone; its facts give it of a subgroup ('{_short(m.group(0), 45)}')")
            return


# What a trial or a result is said in: "in the randomized trial", "did not improve results", "freed 38%", "side effects".
_RESULT_CUE = re.compile(r"\b(?:trials?|stud(?:y|ies)|randomi[sz]ed|results?|outcomes?|side[- ]effects?|placebo|surviv\w*|respon\w*|"
                         r"improv\w*|freed|benefit\w*|helped|worked|beat|outperform\w*|better|worse)\b|\d\s*%", _I)


def _check_result_from_other_fact(text: str, cited: Sequence[Profile], vocabulary: Vocabulary, fail) -> None:
    """A result given to a treatment the fact with that result does not name, linked to it only by another cited fact:
    "Nivolumab was the checkpoint inhibitor added to azacitidine in the trial" citing "Immune checkpoint inhibitors use
    nivolumab" and a trial of "one" checkpoint inhibitor (a member given its class's result), or a class given the
    result of one member its other fact names (session 11)."""
    if len(cited) < 2:
        return
    how, subject = _text_subject(text, vocabulary)
    if how != "named" or not subject:
        return
    # (the subject's own clause: not "…, and in a trial epoetin alfa was well tolerated", where another treatment is the subject)
    main = re.split(r"[;:]|,\s*(?:and|but|while|although|whereas|however|though|yet|which|who|whose|where)\b|\b(?:while|whereas|although)\b",
                    text, maxsplit=1, flags=_I)[0]
    cues = {m.group(0).casefold()[:5] for m in _RESULT_CUE.finditer(main)}
    if not cues:
        return
    for cid in sorted(subject):
        naming = [f for f in cited if f.concept_spans.get(cid)]
        results = [f for f in cited if not f.concept_spans.get(cid) and f.about - {cid}]
        if not naming or not results:
            continue
        if any(_RESULT_CUE.search(f.text) for f in naming):
            continue  # a fact that names it also reports a result
        for f in results:
            held = {m.group(0).casefold()[:5] for m in _RESULT_CUE.finditer(f.text)} & cues
            if held:
                surface = next((n.concept_words[cid] for n in naming if cid in n.concept_words), cid)
                other = next((g.concept_words[c] for g in (f, *naming) for c in sorted(f.about - {cid}) if c in g.concept_words), "another treatment")
                fail("concept", f"gives {surface} a result its facts report of {other}, without naming {surface}")
                return


# A fact that says plainly what a treatment is used for ("it is used for anaemia when …"): it is an option.
_PLAINLY_USED = re.compile(r"(?<!\bnot\s)(?<!\bnever\s)(?<!\brarely\s)\b(?:is|are)\s+(?:(?:also|often|usually|mainly|then)\s+)?(?:used|given|offered)\s+(?:for|to|in|when|as)\b", _I)


# A condition said not to count: "being willing is not one of the conditions", "a donor is not needed",
# "age does not matter".
_DENIED_REQUIREMENT = re.compile(
    r"(?:^|[,;:]\s*(?:and\s+|but\s+|while\s+)?|\b(?:and|but|while)\s+)((?:[\w-]+\s+){0,5}?[\w-]+)\s+(?:is|are|was|were)\s*(?:n't|not)\s+(?:really\s+|actually\s+|strictly\s+)?"
    r"(?:needed|required|necessary|essential|a\s+(?:requirement|condition|criterion|must|prerequisite)|(?:one|part)\s+of\s+(?:the\s+)?(?:conditions|requirements|criteria)"
    r"|what\s+counts|what\s+matters|important|relevant)\b"
    r"|(?:^|[,;:]\s*(?:and\s+|but\s+)?|\b(?:and|but|while)\s+)((?:[\w-]+\s+){0,5}?[\w-]+)\s+(?:does|do|did)\s*(?:n't|not)\s+(?:matter|count|need\s+to\s+be\s+met)\b", _I)


def _check_denied_requirement(text: str, facts: Profile, fail) -> None:
    """A condition its facts state said not to be needed: the words before "is not one of the conditions" are
    a condition of a fact clause that does not deny it."""
    def stems(words: str) -> set[str]:  # (short words too: "fit")
        return {w.casefold()[:6] for w in _WORD.findall(words) if len(w) >= 3 and w.casefold() not in _STOP}

    for m in _DENIED_REQUIREMENT.finditer(text):
        subject = stems(m.group(1) or m.group(2) or "")
        if not subject:
            continue
        for fc in facts.clauses:
            if subject <= stems(fc.text) and not (fc.negated and subject & stems(" ".join(fc.scope))):
                fail("negation", f"says a condition its facts state does not count ('{_short(m.group(0).strip(' ,;:'), 50)}')")
                return


# Two thresholds a fact gives as one condition: "age <= 60 with blasts < 5 %".
_PAIRED_THRESHOLDS = re.compile(r"\b([a-z]+)\s*(?:<=|>=|<|>|≤|≥)\s*(\d+(?:\.\d+)?)\s*%?\s+(?:with|and|plus)\s+([a-z]+)\s*(?:<=|>=|<|>|≤|≥)\s*(\d+(?:\.\d+)?)", _I)


def _check_paired_thresholds(s: Profile, cited: Sequence[Profile], fail) -> None:
    """A threshold its facts give only together with another ("age <= 60 with blasts < 5 %") said without it:
    "being 60 or younger makes a response likely" drops the blasts."""
    said = {v for v, _u, _c in s.numbers}
    for f in cited:
        for m in _PAIRED_THRESHOLDS.finditer(f.text):
            first, second = (str(n.value) for n in extract_numbers(f"{m.group(2)} {m.group(4)}"))
            for have, lack, lack_word in ((first, second, m.group(3)), (second, first, m.group(1))):
                if have in said and lack not in said and not re.search(r"\b" + re.escape(lack_word[:5]), s.text, _I):
                    fail("population", f"gives the threshold {have} without the {lack_word} threshold its facts pair it with ({_short(m.group(0), 40)})")
                    return


# A share a fact gives one item of a list: "fever (39.5%), chills (26.5%), rash (25.6%)".
_LABELLED_SHARE = re.compile(r"([A-Za-z][\w-]*)\s*\(\s*(\d+(?:\.\d+)?)\s*%\s*\)")
# Two figures set against each other: "close to half …, against about a third …".
_SET_AGAINST = re.compile(r"\b(?:against|versus|vs\.?|compared\s+(?:with|to)|than|while|whereas)\b", _I)


_CONTROL_ARM = r"(?:the\s+)?(?:comparison|control|placebo)\s+(?:group|arm)|placebo|(?:conventional|usual|standard|best\s+supportive)\s+care"
# "30.3% against 17.6% in the comparison group": the share after "against" is the control arm's
_FACT_CONTROL_PAIR = re.compile(r"(\d+(?:\.\d+)?)\s*%[^.;%]{0,40}?\b(?:against|versus|vs\.?|compared\s+with)\s+(\d+(?:\.\d+)?)\s*%\s+"
                                r"(?:of\s+(?:people|patients|those)\s+)?(?:in|on|with|for|given|taking)\s+(?:" + _CONTROL_ARM + r")\b", _I)
_SAID_CONTROL_SHARE = re.compile(r"(\d+(?:\.\d+)?)\s*%\s+(?:of\s+(?:people|patients|those)\s+)?(?:in|on|with|for|given|taking)\s+(?:" + _CONTROL_ARM + r")\b", _I)


# How long a result lasted, as a finding's own words: "a year or more", "at least 12 weeks", "26 weeks".
_FINDING_SPAN = re.compile(r"\b(?:a|one|\d+)\s+(?:years?|months?|weeks?)\b", _I)
# An opening phrase that dates what follows: "After a year or more, ...", "For at least 12 weeks, ...".
_LEADING_SPAN = re.compile(r"\s*(?:after|for|over|at|by|within|beyond|past|across|with)\b[^,;:.]{0,50}?[,;:]", _I)


def _check_share_finding(text: str, said_shares: Sequence[tuple[str, float, float, set[str], float, str]],
                         cited: Sequence[Profile], fail) -> None:
    """An approximate share and the span of the finding it is said of, in one clause ("more than half … went a year
    or more without transfusions"), must come from one cited fact: not the share of a 12-week result (one fact) said
    of the one-year result (another)."""
    if len(cited) < 2:
        return
    for phrase, low, high, *_ in said_shares:
        at = text.find(phrase)
        if at < 0:
            continue
        starts = [0] + [m.end() for m in re.finditer(r"[,;:]|\b(?:and|but|while|whereas|compared\s+with|against|versus)\b", text, _I)]
        begin = max(b for b in starts if b <= at)
        end = min([m.start() for m in re.finditer(r"[,;:]|\b(?:but|while|whereas|compared\s+with|against|versus)\b", text[at + len(phrase):], _I)]
                  or [len(text)], default=len(text)) + at + len(phrase)
        spans = {m.group(0).casefold() for m in _FINDING_SPAN.finditer(text[begin:end])}
        lead = _LEADING_SPAN.match(text)
        if lead and lead.end() <= at:  # "After a year or more, over half ...": the opening phrase dates the whole sentence
            spans |= {m.group(0).casefold() for m in _FINDING_SPAN.finditer(lead.group(0))}
        owners = [i for i, f in enumerate(cited) if any(low <= pc <= high for pc in _fact_shares(f)[0])]
        for span in spans:
            holders = [i for i, f in enumerate(cited) if re.search(r"\b" + re.escape(span) + r"\b", f.text, _I)]
            if owners and holders and not set(owners) & set(holders):
                fail("number", f"says '{phrase}' of the finding over '{span}'; its facts give that share for another finding")
                return


def _check_control_share(text: str, cited: Sequence[Profile], fail) -> None:
    """A share given to the comparison arm ("30.3% in the comparison group") that its facts give to the treatment
    ("30.3% against 17.6% in the comparison group"): the two arms swapped."""
    pairs = [(float(m.group(1)), float(m.group(2))) for f in cited for m in _FACT_CONTROL_PAIR.finditer(f.text)]
    if not pairs:
        return
    for m in _SAID_CONTROL_SHARE.finditer(text):
        value = float(m.group(1))
        if any(value == treated != control for treated, control in pairs) and not any(value == control for _, control in pairs):
            fail("direction", f"gives the comparison arm '{m.group(0).strip()}', the share its facts give the treatment")
            return


def _check_share_owners(text: str, said_shares: Sequence[tuple[str, float, float, set[str], float, str]],
                        cited: Sequence[Profile], fail) -> None:
    """An approximate share must be the share of what the sentence gives it to: not the rash's 25.6% given to
    fever (the list item its facts give it to), and two shares set against each other come from one fact (the
    two arms of one comparison), not one from a 12-week result and one from a one-year result."""
    for phrase, low, high, _numbers, _named, _qualifier in said_shares:
        items = [(m.group(1).casefold(), float(m.group(2))) for f in cited for m in _LABELLED_SHARE.finditer(f.text)]
        owners = {label for label, value in items if low <= value <= high}
        others = {label for label, value in items if not low <= value <= high} - owners
        said = {w.casefold() for w in _WORD.findall(text)}
        if owners and not owners & said and others & said:
            fail("number", f"gives {sorted(others & said)[0]} '{phrase}', the share its facts give {sorted(owners)[0]}")
            return
    if len(cited) > 1 and len(said_shares) >= 2 and _SET_AGAINST.search(text):
        def licensing(low: float, high: float) -> set[int]:
            return {i for i, f in enumerate(cited) for pc in _fact_shares(f)[0] if low <= pc <= high}
        sets = [licensing(low, high) for _, low, high, *_ in said_shares]
        if all(sets) and not set.intersection(*sets):
            fail("number", f"sets '{said_shares[0][0]}' against '{said_shares[1][0]}', shares its facts give in different findings")


def _check_only_one(text: str, facts: Profile, fail) -> None:
    """Facts that say "the only treatment that can cure" and a sentence that makes it "one of the treatments that
    can cure": the uniqueness is the claim, and dropping it says there are others."""
    for one in _ONE_OF.finditer(text):
        said = _stems(one.group(1))
        if any(said & _stems(only.group(1)) for only in _ONLY.finditer(facts.text)):
            fail("strength", f"says '{one.group(0).strip()}' where its facts say it is the only one")
            return


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
_ISO_DATE = re.compile(r"\b(?:19|20)\d{2}-(0[1-9]|1[0-2])(?:-\d{2})?\b")


def _months_of(text: str) -> set[str]:
    """The month names of the dates its facts write as numbers ("2023-08-28": "august")."""
    return {_MONTHS[int(m.group(1)) - 1] for m in _ISO_DATE.finditer(text)}


_WITH_ANOTHER = r"\s+(?:and|with|plus|combined\s+with|together\s+with|in\s+combination\s+with)\s+\w"


def _alone_and_combined(cited: Sequence[Profile]) -> bool:
    """Whether one cited fact names a treatment on its own and another names it with something else
    ("Decitabine is recommended …" and "Decitabine and cedazuridine is recommended …")."""
    if len(cited) < 2:
        return False
    for p in cited:
        for word in {w for w in p.concept_words.values() if len(w) >= 4}:
            name = re.escape(word)
            if re.search(r"(?<![\w-])" + name + r"(?![\w-])(?!" + _WITH_ANOTHER + r")", p.text, _I) and \
                    any(q is not p and re.search(r"(?<![\w-])" + name + _WITH_ANOTHER, q.text, _I) for q in cited):
                return True
    return False


def _check_wording(text: str, cited: Sequence[Profile], vocabulary: Vocabulary, fail) -> None:
    """The closed-wording rule (service/writers/wording.py): every word is its facts', of a family its facts
    use, or one with no claim of its own. Names and numbers are blanked: their own rules check them."""
    blanked = _DIGITS.sub(" ", _blank(text, [(m.start, m.end) for m in vocabulary.find(text)]))
    # Of the facts' terms only the study names (MEDALIST): the terms list every brand the vocabulary knows
    # for a drug, which the facts' own text may not write.
    extra = [t for p in cited for t in p.trials] + sorted(_months_of(" ".join(p.text for p in cited)))
    if any(max(_list_lengths(p.text, vocabulary), default=0) >= 3 for p in cited):
        extra.append("several")  # "several options" for the three or more its facts list
    if _alone_and_combined(cited):
        extra.append("alone")  # "decitabine alone and decitabine with cedazuridine" for facts giving each
    words = unsupported_words(blanked, [p.text for p in cited], extra=extra)
    if words:
        shown = ", ".join(repr(w) for w in words[:4]) + (" …" if len(words) > 4 else "")
        fail("wording", f"uses words its facts do not support ({shown})")


# ---- session 10 (helper H): the twelfth blind file's slips, as rules for their kind ------------------------

# A share its fact gives one arm or subgroup: "56% on the higher dose", "17.6% in the comparison group". Said
# without any word of that group, the share is given to everyone ("lenalidomide freed 56%").
_SUBGROUP_SHARE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*%\s+(?:of\s+(?:people|patients|those)\s+)?(on|in|among|with|at|for|given|taking|receiving)\s+"
                             r"((?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,3}?[\w-]+)(?=\s*[,;.)]|\s+(?:and|versus|vs|against|compared|than)\b|\s*$)", _I)
_SAID_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)", _I)
# Words that name no group of their own ("in the trial", "in people").
_NO_GROUP_WORDS = frozenset("trial trials study studies people patients participants those mds group groups arm arms the a an of "
                            "total all overall".split())
# Names of a trial's control arm, one for another.
_CONTROL_WORDS = frozenset("placebo control comparison comparator dummy".split())


def _check_subgroup_share(text: str, cited: Sequence[Profile], fail) -> None:
    owned: dict[float, list[str]] = {}
    for f in cited:
        for m in _SUBGROUP_SHARE.finditer(f.text):
            words = [w.casefold() for w in _WORD.findall(m.group(3)) if w.casefold() not in _NO_GROUP_WORDS and w.casefold() not in _STOP]
            # "in"/"with"/"for"/"at" name an arm only with an arm's word ("in the comparison group"), not "in the long-term analysis"
            if m.group(2).casefold() in ("in", "with", "for", "at") and not re.search(r"\b(?:group|arm|subgroup|cohort|dose|doses)\b", m.group(3), _I):
                continue
            if words:
                owned.setdefault(float(m.group(1)), []).append(m.group(3))
    if not owned:
        return
    said = {w.casefold()[:5] for w in _WORD.findall(text)}
    for m in _SAID_PERCENT.finditer(text):
        groups = owned.get(float(m.group(1)))
        if not groups:
            continue
        # (a share its facts also give with no group, or give the whole population, is not a subgroup's)
        if any(re.search(r"(?<![\d.])" + re.escape(m.group(1)) + r"\s*%(?!\s+(?:of\s+(?:people|patients|those)\s+)?(?:on|in|among|with|at|for|given|taking|receiving)\s)", f.text)
               for f in cited):
            continue
        for group in groups:
            group_words = {w.casefold() for w in _WORD.findall(group)} - _NO_GROUP_WORDS - _STOP
            stems = {w[:5] for w in group_words}
            if group_words & _CONTROL_WORDS:
                stems |= {w[:5] for w in _CONTROL_WORDS}
            if stems & said:
                break
        else:
            fail("population", f"gives '{m.group(0).strip()}' without the group its facts give it to ('{groups[0]}')")
            return


# A share a fact gives one item of a list: "chills (26.5%), rash (25.6%)". A part of a sentence that gives one
# of those items a share must give it that item's share, not another item's ("chills in 25.6%", "joint pain in a
# quarter" where a quarter is the rash's).
_ITEM_PART_SPLIT = re.compile(r"[,;:]|\band\b|\bwhile\b|\bwhereas\b|\bversus\b|\bvs\.?|\bagainst\b|\bcompared\s+with\b", _I)


def _check_list_item_shares(text: str, cited: Sequence[Profile], fail) -> None:
    items = [(m.group(1).casefold(), float(m.group(2))) for f in cited for m in _LABELLED_SHARE.finditer(f.text)]
    items = [(label, value) for label, value in items if len(label) >= 4 and label not in _STOP]
    if len({label for label, _ in items}) < 2:
        return
    for part in _ITEM_PART_SPLIT.split(text):
        shares = [(m.group(0).strip(), float(m.group(1)) - 0.05, float(m.group(1)) + 0.05) for m in _SAID_PERCENT.finditer(part)]
        shares += [(phrase, low, high) for phrase, low, high, *_ in _shares_said(part)]
        if not shares:
            continue
        named = [(label, value) for label, value in items if re.search(r"\b" + re.escape(label[:5]) + r"\w*", part, _I)]
        if not named:
            continue
        for phrase, low, high in shares:
            if any(low <= value <= high for _, value in named):
                continue
            owners = [label for label, value in items if low <= value <= high and (label, value) not in named]
            if owners:
                fail("number", f"gives {named[0][0]} '{phrase}', the share its facts give {owners[0]}")
                return


# A trial's result made a promise: "luspatercept gets you off transfusions and lifts your haemoglobin", said plainly
# in the present tense (or to "you"), where every clause of its facts that speaks of that outcome gives it for a
# share of people ("about 60% … became transfusion-free") or hedges it.
_OUTCOME_ROOTS = (("freedom from transfusions", r"transfus\w*"), ("a haemoglobin rise", r"ha?emoglobin|\bhb\b"), ("a remission", r"remission\w*"),
                  ("a response", r"\brespon\w*"), ("longer survival", r"surviv\w*|live[sd]?\s+longer|living\s+longer"),
                  ("better blood counts", r"blood\s+counts?"))
_OUTCOME_NEED_BEFORE = re.compile(r"(?:\bno\s+longer|\bstop(?:s|ped)?|\bnot|n't|\bnever|\bless|\bfewer)\s+$", _I)
_PROMISE_VERB = re.compile(
    r"\b(?:gets?|lifts?|raises?|boosts?|frees?|makes?|ends?|stops?|removes?|takes?\s+away|puts?|brings?|keeps?|restores?|increases?|improves?|"
    r"clears|fix(?:es)?|corrects?|reverses?|eliminates?|prevents?|lets?|allows?|enables?|achieves?|reach(?:es)?|gains?|prolongs?|extends?|lengthens?|"
    r"no\s+longer\s+(?:need|needs|require|requires|depend|depends)|(?:do|does|will)\s+not\s+need|(?:don't|doesn't|won't)\s+need|stop\s+needing|"
    r"becomes?|goes|go\s+(?:into|off)|comes?\s+off|stays?|remains?|lives?|survives?|"
    # the outcome as the subject: "haemoglobin rises", "transfusions stop"
    r"rises?|climbs?|go(?:es)?\s+up|disappears?|vanish(?:es)?)\b", _I)
_PROMISE_EXEMPT = re.compile(
    r"\d\s*%|\bpercent\b|\b\d+\s+(?:of|in|out\s+of)\s+\d|\b(?:half|third|quarter|fifth|tenth|most|majority|many|some|few|several|certain|part|one\s+in|in\s+(?:some|many))\b|"
    r"\b(?:may|might|can|could|would|should|often|sometimes|usually|likely|possibl\w*|chance|help\w*|aim\w*|hope\w*|goal|meant|intended|try|tries|"
    r"more|fewer|less|than|versus|vs|beat|compared|better|worse)\b", _I)  # anywhere in the sentence
_PROMISE_CONDITION = re.compile(r"\b(?:if|whether|when|once|until|unless|while|not|never|no\s+one|nobody)\b", _I)  # in the part itself
_SHARE_OR_HEDGE = re.compile(r"\d+(?:\.\d+)?\s*%|\bpercent\b|\b(?:half|third|quarter|fifth|tenth|most|majority|many|some|few|several|in\s+\d+|"
                             r"may|might|can|could|often|sometimes|usually|likely|possibl\w*|help\w*)\b", _I)


_TRANSFUSION_GROUP = dict(_POPULATIONS).get("transfusion-dependent")
_OUTCOME_PATTERNS = tuple((name, re.compile(root, _I)) for name, root in _OUTCOME_ROOTS)


def _check_share_promise(text: str, cited: Sequence[Profile], fail) -> None:
    if _PROMISE_EXEMPT.search(text) or _SHARE.search(text) or not _PROMISE_VERB.search(text):
        return  # hedged, a share ("three in five") or a comparison anywhere; or no effect said at all
    population = _TRANSFUSION_GROUP

    def unmask(t: str) -> str:  # "who need transfusions", "transfusion-dependent": a group, not an outcome
        # (not "no longer need transfusions", "stop needing transfusions": an outcome)
        return population.sub(lambda m: m.group(0) if _OUTCOME_NEED_BEFORE.search(t, 0, m.start()) else " " * len(m.group(0)), t) if population else t
    for part in re.split(r"[,;:]|\bbut\b|\bwhich\b", unmask(text), flags=_I):
        verb = _PROMISE_VERB.search(part)
        if not verb or _PROMISE_CONDITION.search(part) or re.search(r"\bto\s+(?:\w+\s+)?$", part[:verb.start()], _I):
            continue  # a condition, or a purpose ("given to raise …")
        for name, root in _OUTCOME_PATTERNS:
            if not root.search(part):
                continue
            uses = [seg for f in cited for seg in re.split(r";|:|\.\s", unmask(f.text)) if root.search(seg)]
            if uses and all(_SHARE_OR_HEDGE.search(seg) for seg in uses) and any(re.search(r"\d\s*%|\bhalf\b|\bthird\b|\bquarter\b", seg, _I) for seg in uses):
                fail("certainty", f"promises {name} ('{_short(part.strip(), 50)}') where its facts give it for a share of people")
                return


# ---- session 11 (helper N): constructions read as the plain claim their facts make -------------------------
#
# A faithful paraphrase in a shape the word rules cannot read ("the first has failed", "just over four in ten
# (42.9%)") is read as what its facts say, but only where its facts give the same claim; the same words
# against facts that do not are left as written, for the other rules to reject.

# "cannot be judged quickly" where the fact says it "needs several cycles before its effect can be judged"
_JUDGED_AFTER_FACT = re.compile(r"\b(?:needs?|takes?|requires?)\b[^.;]{0,80}?\bbefore\b[^.;]{0,40}?\b(?:can|could)\s+(?:be\s+)?"
                                r"(?:judged|assessed|told|known|measured)\b", _I)
_NOT_JUDGED_QUICKLY = re.compile(r"\b(?:cannot|can\s+not|can['’]t|could\s+not|couldn['’]t)\s+(?:be\s+)?(judged|assessed|told|known|measured)\s+"
                                 r"(?:quickly|right\s+away|straight\s+away|at\s+once|immediately|soon|fast)\b", _I)
# "Everyone in that trial had …": the enrolment its fact gives ("In people with … who …, X beat Y")
_EVERYONE_IN_TRIAL = re.compile(r"^\s*(?:everyone|everybody|all\s+(?:the\s+)?(?:people|patients|participants))\s+(?:in|of|enrolled\s+in)\s+"
                                r"(?:that|the|this)\s+(?:trial|study)\s+(?=(?:had|were|was|needed)\b)", _I)
_ENROLLED = re.compile(r"\b(?:in|among)\s+(?:\d[\d,]*\s+)?(?:[\w-]+\s+){0,2}?(?:people|patients|adults|participants)\s+((?:with|who)\b[^:;,]*)", _I)
_STATE_WORDS = frozenset(wording_stem(w) for w in "had have has were was been and or a an the both".split())
# "after the first has failed": the first treatment the sentence names, held to a failure its facts give it
_THE_FIRST_FAILED = re.compile(r"\bthe\s+first(?:\s+one)?(?=\s+(?:(?:has|had|have)\s+(?:failed|stopped\s+working)|failed|fails|stops\s+working|stopped\s+working)\b)", _I)
_FAILED_AFTER = re.compile(r"^\W*(?:(?:has|had|have)\s+)?(?:failed|stopped\s+working)|^\W*failure\b", _I)
_FAILED_BEFORE = re.compile(r"\bfailure\s+of\s+(?:the\s+)?$", _I)
# "just over four in ten (42.9%)": the margin held to the exact share given with it
_JUST_SHARE = re.compile(r"\bjust\s+(?P<dir>over|under|above|below|more\s+than|less\s+than|fewer\s+than)\s+(?P<share>[a-z0-9 -]{1,30}?)\s*"
                         r"(?:(?:people|patients|adults|participants|of\s+(?:people|patients|them|those))\s*)?\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*\)", _I)
# "the same comparison" for a later finding of the trial its other cited fact reports
_SAME_STUDY = re.compile(r"\bthe\s+same\s+(?=(?:comparison|trial|study|head-to-head\s+trial)\b)", _I)
# "preferred for some people with …" where its fact limits the group further ("… needing >= 2 units")
_SOME_PEOPLE = re.compile(r"\b(preferred|recommended|considered|suitable|an\s+option|used|meant)\s+for\s+(some\s+)(?=(?:people|patients|adults)\s+with\b)", _I)
_FURTHER_LIMIT = re.compile(r"\b(?:needing|needs?|who|requiring|after|when|whose|if|once)\b(?P<limit>[^.;]*)", _I)
# "whether an ESA is likely to help depends on …": a likelihood asked, not stated, where its facts say how well it works
_WHETHER_LIKELY = re.compile(r"\b(whether|if)\s+((?:[\w()-]+\s+){1,4}?)(?:is|are)\s+likely\s+to\s+(?=\w+[^.;]{0,30}?\bdepends?\s+on\b)", _I)
_HOW_WELL_FACT = re.compile(r"\b(?:rarely|seldom|often|usually|unlikely|works?\s+best|best\s+with|chance)\b", _I)
# "provided they are willing" is a condition ("if")
_PROVIDED = re.compile(r"\bprovid(?:ed|ing)(?:\s+that)?(?=\s+(?:they|the|he|she|you|it|there|no|a|an|his|her|their|someone|people|patients)\b)", _I)
# "is best begun near diagnosis" for a fact's "should start around diagnosis"
_BEST_BEGUN = re.compile(r"\b(?:is|are)\s+best\s+(?:begun|started|begin|start)\b", _I)
_SHOULD_START = re.compile(r"\bshould\s+(?:be\s+)?(?:start|begin|started|begun)\b", _I)
# "Early transplant planning, around the time of diagnosis," for a fact's "around diagnosis"
_EARLY_AT_DIAGNOSIS = re.compile(r"\bearly\b(?=[^.;]{0,60}\b(?:around|at|near|from)\s+(?:the\s+time\s+of\s+)?diagnosis\b)", _I)
_AT_DIAGNOSIS_FACT = re.compile(r"\b(?:around|at|near|from)\s+(?:the\s+time\s+of\s+)?diagnosis\b", _I)
# "transplant planning … is advised" for a fact's "transplant planning should start"
# (a step of care only: "treatment should start …" licenses no "treatment with X is recommended")
_SHOULD_SUBJECT = re.compile(r"\b(planning|referral|assessment|evaluation|discussion|discussions|testing|monitoring|search)\s+should\s+(?:be\s+)?"
                             r"(?:start|begin|started|begun|happen|take\s+place)\b", _I)
# "approved luspatercept twice", citing two approval facts
_APPROVED_TWICE = re.compile(r"\b(approv\w*\s+(?:[\w-]+\s+){0,3}?)twice\b|\btwice\s+(?=approv)", _I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _share_words_value(words: str) -> float | None:
    words = words.strip().casefold()
    m = re.fullmatch(r"(\w+)\s+(?:in|out\s+of)\s+(\w+)", words)
    if m:
        x, y = _ratio_value(m.group(1)), _ratio_value(m.group(2))
        return 100.0 * x / y if x is not None and y else None
    for pattern, value in _FRACTIONS.items():
        if re.fullmatch(pattern, words):
            return value
    return None


def _read_as_facts_say(text: str, cited: Sequence[Profile], vocabulary: Vocabulary) -> str:
    """A statement with the constructions above rewritten to the plain claim its cited facts make, where they
    make it; anything else is returned as written."""
    facts_text = " ".join(f.text for f in cited)
    if _JUDGED_AFTER_FACT.search(facts_text):
        text = _NOT_JUDGED_QUICKLY.sub(lambda m: f"can be {m.group(1)} after", text)
    m = _EVERYONE_IN_TRIAL.search(text)
    if m:
        enrolled = {wording_stem(w) for e in _ENROLLED.finditer(facts_text) for w in _WORD.findall(e.group(1))}
        rest = [w for w in _WORD.findall(text[m.end():]) if wording_stem(w) not in _STATE_WORDS]
        if enrolled and rest and all(wording_stem(w) in enrolled for w in rest):
            text = text[:m.start()] + "People in that trial " + text[m.end():]
    m = _THE_FIRST_FAILED.search(text)
    if m:
        named = [x for x in vocabulary.find(text[:m.start()]) if _treatments(x.concept_ids, vocabulary)]
        if named:
            first = named[0]
            failed = any(x.concept_ids & first.concept_ids and (_FAILED_AFTER.search(f.text[x.end:x.end + 30])
                                                                 or _FAILED_BEFORE.search(f.text[max(0, x.start - 20):x.start]))
                         for f in cited for x in vocabulary.find(f.text))
            if failed:
                text = text[:m.start()] + first.text + text[m.end():]
    for m in reversed(list(_JUST_SHARE.finditer(text))):
        value, pct = _share_words_value(m.group("share")), float(m.group("pct"))
        if value is None or not re.search(r"(?<![\d.])" + re.escape(m.group("pct")) + r"\s*%", facts_text):
            continue
        gap = pct - value if m.group("dir").casefold() in ("over", "above", "more than") else value - pct
        if 0 < gap <= 5:
            text = text[:m.start()] + text[m.start() + len("just "):]
    if _SAME_STUDY.search(text) and len(cited) > 1:
        trials = [t for f in cited for t in set(f.trials)]
        if any(trials.count(t) > 1 for t in trials):
            text = _SAME_STUDY.sub("the ", text)
    m = _SOME_PEOPLE.search(text)
    if m:
        said = _stems(text)
        for f in cited:
            at = re.search(r"\b" + re.escape(m.group(1)) + r"\s+for\b", f.text, _I)
            limit = _FURTHER_LIMIT.search(f.text, at.end()) if at else None
            if limit and _stems(limit.group("limit")) - said:
                text = text[:m.start(2)] + text[m.end(2):]
                break
    if _HOW_WELL_FACT.search(facts_text):
        text = _WHETHER_LIKELY.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    text = _PROVIDED.sub("if", text)
    if _SHOULD_START.search(facts_text):
        text = _BEST_BEGUN.sub("should start", text)
    if _AT_DIAGNOSIS_FACT.search(facts_text):
        text = _EARLY_AT_DIAGNOSIS.sub("", text)
    for m in _SHOULD_SUBJECT.finditer(facts_text):
        text = re.sub(r"(\b" + re.escape(m.group(1)) + r"\b[^.;]{0,60}?\b)(?:is|are)\s+(?:advised|recommended)\b", r"\1should start", text, flags=_I)
    if _APPROVED_TWICE.search(text):
        approvals = [f for f in cited if re.search(r"\bapproved\b", f.text, _I)]
        years = {y for f in approvals for y in _YEAR.findall(f.text)[:1]}
        if len(approvals) == 2 and len(years) == 2:
            text = _APPROVED_TWICE.sub(lambda m: m.group(1) or "", text)
    return text


# "the dose is kept to the lowest one that keeps transfusions away" for a fact's "the lowest dose that avoids
# transfusions is used": a bare dose word (no number, no schedule: those are other patterns) where its facts
# use the word for the dose given. A trial arm ("56% on the higher dose") is no dose practice; a fact's "the
# amount" licenses no "dose" (dose language stays the facts' own word). The other words face the wording rule.
_DOSE_PRACTICE_FACT = re.compile(r"\b(?:the\s+)?(?:lowest\s+|highest\s+|smallest\s+)?doses?\b", _I)
_DOSE_ARM = re.compile(r"\b(?:on|at|with|to)\s+(?:the\s+|a\s+)?(?:higher|lower|high|low|standard|full|reduced|starting)\s+doses?\b", _I)
_BARE_DOSE = re.compile(r"^(?:the|a|this|that)\s+doses?$", _I)


def _own_dose_practice(found: str, sentence: str, facts_text: str) -> bool:
    return bool(_BARE_DOSE.match(re.sub(r"\s+", " ", found.strip()))) and bool(_DOSE_PRACTICE_FACT.search(facts_text)) \
        and not _DOSE_ARM.search(facts_text) and not _DOSE_ARM.search(sentence)


# Waiting turned round: "best started once the disease progresses" where its facts say to start "rather than
# waiting for the disease to progress".
_NOT_WAITING_FACT = re.compile(r"\b(?:rather\s+than|instead\s+of)\s+waiting\s+(?:for|until)\s+(?:the\s+)?(?:disease|it|mds)\b", _I)
_ONCE_WORSE = re.compile(r"\b(?:once|after|when|until|as\s+soon\s+as)\s+(?:the\s+)?(?:disease|it|mds)\b[^.;,]{0,40}?\b(?:progress\w*|worse\w*|advance\w*)", _I)
_WAITING_BEFORE = re.compile(r"\bwait(?:s|ed|ing)?\s+(?:for\s+)?$|(?:\b(?:rather\s+than|instead\s+of|not|never)|n['’]t)\s+(?:\w+\s+)?$", _I)


def _check_waiting(text: str, cited: Sequence[Profile], fail) -> None:
    if not any(_NOT_WAITING_FACT.search(f.text) for f in cited):
        return
    for m in _ONCE_WORSE.finditer(text):
        if not _WAITING_BEFORE.search(text[:m.start()]):
            fail("direction", f"starts it after the disease gets worse ('{_short(m.group(0), 50)}'); its facts say not to wait for that")
            return


# ---- session 11 (helper P2): subtle drifts from the fourteenth blind case file -----------------------------------
#
# Pairs of shares: "42.9% on azacitidine against 17.6% in the comparison group" pairs two figures its fact gives to
# different comparisons ("42.9% had redness, and fever affected 30.3% against 17.6%").
_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_PAIRED = re.compile(r"(\d+(?:\.\d+)?)\s*%[^.;%]{0,60}?\b(?:against|versus|vs\.?|compared\s+(?:with|to)|than)\b[^.;%\d]{0,40}?(\d+(?:\.\d+)?)\s*%", _I)
_COMPARATOR = re.compile(r"\b(?:against|versus|vs\.?|compared\s+(?:with|to)|than)\b", _I)
_NEW_CLAUSE = re.compile(r",\s*and\b|;", _I)


def _paired_in(fact: str, a: str, b: str) -> bool | None:
    """Whether a fact gives a and b as one comparison's two figures (None: it does not give both)."""
    found = [(m.group(1), m.start(), m.end()) for m in _PCT.finditer(fact)]
    places = [(i, j) for i, x in enumerate(found) for j, y in enumerate(found) if i < j and {x[0], y[0]} == {a, b} and a != b]
    if not places:
        return None
    for i, j in places:
        # another figure between them that starts a comparison of its own ("…, and fever affected 30.3% against 17.6%")
        if not any(_NEW_CLAUSE.search(fact, found[i][2], found[k][1]) and _COMPARATOR.search(fact, found[k][2], found[j][1])
                   for k in range(i + 1, j)):
            return True
    return False


def _check_paired_shares(text: str, cited: Sequence[Profile], fail) -> None:
    for m in _PAIRED.finditer(text):
        answers = [_paired_in(f.text, m.group(1), m.group(2)) for f in cited]
        if False in answers and True not in answers:
            fail("number", f"pairs {m.group(1)}% with {m.group(2)}%; its facts give them to different comparisons")
            return


# A difference made of one group's share: "13% more people were freed than on placebo" where 13% is the placebo group's.
_DIFFERENCE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)\s+(?:more|fewer|higher|lower|greater|less)\b", _I)


def _check_share_difference(text: str, cited: Sequence[Profile], fail) -> None:
    facts_text = "\n".join(f.text for f in cited)
    given = {m.group(1) for m in _DIFFERENCE.finditer(facts_text)}
    shares = {m.group(1) for m in _PCT.finditer(facts_text)}
    for m in _DIFFERENCE.finditer(text):
        if m.group(1) in shares and m.group(1) not in given:
            fail("number", f"says '{m.group(0)}' as a difference; its facts give {m.group(1)}% as one group's share")
            return


# A hedge made absolute: "ESAs do not work" where its facts say they "rarely work"; "likely to work" where they say
# "unlikely to work".
_HEDGED_NEGATIVE = re.compile(r"\b(?:rarely|seldom|uncommonly|infrequently|less\s+often|unlikely\s+to|less\s+likely\s+to|often\s+fail\s+to|may\s+not|might\s+not)\s+"
                              r"(?P<verb>work|help|respond|succeed|benefit|improve|be\s+effective)", _I)
_ABSOLUTE_NEGATIVE = re.compile(r"\b(?:do|does|did|will|would|can|could)\s*(?:not|n['’]t)\s+(?P<verb>work|help|respond|succeed|benefit|improve|be\s+effective)\b"
                                r"|\b(?:never|cannot|can['’]t)\s+(?P<verb2>work|help|respond|succeed|benefit|improve|be\s+effective)\b|\b(?:is|are)\s+(?:not\s+effective|ineffective|useless)\b", _I)
_LIKELY_POSITIVE = re.compile(r"(?<!\bun)\b(?<!\bnot\s)(?:likely|expected)\s+to\s+(?P<verb>work|help|respond|succeed|benefit|improve|be\s+effective)\b", _I)
_UNLIKELY = re.compile(r"\b(?:unlikely|not\s+likely|less\s+likely)\s+to\s+(?P<verb>work|help|respond|succeed|benefit|improve|be\s+effective)\b", _I)


def _check_absolute_negative(text: str, cited: Sequence[Profile], fail) -> None:
    facts_text = "\n".join(f.text for f in cited)
    if _ABSOLUTE_NEGATIVE.search(facts_text):
        return
    hedged = _HEDGED_NEGATIVE.search(facts_text)
    said = _ABSOLUTE_NEGATIVE.search(text)
    if hedged and said and not _HEDGED_NEGATIVE.search(text):
        fail("certainty", f"says '{said.group(0)}' where its facts say '{hedged.group(0)}'")
        return
    likely = _LIKELY_POSITIVE.search(text)
    if likely and _UNLIKELY.search(facts_text) and not _UNLIKELY.search(text) and not _LIKELY_POSITIVE.search(facts_text):
        fail("negation", f"says '{likely.group(0)}' where its facts say it is unlikely")


# A member said to be given alone ("cyclosporine on its own") where its facts give it only with another treatment.
_ALONE = re.compile(r"(?P<name>[\w-]+(?:\s+[\w-]+){0,2}?)\s+(?:on\s+(?:its|their)\s+own|by\s+(?:itself|themselves)|alone|as\s+(?:a\s+)?(?:single|sole)\s+(?:agent|drug|treatment)|as\s+monotherapy)\b", _I)
_IN_COMBINATION_AFTER = re.compile(r"\s*(?:with|plus|\+|and|combined\s+with|together\s+with|in\s+combination\s+with)\s", _I)
_IN_COMBINATION_BEFORE = re.compile(r"\b(?:with|plus|and|uses|use|combined\s+with|together\s+with)\s+(?:[\w-]+\s+)?$", _I)
_ALONE_FACT = re.compile(r"\b(?:on\s+(?:its|their)\s+own|by\s+(?:itself|themselves)|alone|single[- ]agent|sole|monotherapy)\b", _I)


def _check_given_alone(text: str, cited: Sequence[Profile], vocabulary: Vocabulary, fail) -> None:
    facts_text = "\n".join(f.text for f in cited)
    if _ALONE_FACT.search(facts_text):
        return
    for m in _ALONE.finditer(text):
        if re.search(r"\b(?:than|versus|vs|against|compared|over)\b", text[max(0, m.start() - 25):m.end("name")], _I):
            continue  # the comparison's other arm ("better than azacitidine alone")
        named = _treatments(profile(m.group("name"), vocabulary).concepts, vocabulary)
        # (facts that name it on its own somewhere, "decitabine or decitabine with cedazuridine", give it alone)
        mentions = [(f.text, b, e) for f in cited for cid in named for b, e in f.concept_spans.get(cid, [])]
        if named and not any(not (_IN_COMBINATION_AFTER.match(t, e) or _IN_COMBINATION_BEFORE.search(t[max(0, b - 40):b]))
                             for t, b, e in mentions):
            fail("concept", f"says '{_short(m.group(0), 40)}'; its facts give it only with other treatments or as part of a class")
            return


# The disease's own cells where its facts speak of cancer cells in general: "so T cells can go after the MDS cells".
_DISEASE_CELLS = re.compile(r"\b(?:MDS|myelodysplastic|leuka?emi\w*|AML)\s+cells\b", _I)
_GENERAL_CELLS = re.compile(r"\b(?:cancer|tumou?r|malignant)\s+cells\b", _I)


def _check_disease_cells(text: str, cited: Sequence[Profile], fail) -> None:
    said = _DISEASE_CELLS.search(text)
    facts_text = "\n".join(f.text for f in cited)
    if said and _GENERAL_CELLS.search(facts_text) and not _DISEASE_CELLS.search(facts_text):
        fail("population", f"says '{said.group(0)}'; its facts speak of cancer cells in general")


# A condition dropped: "Imetelstat is recommended for lower-risk MDS that needs …" where its facts recommend it only
# "without del(5q)"; "the standard first treatment for higher-risk MDS" where its facts add "when a transplant is not
# possible"; "freed 38% of people with lower-risk MDS and ring sideroblasts" where the trial was of transfusion-dependent
# people only. A recommendation or a share said of a named group keeps the conditions its facts set.
_CONDITIONS = frozenset({"unfit for transplant", "fit for transplant", "after HMA failure"})
# (a condition said in words the group patterns do not read, "whose HMA has not failed", is still said)
_CONDITION_WORDS = {"after HMA failure": re.compile(r"\bHMAs?\b|\bhypomethylating\b", _I), "unfit for transplant": re.compile(r"\btransplant", _I),
                    "fit for transplant": re.compile(r"\btransplant", _I)}
_NEVER = re.compile(r"(?!)")


def _check_dropped_condition(s: Profile, cited: Sequence[Profile], fail) -> None:
    if not s.populations:
        return
    said = s.populations | s.absent_populations
    if s.strengths & {"recommended", "approved", "option"}:
        backing = [f for f in cited if f.strengths & s.strengths]
        if backing:
            kept = set.intersection(*(set(f.populations & _CONDITIONS) for f in backing))
            missing = sorted(c for c in kept if c.removeprefix("without ") not in said
                             and not _CONDITION_WORDS.get(c.removeprefix("without "), _NEVER).search(s.text))
            if missing:
                fail("population", f"leaves out a condition its facts set ('{missing[0]}')")
                return


def describe(number: int, text: str, problem: str) -> str:
    """`sentence 3 ("…"): <rule>: <detail>` — a problem as the answer's report shows it."""
    return f"sentence {number} ({_short(text)!r}): {problem}"
