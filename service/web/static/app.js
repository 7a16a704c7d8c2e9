// The reference web app: a plain ES module over the public GraphQL API at /graphql.
// No framework, no build step, no external requests, nothing stored in the browser.

const API = "/graphql";
const SVG_NS = "http://www.w3.org/2000/svg";
const PATHS_SHOWN_FIRST = 3;
const NEIGHBOURS_PAGE = 10;

// ---- GraphQL documents --------------------------------------------------------------------------

const ELIGIBILITY_FIELDS = `
  rank therapyId therapyName recommendationId verdict missing populations strength
  criteria { criterionId text role status missing patientValue origin unit citations { id title url } }
  citations { id title url }
  nextIfFails { therapyId name verdict }`;

const ASK_QUERY = `query Ask($question: String!, $patient: PatientInput) {
  ask(question: $question, patient: $patient) {
    question intent covered writer grounded disclaimer text
    sections { title body }
    citations { id title year url }
    paths { text nodes { id label name } steps { type fromId toId citations { id } recommendationId } }
    eligibility { ${ELIGIBILITY_FIELDS} }
  }
}`;

const ENTITY_QUERY = `query Entity($id: ID!, $first: Int, $after: String) {
  entity(id: $id) {
    id label name definition synonyms abbreviations brandNames url
    neighbours(first: $first, after: $after) {
      edges { type direction node { id name label } citations { id title url } }
      endCursor hasNextPage
    }
  }
}`;

const SCORE_FIELDS = `scheme score category scoreMin scoreMax categoryBest categoryWorst riskGroup
  components { name value points } missing`;

const CHECK_QUERY = `query Check($patient: PatientInput!) {
  assessRisk(patient: $patient) {
    riskGroup riskGroupBasis warnings
    ipssr { ${SCORE_FIELDS} }
    ipssm { ${SCORE_FIELDS} }
    karyotype { findings abnormalityCount ipssrGroup warnings }
  }
  eligibility(patient: $patient) { ${ELIGIBILITY_FIELDS} }
}`;

const IMPORT_MUTATION = `mutation Import($record: JSONString!) {
  importPatient(record: $record) { format patient provenance { field source } unmapped notes }
}`;

const NAMES_QUERY = `query Names { therapies { name } drugs { name } }`;

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
  } else {
    for (const section of answer.sections) {
      if (!section.body.trim()) continue;
      body.append(h("section", { class: "answer-part" },
        h("h3", {}, section.title),
        renderMarkdown(section.body, n)));
    }
  }

  if (answer.eligibility && answer.eligibility.length) {
    body.append(h("section", { class: "answer-part" },
      h("h3", {}, "Criteria checks for this patient"),
      renderEligibilityList(answer.eligibility, "ask")));
  }

  const writer = String(answer.writer || "");
  body.append(h("dl", { class: "answer-meta" },
    h("div", {}, h("dt", {}, "Written by"), h("dd", {}, h("code", {}, writer))),
    h("div", {}, h("dt", {}, "Grounding check"),
      h("dd", { class: answer.grounded ? "ok" : "warn", id: "grounded" },
        answer.grounded ? "✓ Passed: every statement is backed by a cited source"
          : "⚠ Not passed: read this answer with extra care"))));
  body.append(h("p", { class: "disclaimer", role: "note" }, h("strong", {}, "Please note: "), answer.disclaimer));
  renderCitations(answer.citations);
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
    const data = await gql(ASK_QUERY, variables, controller.signal);
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
  const width = $("#path-list").clientWidth;
  if (!currentPaths.length || Math.abs(width - lastWidth) < 24) return;
  lastWidth = width;
  clearTimeout(resizeTimer);
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
  ["", "Response not known"],
  ["response", "Responded"],
  ["no_response", "Did not respond"],
  ["relapse", "Responded, then relapsed"],
  ["intolerant", "Could not tolerate it"],
];

// The fields of the API's PatientInput (anything else would be rejected by the schema).
const PATIENT_FIELDS = new Set([
  "age", "sex", "marrowBlastsPct", "marrowCellularityPct", "marrowCellularity", "karyotype", "ipssrCytogeneticGroup",
  "mutations", "sequencedGenes", "hemoglobin", "platelets", "anc", "serumEpo", "transfusionUnitsPer8wk",
  "transfusionDependent", "ringSideroblastsPct", "pnhClone", "hlaDr15", "stat3TCellClone", "priorTherapies",
  "transplantCandidate", "ecog",
]);

