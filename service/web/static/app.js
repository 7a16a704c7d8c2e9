// The reference web app: a plain ES module over the public GraphQL API at /graphql.
// No framework, no build step, no external requests, nothing stored in the browser.

const API = "/graphql";
const SVG_NS = "http://www.w3.org/2000/svg";
const PATHS_SHOWN_FIRST = 3;
const NEIGHBOURS_PAGE = 10;

// ---- GraphQL documents --------------------------------------------------------------------------

// The patient's treatment plan exactly as the service decides it: `ranking` is every therapy in the
// service's order; preferred / options / unknown / ruledOut name which part of the plan each is in.
const PLAN_FRAGMENTS = `
fragment PlanOptionFields on PlanOption {
  rank therapyId therapyName verdict strength recommendationId recommendationName summary line
  evidenceLevel evidenceBasis reasons missing
  ruledOutBy { text inputField status observed { kind number text flag texts } unit }
  criteria { text variable inputField role status observed { kind number text flag texts } unit groupPath
    citations { id title url } }
  citations { id title url }
  nextIfFails { therapyId therapyName verdict strength }
}
fragment PlanFields on TreatmentPlan {
  riskGroup riskGroupBasis guidanceVersion missing warnings
  preferred { therapyId } options { therapyId } unknown { therapyId } ruledOut { therapyId }
  ranking { ...PlanOptionFields }
  changes { inputField therapyId therapyName now wouldBe text }
}`;

const ASK_QUERY = `query Ask($question: String!, $patient: PatientInput) {
  ask(question: $question, patient: $patient) {
    question intent covered closest writer grounded disclaimer text
    grounding { method badge note complete }
    sections { title body }
    citations { id title year url }
    paths { text nodes { id label name } steps { type fromId toId citations { id } recommendationId } }
    treatmentPlan { ...PlanFields }
  }
}
${PLAN_FRAGMENTS}`;

const ENTITY_QUERY = `query Entity($id: ID!, $first: Int, $after: String) {
  entity(id: $id) {
    id label name definition synonyms abbreviations brandNames url
    neighbours(first: $first, after: $after) {
      edges { type direction node { id name label } citations { id title url } }
      endCursor hasNextPage
    }
  }
}`;

const SCORE_FIELDS = `scheme: scoringSystem score category: riskCategory scoreMin scoreMax
  categoryBest: riskCategoryBest categoryWorst: riskCategoryWorst riskGroup: treatmentGroup
  components { name observed { kind number text flag texts } points } missingFields { field label detail }`;

const CHECK_QUERY = `query Check($patient: PatientInput!) {
  assessRisk(patient: $patient) {
    riskGroup riskGroupBasis warnings
    ipssr { ${SCORE_FIELDS} }
    ipssm { ${SCORE_FIELDS} }
    karyotype { findings abnormalityCount ipssrGroup warnings }
  }
  treatmentPlan(patient: $patient) { ...PlanFields }
}
${PLAN_FRAGMENTS}`;

// Verdict and strength wording, and their order, belong to the service: fetched once.
const VOCABULARY_QUERY = `query Vocabulary {
  guidanceVocabulary { verdicts { id words rank } strengths { id words rank } }
}`;

// The imported patient comes typed (PatientValues): the same fields as PatientInput, closed vocabularies
// as enums, so it can be sent back as it is; the form's own lists use the lower-case ids.
const QUANTITY = "{ value unit }";
const PATIENT_VALUES = `age sex marrowBlastsPct marrowCellularityPct marrowCellularity karyotype ipssrCytogeneticGroup
  mutations { gene vaf kind origin } sequencedGenes hemoglobin ${QUANTITY} platelets ${QUANTITY} anc ${QUANTITY}
  serumEpo ${QUANTITY} serumFerritin ${QUANTITY} transfusionUnitsPer8wk transfusionDependent ringSideroblastsPct
  pnhClone hlaDr15 stat3TCellClone priorTherapies { therapy response cycles bestResponse } transplantCandidate
  riskGroup ecog esaStatus anemiaSymptoms bleeding plateletTransfusions recurrentInfections rbcUnitsTotal
  peripheralBlastsPct auerRods hctCi donorAvailable wantsTransplant creatinineClearanceMlMin`;

const IMPORT_MUTATION = `mutation Import($record: JSONString!) {
  importPatient(record: $record) { recordFormat values { ${PATIENT_VALUES} } provenance { field source } unmapped notes }
}`;

// PatientValues → the plain object the form works with: nulls dropped, enum names as the form's lower-case ids.
function fromPatientValues(values) {
  const plain = (v) => {
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, plain(x)]));
    }
    return v;
  };
  const out = plain(values || {});
  const lower = (o, keys) => { for (const k of keys) if (typeof o[k] === "string") o[k] = o[k].toLowerCase(); };
  lower(out, ["sex", "marrowCellularity", "ipssrCytogeneticGroup", "esaStatus", "riskGroup"]);
  for (const m of out.mutations || []) lower(m, ["origin"]);
  for (const t of out.priorTherapies || []) lower(t, ["response", "bestResponse"]);
  return out;
}

const NAMES_QUERY = `query Names { therapies { name } drugs { name } }`;

// The trials loaded in this service, each checked against the patient by the service, in its order
// (possible matches first, then those that cannot be judged yet, then the ones ruled out).
const TRIALS_QUERY = `query Trials($patient: PatientInput!) {
  trials(patient: $patient) {
    nctId name title phase status url verdict reasons missing therapies
    criteria { text variable inputField role status missing arm }
    uncheckedCriteria { text criterionRole }
  }
}`;

// ---- API ------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(kind, message, requestId = null) {
    super(message);
    this.kind = kind; // network | unavailable | busy | auth | input | internal
    this.requestId = requestId;
  }
}

async function gql(query, variables = {}, signal = undefined) {
  let response;
  try {
    response = await fetch(API, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query, variables }),
      signal,
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError("network", "We could not reach the service.");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const requestId = response.headers.get("X-Request-Id");
  if (body && Array.isArray(body.errors) && body.errors.length) {
    const first = body.errors[0];
    const code = first.extensions?.code;
    const rid = first.extensions?.requestId || requestId;
    if (code === "SERVICE_UNAVAILABLE") throw new ApiError("unavailable", first.message, rid);
    if (code === "RATE_LIMITED") throw new ApiError("busy", first.message, rid);
    if (code === "UNAUTHENTICATED") throw new ApiError("auth", first.message, rid);
    if (["BAD_INPUT", "BAD_REQUEST", "PAYLOAD_TOO_LARGE", "GRAPHQL_VALIDATION_FAILED"].includes(code)) {
      throw new ApiError("input", first.message, rid);
    }
    throw new ApiError("internal", first.message, rid);
  }
  if (!response.ok || !body || !body.data) {
    const kind = response.status === 503 || response.status === 502 || response.status === 504 ? "unavailable" : "internal";
    throw new ApiError(kind, `The service answered with HTTP ${response.status}.`, requestId);
  }
  return body.data;
}

// ---- small DOM helpers ----------------------------------------------------------------------------

const $ = (sel, root = document) => root.querySelector(sel);

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  appendAll(el, children);
  return el;
}

function appendAll(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, String(v));
  }
  appendAll(el, children);
  return el;
}

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

function show(el, on = true) {
  el.hidden = !on;
  return el;
}

function humanise(type) {
  return String(type || "").toLowerCase().replace(/_/g, " ");
}

function capitalise(text) {
  const t = String(text || "");
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}

