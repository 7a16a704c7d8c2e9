// Apollo Client (default InMemoryCache, automatic persisted queries) against a running service, as a new app
// would use it. Run by tests/integration/test_node_client.py: `node apollo_check.mjs <graphql url> <fhir.json>`.
// Prints one JSON object of what it saw; exits 1 with a message when a check fails.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { ApolloClient, HttpLink, InMemoryCache, from, gql } from "@apollo/client/core/index.js";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries/index.js";
import { removeTypenameFromVariables } from "@apollo/client/link/remove-typename/index.js";

const [uri, bundlePath] = process.argv.slice(2);
const seen = { persistedRequests: 0, fullRequests: 0 };

// Count what goes over the wire: hashed-only requests (APQ) and requests that carry the document.
const countingFetch = async (url, options) => {
  const body = options && options.body ? JSON.parse(options.body) : {};
  if (body.query) seen.fullRequests += 1;
  else seen.persistedRequests += 1;
  return fetch(url, options);
};

const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const client = new ApolloClient({
  link: from([removeTypenameFromVariables(), createPersistedQueryLink({ sha256 }),
    new HttpLink({ uri, fetch: countingFetch })]),
  cache: new InMemoryCache(),
});

function check(condition, message) {
  if (!condition) {
    console.error(`check failed: ${message}`);
    process.exit(1);
  }
}

const ASK = gql`query Ask($question: String!) {
  ask(question: $question) { question questionIntent facts { id localId section text citations } }
}`;

// 1. Two different questions: each answer keeps its own facts in the normalised cache.
const questions = ["What is azacitidine?", "What is luspatercept?"];
const answers = [];
for (const question of questions) {
  const { data } = await client.query({ query: ASK, variables: { question } });
  answers.push(data.ask);
}
check(answers.every((a) => a.facts.length > 0), "both answers have facts");
for (const [i, question] of questions.entries()) {
  const cached = client.readQuery({ query: ASK, variables: { question } });
  check(JSON.stringify(cached.ask.facts) === JSON.stringify(answers[i].facts),
    `the cached answer to "${question}" still has its own facts`);
}
const overlap = answers[0].facts.filter((f) => answers[1].facts.some((g) => g.id === f.id));
check(overlap.every((f) => answers[1].facts.find((g) => g.id === f.id).text === f.text),
  "a fact id shared by two answers means the same fact");

// 2. Enums arrive as enum strings.
const patient = { age: 72, marrowBlastsPct: 3, karyotype: "46,XY", hemoglobin: { value: 9.1, unit: "g/dL" },
  platelets: { value: 150, unit: "10^9/L" }, anc: { value: 2, unit: "10^9/L" } };
const RISK = gql`query Risk($patient: PatientInput!) {
  assessRisk(patient: $patient) { treatmentGroup ipssr { scoringSystem riskCategory score } }
  treatmentPlan(patient: $patient) { ranking { therapyId verdict strength } }
}`;
const risk = (await client.query({ query: RISK, variables: { patient }, fetchPolicy: "no-cache" })).data;
check(risk.assessRisk.treatmentGroup === "LOWER", `treatmentGroup is LOWER, got ${risk.assessRisk.treatmentGroup}`);
check(risk.assessRisk.ipssr.scoringSystem === "IPSS_R", "scoringSystem is the enum IPSS_R");
const verdicts = new Set(["FAVOURED", "POSSIBLE", "POSSIBLE_LESS_LIKELY", "UNKNOWN", "NOT_ELIGIBLE", "NOT_RECOMMENDED"]);
check(risk.treatmentPlan.ranking.every((o) => verdicts.has(o.verdict) && /^[A-Z_]+$/.test(o.strength)),
  "verdicts and strengths are enum values");

// 3. importPatient's typed patient goes back as PatientInput as it is (Apollo's __typename dropped by its link).
const IMPORT = gql`mutation Import($record: JSONString!) {
  importPatient(record: $record) {
    recordFormat
    values {
      age sex marrowBlastsPct karyotype mutations { gene vaf kind origin } sequencedGenes
      hemoglobin { value unit } platelets { value unit } anc { value unit } serumEpo { value unit }
      priorTherapies { therapy response cycles bestResponse }
    }
  }
}`;
const record = readFileSync(bundlePath, "utf8");
const imported = (await client.mutate({ mutation: IMPORT, variables: { record } })).data.importPatient;
check(imported.recordFormat === "FHIR", "recordFormat is the enum FHIR");
check(imported.values.__typename === "PatientValues", "the imported patient is a typed object");
check(imported.values.sex === "FEMALE", "sex arrives as the enum FEMALE");
const again = (await client.query({ query: RISK, variables: { patient: imported.values }, fetchPolicy: "no-cache" })).data;
check(typeof again.assessRisk.ipssr.score === "number", "the imported patient was accepted as PatientInput");

console.log(JSON.stringify({
  facts: answers.map((a) => a.facts.map((f) => f.id)),
  sharedFacts: overlap.length,
  treatmentGroup: risk.assessRisk.treatmentGroup,
  scoringSystem: risk.assessRisk.ipssr.scoringSystem,
  importedSex: imported.values.sex,
  importedScore: again.assessRisk.ipssr.score,
  ...seen,
}));