let priorCounter = 0;
let extraPatient = {}; // imported values the form has no field for; sent as they are

function addPriorRow(therapy = "", response = "") {
  const k = ++priorCounter;
  const select = h("select", { id: `prior-response-${k}`, class: "prior-response" },
    RESPONSES.map(([v, t]) => h("option", { value: v }, t)));
  select.value = RESPONSES.some(([v]) => v === response) ? response : "";
  const row = h("li", { class: "prior-row" },
    h("div", { class: "field" },
      h("label", { for: `prior-therapy-${k}` }, "Treatment"),
      h("input", { id: `prior-therapy-${k}`, class: "prior-therapy", type: "text", list: "therapy-names",
        placeholder: "e.g. epoetin alfa", value: therapy })),
    h("div", { class: "field" }, h("label", { for: `prior-response-${k}` }, "Result"), select),
    h("button", { type: "button", class: "btn btn-small btn-remove", "aria-label": "Remove this treatment",
      onclick: () => { row.remove(); $("#add-prior").focus(); } }, "Remove"));
  $("#prior-list").append(row);
  return row;
}

class InputProblem extends ApiError {
  constructor(message) { super("input", message); }
}

function fieldLabel(el) {
  const label = document.querySelector(`label[for="${el.id}"]`);
  return label ? label.childNodes[0].textContent.trim() : el.name;
}

function numberField(id) {
  const el = document.getElementById(id);
  if (el.validity && el.validity.badInput) throw new InputProblem(`${fieldLabel(el)}: “${el.value}” is not a number.`);
  const raw = String(el.value).trim().replace(",", ".");
  if (raw === "") return null;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new InputProblem(`${fieldLabel(el)}: “${el.value}” is not a number.`);
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
  set("transfusionUnitsPer8wk", numberField("p-tx"));
  set("transfusionDependent", boolField("p-tdep"));
  set("pnhClone", boolField("p-pnh"));
  set("hlaDr15", boolField("p-dr15"));
  set("stat3TCellClone", boolField("p-stat3"));
  set("transplantCandidate", boolField("p-transplant"));
  const ecog = textField("p-ecog");
  set("ecog", ecog === null ? null : parseInt(ecog, 10));
  const priors = [...document.querySelectorAll(".prior-row")].map((row) => {
    const therapy = row.querySelector(".prior-therapy").value.trim();
    const response = row.querySelector(".prior-response").value;
    return therapy ? (response ? { therapy, response } : { therapy }) : null;
  }).filter(Boolean);
  set("priorTherapies", priors.length ? priors : null);
  return p;
}

function isEmptyPatient(p) {
  return Object.keys(p).length === 0;
}