// "RiskCategory" → "Risk category"
function prettyLabel(label) {
  return capitalise(String(label || "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// ---- loading and error states ---------------------------------------------------------------------

// One short message for screen readers when results arrive (the results themselves are not read out).
function announce(text) {
  const el = $("#announcer");
  el.textContent = "";
  setTimeout(() => { el.textContent = text; }, 50);
}

function setBusy(section, statusEl, busy, text = "Loading…") {
  section.setAttribute("aria-busy", busy ? "true" : "false");
  if (busy) {
    clear(statusEl);
    statusEl.append(h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, text));
    show(statusEl);
  } else {
    show(statusEl, false);
  }
}

function errorContent(err, what) {
  if (err instanceof ApiError) {
    const rid = err.requestId ? ` (Request id ${err.requestId}.)` : "";
    switch (err.kind) {
      case "unavailable":
        return {
          title: "The service cannot reach its knowledge graph right now.",
          detail: `${err.message || "Please try again in a few minutes."}${rid}`,
        };
      case "network":
        return {
          title: "We could not reach the service.",
          detail: "Check your internet connection, then try again. If it keeps happening, the service may be down.",
        };
      case "input":
        return { title: `Please check what was entered for ${what}.`, detail: err.message };
      case "busy":
        return { title: "The service is busy right now.", detail: "Please wait a few seconds, then try again." };
      case "auth":
        return {
          title: "This service is set up to require an API key.",
          detail: "This page cannot send one; please ask whoever runs the service for access.",
        };
      default:
        return { title: "Something went wrong on our side.", detail: `${err.message || ""}${rid}`.trim() };
    }
  }
  return { title: "Something went wrong.", detail: String(err && err.message ? err.message : err) };
}

function showError(el, err, what, retry = null) {
  const { title, detail } = errorContent(err, what);
  clear(el);
  el.dataset.kind = err instanceof ApiError ? err.kind : "other";
  el.append(
    h("span", { class: "banner-icon", "aria-hidden": "true" }, "!"),
    h("div", { class: "banner-text" },
      h("strong", {}, title),
      detail ? h("p", {}, detail) : null,
      retry ? h("button", { type: "button", class: "btn btn-small", onclick: retry }, "Try again") : null),
  );
  show(el);
}

function hideError(el) {
  clear(el);
  show(el, false);
}

// ---- simple Markdown (paragraphs, bullets, **bold**, [n] citation marks) --------------------------

const INLINE = /\*\*(.+?)\*\*|\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;

function renderInline(text, citationCount) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) {
      out.push(h("strong", {}, ...renderInline(m[1], citationCount)));
    } else {
      const nums = m[2].split(/[,;]/).map((x) => parseInt(x.trim(), 10));
      const marks = nums.map((n, i) => {
        const label = `[${n}]`;
        const node = n >= 1 && n <= citationCount
          ? h("a", { href: `#cite-${n}`, class: "cite-ref", "aria-label": `source ${n}` }, label)
          : h("span", { class: "cite-ref" }, label);
        return i ? [" ", node] : [node];
      });
      out.push(h("sup", {}, ...marks.flat()));
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function renderMarkdown(body, citationCount) {
  const frag = document.createDocumentFragment();
  const blocks = String(body || "").replace(/\r\n/g, "\n").split(/\n\s*\n/);
  for (const block of blocks) {
    const lines = block.split("\n").map((l) => l.trimEnd()).filter((l) => l.trim());
    if (!lines.length) continue;
    let para = [];
    let list = null;
    const flushPara = () => {
      if (para.length) frag.append(h("p", {}, ...renderInline(para.join(" "), citationCount)));
      para = [];
    };
    const flushList = () => {
      if (list) frag.append(list);
      list = null;
    };
    for (const raw of lines) {
      const line = raw.trim();
      const bullet = line.match(/^[-*•]\s+(.*)$/);
      const numbered = line.match(/^\d+[.)]\s+(.*)$/);
      if (bullet || numbered) {
        flushPara();
        const tag = bullet ? "ul" : "ol";
        if (!list || list.tagName.toLowerCase() !== tag) { flushList(); list = h(tag, {}); }
        list.append(h("li", {}, ...renderInline((bullet || numbered)[1], citationCount)));
      } else {
        flushList();
        para.push(line.replace(/^#{1,6}\s+/, "")); // section titles are the API's; no headings in bodies
      }
    }
    flushPara(); flushList();
  }
  return frag;
}

// ---- citations -------------------------------------------------------------------------------------

function sourceKind(c) {
  const id = String(c.id || "");
  const url = String(c.url || "");
  const title = String(c.title || "").toLowerCase();
  if (id.startsWith("PMID:") || url.includes("pubmed")) return "PubMed";
  if (id.toLowerCase().startsWith("clinicaltrials:") || /NCT\d{8}/.test(id) || url.includes("clinicaltrials.gov")) {
    return "ClinicalTrials.gov";
  }
  if (id.startsWith("DOI:")) return "Journal (DOI)";
  if (id === "MDSKG:ontology") return "Our curated ontology";
  if (id.startsWith("MDSKG:doc/")) return "Our corpus digest";
  if (/guideline|pdq|nccn|eln|esmo|nci/.test(title + " " + id.toLowerCase())) return "Guideline";
  return "Publication";
}

function citationLink(c, text = null) {
  const label = text ?? (c.title || c.id);
  if (c.url) {
    return h("a", { href: c.url, target: "_blank", rel: "noopener noreferrer" }, label,
      h("span", { class: "visually-hidden" }, " (opens in a new tab)"));
  }
  return h("span", {}, label);
}

function renderCitations(citations) {
  const list = clear($("#citation-list"));
  citations.forEach((c, i) => {
    list.append(h("li", { id: `cite-${i + 1}`, tabindex: "-1" },
      h("span", { class: "cite-num", "aria-hidden": "true" }, `[${i + 1}]`),
      h("div", { class: "cite-body" },
        citationLink(c),
        c.year ? h("span", { class: "cite-year" }, ` (${c.year})`) : null,
        h("div", { class: "cite-meta" },
          h("span", { class: "tag" }, sourceKind(c)), " ",
          h("code", {}, c.id)))));
  });
  show($("#sources-section"), citations.length > 0);
}

function shortLabel(c) {
  const id = String(c.id || "");
  if (id.startsWith("PMID:")) return `PubMed ${id.slice(5)}`;
  const nct = id.match(/NCT\d{8}/);
  if (nct) return nct[0];
  if (id.startsWith("DOI:")) return id;
  const title = String(c.title || id.replace(/^MDSKG:source\//, ""));
  return title.length > 48 ? `${title.slice(0, 46).trimEnd()}…` : title;
}

function shortCitationLinks(citations, max = 3, cls = "crit-sources", lead = null) {
  if (!citations || !citations.length) return null;
  const shown = citations.slice(0, max);
  const label = lead ?? (citations.length === 1 ? "Source: " : `${citations.length} sources: `);
  return h("span", { class: cls }, label,
    ...shown.map((c, i) => [i ? "; " : "", citationLink(c, shortLabel(c))]),
    citations.length > max ? `; and ${citations.length - max} more` : "");
}

// ---- the answer ------------------------------------------------------------------------------------

const CLOSEST_RE = /closest topics we do cover:\s*([^\n]+?)\.?\s*(?:\n|$)/i;

function closestTopics(answer) {
  if (Array.isArray(answer.closest) && answer.closest.length) return answer.closest;
  const m = String(answer.text || "").match(CLOSEST_RE);
  if (!m) return [];
  return m[1].split(/,\s*/).map((t) => t.trim().replace(/\.$/, "")).filter(Boolean);
}

function renderAnswer(answer) {
  const body = clear($("#answer-body"));
  const n = answer.citations.length;
  body.append(h("p", { class: "asked" }, "You asked: ", h("q", {}, answer.question)));

  if (!answer.covered) {
    const topics = closestTopics(answer);
    body.append(h("div", { class: "not-covered", id: "not-covered", role: "status" },
      h("h3", {}, "Our sources do not cover this"),
      h("p", {}, "We only answer from the published sources in our knowledge graph, and none of them speaks to this question. "
        + "We would rather say so than guess."),
      topics.length ? [
        h("p", {}, "The closest topics we do cover:"),
        h("ul", { class: "chips", id: "closest-topics" }, topics.map((t) => h("li", {},
          h("button", { type: "button", class: "chip", onclick: () => askQuestion(`What is ${t}?`) }, t)))),
      ] : null,
      h("p", {}, "Your doctor or care team is the best person to ask about it.")));
  }
  // An out-of-scope answer may still say what the question is about (another disease) and what we cover.
  for (const section of answer.sections) {
    if (!section.body.trim() || (!answer.covered && CLOSEST_RE.test(section.body))) continue;
    if (!answer.covered && /do not cover this question/i.test(section.body)) continue;
    body.append(h("section", { class: "answer-part" },
      h("h3", {}, section.title),
      renderMarkdown(section.body, n)));
  }

  if (answer.treatmentPlan) {
    body.append(h("section", { class: "answer-part answer-plan", "aria-labelledby": "answer-plan-heading" },
      h("h3", { id: "answer-plan-heading" }, "Treatment plan for this patient"),
      renderPlan(answer.treatmentPlan, "ask")));
    highlightMissing(answer.treatmentPlan);
  }

  const writer = String(answer.writer || "");
  body.append(h("dl", { class: "answer-meta" },
    h("div", {}, h("dt", {}, "Written by"), h("dd", {}, h("code", {}, writer))),
    h("div", {}, h("dt", {}, "Grounding check"),
      h("dd", { class: answer.grounded ? "ok" : "warn", id: "grounded" },
        answer.grounded ? `✓ Passed. ${answer.grounding && answer.grounding.badge
          ? answer.grounding.badge : "Checked against the cited facts."}`
          : "⚠ Not passed: read this answer with extra care"))));
  body.append(h("p", { class: "disclaimer", role: "note" }, h("strong", {}, "Please note: "), answer.disclaimer));
  renderCitations(answer.citations);
}

// The answer as it is written: POST /graphql with `Accept: text/event-stream` (the same as
// /graphql/stream) sends each checked sentence as a server-sent event, then the whole answer
// (docs/api.md, "Streaming answers"). Null when streaming is not available or the answer has
// errors: then it is asked for the usual way, which reports errors as every other request does.
// The same fields, without the patient: the stream answers general questions only.
const STREAM_ASK_QUERY = ASK_QUERY.replace("$question: String!, $patient: PatientInput", "$question: String!")
  .replace("ask(question: $question, patient: $patient)", "ask(question: $question)");

async function streamAsk(question, signal) {
  let response;
  try {
    response = await fetch(API, {
      method: "POST", signal,
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ query: STREAM_ASK_QUERY, variables: { question } }),
    });
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    return null;
  }
  if (!response.ok || !response.body || !String(response.headers.get("Content-Type")).startsWith("text/event-stream")) return null;
  const live = h("div", { class: "answer-live", id: "answer-live", "aria-live": "polite" });
  $("#answer-body").append(live);
  const parts = new Map();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let final = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const name = (block.match(/^event: (.*)$/m) || [])[1];
      const raw = (block.match(/^data: (.*)$/m) || [])[1];
      if (!name || raw === undefined) continue;
      const data = JSON.parse(raw);
      if (name === "sentence") {
        let part = parts.get(data.section);
        if (!part) {
          part = h("p", {});
          parts.set(data.section, part);
          live.append(h("section", { class: "answer-part" }, h("h3", {}, data.section), part));
        }
        part.append(h("span", { class: data.source === "template" ? "from-sources" : "from-writer" }, data.text + " "));
      } else if (name === "answer") {
        final = data;
      } else if (name === "error") {
        live.remove();
        return null;
      }
    }
  }
  if (!final || (final.errors && final.errors.length) || !final.data || !final.data.ask) {
    live.remove();
    return null;
  }
  return final.data;
}

let askController = null;
let lastQuestion = "";

async function askQuestion(question) {
  question = String(question || "").trim();
  const input = $("#question");
  input.value = question;
  const section = $("#answer-section");
  const errorEl = $("#answer-error");
  if (!question) {
    show(section);
    showError(errorEl, new ApiError("input", "Please type a question first."), "the question");
    input.focus();
    return;
  }
  lastQuestion = question;
  const usePatient = $("#use-patient").checked;
  let patient = null;
  if (usePatient) {
    try {
      patient = readPatient();
      if (isEmptyPatient(patient)) {
        throw new InputProblem("Enter the patient's values under “Check a patient” first, or untick “Answer for the patient”.");
      }
    } catch (err) {
      show(section);
      clear($("#answer-body"));
      showError(errorEl, err, "the patient");
      return;
    }
  }
  askController?.abort();
  const controller = new AbortController();
  askController = controller;
  const button = $("#ask-button");
  show(section);
  hideError(errorEl);
  clear($("#answer-body"));
  show($("#paths-section"), false);
  show($("#sources-section"), false);
  show($("#entity-section"), false);
  setBusy(section, $("#answer-status"), true, "Looking up your answer…");
  button.disabled = true;
  try {
    const url = new URL(window.location.href);
    url.searchParams.set("q", question);
    history.replaceState(null, "", url);
  } catch { /* history is a convenience only */ }
  try {
    const variables = { question };
    if (patient) variables.patient = patient;
    const streamed = patient ? null : await streamAsk(question, controller.signal);
    const [data] = streamed ? [streamed]
      : await Promise.all([gql(ASK_QUERY, variables, controller.signal), patient ? loadVocabulary() : null]);
    if (askController !== controller) return;
    renderAnswer(data.ask);
    renderPaths(data.ask.paths || []);
    announce(data.ask.covered
      ? `Answer ready, with ${plural(data.ask.citations.length, "source", "sources")} and ${plural(data.ask.paths.length, "path", "paths")}.`
      : "Our sources do not cover this question.");
    $("#answer-heading").focus({ preventScroll: true });
    section.scrollIntoView({ block: "start", behavior: "smooth" });
  } catch (err) {
    if (err && err.name === "AbortError") return;
    showError(errorEl, err, "the question", () => askQuestion(lastQuestion));
  } finally {
    if (askController === controller) {
      setBusy(section, $("#answer-status"), false);
      button.disabled = false;
    }
  }
}

// ---- paths as pictures -----------------------------------------------------------------------------

const LABEL_COLOURS = {
  Disease: ["#fde4e1", "#a93226"],
  Subtype: ["#fdebd5", "#8a4a06"],
  RiskScheme: ["#efe3f6", "#6c3483"],
  RiskCategory: ["#f3e6f8", "#7d3c98"],
  PatientGroup: ["#dcebf8", "#1f618d"],
  Biomarker: ["#d5f2ec", "#0e6655"],
  Therapy: ["#d9f2e1", "#17683a"],
  Drug: ["#e6f5d6", "#34680d"],
  Criterion: ["#fbf1c7", "#7d6608"],
  Recommendation: ["#fbe4d2", "#a04000"],
  SideEffect: ["#e8eaea", "#566161"],
  Term: ["#eceff1", "#4f5d6c"],
  Source: ["#e0e5eb", "#2e4053"],
};
const DEFAULT_COLOURS = ["#eceff1", "#546e7a"];
const colours = (label) => LABEL_COLOURS[label] || DEFAULT_COLOURS;

const NAME_FONT = "600 14px";  // keep in step with .node-name in app.css
const LABEL_FONT = "700 12px"; // keep in step with .edge-label in app.css
let currentPaths = [];
let pathsShown = PATHS_SHOWN_FIRST;
let svgCounter = 0;

let measureCtx = null;
function textWidth(text, font) {
  if (!measureCtx) measureCtx = document.createElement("canvas").getContext("2d");
  const family = getComputedStyle(document.body).fontFamily;
  measureCtx.font = `${font} ${family}`;
  return measureCtx.measureText(text).width;
}

// Greedy word wrap by measured width; over-long words and lines are cut with an ellipsis.
function wrapToWidth(text, maxWidth, maxLines, font) {
  const fits = (t) => textWidth(t, font) <= maxWidth;
  const cut = (t) => {
    let out = t;
    while (out.length > 1 && !fits(`${out}…`)) out = out.slice(0, -1);
    return `${out.trimEnd()}…`;
  };
  const words = String(text).split(/\s+/).filter(Boolean);
  const lines = [];
  let line = "";
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (fits(next) || !line) line = next;
    else { lines.push(line); line = word; }
  }
  if (line) lines.push(line);
  const out = lines.map((l) => (fits(l) ? l : cut(l)));
  if (out.length > maxLines) {
    const kept = out.slice(0, maxLines);
    kept[maxLines - 1] = cut(`${kept[maxLines - 1]} ${out[maxLines]}`);
    return kept;
  }
  return out;
}