function resetPatientFields() {
  $("#patient-form").reset();
  clear($("#prior-list"));
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
  setValue("p-tx", take("transfusionUnitsPer8wk"));
  setBool("p-tdep", take("transfusionDependent"));
  setBool("p-pnh", take("pnhClone"));
  setBool("p-dr15", take("hlaDr15"));
  setBool("p-stat3", take("stat3TCellClone"));
  setBool("p-transplant", take("transplantCandidate"));
  if (setSelect("p-ecog", rest.ecog)) delete rest.ecog;
  const priors = take("priorTherapies");
  if (Array.isArray(priors)) priors.forEach((pt) => addPriorRow(pt.therapy || "", pt.response || ""));
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
    const patient = typeof imp.patient === "string" ? JSON.parse(imp.patient) : imp.patient;
    const { notes: kept, dropped } = fillPatientForm(patient || {});
    const unmapped = [...(imp.unmapped || []), ...dropped];
    clear(out);
    const camel = (f) => f.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
    const filled = (imp.provenance || []).filter((p) => patient && camel(p.field) in patient);
    const readOnly = (imp.provenance || []).filter((p) => !(patient && camel(p.field) in patient)).map((p) => p.field);
    out.append(h("div", { class: "import-summary", id: "import-summary" },
      h("p", {}, h("strong", {}, `Read a ${imp.format === "fhir" ? "FHIR Bundle" : "Phenopacket"}`), ` (${file.name})`,
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
  return c ? capitalise(String(c).replace(/_/g, " ")) : "—";
}

function fmt(x) {
  if (x === null || x === undefined) return "—";
  return Number.isInteger(x) ? String(x) : String(Math.round(x * 100) / 100);
}

function parseJsonValue(v) {
  if (v === null || v === undefined) return "missing";
  try {
    const x = JSON.parse(v);
    if (typeof x === "boolean") return x ? "yes" : "no";
    if (Array.isArray(x)) return x.length ? x.map((e) => String(e).replace(/_/g, " ")).join(", ") : "none";
    return typeof x === "string" ? x.replace(/_/g, " ") : typeof x === "number" ? fmt(x) : JSON.stringify(x);
  } catch {
    return v;
  }
}

function renderScore(score, title, note) {
  const settled = score.category !== null && score.category !== undefined;
  const card = h("section", { class: "score-card", "data-scheme": score.scheme },
    h("h3", {}, title),
    settled
      ? h("p", { class: "score-main" }, h("span", { class: "score-cat" }, categoryText(score.category)),
        score.score !== null ? h("span", { class: "muted" }, ` · score ${fmt(score.score)}`) : null)
      : h("p", { class: "score-main" }, h("span", { class: "score-cat" }, "Not settled yet"),
        h("span", { class: "muted" }, " — missing values leave more than one category open")),
    settled && score.scoreMin === score.scoreMax ? null : h("p", { class: "score-range" },
      "Best case: ", h("strong", {}, categoryText(score.categoryBest || score.category)), ` (${fmt(score.scoreMin)})`,
      " · Worst case: ", h("strong", {}, categoryText(score.categoryWorst || score.category)), ` (${fmt(score.scoreMax)})`),
    score.riskGroup ? h("p", {}, "Treatment group: ", h("strong", {}, `${score.riskGroup}-risk`)) : null,
    note ? h("p", { class: "hint" }, note) : null);
  if (score.missing.length) {
    card.append(h("p", { class: "missing" }, h("strong", {}, "Missing: "), score.missing.join(", ")));
  }
  const rows = score.components.map((c) => h("tr", {},
    h("th", { scope: "row" }, COMPONENT_NAMES[c.name] || c.name.replace(/_/g, " ")),
    h("td", {}, parseJsonValue(c.value)),
    h("td", { class: "num" }, c.points === null || c.points === undefined ? "—" : fmt(c.points))));
  if (rows.length) {
    const table = h("table", { class: "components" },
      h("caption", { class: "visually-hidden" }, `${title} components`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Part"), h("th", { scope: "col" }, "Value"),
        h("th", { scope: "col", class: "num" }, score.scheme === "IPSS-M" ? "Weight" : "Points"))),
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

// ---- eligibility checklists ------------------------------------------------------------------------

const VERDICTS = {
  FAVOURED: ["Favoured", "good"],
  POSSIBLE: ["Possible", "good"],
  UNKNOWN: ["Cannot tell yet", "unknown"],
  POSSIBLE_LESS_LIKELY: ["Possible, less likely to help", "maybe"],
  NOT_ELIGIBLE: ["Criteria not met", "bad"],
  NOT_RECOMMENDED: ["Not recommended", "bad"],
};
const STATUS = {
  MET: ["✓", "Met", "met"],
  NOT_MET: ["✗", "Not met", "not-met"],
  UNKNOWN: ["?", "Unknown", "unknown"],
};
// The API names a missing value by its criterion variable; say it as the form does.
const VALUE_NAMES = {
  age: "age",
  marrow_blasts_pct: "marrow blasts %",
  marrow_cellularity: "marrow cellularity",
  marrow_cellularity_pct: "marrow cellularity %",
  karyotype_findings: "karyotype",
  cytogenetic_group: "cytogenetic group (karyotype)",
  mutated_genes: "mutations (gene panel result)",
  hemoglobin_g_dl: "hemoglobin",
  platelets_10e9_l: "platelets",
  anc_10e9_l: "neutrophils (ANC)",
  serum_epo_mu_ml: "serum EPO",
  transfusion_dependent: "transfusion need (units / 8 weeks)",
  transfusion_units_per_8wk: "red-cell transfusions per 8 weeks",
  ring_sideroblasts_pct: "ring sideroblasts %",
  pnh_clone: "PNH clone",
  hla_dr15: "HLA-DR15",
  stat3_t_cell_clone: "STAT3-mutant T-cell clone",
  failed_therapies: "treatments already tried, and how they went",
  prior_therapies: "treatments already tried",
  transplant_candidate: "transplant candidate",
  ecog: "performance status (ECOG)",
  risk_group: "risk group (lower / higher)",
};
const valueName = (v) => VALUE_NAMES[v] || String(v).replace(/_/g, " ");

const ROLES = { required: "Required", favours: "Makes a response more likely", excludes: "Rules it out" };

function renderCriterion(c) {
  const [icon, word, cls] = STATUS[c.status] || ["?", c.status, "unknown"];
  return h("li", { class: `criterion status-${cls}`, "data-status": c.status },
    h("span", { class: "crit-icon", "aria-hidden": "true" }, icon),
    h("div", { class: "crit-body" },
      h("p", { class: "crit-text" }, h("strong", { class: "crit-status" }, `${word}: `), c.text),
      h("p", { class: "crit-meta" },
        h("span", { class: `role role-${c.role}` }, ROLES[c.role] || c.role),
        c.status === "UNKNOWN" && c.missing ? [" · ", h("span", { class: "crit-missing" }, "Missing: ", h("strong", {}, valueName(c.missing)))]
          : c.patientValue !== null && c.patientValue !== undefined
            ? [" · ", "Patient: ", h("strong", {}, parseJsonValue(c.patientValue)), c.unit ? ` ${c.unit}` : ""] : null,
        " · ", c.origin === "population" ? "Implied by who it is for" : "Stated by a source"),
      shortCitationLinks(c.citations)));
}

const VERDICT_ORDER = ["FAVOURED", "POSSIBLE", "POSSIBLE_LESS_LIKELY", "UNKNOWN", "NOT_ELIGIBLE", "NOT_RECOMMENDED"];
const GROUPS_SHOWN_FIRST = 8;

function verdictBadge(verdict) {
  const [text, cls] = VERDICTS[verdict] || [verdict, "unknown"];
  return h("span", { class: `verdict verdict-${cls}` }, text);
}

// One recommendation of a therapy: who it is for, its verdict and the checklist of its criteria.
function renderRecommendation(result, open) {
  const counts = { MET: 0, NOT_MET: 0, UNKNOWN: 0 };
  result.criteria.forEach((c) => { counts[c.status] = (counts[c.status] || 0) + 1; });
  const who = result.populations.length ? result.populations.join("; ") : "anyone with MDS";
  const details = h("details", { class: "therapy", "data-therapy-id": result.therapyId,
    "data-recommendation-id": result.recommendationId, "data-verdict": result.verdict, open },
  h("summary", {},
    h("span", { class: "rec-for" }, "For ", h("strong", {}, who)), " ", verdictBadge(result.verdict),
    h("span", { class: "counts muted" },
      result.criteria.length ? `${counts.MET} met · ${counts.NOT_MET} not met · ${counts.UNKNOWN} unknown`
        : "no criteria beyond who it is for", result.strength ? ` · ${result.strength.replace(/_/g, " ")}` : "")));
  const body = h("div", { class: "therapy-body" });
  if (result.missing.length) {
    body.append(h("p", { class: "missing" }, h("strong", {}, "To decide, we would need: "),
      result.missing.map(valueName).join(", ")));
  }
  if (result.criteria.length) {
    const order = { required: 0, excludes: 1, favours: 2 };
    const criteria = result.criteria.map((c, k) => ({ c, k }))
      .sort((a, b) => (order[a.c.role] ?? 3) - (order[b.c.role] ?? 3) || a.k - b.k).map((x) => x.c);
    body.append(h("ul", { class: "checklist", "aria-label": `Criteria for ${result.therapyName}, for ${who}` },
      criteria.map(renderCriterion)));
  }
  if (result.nextIfFails.length) {
    body.append(h("p", {}, h("strong", {}, "If it does not work: "), result.nextIfFails.map((n) => n.name).join(", ")));
  }
  const recSources = shortCitationLinks(result.citations, 3, "crit-sources", "Recommended by: ");
  if (recSources) body.append(h("p", { class: "muted" }, recSources));
  details.append(body);
  return details;
}

// Recommendations grouped by therapy, best rank first; each therapy shows its best verdict.
function renderEligibilityList(results, context) {
  const groups = new Map();
  for (const r of [...results].sort((a, b) => a.rank - b.rank)) {
    if (!groups.has(r.therapyId)) groups.set(r.therapyId, []);
    groups.get(r.therapyId).push(r);
  }
  const list = h("ol", { class: "therapies" });
  let i = 0;
  for (const [therapyId, recs] of groups) {
    const best = recs.map((r) => r.verdict).sort((a, b) => VERDICT_ORDER.indexOf(a) - VERDICT_ORDER.indexOf(b))[0];
    const item = h("li", { class: "therapy-item", "data-therapy-id": therapyId, "data-context": context },
      h("h4", { class: "therapy-title" }, h("span", { class: "therapy-name" }, recs[0].therapyName), " ", verdictBadge(best),
        recs.length > 1 ? h("span", { class: "muted rec-count" }, ` ${recs.length} recommendations`) : null),
      recs.map((r, k) => renderRecommendation(r, i < 3 && k === 0)));
    if (i >= GROUPS_SHOWN_FIRST) item.hidden = true;
    list.append(item);
    i += 1;
  }
  const frag = document.createDocumentFragment();
  frag.append(list);
  if (i > GROUPS_SHOWN_FIRST) {
    const more = h("button", { type: "button", class: "btn btn-small more-therapies" },
      `Show all ${i} treatments (${i - GROUPS_SHOWN_FIRST} more)`);
    more.addEventListener("click", () => {
      const first = list.querySelector(".therapy-item[hidden]");
      list.querySelectorAll(".therapy-item[hidden]").forEach((el) => { el.hidden = false; });
      more.remove();
      first?.querySelector("summary")?.focus();
    });
    frag.append(more);
  }
  return frag;
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
    clear($("#risk-body")); clear($("#eligibility-body"));
    showError(errorEl, err, "the patient");
    section.scrollIntoView({ block: "start" });
    return;
  }
  if (isEmptyPatient(patient)) {
    clear($("#risk-body")); clear($("#eligibility-body"));
    showError(errorEl, new InputProblem("Enter at least one value (for example age, blasts or hemoglobin)."), "the patient");
    section.scrollIntoView({ block: "start" });
    return;
  }
  checkController?.abort();
  const controller = new AbortController();
  checkController = controller;
  setBusy(section, $("#patient-status"), true, "Scoring and checking the criteria…");
  button.disabled = true;
  clear($("#risk-body")); clear($("#eligibility-body"));
  try {
    const data = await gql(CHECK_QUERY, { patient }, controller.signal);
    renderRisk(data.assessRisk);
    const out = $("#eligibility-body");
    out.append(h("h3", { class: "sub-heading" }, "Treatments and their criteria"));
    if (!data.eligibility.length) {
      out.append(h("p", { class: "muted" }, "Our sources hold no treatment recommendations to check this patient against."));
    } else {
      out.append(h("p", { class: "hint" }, "Best fit first. Each recommendation lists its criteria: ✓ met, ✗ not met, "
        + "? unknown (the missing value is named). “Favours” criteria make a response more likely; they are not required."));
      out.append(renderEligibilityList(data.eligibility, "patient"));
    }
    announce(`Risk scores and ${plural(data.eligibility.length, "treatment check", "treatment checks")} ready.`);
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
    show($("#patient-results"), false);
    $("#p-age").focus();
  });
  $("#import-file").addEventListener("change", (ev) => importFile(ev.target.files[0]));
  if ("ResizeObserver" in window) new ResizeObserver(onResize).observe($("#path-list"));
  else window.addEventListener("resize", onResize);
  loadTherapyNames();
  const q = new URLSearchParams(window.location.search).get("q");
  if (q) askQuestion(q);
  document.documentElement.dataset.ready = "true";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