function stepBetween(path, i) {
  const a = path.nodes[i].id;
  const b = path.nodes[i + 1].id;
  const found = path.steps.find((st) => (st.fromId === a && st.toId === b) || (st.fromId === b && st.toId === a));
  const step = found || path.steps[i] || { type: "", fromId: a, toId: b, citations: [] };
  return { step, forward: !(step.fromId === b && step.toId === a) };
}

function drawPath(path, index, width) {
  const id = `p${++svgCounter}`;
  const n = path.nodes.length;
  const pad = 8;
  const avail = Math.max(260, width) - 2 * pad;
  // Size the gaps for the longest word of the arrow labels and the boxes for the longest word of
  // the names; then put as many boxes on a row as fit (one per row on a narrow screen).
  const longestWord = (texts, font) => Math.max(0, ...texts.flatMap((x) => String(x).split(/\s+/))
    .map((w) => textWidth(w, font)));
  const gap = Math.min(150, Math.max(80, longestWord(path.steps.map((st) => humanise(st.type)), LABEL_FONT) + 12));
  const minBox = Math.min(240, Math.max(120, longestWord(path.nodes.map((x) => x.name), NAME_FONT) + 20));
  let perRow = n;
  let boxW = 0;
  for (; perRow > 1; perRow--) {
    boxW = (avail - (perRow - 1) * gap) / perRow;
    if (boxW >= minBox) break;
  }
  const vertical = perRow === 1 || n === 1;
  if (vertical) boxW = Math.min(avail, 340);
  else boxW = Math.floor(Math.min(boxW, 220));
  const nameLines = path.nodes.map((node) => wrapToWidth(node.name, boxW - 20, 3, NAME_FONT));
  const maxLines = Math.max(...nameLines.map((l) => l.length));
  const boxH = 34 + maxLines * 18;
  const vGap = vertical ? 56 : 60;

  const pos = path.nodes.map((_, i) => {
    const row = Math.floor(i / perRow);
    const col = i % perRow;
    return { x: pad + col * (boxW + gap), y: pad + row * (boxH + vGap) };
  });
  const cols = Math.min(perRow, n);
  const rows = Math.ceil(n / perRow);
  const svgW = vertical ? pad * 2 + avail : pad * 2 + cols * boxW + (cols - 1) * gap;
  const svgH = pad * 2 + rows * boxH + (rows - 1) * vGap;

  const svg = s("svg", {
    class: "path-svg", width: svgW, height: svgH, viewBox: `0 0 ${svgW} ${svgH}`,
    role: "group", "aria-label": `Path ${index + 1}: ${path.text}`, "data-path-index": index,
  });
  svg.append(s("defs", {},
    s("marker", { id: `${id}-arrow`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 8, markerHeight: 8,
      orient: "auto-start-reverse", markerUnits: "userSpaceOnUse" },
    s("path", { d: "M0,0 L10,5 L0,10 z", class: "arrow-head" }))));

  // edges first, so the boxes sit on top
  for (let i = 0; i < n - 1; i++) {
    const { step, forward } = stepBetween(path, i);
    const a = pos[i];
    const b = pos[i + 1];
    const count = (step.citations || []).length;
    const countText = count ? plural(count, "source", "sources") : "no source cited";
    const markers = forward ? { "marker-end": `url(#${id}-arrow)` } : { "marker-start": `url(#${id}-arrow)` };
    const g = s("g", { class: "edge", "data-type": step.type },
      s("title", {}, `${step.type}: ${path.nodes[i].name} ${forward ? "→" : "←"} ${path.nodes[i + 1].name} (${countText})`));
    const typeText = humanise(step.type);
    if (vertical) {
      const x = a.x + 30;
      const y1 = a.y + boxH;
      const y2 = b.y;
      g.append(s("line", { x1: x, y1: y1 + 2, x2: x, y2: y2 - 2, class: "edge-line", ...markers }));
      g.append(s("text", { x: x + 14, y: y1 + vGap / 2 - 3, class: "edge-label" }, typeText));
      g.append(s("text", { x: x + 14, y: y1 + vGap / 2 + 13, class: "edge-count" }, countText));
    } else if (Math.floor(i / perRow) === Math.floor((i + 1) / perRow)) {
      const y = a.y + boxH / 2;
      const x1 = a.x + boxW;
      const x2 = b.x;
      const mid = (x1 + x2) / 2;
      g.append(s("line", { x1: x1 + 2, y1: y, x2: x2 - 2, y2: y, class: "edge-line", ...markers }));
      const label = wrapToWidth(typeText, gap - 10, 2, LABEL_FONT);
      label.forEach((line, k) => g.append(s("text", {
        x: mid, y: y - 8 - (label.length - 1 - k) * 14, class: "edge-label", "text-anchor": "middle" }, line)));
      g.append(s("text", { x: mid, y: y + 18, class: "edge-count", "text-anchor": "middle" }, countText));
    } else {
      // wrap to the next row: down from this box, across, down into the next
      const x1 = a.x + boxW / 2;
      const y1 = a.y + boxH;
      const x2 = b.x + boxW / 2;
      const y2 = b.y;
      const midY = y1 + vGap / 2 + 6;
      g.append(s("path", { d: `M${x1},${y1 + 2} V${midY} H${x2} V${y2 - 2}`, class: "edge-line", fill: "none", ...markers }));
      const lx = (x1 + x2) / 2;
      g.append(s("text", { x: lx, y: midY - 6, class: "edge-label", "text-anchor": "middle" }, typeText));
      g.append(s("text", { x: lx, y: midY + 16, class: "edge-count", "text-anchor": "middle" }, countText));
    }
    svg.append(g);
  }

  path.nodes.forEach((node, i) => {
    const { x, y } = pos[i];
    const [fill, stroke] = colours(node.label);
    const w = vertical ? Math.min(boxW, avail) : boxW;
    const g = s("g", {
      class: "node", tabindex: 0, role: "button", "data-id": node.id, "data-label": node.label,
      "aria-label": `${prettyLabel(node.label)}: ${node.name}. Show details and neighbours.`,
    });
    g.append(s("title", {}, `${node.name} (${node.label}, ${node.id})`));
    g.append(s("rect", { x, y, width: w, height: boxH, rx: 10, fill, stroke, "stroke-width": 2, class: "node-box" }));
    g.append(s("rect", { x: x - 5, y: y - 5, width: w + 10, height: boxH + 10, rx: 14, class: "focus-ring" }));
    g.append(s("text", { x: x + 10, y: y + 17, class: "node-type", fill: stroke }, prettyLabel(node.label)));
    const name = s("text", { x: x + 10, y: y + 36, class: "node-name" });
    nameLines[i].forEach((line, k) => name.append(s("tspan", { x: x + 10, dy: k ? 18 : 0 }, line)));
    g.append(name);
    const open = () => showEntity(node.id, g);
    g.addEventListener("click", open);
    g.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); }
    });
    svg.append(g);
  });
  return svg;
}

function renderLegend(paths) {
  const labels = [...new Set(paths.flatMap((p) => p.nodes.map((n) => n.label)))];
  const legend = clear($("#legend"));
  legend.append(h("span", { class: "legend-title" }, "Colour key:"));
  for (const label of labels) {
    const [fill, stroke] = colours(label);
    const swatch = s("svg", { width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true", class: "swatch" },
      s("rect", { x: 1, y: 1, width: 14, height: 14, rx: 4, fill, stroke, "stroke-width": 2 }));
    legend.append(h("span", { class: "legend-item" }, swatch, prettyLabel(label)));
  }
}

// The longest paths first; among equally long ones, the API's own order (its ranking).
function sortedPaths(paths) {
  return paths.map((p, i) => ({ p, i }))
    .sort((a, b) => b.p.nodes.length - a.p.nodes.length || a.i - b.i)
    .map((x) => x.p);
}

function renderPaths(paths) {
  currentPaths = sortedPaths(paths.filter((p) => p.nodes && p.nodes.length));
  pathsShown = PATHS_SHOWN_FIRST;
  drawPaths();
}

function drawPaths() {
  const section = $("#paths-section");
  const list = clear($("#path-list"));
  delete list.dataset.redraw;
  if (!currentPaths.length) { show(section, false); return; }
  show(section);
  renderLegend(currentPaths.slice(0, pathsShown));
  // the room inside a figure: the list's width less the figure's padding and border
  const width = (list.clientWidth || section.clientWidth || 340) - 20;
  currentPaths.slice(0, pathsShown).forEach((path, i) => {
    list.append(h("li", {},
      h("figure", { class: "path-figure" },
        h("div", { class: "path-scroll" }, drawPath(path, i, width)),
        h("figcaption", {}, h("span", { class: "path-num" }, `Path ${i + 1}: `), path.text))));
  });
  const more = $("#more-paths");
  const rest = currentPaths.length - pathsShown;
  if (rest > 0) {
    more.textContent = `Show ${plural(Math.min(rest, 5), "more path", "more paths")} (${rest} not shown)`;
    show(more);
  } else {
    show(more, false);
  }
}

let resizeTimer = null;
let lastWidth = 0;
function onResize() {
  const list = $("#path-list");
  const width = list.clientWidth;
  if (!currentPaths.length || Math.abs(width - lastWidth) < 24) return;
  lastWidth = width;
  clearTimeout(resizeTimer);
  list.dataset.redraw = "pending"; // a redraw is coming: the pictures will be replaced
  resizeTimer = setTimeout(drawPaths, 120);
}

// ---- one entity and its neighbours -----------------------------------------------------------------

let entityController = null;
let entityReturnFocus = null;

async function showEntity(id, returnFocusTo = null, after = null) {
  const section = $("#entity-section");
  const body = $("#entity-body");
  const errorEl = $("#entity-error");
  if (returnFocusTo) entityReturnFocus = returnFocusTo;
  entityController?.abort();
  const controller = new AbortController();
  entityController = controller;
  show(section);
  hideError(errorEl);
  section.setAttribute("aria-busy", "true");
  if (!after) {
    clear(body).append(h("p", { class: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading…"));
    $("#entity-heading").textContent = "About this item";
    section.scrollIntoView({ block: "nearest", behavior: "smooth" });
    $("#entity-heading").focus({ preventScroll: true });
  }
  try {
    const data = await gql(ENTITY_QUERY, { id, first: NEIGHBOURS_PAGE, after }, controller.signal);
    const entity = data.entity;
    if (!entity) {
      clear(body).append(h("p", {}, `Nothing is known about ${id} in the graph.`));
      return;
    }
    if (after) appendNeighbours(entity);
    else renderEntity(entity);
    announce(after ? "More connections shown." : `${entity.name}: details and connections shown.`);
  } catch (err) {
    if (err && err.name === "AbortError") return;
    if (!after) clear(body);
    showError(errorEl, err, "this item", () => showEntity(id, null, after));
  } finally {
    if (entityController === controller) section.setAttribute("aria-busy", "false");
  }
}

function neighbourItem(edge) {
  const out = edge.direction === "OUT";
  const [fill, stroke] = colours(edge.node.label);
  const swatch = s("svg", { width: 12, height: 12, viewBox: "0 0 12 12", "aria-hidden": "true", class: "swatch" },
    s("rect", { x: 1, y: 1, width: 10, height: 10, rx: 3, fill, stroke, "stroke-width": 2 }));
  const cites = edge.citations || [];
  return h("li", { class: "neighbour" },
    h("span", { class: "rel" }, h("span", { "aria-hidden": "true" }, out ? "→ " : "← "),
      h("span", { class: "visually-hidden" }, out ? "this item " : "is the target of "), humanise(edge.type)),
    " ",
    h("button", { type: "button", class: "link-button", onclick: () => showEntity(edge.node.id) },
      swatch, " ", edge.node.name),
    h("span", { class: "muted" }, ` (${prettyLabel(edge.node.label).toLowerCase()})`),
    cites.length ? h("div", {}, shortCitationLinks(cites, 2, "neighbour-cites")) : null);
}

let entityState = null;

function renderEntity(entity) {
  $("#entity-heading").textContent = entity.name;
  const body = clear($("#entity-body"));
  const [fill, stroke] = colours(entity.label);
  const badge = h("span", { class: "type-badge" }, prettyLabel(entity.label));
  badge.style.setProperty("--badge-bg", fill);
  badge.style.setProperty("--badge-fg", stroke);
  body.append(h("p", { class: "entity-id" }, badge, " ",
    entity.url ? h("a", { href: entity.url, target: "_blank", rel: "noopener noreferrer" }, h("code", {}, entity.id),
      h("span", { class: "visually-hidden" }, " (opens in a new tab)")) : h("code", {}, entity.id)));
  body.append(entity.definition ? h("p", { class: "definition" }, entity.definition)
    : h("p", { class: "muted" }, "Our sources give no definition for this item."));
  const also = [...entity.synonyms, ...entity.abbreviations, ...entity.brandNames].filter((x) => x && x !== entity.name);
  if (also.length) body.append(h("p", {}, h("strong", {}, "Also called: "), [...new Set(also)].join(", ")));
  const edges = entity.neighbours.edges;
  body.append(h("h3", {}, "Connected to"));
  const list = h("ul", { class: "neighbours", id: "neighbour-list" });
  edges.forEach((e) => list.append(neighbourItem(e)));
  body.append(edges.length ? list : h("p", { class: "muted" }, "No connections recorded."));
  const more = h("button", { type: "button", class: "btn btn-small", id: "more-neighbours" }, "Show more connections");
  more.addEventListener("click", () => showEntity(entity.id, null, entityState.endCursor));
  body.append(more);
  entityState = { id: entity.id, endCursor: entity.neighbours.endCursor };
  show(more, entity.neighbours.hasNextPage);
}

function appendNeighbours(entity) {
  const list = $("#neighbour-list");
  const firstNew = list.children.length;
  entity.neighbours.edges.forEach((e) => list.append(neighbourItem(e)));
  entityState = { id: entity.id, endCursor: entity.neighbours.endCursor };
  show($("#more-neighbours"), entity.neighbours.hasNextPage);
  list.children[firstNew]?.querySelector("button")?.focus();
}

// ---- the patient form ------------------------------------------------------------------------------

const RESPONSES = [
  ["", "Result not known"],
  ["response", "Responded"],
  ["no_response", "Did not respond"],
  ["relapse", "Responded, then relapsed"],
  ["intolerant", "Could not tolerate it"],
];
const BEST_RESPONSES = [
  ["", "Not known"],
  ["complete_response", "Complete response"],
  ["partial_response", "Partial response"],
  ["marrow_complete_response", "Marrow complete response"],
  ["hematologic_improvement", "Blood counts improved"],
  ["stable_disease", "Stable disease"],
  ["no_response", "No response"],
  ["progression", "Disease progressed"],
];

// The fields of the API's PatientInput (anything else would be rejected by the schema).
const PATIENT_FIELDS = new Set([
  "age", "sex", "marrowBlastsPct", "marrowCellularityPct", "marrowCellularity", "karyotype", "ipssrCytogeneticGroup",
  "mutations", "sequencedGenes", "hemoglobin", "platelets", "anc", "serumEpo", "serumFerritin", "transfusionUnitsPer8wk",
  "transfusionDependent", "rbcUnitsTotal", "ringSideroblastsPct", "peripheralBlastsPct", "auerRods", "pnhClone", "hlaDr15",
  "stat3TCellClone", "esaStatus", "anemiaSymptoms", "bleeding", "plateletTransfusions", "recurrentInfections",
  "priorTherapies", "transplantCandidate", "donorAvailable", "wantsTransplant", "ecog", "hctCi",
  "creatinineClearanceMlMin",
]);

let priorCounter = 0;
let extraPatient = {}; // imported values the form has no field for; sent as they are

function choice(id, cls, options, value) {
  const select = h("select", { id, class: cls }, options.map(([v, t]) => h("option", { value: v }, t)));
  select.value = options.some(([v]) => v === value) ? value : "";
  return select;
}

function addPriorRow(therapy = "", response = "", cycles = "", bestResponse = "") {
  const k = ++priorCounter;
  const row = h("li", { class: "prior-row", role: "group", "aria-label": "Earlier treatment" },
    h("div", { class: "field prior-name" },
      h("label", { for: `prior-therapy-${k}` }, "Treatment"),
      h("input", { id: `prior-therapy-${k}`, class: "prior-therapy", type: "text", list: "therapy-names",
        placeholder: "e.g. epoetin alfa", value: therapy })),
    h("div", { class: "field" }, h("label", { for: `prior-response-${k}` }, "Result"),
      choice(`prior-response-${k}`, "prior-response", RESPONSES, response)),
    h("div", { class: "field" }, h("label", { for: `prior-best-${k}` }, "Best response"),
      choice(`prior-best-${k}`, "prior-best", BEST_RESPONSES, bestResponse)),
    h("div", { class: "field" }, h("label", { for: `prior-cycles-${k}` }, "Cycles ", h("span", { class: "unit" }, "given")),
      h("input", { id: `prior-cycles-${k}`, class: "prior-cycles", type: "number", inputmode: "numeric", min: 0, step: 1,
        value: cycles === null || cycles === undefined ? "" : String(cycles) })),
    h("button", { type: "button", class: "btn btn-small btn-remove", "aria-label": "Remove this treatment",
      onclick: () => { row.remove(); $("#add-prior").focus(); } }, "Remove"));
  $("#prior-list").append(row);
  $("#p-prior-known").value = "some";
  return row;
}

class InputProblem extends ApiError {
  constructor(message) { super("input", message); }
}

function fieldLabel(el) {
  const label = document.querySelector(`label[for="${el.id}"]`);
  return label ? label.childNodes[0].textContent.trim() : el.name;
}

function numberField(idOrEl) {
  const el = typeof idOrEl === "string" ? document.getElementById(idOrEl) : idOrEl;
  if (el.validity && el.validity.badInput) throw new InputProblem(`${fieldLabel(el)}: “${el.value}” is not a number.`);
  const raw = String(el.value).trim().replace(",", ".");
  if (raw === "") return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new InputProblem(`${fieldLabel(el)}: “${el.value}” is not a number.`);
  return value;
}

function wholeNumberField(idOrEl) {
  const el = typeof idOrEl === "string" ? document.getElementById(idOrEl) : idOrEl;
  const value = numberField(el);
  if (value !== null && (!Number.isInteger(value) || value < 0)) {
    throw new InputProblem(`${fieldLabel(el)}: “${el.value}” must be a whole number, 0 or more.`);
  }
  return value;
}

function boolField(id) {
  const v = document.getElementById(id).value;
  return v === "" ? null : v === "true";
}

function textField(id) {
  const v = document.getElementById(id).value.trim();
  return v === "" ? null : v;
}

function parseMutations(text) {
  if (!text) return null;
  if (/^(none|no mutations?|nil)$/i.test(text.trim())) return []; // tested, nothing found
  const out = [];
  for (const part of text.split(/[,;\n]+/).map((x) => x.trim()).filter(Boolean)) {
    const tokens = part.split(/[\s:]+/).filter(Boolean);
    const gene = tokens.shift();
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(gene)) throw new InputProblem(`Mutations: “${part}” does not start with a gene symbol.`);
    const m = { gene: gene.toUpperCase() };
    for (const t of tokens) {
      const num = t.match(/^(\d+(?:[.]\d+)?)%?$/);
      if (num) {
        const pct = Number(num[1]);
        if (pct < 0 || pct > 100) throw new InputProblem(`Mutations: the VAF of ${m.gene} must be between 0 and 100 %.`);
        m.vaf = Math.round(pct * 1000) / 100000; // sent as a fraction: unambiguous
      } else if (/^(somatic|germline)$/i.test(t)) {
        m.origin = t.toLowerCase();
      } else {
        m.kind = t.toUpperCase();
      }
    }
    out.push(m);
  }
  return out;
}

function readPatient() {
  const p = { ...extraPatient };
  const set = (key, value) => { if (value === null || value === undefined) delete p[key]; else p[key] = value; };
  set("age", numberField("p-age"));
  set("sex", textField("p-sex"));
  set("marrowBlastsPct", numberField("p-blasts"));
  set("ringSideroblastsPct", numberField("p-rs"));
  set("marrowCellularity", textField("p-cellularity"));
  set("marrowCellularityPct", numberField("p-cellularity-pct"));
  set("karyotype", textField("p-karyotype"));
  set("ipssrCytogeneticGroup", textField("p-cytogroup"));
  set("mutations", parseMutations(textField("p-mutations")));
  const seq = textField("p-sequenced");
  set("sequencedGenes", seq ? seq.split(/[\s,;]+/).filter(Boolean).map((g) => g.toUpperCase()) : null);
  const hb = numberField("p-hb");
  set("hemoglobin", hb === null ? null : { value: hb, unit: $("#p-hb-unit").value });
  const plt = numberField("p-plt");
  set("platelets", plt === null ? null : { value: plt, unit: "10^9/L" });
  const anc = numberField("p-anc");
  set("anc", anc === null ? null : { value: anc, unit: "10^9/L" });
  const epo = numberField("p-epo");
  set("serumEpo", epo === null ? null : { value: epo, unit: "mU/mL" });
  const ferritin = numberField("p-ferritin");
  set("serumFerritin", ferritin === null ? null : { value: ferritin, unit: "ng/mL" });
  set("transfusionUnitsPer8wk", numberField("p-tx"));
  set("transfusionDependent", boolField("p-tdep"));
  set("rbcUnitsTotal", numberField("p-rbc-total"));
  set("peripheralBlastsPct", numberField("p-pb-blasts"));
  set("auerRods", boolField("p-auer"));
  set("creatinineClearanceMlMin", numberField("p-crcl"));
  set("anemiaSymptoms", boolField("p-anemia-symptoms"));
  set("bleeding", boolField("p-bleeding"));
  set("plateletTransfusions", boolField("p-plt-tx"));
  set("recurrentInfections", boolField("p-infections"));
  set("esaStatus", textField("p-esa"));
  set("pnhClone", boolField("p-pnh"));
  set("hlaDr15", boolField("p-dr15"));
  set("stat3TCellClone", boolField("p-stat3"));
  set("transplantCandidate", boolField("p-transplant"));
  set("donorAvailable", boolField("p-donor"));
  set("wantsTransplant", boolField("p-wants-transplant"));
  const ecog = textField("p-ecog");
  set("ecog", ecog === null ? null : parseInt(ecog, 10));
  set("hctCi", wholeNumberField("p-hctci"));
  const priors = [...document.querySelectorAll(".prior-row")].map((row) => {
    const therapy = row.querySelector(".prior-therapy").value.trim();
    if (!therapy) return null;
    const out = { therapy };
    const response = row.querySelector(".prior-response").value;
    if (response) out.response = response;
    const best = row.querySelector(".prior-best").value;
    if (best) out.bestResponse = best;
    const cycles = wholeNumberField(row.querySelector(".prior-cycles"));
    if (cycles !== null) out.cycles = cycles;
    return out;
  }).filter(Boolean);
  const known = $("#p-prior-known").value;
  if (known === "none" && priors.length) {
    throw new InputProblem("Treatments already tried: “None yet” is chosen, but treatments are listed. Please change one of them.");
  }
  // an empty list says "no treatment so far"; leaving it out says "not known"
  set("priorTherapies", priors.length ? priors : known === "none" ? [] : null);
  return p;
}

function isEmptyPatient(p) {
  return Object.keys(p).length === 0;
}

function resetPatientFields() {
  $("#patient-form").reset();
  clear($("#prior-list"));
  clearMissingHighlights();
  extraPatient = {};
}

function clearPatientForm() {
  resetPatientFields();
  clear($("#import-result"));
  $("#import-file").value = "";
}

// Units the form shows, and conversions from those an imported record may carry.
const HB_FACTORS = { "g/dl": ["g/dL", 1], "g/l": ["g/L", 1], "mg/dl": ["g/dL", 0.001], "mmol/l": ["g/dL", 1.61145] };
const COUNT_FACTORS = {
  "10^9/l": 1, "x10^9/l": 1, "10*9/l": 1, "e9/l": 1, "g/l": 1, "giga/l": 1, "/nl": 1, "10^3/ul": 1, "x10^3/ul": 1,
  "10*3/ul": 1, "k/ul": 1, "thou/ul": 1, "10^3/mm3": 1, "/ul": 0.001, "cells/ul": 0.001, "/mm3": 0.001,
  "cells/mm3": 0.001, "10^6/l": 0.001, "/l": 1e-9,
};
const FERRITIN_FACTORS = { "ng/ml": 1, "ug/l": 1, "mcg/l": 1, "mg/l": 1000, "ug/ml": 1000 };
const EPO_FACTORS = { "mu/ml": 1, "miu/ml": 1, "m[iu]/ml": 1, "iu/l": 1, "[iu]/l": 1, "u/l": 1, "iu/ml": 1000, "[iu]/ml": 1000, "u/ml": 1000 };
const unitKey = (u) => String(u || "").trim().toLowerCase().replace(/µ|μ/g, "u").replace(/×/g, "x").replace(/\s+/g, "");
const tidy = (x) => Math.round(x * 1000) / 1000;

function fillPatientForm(patient) {
  resetPatientFields();
  const rest = { ...patient };
  const notes = [];
  const take = (key) => { const v = rest[key]; delete rest[key]; return v; };
  const setValue = (id, v) => { if (v !== undefined && v !== null) document.getElementById(id).value = String(v); };
  const setBool = (id, v) => { if (typeof v === "boolean") document.getElementById(id).value = String(v); };
  const setSelect = (id, v) => {
    if (v === undefined || v === null) return true;
    const el = document.getElementById(id);
    if ([...el.options].some((o) => o.value === String(v))) { el.value = String(v); return true; }
    return false;
  };
  const quantity = (key, id, table, label) => {
    const q = rest[key];
    if (!q) return;
    const f = table[unitKey(q.unit)];
    if (f === undefined) { notes.push(`${label}: ${q.value} ${q.unit} (unit kept as imported)`); return; }
    delete rest[key];
    setValue(id, tidy(q.value * f));
  };
  setValue("p-age", take("age"));
  if (!setSelect("p-sex", rest.sex)) notes.push(`sex: ${rest.sex} (kept as imported)`); else delete rest.sex;
  setValue("p-blasts", take("marrowBlastsPct"));
  setValue("p-rs", take("ringSideroblastsPct"));
  if (setSelect("p-cellularity", rest.marrowCellularity)) delete rest.marrowCellularity;
  setValue("p-cellularity-pct", take("marrowCellularityPct"));
  setValue("p-karyotype", take("karyotype"));
  if (setSelect("p-cytogroup", rest.ipssrCytogeneticGroup)) delete rest.ipssrCytogeneticGroup;
  const muts = take("mutations");
  if (Array.isArray(muts) && !muts.length) $("#p-mutations").value = "none";
  if (Array.isArray(muts) && muts.length) {
    $("#p-mutations").value = muts.map((m) => {
      const vaf = typeof m.vaf === "number" ? (m.vaf <= 1 ? tidy(m.vaf * 100) : tidy(m.vaf)) : null;
      return [m.gene, m.kind, vaf !== null ? `${vaf}%` : null, m.origin && m.origin !== "somatic" ? m.origin : null]
        .filter(Boolean).join(" ");
    }).join(", ");
  }
  const seq = take("sequencedGenes");
  if (Array.isArray(seq) && seq.length) $("#p-sequenced").value = seq.join(", ");
  const hb = rest.hemoglobin;
  if (hb) {
    const f = HB_FACTORS[unitKey(hb.unit)];
    if (f) { delete rest.hemoglobin; $("#p-hb").value = String(tidy(hb.value * f[1])); $("#p-hb-unit").value = f[0]; }
    else notes.push(`hemoglobin: ${hb.value} ${hb.unit} (unit kept as imported)`);
  }
  quantity("platelets", "p-plt", COUNT_FACTORS, "platelets");
  quantity("anc", "p-anc", COUNT_FACTORS, "ANC");
  quantity("serumEpo", "p-epo", EPO_FACTORS, "serum EPO");
  quantity("serumFerritin", "p-ferritin", FERRITIN_FACTORS, "serum ferritin");
  setValue("p-tx", take("transfusionUnitsPer8wk"));
  setBool("p-tdep", take("transfusionDependent"));
  setValue("p-rbc-total", take("rbcUnitsTotal"));
  setValue("p-pb-blasts", take("peripheralBlastsPct"));
  setBool("p-auer", take("auerRods"));
  setValue("p-crcl", take("creatinineClearanceMlMin"));
  setBool("p-anemia-symptoms", take("anemiaSymptoms"));
  setBool("p-bleeding", take("bleeding"));
  setBool("p-plt-tx", take("plateletTransfusions"));
  setBool("p-infections", take("recurrentInfections"));
  if (setSelect("p-esa", rest.esaStatus)) delete rest.esaStatus;
  setBool("p-pnh", take("pnhClone"));
  setBool("p-dr15", take("hlaDr15"));
  setBool("p-stat3", take("stat3TCellClone"));
  setBool("p-transplant", take("transplantCandidate"));
  setBool("p-donor", take("donorAvailable"));
  setBool("p-wants-transplant", take("wantsTransplant"));
  if (setSelect("p-ecog", rest.ecog)) delete rest.ecog;
  setValue("p-hctci", take("hctCi"));
  const priors = take("priorTherapies");
  if (Array.isArray(priors) && !priors.length) $("#p-prior-known").value = "none";
  if (Array.isArray(priors)) {
    priors.forEach((pt) => addPriorRow(pt.therapy || "", pt.response || "", pt.cycles ?? "", pt.bestResponse || ""));
  }
  // Keep what the API's PatientInput accepts; anything else cannot be sent back.
  extraPatient = {};
  const dropped = [];
  for (const [k, v] of Object.entries(rest)) {
    if (PATIENT_FIELDS.has(k)) {
      extraPatient[k] = v;
      if (!notes.some((n) => n.startsWith(k))) notes.push(`${k}: ${JSON.stringify(v)} (kept as imported)`);
    } else {
      dropped.push(`${k}: ${JSON.stringify(v)} (the patient checks do not use this value)`);
    }
  }
  return { notes, dropped };
}

async function importFile(file) {
  const out = clear($("#import-result"));
  if (!file) return;
  if (file.size > 4 * 1024 * 1024) {
    out.append(h("div", { class: "banner banner-error", role: "alert" },
      h("div", { class: "banner-text" }, h("strong", {}, "This file is too large."),
        h("p", {}, "Please choose a FHIR Bundle or Phenopacket JSON file under 4 MB."))));
    return;
  }
  out.setAttribute("aria-busy", "true");
  out.append(h("p", { class: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), `Reading ${file.name}…`));
  try {
    const text = await file.text();
    const data = await gql(IMPORT_MUTATION, { record: text });
    const imp = data.importPatient;
    const patient = fromPatientValues(imp.values);
    const { notes: kept, dropped } = fillPatientForm(patient || {});
    const unmapped = [...(imp.unmapped || []), ...dropped];
    clear(out);
    const camel = (f) => f.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
    const filled = (imp.provenance || []).filter((p) => patient && camel(p.field) in patient);
    const readOnly = (imp.provenance || []).filter((p) => !(patient && camel(p.field) in patient)).map((p) => p.field);
    out.append(h("div", { class: "import-summary", id: "import-summary" },
      h("p", {}, h("strong", {}, `Read a ${imp.recordFormat === "FHIR" ? "FHIR Bundle" : "Phenopacket"}`), ` (${file.name})`,
        `: ${plural(filled.length, "value was", "values were")} filled in. Please check them.`),
      filled.length ? h("details", {}, h("summary", {}, "Where each value came from"),
        h("ul", { class: "compact" }, filled.map((p) => h("li", {}, h("strong", {}, p.field), " ← ", h("code", {}, p.source))))) : null,
      readOnly.length ? h("p", { class: "muted" }, `Also read, but not used by the patient checks: ${readOnly.join(", ")}.`) : null,
      kept.length ? h("div", {}, h("p", {}, "Sent as imported (the form has no box for it):"),
        h("ul", { class: "compact" }, kept.map((k) => h("li", {}, k)))) : null,
      unmapped.length ? h("div", { class: "unmapped", id: "import-unmapped" },
        h("p", {}, h("strong", {}, "Could not be mapped"), " (not used):"),
        h("ul", { class: "compact" }, unmapped.map((u) => h("li", {}, u)))) : h("p", {}, "Everything in the file was mapped."),
      (imp.notes || []).length ? h("ul", { class: "compact muted" }, imp.notes.map((n) => h("li", {}, n))) : null));
  } catch (err) {
    clear(out);
    const box = h("div", { class: "banner banner-error", role: "alert" });
    out.append(box);
    showError(box, err, "the imported file");
  } finally {
    out.setAttribute("aria-busy", "false");
  }
}

// ---- risk scores -----------------------------------------------------------------------------------

const COMPONENT_NAMES = {
  cytogenetics: "Cytogenetics",
  marrow_blasts_pct: "Marrow blasts (%)",
  hemoglobin_g_dl: "Hemoglobin (g/dL)",
  platelets_10e9_l: "Platelets (×10⁹/L)",
  anc_10e9_l: "Neutrophils (×10⁹/L)",
  age: "Age",
  HB1: "Hemoglobin (g/dL)",
  TRANSF_PLT100: "Platelets (÷100, capped at 2.5)",
  BLAST5: "Marrow blasts (÷5, capped at 4)",
  CYTOVEC: "Cytogenetic category",
  nRes2: "Other mutated genes (count)",
};

function categoryText(c) {
  return c ? capitalise(String(c).toLowerCase().replace(/_/g, " ")) : "—";
}

function fmt(x) {
  if (x === null || x === undefined) return "—";
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

// A TypedValue in words.
function typedValueText(v) {
  if (v === null || v === undefined) return "missing";
  if (v.kind === "FLAG") return v.flag ? "yes" : "no";
  if (v.kind === "NUMBER") return fmt(v.number);
  if (v.kind === "LIST") return v.texts.length ? v.texts.map((e) => e.replace(/_/g, " ")).join(", ") : "none";
  return String(v.text ?? "").replace(/_/g, " ");
}

function renderScore(score, title, note) {
  const settled = score.category !== null && score.category !== undefined;
  const card = h("section", { class: "score-card", "data-scheme": score.scheme.replace("_", "-") },
    h("h3", {}, title),
    settled
      ? h("p", { class: "score-main" }, h("span", { class: "score-cat" }, categoryText(score.category)),
        score.score !== null ? h("span", { class: "muted" }, ` · score ${fmt(score.score)}`) : null)
      : h("p", { class: "score-main" }, h("span", { class: "score-cat" }, "Not settled yet"),
        h("span", { class: "muted" }, " — missing values leave more than one category open")),
    settled && score.scoreMin === score.scoreMax ? null : h("p", { class: "score-range" },
      "Best case: ", h("strong", {}, categoryText(score.categoryBest || score.category)), ` (${fmt(score.scoreMin)})`,
      " · Worst case: ", h("strong", {}, categoryText(score.categoryWorst || score.category)), ` (${fmt(score.scoreMax)})`),
    score.riskGroup ? h("p", {}, "Treatment group: ", h("strong", {}, `${score.riskGroup.toLowerCase()}-risk`)) : null,
    note ? h("p", { class: "hint" }, note) : null);
  if (score.missingFields.length) {
    const names = [...new Set(score.missingFields.map((m) => m.label))];
    card.append(h("p", { class: "missing" }, h("strong", {}, "Missing: "), names.join(", ")));
  }
  const rows = score.components.map((c) => h("tr", {},
    h("th", { scope: "row" }, COMPONENT_NAMES[c.name] || c.name.replace(/_/g, " ")),
    h("td", {}, typedValueText(c.observed)),
    h("td", { class: "num" }, c.points === null || c.points === undefined ? "—" : fmt(c.points))));
  if (rows.length) {
    const table = h("table", { class: "components" },
      h("caption", { class: "visually-hidden" }, `${title} components`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Part"), h("th", { scope: "col" }, "Value"),
        h("th", { scope: "col", class: "num" }, score.scheme === "IPSS_M" ? "Weight" : "Points"))),
      h("tbody", {}, rows));
    card.append(rows.length > 6 ? h("details", {}, h("summary", {}, `Show the ${rows.length} parts of the score`), table) : table);
  }
  return card;
}

function renderRisk(risk) {
  const out = clear($("#risk-body"));
  out.append(h("h3", { class: "sub-heading" }, "Risk scores"));
  if (risk.riskGroup) {
    out.append(h("p", { class: "risk-summary" }, "Treatment risk group: ",
      h("strong", {}, `${risk.riskGroup}-risk MDS`), risk.riskGroupBasis ? ` (from ${risk.riskGroupBasis})` : ""));
  } else {
    out.append(h("p", { class: "risk-summary" }, "The treatment risk group (lower or higher) cannot be settled from these values yet."));
  }
  const grid = h("div", { class: "score-grid" },
    renderScore(risk.ipssr, "IPSS-R"),
    renderScore(risk.ipssm, "IPSS-M", risk.ipssm.category ? null
      : "Genes not entered count as unknown, not as normal, so IPSS-M shows a range until they are known."));
  out.append(grid);
  const k = risk.karyotype;
  if (k) {
    out.append(h("p", {}, h("strong", {}, "Karyotype: "), k.findings.join(", ") || "no findings",
      k.ipssrGroup ? ` — IPSS-R cytogenetic group ${categoryText(k.ipssrGroup).toLowerCase()}` : ""));
    if (k.warnings.length) out.append(h("ul", { class: "compact warn" }, k.warnings.map((w) => h("li", {}, w))));
  }
  if (risk.warnings.length) out.append(h("ul", { class: "compact warn" }, risk.warnings.map((w) => h("li", {}, w))));
}

// ---- the treatment plan ----------------------------------------------------------------------------
// The service decides a patient's plan once: its order (`ranking`), its parts (preferred, other
// options, cannot be judged yet, ruled out) and the words for verdicts and strengths
// (`guidanceVocabulary`). This page shows them as they come; it never ranks, sorts or re-words a
// therapy's verdict itself.

let vocabulary = null;
let vocabularyRequest = null;

function loadVocabulary() {
  if (vocabulary) return Promise.resolve(vocabulary);
  if (!vocabularyRequest) {
    vocabularyRequest = gql(VOCABULARY_QUERY).then((data) => {
      const v = data.guidanceVocabulary;
      vocabulary = {
        verdicts: new Map(v.verdicts.map((t) => [t.id, t])),
        strengths: new Map(v.strengths.map((t) => [t.id, t])),
      };
      return vocabulary;
    }).finally(() => { vocabularyRequest = null; });
  }
  return vocabularyRequest;
}

const verdictWords = (id) => vocabulary?.verdicts.get(id)?.words ?? humanise(id);
const strengthWords = (id) => vocabulary?.strengths.get(id)?.words ?? humanise(id);

// How each criterion is marked (the marks, not an order).
const STATUS = {
  MET: ["✓", "Met", "met"],
  NOT_MET: ["✗", "Not met", "not-met"],
  UNKNOWN: ["?", "Unknown", "unknown"],
};
const ROLES = { REQUIRED: "Needed", EXCLUDES: "Rules it out", FAVOURS: "Makes a response more likely" };

// The parts of the plan, named as the service names them (TreatmentPlan.preferred, .options, …).
const PLAN_PARTS = {
  preferred: {
    title: "Discuss first",
    hint: "The options our sources back most strongly for this patient, and why they fit.",
  },
  options: { title: "Other options", hint: "They also fit this patient; our sources back them less strongly." },
  unknown: {
    title: "Cannot be judged yet",
    hint: "Each depends on a value that was not given. The missing values are named here and marked in the form.",
  },
  ruledOut: { title: "Ruled out for this patient", hint: "Each with the reason it does not fit." },
  other: { title: "Other treatments", hint: null },
};

// ---- the form fields a plan names (PatientInput field names; the form's controls carry them as `name`)

const OTHER_FIELD_NAMES = { risk_group: "risk group (from the risk scores)" };

function formControl(field) {
  if (!field) return null;
  return document.querySelector(`#patient-form [name="${CSS.escape(field)}"]`);
}

function fieldName(field) {
  const el = formControl(field);
  if (el) return fieldLabel(el);
  return OTHER_FIELD_NAMES[field] || String(field).replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
}

function goToField(field) {
  const el = formControl(field);
  if (!el) return;
  (el.closest(".field") || el).scrollIntoView({ block: "center" });
  el.focus({ preventScroll: true });
}

function missingField(field) {
  const name = fieldName(field);
  if (!formControl(field)) return h("span", { class: "missing-field", "data-field": field }, name);
  return h("button", { type: "button", class: "missing-field link-button", "data-field": field,
    "aria-label": `${name}: go to this value in the form`, onclick: () => goToField(field) }, name);
}

function missingFieldList(fields) {
  return fields.map((f, i) => [i ? ", " : "", missingField(f)]);
}

function setDescribedBy(el, id, on) {
  const ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== id);
  if (on) ids.push(id);
  if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
  else el.removeAttribute("aria-describedby");
}

function unmarkField(wrap) {
  wrap.classList.remove("needs-value");
  const note = wrap.querySelector(".needed-note");
  if (!note) return;
  for (const control of wrap.querySelectorAll("input, select")) setDescribedBy(control, note.id, false);
  note.remove();
}

function clearMissingHighlights() {
  document.querySelectorAll("#patient-form .field.needs-value").forEach(unmarkField);
}

function nameList(names, max = 3) {
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

// Mark the form fields the plan says would settle the options it cannot judge yet.
function highlightMissing(plan) {
  clearMissingHighlights();
  const needs = new Map();
  for (const field of plan.missing) needs.set(field, []);
  for (const item of plan.ranking) {
    for (const field of item.missing) {
      if (!needs.has(field)) needs.set(field, []);
      needs.get(field).push(item.therapyName);
    }
  }
  for (const [field, therapies] of needs) {
    const el = formControl(field);
    const wrap = el?.closest(".field");
    if (!wrap) continue;
    wrap.classList.add("needs-value");
    const note = h("p", { class: "needed-note", id: `${el.id}-needed` },
      h("span", { "aria-hidden": "true" }, "⚑ "),
      therapies.length ? `Needed to judge ${nameList(therapies)}` : "Needed for the treatment plan");
    wrap.append(note);
    setDescribedBy(el, note.id, true);
  }
}

// ---- one therapy of the plan

const planItemId = (context, therapyId) => `plan-${context}-${String(therapyId).replace(/[^A-Za-z0-9]+/g, "-")}`;

function patientValueText(c) {
  if (c.observed === null || c.observed === undefined) return null;
  return `${typedValueText(c.observed)}${c.unit ? ` ${c.unit}` : ""}`;
}

function renderPlanCriterion(c) {
  const [icon, word, cls] = STATUS[c.status] || ["?", humanise(c.status), "unknown"];
  const value = patientValueText(c);
  return h("li", { class: `criterion status-${cls}`, "data-status": c.status, "data-field": c.inputField },
    h("span", { class: "crit-icon", "aria-hidden": "true" }, icon),
    h("div", { class: "crit-body" },
      h("p", { class: "crit-text" }, h("strong", { class: "crit-status" }, `${word}: `), c.text),
      h("p", { class: "crit-meta" },
        h("span", { class: `role role-${String(c.role).toLowerCase()}` }, ROLES[c.role] || humanise(c.role)),
        c.status === "UNKNOWN"
          ? [" · ", h("span", { class: "crit-missing" }, "Missing: ", missingField(c.inputField))]
          : value !== null ? [" · ", "Patient: ", h("strong", {}, value)] : null),
      shortCitationLinks(c.citations)));
}

function renderNextIfFails(item, context) {
  if (!item.nextIfFails.length) return null;
  return h("div", { class: "plan-next" },
    h("strong", {}, "If it fails or is not tolerated: "),
    h("ul", { class: "inline-list next-list", "aria-label": `If ${item.therapyName} fails` },
      item.nextIfFails.map((n) => h("li", {},
        h("a", { href: `#${planItemId(context, n.therapyId)}`, class: "next-link", "data-next-therapy-id": n.therapyId },
          capitalise(n.therapyName)),
        h("span", { class: "muted" }, ` (${strengthWords(n.strength)})`)))));
}

function renderPlanItem(item, part, context) {
  const id = planItemId(context, item.therapyId);
  const li = h("li", { class: `plan-item part-${part}`, id, tabindex: "-1", "data-therapy-id": item.therapyId,
    "data-rank": item.rank, "data-verdict": item.verdict, "data-strength": item.strength, "data-part": part },
  h("div", { class: "plan-head" },
    h("h5", { class: "plan-title" },
      h("span", { class: "plan-rank" }, h("span", { class: "visually-hidden" }, "Rank "), String(item.rank)),
      h("span", { class: "therapy-name" }, capitalise(item.therapyName))),
    h("p", { class: "plan-verdict" },
      h("span", { class: "verdict", "data-verdict": item.verdict }, capitalise(verdictWords(item.verdict))),
      part === "ruledOut" ? null : h("span", { class: "strength", "data-strength": item.strength },
        "Our sources: ", h("strong", {}, strengthWords(item.strength))))));

  if (part !== "ruledOut" && item.summary) li.append(h("p", { class: "plan-summary" }, item.summary));

  if (item.missing.length) {
    li.append(h("p", { class: "missing plan-missing" }, h("strong", {}, "To decide, we need: "),
      missingFieldList(item.missing)));
  }
  // The service's reasons; a criterion that rules the therapy out adds the patient's value to its line.
  const deciding = item.ruledOutBy.filter((c) => patientValueText(c) !== null);
  const told = new Set();
  const reasonLine = (r) => {
    const c = deciding.find((x) => !told.has(x) && r.includes(x.text));
    if (!c) return capitalise(r);
    told.add(c);
    return [capitalise(r), h("span", { class: "patient-value" }, ` (this patient: ${patientValueText(c)})`)];
  };
  if (item.reasons.length) {
    const lead = part === "ruledOut" ? "Why not" : part === "unknown" ? "Still open" : "Why";
    li.append(item.reasons.length === 1
      ? h("p", { class: "plan-why" }, h("strong", {}, `${lead}: `), reasonLine(item.reasons[0]))
      : h("div", { class: "plan-why" }, h("strong", {}, `${lead}:`),
        h("ul", { class: "compact reasons" }, item.reasons.map((r) => h("li", {}, reasonLine(r))))));
  }
  const untold = deciding.filter((c) => !told.has(c));
  if (untold.length) {
    li.append(h("p", { class: "plan-ruled-by" }, h("strong", {}, "Deciding values: "),
      untold.map((c, i) => [i ? "; " : "", c.text, ` (this patient: ${patientValueText(c)})`])));
  }
  if (part === "preferred" || part === "options") li.append(renderNextIfFails(item, context) || "");

  const counts = { MET: 0, NOT_MET: 0, UNKNOWN: 0 };
  item.criteria.forEach((c) => { counts[c.status] = (counts[c.status] || 0) + 1; });
  const details = h("details", { class: "therapy plan-details" },
    h("summary", {}, item.criteria.length
      ? `Criteria checked: ${counts.MET} met · ${counts.NOT_MET} not met · ${counts.UNKNOWN} unknown; sources`
      : "Sources"));
  const body = h("div", { class: "therapy-body" },
    h("p", { class: "muted" }, "Deciding recommendation: ", item.recommendationName,
      item.evidenceBasis ? ` — evidence: ${item.evidenceBasis}${item.evidenceLevel ? ` (${item.evidenceLevel})` : ""}` : ""));
  if (item.criteria.length) {
    body.append(h("ul", { class: "checklist", "aria-label": `Criteria for ${item.therapyName}` },
      item.criteria.map(renderPlanCriterion)));
  }
  const sources = shortCitationLinks(item.citations, 3, "crit-sources", "Sources: ");
  if (sources) body.append(h("p", { class: "muted" }, sources));
  details.append(body);
  li.append(details);
  return li;
}

// ---- the whole plan

function renderChanges(changes, context) {
  const SHOWN = 6;
  const headingId = `plan-${context}-changes`;
  const list = h("ul", { class: "compact change-list" }, changes.map((c, i) => {
    const li = h("li", { "data-field": c.inputField, "data-change-therapy": c.therapyId, tabindex: "-1" }, c.text);
    if (i >= SHOWN) li.hidden = true;
    return li;
  }));
  const section = h("section", { class: "plan-part plan-changes", "aria-labelledby": headingId },
    h("h4", { id: headingId, class: "plan-part-title" }, "What would change the plan"),
    h("p", { class: "hint" }, "Each line is one value that, if it were different, would move a treatment in the plan."),
    list);
  if (changes.length > SHOWN) {
    const more = h("button", { type: "button", class: "btn btn-small more-changes" },
      `Show all ${changes.length} (${changes.length - SHOWN} more)`);
    more.addEventListener("click", () => {
      const first = list.querySelector("li[hidden]");
      list.querySelectorAll("li[hidden]").forEach((el) => { el.hidden = false; });
      more.remove();
      first?.focus();
    });
    section.append(more);
  }
  return section;
}

function renderPlan(plan, context) {
  const frag = document.createDocumentFragment();
  if (context !== "patient") {
    frag.append(h("p", { class: "risk-summary" }, plan.riskGroup
      ? ["Treatment risk group: ", h("strong", {}, `${plan.riskGroup}-risk MDS`),
        plan.riskGroupBasis ? ` (from ${plan.riskGroupBasis})` : ""]
      : "The treatment risk group (lower or higher) cannot be settled from these values yet."));
  }
  if (plan.warnings.length) frag.append(h("ul", { class: "compact warn" }, plan.warnings.map((w) => h("li", {}, w))));
  if (!plan.ranking.length) {
    frag.append(h("p", { class: "muted" }, "Our sources hold no treatment recommendations to check this patient against."));
    return frag;
  }
  const partOf = new Map();
  for (const [part, list] of [["preferred", plan.preferred], ["options", plan.options], ["unknown", plan.unknown],
    ["ruledOut", plan.ruledOut]]) {
    for (const x of list) if (!partOf.has(x.therapyId)) partOf.set(x.therapyId, part);
  }
  if (!plan.preferred.length) {
    frag.append(h("p", { class: "plan-none" }, "No option can be offered yet from the values given."
      + (plan.unknown.length ? " Filling in the missing values below may settle some." : "")));
  }
  // The ranking in the service's order, cut into runs that share a part of the plan.
  const runs = [];
  for (const item of plan.ranking) {
    const part = partOf.get(item.therapyId) || "other";
    if (!runs.length || runs[runs.length - 1].part !== part) runs.push({ part, items: [] });
    runs[runs.length - 1].items.push(item);
  }
  runs.forEach((run, k) => {
    const info = PLAN_PARTS[run.part];
    const headingId = `plan-${context}-part-${k}`;
    const section = h("section", { class: `plan-part part-${run.part}`, "data-part": run.part, "aria-labelledby": headingId },
      h("h4", { id: headingId, class: "plan-part-title" }, info.title,
        h("span", { class: "part-count" }, ` (${run.items.length})`)),
      info.hint ? h("p", { class: "hint" }, info.hint) : null);
    if (run.part === "unknown" && plan.missing.length) {
      section.append(h("p", { class: "missing plan-missing-all" },
        h("strong", {}, "Values that would settle these: "), missingFieldList(plan.missing)));
    }
    section.append(h("ol", { class: "plan-list", start: run.items[0].rank },
      run.items.map((item) => renderPlanItem(item, run.part, context))));
    frag.append(section);
  });
  if (plan.changes.length) frag.append(renderChanges(plan.changes, context));
  frag.append(h("p", { class: "plan-foot hint" },
    `The order, verdicts and wording are the service's, from its curated guideline logic (version ${plan.guidanceVersion}).`));
  return frag;
}

function planAnnouncement(plan) {
  const offered = plan.preferred.length + plan.options.length;
  return `Treatment plan ready: ${plural(offered, "option", "options")} to discuss, `
    + `${plan.unknown.length} cannot be judged yet, ${plan.ruledOut.length} ruled out.`;
}

// ---- clinical trials ------------------------------------------------------------------------------
// The service checks each loaded trial's own criteria against the patient (`trials`); this page shows
// its verdicts and order as they come. Only the study team can confirm eligibility.

const TRIAL_VERDICTS = {
  POSSIBLE: ["✓", "May be eligible — the study team decides"],
  UNKNOWN: ["?", "Cannot tell yet — information missing"],
  NOT_ELIGIBLE: ["✗", "Not eligible"],
};
const TRIAL_ROLES = { required: "Inclusion", excludes: "Exclusion" };

const trialRole = (role) => TRIAL_ROLES[String(role || "").toLowerCase()] || capitalise(humanise(role));

// A short, plain message for a failed trials request: never the server's text for an unexpected error.
function trialsErrorDetail(err) {
  if (err instanceof ApiError && err.kind === "internal") {
    return err.requestId ? `Request id ${err.requestId}.` : "";
  }
  const { title, detail } = errorContent(err, "the patient");
  const text = [title, detail].filter(Boolean).join(" ");
  return text.length > 300 || /traceback|\bat\s+\S+\s*\(|\n\s+File "/i.test(text) ? title : text;
}

// "PHASE1/PHASE2" → "Phase 1/Phase 2", "EARLY_PHASE1" → "Early phase 1", "NA" → "Not applicable".
function phaseWords(phase) {
  const raw = String(phase || "").trim();
  if (!raw) return "not given";
  if (/^(na|n\/a)$/i.test(raw)) return "Not applicable";
  return raw.split(/\s*[/,|]\s*/).map((p) => capitalise(p.replace(/_/g, " ").toLowerCase()
    .replace(/^(\d)/, "phase $1").replace(/phase\s*(\d)/, "phase $1"))).join("/");
}

function renderTrialCriterion(c) {
  const [icon, word, cls] = STATUS[c.status] || ["?", capitalise(humanise(c.status)), "unknown"];
  const role = trialRole(c.role);
  const exclusion = String(c.role || "").toLowerCase() === "excludes";
  const missing = c.status === "UNKNOWN" && (c.missing || c.inputField)
    ? (c.missing && c.missing !== c.variable ? c.missing : c.inputField || c.missing) : null;
  return h("li", { class: `criterion status-${cls}`, "data-status": c.status, "data-role": role.toLowerCase(),
    "data-field": c.inputField },
  h("span", { class: "crit-icon", "aria-hidden": "true" }, icon),
  h("div", { class: "crit-body" },
    h("p", { class: "crit-text" }, h("strong", { class: "crit-status" }, `${word}: `), c.text),
    h("p", { class: "crit-meta" },
      h("span", { class: `role role-${exclusion ? "excludes" : "required"}` }, `${role} criterion`),
      c.arm ? [" · ", h("span", { class: "crit-arm" }, `Only for ${c.arm}`)] : null,
      missing ? [" · ", h("span", { class: "crit-missing" }, "Missing: ", missingField(missing))] : null)));
}

// Lines of the record no criterion could be read from: the study team checks them, so the patient sees them.
function renderUncheckedCriteria(trial) {
  const lines = trial.uncheckedCriteria || [];
  if (!lines.length) return null;
  return h("details", { class: "therapy trial-unchecked" },
    h("summary", {}, `Not checked by this service: ${plural(lines.length, "line", "lines")} of the record`),
    h("div", { class: "therapy-body" },
      h("p", { class: "hint" }, "These lines could not be read into a check. Any of them may still rule you in or "
        + "out; the study team checks them."),
      h("ul", { class: "compact unchecked-list", "aria-label": `Unchecked lines of ${trial.nctId}` },
        lines.map((u) => h("li", {}, h("strong", {}, u.criterionRole === "EXCLUDES" ? "Exclusion: " : "Inclusion: "),
          u.text)))));
}

function renderTrial(trial) {
  const [icon, words] = TRIAL_VERDICTS[trial.verdict] || ["?", capitalise(humanise(trial.verdict))];
  const headingId = `trial-${String(trial.nctId).replace(/[^A-Za-z0-9]+/g, "-")}`;
  const title = trial.title || (trial.name && trial.name !== trial.nctId ? trial.name : null);
  const nct = trial.url
    ? h("a", { href: trial.url, target: "_blank", rel: "noopener noreferrer", class: "trial-link" }, trial.nctId,
      h("span", { class: "visually-hidden" }, " on ClinicalTrials.gov (opens in a new tab)"))
    : h("span", { class: "trial-link" }, trial.nctId);
  const li = h("li", { class: "trial-card", "data-nct-id": trial.nctId, "data-verdict": trial.verdict },
  h("h4", { class: "trial-title", id: headingId }, nct, title ? [h("span", { "aria-hidden": "true" }, " · "),
    h("span", { class: "trial-name" }, title)] : null),
  h("p", { class: "trial-meta" },
    h("span", {}, "Phase: ", h("strong", {}, phaseWords(trial.phase))),
    " · ",
    h("span", {}, "Status: ", h("strong", {}, trial.status ? capitalise(humanise(trial.status)) : "not given"))),
  h("p", { class: "trial-verdict" }, h("span", { class: "verdict", "data-verdict": trial.verdict },
    h("span", { class: "verdict-icon", "aria-hidden": "true" }, `${icon} `), words)));

  if (trial.reasons.length) {
    li.append(h("div", { class: "trial-why" }, h("strong", {}, "Why:"),
      h("ul", { class: "compact reasons" }, trial.reasons.map((r) => h("li", {}, capitalise(r))))));
  }
  if (trial.missing.length) {
    li.append(h("div", { class: "missing trial-missing" }, h("strong", {}, "To check, the team needs:"),
      h("ul", { class: "compact missing-list" }, trial.missing.map((f) => h("li", {}, missingField(f))))));
  }
  if (trial.therapies.length) {
    li.append(h("p", { class: "trial-therapies muted" }, "Treatment studied: ", trial.therapies.join(", ")));
  }
  if (!trial.criteria.length) {
    li.append(h("p", { class: "trial-no-criteria muted" }, "No criteria could be read from this record."));
    const unread = renderUncheckedCriteria(trial);
    if (unread) li.append(unread);
    return li;
  }
  const counts = { MET: 0, NOT_MET: 0, UNKNOWN: 0 };
  trial.criteria.forEach((c) => { counts[c.status] = (counts[c.status] || 0) + 1; });
  li.append(h("details", { class: "therapy trial-details" },
    h("summary", {},
      `Criteria read from the record: ${counts.MET} met · ${counts.NOT_MET} not met · ${counts.UNKNOWN} unknown`),
    h("div", { class: "therapy-body" },
      h("p", { class: "hint" }, "✓ met, ✗ not met, ? unknown (the missing value is named). An exclusion criterion "
        + "that is met rules the trial out; one that is not met is good news."),
      h("ul", { class: "checklist", "aria-label": `Criteria of ${trial.nctId}` },
        trial.criteria.map(renderTrialCriterion)))));
  const unread = renderUncheckedCriteria(trial);
  if (unread) li.append(unread);
  return li;
}

function trialsSummary(trials) {
  const count = (v) => trials.filter((t) => t.verdict === v).length;
  return `${plural(trials.length, "trial", "trials")} checked: ${count("POSSIBLE")} may be eligible, `
    + `${count("UNKNOWN")} cannot tell yet, ${count("NOT_ELIGIBLE")} not eligible.`;
}

// #trials-status is a polite live region: it says "checking…", then a one-line summary of the result.
function setTrialsStatus(text, busy, onlyForScreenReaders = false) {
  const section = $("#trials-section");
  const status = clear($("#trials-status"));
  section.setAttribute("aria-busy", busy ? "true" : "false");
  if (busy) status.append(h("span", { class: "spinner", "aria-hidden": "true" }));
  if (text) status.append(h("span", { class: onlyForScreenReaders ? "visually-hidden" : null }, text));
}

function resetTrials(visible = false) {
  show($("#trials-section"), visible);
  setTrialsStatus("", false);
  hideError($("#trials-error"));
  clear($("#trials-body"));
}

let trialsController = null;

// Show the trials for `patient` once `request` (a `trials` query already sent, or null to send one) answers.
async function loadTrials(patient, request = null, controller = null) {
  if (!controller) {
    trialsController?.abort();
    controller = new AbortController();
  }
  trialsController = controller;
  resetTrials(true);
  setTrialsStatus("Checking the clinical trials loaded in this service…", true);
  try {
    const data = await (request || gql(TRIALS_QUERY, { patient }, controller.signal));
    if (trialsController !== controller) return;
    const trials = data.trials || [];
    const body = $("#trials-body");
    if (!trials.length) {
      body.append(h("p", { class: "trials-empty muted" }, "No trials are loaded in this service."));
      setTrialsStatus("No trials are loaded in this service.", false, true);
      return;
    }
    body.append(h("ol", { class: "trial-list" }, trials.map(renderTrial)));
    setTrialsStatus(trialsSummary(trials), false);
  } catch (err) {
    if ((err && err.name === "AbortError") || trialsController !== controller) return;
    clear($("#trials-body"));
    const el = $("#trials-error");
    clear(el);
    el.dataset.kind = err instanceof ApiError ? err.kind : "other";
    const detail = trialsErrorDetail(err);
    el.append(
      h("span", { class: "banner-icon", "aria-hidden": "true" }, "!"),
      h("div", { class: "banner-text" },
        h("strong", {}, "The clinical trials could not be checked."),
        detail ? h("p", {}, detail) : null,
        h("button", { type: "button", class: "btn btn-small", onclick: () => {
          $("#trials-heading").focus();
          loadTrials(patient);
        } }, "Try again")));
    show(el);
    setTrialsStatus("", false);
  }
}

let checkController = null;

async function checkPatient() {
  const section = $("#patient-results");
  const errorEl = $("#patient-error");
  const button = $("#check-button");
  show(section);
  hideError(errorEl);
  let patient;
  try {
    patient = readPatient();
  } catch (err) {
    clear($("#risk-body")); clear($("#plan-body"));
    trialsController?.abort(); resetTrials();
    showError(errorEl, err, "the patient");
    section.scrollIntoView({ block: "start" });
    return;
  }
  if (isEmptyPatient(patient)) {
    clear($("#risk-body")); clear($("#plan-body"));
    trialsController?.abort(); resetTrials();
    showError(errorEl, new InputProblem("Enter at least one value (for example age, blasts or hemoglobin)."), "the patient");
    section.scrollIntoView({ block: "start" });
    return;
  }
  checkController?.abort();
  const controller = new AbortController();
  checkController = controller;
  setBusy(section, $("#patient-status"), true, "Scoring and building the treatment plan…");
  button.disabled = true;
  clear($("#risk-body")); clear($("#plan-body"));
  clearMissingHighlights();
  trialsController?.abort();
  resetTrials();
  // The trials are asked for alongside the plan and shown after it; their failure leaves the plan alone.
  const trialsRequest = gql(TRIALS_QUERY, { patient }, controller.signal);
  trialsRequest.catch(() => { /* shown by loadTrials */ });
  try {
    const [data] = await Promise.all([gql(CHECK_QUERY, { patient }, controller.signal), loadVocabulary()]);
    if (checkController !== controller) return;
    renderRisk(data.assessRisk);
    const plan = data.treatmentPlan;
    const out = $("#plan-body");
    out.append(h("h3", { class: "sub-heading", id: "plan-heading" }, "Treatment plan"));
    out.append(h("p", { class: "hint" }, "In the order the service ranks them. Open “Criteria checked” under a "
      + "treatment for each criterion: ✓ met, ✗ not met, ? unknown (the missing value is named)."));
    out.append(renderPlan(plan, "patient"));
    highlightMissing(plan);
    announce(planAnnouncement(plan));
    loadTrials(patient, trialsRequest, controller);
    $("#patient-results-heading").focus({ preventScroll: true });
    section.scrollIntoView({ block: "start", behavior: "smooth" });
  } catch (err) {
    if (err && err.name === "AbortError") return;
    showError(errorEl, err, "the patient", checkPatient);
  } finally {
    if (checkController === controller) {
      setBusy(section, $("#patient-status"), false);
      button.disabled = false;
    }
  }
}

// ---- wiring ---------------------------------------------------------------------------------------

async function loadTherapyNames() {
  try {
    const data = await gql(NAMES_QUERY);
    const names = [...new Set([...data.therapies, ...data.drugs].map((x) => x.name))].sort((a, b) => a.localeCompare(b));
    appendAll(clear($("#therapy-names")), names.map((n) => h("option", { value: n })));
  } catch {
    // suggestions only; the form works without them
  }
}

function init() {
  $("#ask-form").addEventListener("submit", (ev) => { ev.preventDefault(); askQuestion($("#question").value); });
  for (const chip of document.querySelectorAll("#example-list .chip")) {
    chip.addEventListener("click", () => askQuestion(chip.dataset.question));
  }
  $("#more-paths").addEventListener("click", () => {
    const firstNew = pathsShown;
    pathsShown += 5;
    drawPaths();
    $("#path-list").children[firstNew]?.querySelector(".node")?.focus();
  });
  $("#entity-close").addEventListener("click", () => {
    show($("#entity-section"), false);
    if (entityReturnFocus && document.contains(entityReturnFocus)) entityReturnFocus.focus();
  });
  $("#patient-form").addEventListener("submit", (ev) => { ev.preventDefault(); checkPatient(); });
  $("#add-prior").addEventListener("click", () => addPriorRow().querySelector("input").focus());
  $("#clear-patient").addEventListener("click", () => {
    clearPatientForm();
    trialsController?.abort();
    resetTrials();
    show($("#patient-results"), false);
    $("#p-age").focus();
  });
  $("#import-file").addEventListener("change", (ev) => importFile(ev.target.files[0]));
  // a value the plan asked for loses its mark once it is changed
  const unmarkChanged = (ev) => { const wrap = ev.target.closest?.(".field.needs-value"); if (wrap) unmarkField(wrap); };
  $("#patient-form").addEventListener("input", unmarkChanged);
  $("#patient-form").addEventListener("change", unmarkChanged);
  if ("ResizeObserver" in window) new ResizeObserver(onResize).observe($("#path-list"));
  else window.addEventListener("resize", onResize);
  loadTherapyNames();
  loadVocabulary().catch(() => { /* fetched again with the first plan */ });
  const q = new URLSearchParams(window.location.search).get("q");
  if (q) askQuestion(q);
  document.documentElement.dataset.ready = "true";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
