export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** JSON as a string (or, in variables, as a value); a malformed one is a clear request error. */
  JSONString: { input: string; output: string; }
};

/** The answer to one question, with the facts, paths and sources it rests on (no id: an answer is not stored). */
export type Answer = {
  __typename?: 'Answer';
  /** Sources, in the order the `[n]` markers of the sections number them. */
  citations: Array<Citation>;
  /** With covered=false: the nearest topics our sources do cover. */
  closest: Array<Scalars['String']['output']>;
  /** False when our sources do not cover the question. */
  covered: Scalars['Boolean']['output'];
  /** What the answer is not (medical advice), to show with it. */
  disclaimer: Scalars['String']['output'];
  /** Per-therapy eligibility when a patient was given (one row per therapy). */
  eligibility: Array<EligibilityResult>;
  /** Concepts recognised in the question. */
  entities: Array<Entity>;
  /** The statements the answer rests on. */
  facts: Array<Fact>;
  /** Whether the text passed the grounding check. */
  grounded: Scalars['Boolean']['output'];
  /** What the writer's check verified, sentence by sentence. */
  grounding?: Maybe<GroundingCheck>;
  /**
   * What the question asks for (definition, efficacy, …).
   * @deprecated Use `questionIntent` (an enum).
   */
  intent: Scalars['String']['output'];
  /** Graph paths the answer used. */
  paths: Array<Path>;
  /** The question as asked. */
  question: Scalars['String']['output'];
  /** What the question asks for; null for a kind not listed in the enum. */
  questionIntent?: Maybe<Intent>;
  /** The answer in sections. */
  sections: Array<Section>;
  /** The whole answer as text (the sections joined). */
  text: Scalars['String']['output'];
  /** Therapies the answer is about. */
  therapies: Array<Entity>;
  /** With a patient: the ranked treatment plan the answer leads with. */
  treatmentPlan?: Maybe<TreatmentPlan>;
  /** template, claude:<model>, claude:<model> (partial fallback: …) or template (claude fallback: …) */
  writer: Scalars['String']['output'];
};

/** The best response an earlier treatment reached (IWG response criteria). */
export type BestResponse =
  /** Complete response. */
  | 'COMPLETE_RESPONSE'
  /** Hematologic improvement. */
  | 'HEMATOLOGIC_IMPROVEMENT'
  /** Marrow complete response. */
  | 'MARROW_COMPLETE_RESPONSE'
  /** No response. */
  | 'NO_RESPONSE'
  /** Partial response. */
  | 'PARTIAL_RESPONSE'
  /** Progression. */
  | 'PROGRESSION'
  /** Stable disease. */
  | 'STABLE_DISEASE';

/** Bone-marrow cellularity for age (ontology/data/model.yaml). */
export type Cellularity =
  /** More marrow cells than usual for the age. */
  | 'HYPERCELLULAR'
  /** Fewer marrow cells than usual for the age. */
  | 'HYPOCELLULAR'
  /** As usual for the age. */
  | 'NORMOCELLULAR';

/** A source: a publication, trial record, guideline, label or web page the graph's facts come from. */
export type Citation = Node & {
  __typename?: 'Citation';
  /** CURIE of the source: PMID:…, clinicaltrials:NCT…, MDSKG:source/… */
  id: Scalars['ID']['output'];
  /** The source's title (or a short label for it). */
  title?: Maybe<Scalars['String']['output']>;
  /** Where to read the source. */
  url?: Maybe<Scalars['String']['output']>;
  /** Year of publication, when known. */
  year?: Maybe<Scalars['Int']['output']>;
};

/** The condition a Criterion node states (a trial's or a recommendation's). */
export type CriterionInfo = {
  __typename?: 'CriterionInfo';
  /** What the criterion does. */
  criterionRole: CriterionRole;
  /** Comparison: < <= > >= == != in not_in contains not_contains between. */
  operator: Scalars['String']['output'];
  /**
   * required | favours | excludes
   * @deprecated Use `criterionRole`.
   */
  role: Scalars['String']['output'];
  /** The criterion as written in its source. */
  text?: Maybe<Scalars['String']['output']>;
  /** The criterion's value, typed. */
  typedValue: TypedValue;
  /** Unit of the value, when it has one. */
  unit?: Maybe<Scalars['String']['output']>;
  /**
   * JSON-encoded value.
   * @deprecated Use `typedValue` (no JSON parsing).
   */
  value: Scalars['String']['output'];
  /** The criterion variable (ontology/data/model.yaml). */
  variable: Scalars['String']['output'];
};

/** One criterion of the recommendation that decides a therapy's verdict, checked for the patient. */
export type CriterionResult = {
  __typename?: 'CriterionResult';
  /** Sources of the criterion. */
  citations: Array<Citation>;
  /** The recommendation's id and where the criterion sits in its rule (not a Node id). */
  criterionId: Scalars['ID']['output'];
  /** What the criterion does. */
  criterionRole: CriterionRole;
  /**
   * With UNKNOWN: the value that is missing.
   * @deprecated Use `patientField` (named by PatientInput field).
   */
  missing?: Maybe<Scalars['String']['output']>;
  /** The patient's value, typed; null when missing. */
  observed?: Maybe<TypedValue>;
  /** Comparison operator (see CriterionInfo.operator). */
  operator: Scalars['String']['output'];
  /** curated (the project's curated guideline logic) */
  origin: Scalars['String']['output'];
  /** The PatientInput field that gives it. */
  patientField: PatientField;
  /**
   * The patient's value (JSON); null when missing.
   * @deprecated Use `observed` (typed, no JSON parsing).
   */
  patientValue?: Maybe<Scalars['String']['output']>;
  /**
   * required | favours | excludes
   * @deprecated Use `criterionRole` (an enum).
   */
  role: Scalars['String']['output'];
  /** MET | NOT_MET | UNKNOWN */
  status: CriterionStatus;
  /** The criterion in plain words. */
  text: Scalars['String']['output'];
  /**
   * The criterion's value (JSON).
   * @deprecated Use `value` (typed, no JSON parsing).
   */
  threshold: Scalars['String']['output'];
  /** Unit of the value, when it has one. */
  unit?: Maybe<Scalars['String']['output']>;
  /** The criterion's value, typed. */
  value: TypedValue;
  /** The criterion variable (ontology/data/model.yaml). */
  variable: Scalars['String']['output'];
};

/** What a criterion does: needed, rules a therapy out, or favours it. */
export type CriterionRole =
  /** The criterion rules it out. */
  | 'EXCLUDES'
  /** The criterion makes a response more likely. */
  | 'FAVOURS'
  /** The criterion needed. */
  | 'REQUIRED';

/** MET, NOT_MET, or UNKNOWN when a value it needs is missing. */
export type CriterionStatus =
  /** Met. */
  | 'MET'
  /** Not met. */
  | 'NOT_MET'
  /** Unknown. */
  | 'UNKNOWN';

/** IPSS-R cytogenetic risk group. */
export type CytogeneticGroup =
  /** Cytogenetic group good. */
  | 'GOOD'
  /** Cytogenetic group intermediate. */
  | 'INTERMEDIATE'
  /** Cytogenetic group poor. */
  | 'POOR'
  /** Cytogenetic group very good. */
  | 'VERY_GOOD'
  /** Cytogenetic group very poor. */
  | 'VERY_POOR';

/** Which way a relationship points from the entity asked about. */
export type Direction =
  /** The other → this entity. */
  | 'IN'
  /** This entity → the other. */
  | 'OUT';

/** One therapy for one patient: one row per therapy, with the verdict of the treatment plan. */
export type EligibilityResult = {
  __typename?: 'EligibilityResult';
  /** Sources of the recommendation. */
  citations: Array<Citation>;
  /** Each criterion of the deciding recommendation, checked. */
  criteria: Array<CriterionResult>;
  /**
   * With UNKNOWN: the PatientInput fields that would decide it.
   * @deprecated Use `missingFields` (with labels).
   */
  missing: Array<Scalars['String']['output']>;
  /** With UNKNOWN: the PatientInput fields that would decide it. */
  missingFields: Array<PatientField>;
  /** What the plan offers if this therapy fails or is not tolerated. */
  nextIfFails: Array<NextOption>;
  /** Who the recommendation is for, in words. */
  populations: Array<Scalars['String']['output']>;
  /** 1 = best fit for this patient. */
  rank: Scalars['Int']['output'];
  /** Why, in plain words; `criteria` has the machine-readable checks. */
  reasons: Array<Scalars['String']['output']>;
  /** The curated recommendation that decides the verdict. */
  recommendationId: Scalars['ID']['output'];
  /** Strength of that recommendation. */
  recommendationStrength: Strength;
  /**
   * Strength of that recommendation (lower case).
   * @deprecated Use `recommendationStrength` (an enum).
   */
  strength: Scalars['String']['output'];
  /** Id of the therapy (an Entity). */
  therapyId: Scalars['ID']['output'];
  /** Name of the therapy. */
  therapyName: Scalars['String']['output'];
  /** The therapy's one verdict for this patient. */
  verdict: Verdict;
};

/**
 * A node of the knowledge graph: a concept (disease, subtype, therapy, drug, gene, …), a study, a trial, a
 * recommendation, a criterion or a source.
 */
export type Entity = Node & {
  __typename?: 'Entity';
  /** Abbreviations. */
  abbreviations: Array<Scalars['String']['output']>;
  /** Brand names (drugs). */
  brandNames: Array<Scalars['String']['output']>;
  /** Set on Criterion nodes. */
  criterion?: Maybe<CriterionInfo>;
  /** A definition in plain words, when the ontology has one. */
  definition?: Maybe<Scalars['String']['output']>;
  /** The node's CURIE, unique across the graph. */
  id: Scalars['ID']['output'];
  /** Node type from the ontology (Therapy, Drug, Disease, …). */
  label: Scalars['String']['output'];
  /** Preferred name. */
  name: Scalars['String']['output'];
  /** The entity's relationships, a page at a time (cursor connection). */
  neighbours: NeighbourPage;
  /** Other names. */
  synonyms: Array<Scalars['String']['output']>;
  /** Where the identifier resolves, when public. */
  url?: Maybe<Scalars['String']['output']>;
};


/**
 * A node of the knowledge graph: a concept (disease, subtype, therapy, drug, gene, …), a study, a trial, a
 * recommendation, a criterion or a source.
 */
export type EntityNeighboursArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  relType?: InputMaybe<Scalars['String']['input']>;
};

/** Search hits, best first, a page at a time (cursor connection). */
export type EntityConnection = {
  __typename?: 'EntityConnection';
  /** The hits of this page. */
  edges: Array<EntityEdge>;
  /** Cursors and whether more pages follow. */
  pageInfo: PageInfo;
  /** How many hits in all (at most 100). */
  totalCount: Scalars['Int']['output'];
};

/** One hit of a search. */
export type EntityEdge = {
  __typename?: 'EntityEdge';
  /** Pass as `after` to get the hits after this one. */
  cursor: Scalars['String']['output'];
  /** The entity found. */
  node: Entity;
};

/** Experience with erythropoiesis-stimulating agents (ontology/data/model.yaml). */
export type EsaStatus =
  /** Not suitable. */
  | 'INELIGIBLE'
  /** Not tolerated. */
  | 'INTOLERANT'
  /** Never had one. */
  | 'NAIVE'
  /** No response. */
  | 'REFRACTORY'
  /** Responded, then lost the response. */
  | 'RESPONDED_THEN_LOST'
  /** Responding now. */
  | 'RESPONDING';

/** What kind of evidence backs a recommendation. */
export type EvidenceLevel =
  /** Randomized trials or a meta-analysis of them. */
  | 'HIGH'
  /** Retrospective studies or expert consensus. */
  | 'LOW'
  /** Prospective single-arm or phase 2 studies. */
  | 'MODERATE'
  /** A regulatory approval (drug label). */
  | 'REGULATORY';

/** One statement an answer rests on, with its sources. */
export type Fact = {
  __typename?: 'Fact';
  /** Ids of the sources behind it. */
  citations: Array<Scalars['ID']['output']>;
  /** Unique across answers and derived from the fact's content (section, text, citations): two answers share a fact id only when they state the same fact, so a client cache that normalises by id (Apollo, urql) never shows one answer's facts in another. */
  id: Scalars['ID']['output'];
  /** The fact's number within this answer (F1, F2, …). */
  localId: Scalars['String']['output'];
  /** Title of the section the fact is used in. */
  section: Scalars['String']['output'];
  /** The fact in plain words. */
  text: Scalars['String']['output'];
};

/** What the service answers from: the database and the graph in it. */
export type GraphInfo = {
  __typename?: 'GraphInfo';
  /** When the graph was last built (ISO 8601). */
  builtAt?: Maybe<Scalars['String']['output']>;
  /** Documents the ETL has loaded. */
  documentCount?: Maybe<Scalars['Int']['output']>;
  /** Version of the ontology the graph was built with. */
  modelVersion?: Maybe<Scalars['String']['output']>;
  /** Neo4j edition (community, enterprise). */
  neo4jEdition?: Maybe<Scalars['String']['output']>;
  /** Version of the Neo4j server. */
  neo4jVersion: Scalars['String']['output'];
  /** Nodes in the graph. */
  nodeCount: Scalars['Int']['output'];
  /** Relationships in the graph. */
  relationshipCount: Scalars['Int']['output'];
};

/** What the answer writer's check verified. With method `sentence`, each AI-written sentence was compared with the facts it cites; sentences that failed were replaced by the sources' own wording or left out. With method `template`, the text is the sources' own wording. */
export type GroundingCheck = {
  __typename?: 'GroundingCheck';
  /** One line saying exactly what was checked, for display. */
  badge: Scalars['String']['output'];
  /** AI-written sentences checked. */
  checked: Scalars['Int']['output'];
  /** False when the AI reply was unfinished and the sources' wording completed it. */
  complete: Scalars['Boolean']['output'];
  /** Sentences that failed and were left out. */
  dropped: Scalars['Int']['output'];
  /** The rules some sentence failed. */
  failedRules: Array<Scalars['String']['output']>;
  /** Why the fallback wrote some or all of the answer (e.g. timeout). */
  fallbackReason?: Maybe<Scalars['String']['output']>;
  /** Sentences in the sources' wording that completed an unfinished reply. */
  filled: Scalars['Int']['output'];
  /** Checked sentences that passed and are shown. */
  kept: Scalars['Int']['output'];
  /** `sentence` (AI-written, checked per sentence) or `template`. */
  method: Scalars['String']['output'];
  /** The plain-words note the answer carries when part of it is the fallback's. */
  note?: Maybe<Scalars['String']['output']>;
  /** Sentences that failed and were replaced by the sources' wording. */
  replaced: Scalars['Int']['output'];
  /** The rules each sentence was checked by (e.g. concept, population, strength). */
  rules: Array<Scalars['String']['output']>;
};

/** The words and order of verdicts and strengths, so no client needs its own table. */
export type GuidanceVocabulary = {
  __typename?: 'GuidanceVocabulary';
  /** The disease every MDS population descends from. */
  rootConcept: Scalars['ID']['output'];
  /** Strongest first. */
  strengths: Array<VocabularyTerm>;
  /** Best first. */
  verdicts: Array<VocabularyTerm>;
};

/** A patient read from a FHIR Bundle or a Phenopacket; nothing is stored. */
export type ImportedPatient = {
  __typename?: 'ImportedPatient';
  /**
   * fhir | phenopacket
   * @deprecated Use `recordFormat` (an enum).
   */
  format: Scalars['String']['output'];
  /** Things to check, in plain words. */
  notes: Array<Scalars['String']['output']>;
  /**
   * A PatientInput as JSON in a string.
   * @deprecated Use `values`: the same patient typed, to send back as PatientInput without JSON parsing.
   */
  patient: Scalars['JSONString']['output'];
  /** Where each value came from. */
  provenance: Array<ProvenanceEntry>;
  /** The format the record was read as. */
  recordFormat: RecordFormat;
  /** Parts of the record that were not used, in plain words. */
  unmapped: Array<Scalars['String']['output']>;
  /** The patient, typed: send it back as `PatientInput` unchanged (drop `__typename`). */
  values: PatientValues;
};

/** What a question asks for (service/intents.py). */
export type Intent =
  /** A question about administration. */
  | 'ADMINISTRATION'
  /** A question about alternatives. */
  | 'ALTERNATIVES'
  /** A question about candidate. */
  | 'CANDIDATE'
  /** A question about causes. */
  | 'CAUSES'
  /** A question about comparison. */
  | 'COMPARISON'
  /** A question about definition. */
  | 'DEFINITION'
  /** A question about efficacy. */
  | 'EFFICACY'
  /** A question about mechanism. */
  | 'MECHANISM'
  /** A question about next after failure. */
  | 'NEXT_AFTER_FAILURE'
  /** A question about off topic. */
  | 'OFF_TOPIC'
  /** A question about prognosis. */
  | 'PROGNOSIS'
  /** A question about risk compute. */
  | 'RISK_COMPUTE'
  /** A question about risk interpret. */
  | 'RISK_INTERPRET'
  /** A question about side effects. */
  | 'SIDE_EFFECTS'
  /** A question about symptoms. */
  | 'SYMPTOMS'
  /** A question about treat or watch. */
  | 'TREAT_OR_WATCH'
  /** A question about trial result. */
  | 'TRIAL_RESULT';

/** What the karyotype (ISCN) was read as. */
export type KaryotypeInfo = {
  __typename?: 'KaryotypeInfo';
  /** Number of abnormalities, when the whole karyotype was understood. */
  abnormalityCount?: Maybe<Scalars['Int']['output']>;
  /** Findings recognised (ids of the karyotype_findings variable: del5q, plus8, …). */
  findings: Array<Scalars['String']['output']>;
  /** IPSS cytogenetic group: good | intermediate | poor. */
  ipssGroup?: Maybe<Scalars['String']['output']>;
  /** IPSS-R cytogenetic group. */
  ipssrCytogeneticGroup?: Maybe<CytogeneticGroup>;
  /**
   * IPSS-R cytogenetic group.
   * @deprecated Use `ipssrCytogeneticGroup` (an enum).
   */
  ipssrGroup?: Maybe<Scalars['String']['output']>;
  /** Parts of the karyotype that could not be read, in plain words. */
  warnings: Array<Scalars['String']['output']>;
};

/** Operations that are not reads: POST only (nothing is stored). */
export type Mutation = {
  __typename?: 'Mutation';
  /** Read a FHIR R4 Bundle or a GA4GH Phenopacket v2 into a patient; nothing is stored. POST only. */
  importPatient?: Maybe<ImportedPatient>;
};


/** Operations that are not reads: POST only (nothing is stored). */
export type MutationImportPatientArgs = {
  record: Scalars['JSONString']['input'];
};

/** A gene variant found in the patient's marrow or blood. */
export type MutationInput = {
  /** HGNC symbol, e.g. SF3B1 */
  gene: Scalars['String']['input'];
  /** Variant class where a score needs it, e.g. ITD, TKD, PTD. */
  kind?: InputMaybe<Scalars['String']['input']>;
  /** somatic | germline. Values of the MutationOrigin enum, in any case (e.g. as importPatient returns them). */
  origin?: InputMaybe<Scalars['String']['input']>;
  /** Variant allele frequency, a fraction (0-1) or a percentage (0-100). */
  vaf?: InputMaybe<Scalars['Float']['input']>;
};

/** Where a variant comes from. */
export type MutationOrigin =
  /** Inherited (in every cell). */
  | 'GERMLINE'
  /** Acquired (in the disease's cells). */
  | 'SOMATIC';

/** The values of a MutationInput, as the API read them: send them back as that input unchanged. */
export type MutationValue = {
  __typename?: 'MutationValue';
  /** HGNC symbol, e.g. SF3B1 */
  gene: Scalars['String']['output'];
  /** Variant class where a score needs it, e.g. ITD, TKD, PTD. */
  kind?: Maybe<Scalars['String']['output']>;
  /** somatic | germline */
  origin?: Maybe<MutationOrigin>;
  /** Variant allele frequency, a fraction (0-1) or a percentage (0-100). */
  vaf?: Maybe<Scalars['Float']['output']>;
};

/** One relationship of an entity (an edge of its `neighbours` connection). */
export type Neighbour = {
  __typename?: 'Neighbour';
  /** Sources that state the relationship. */
  citations: Array<Citation>;
  /** Pass as `after` to get the relationships after this one. */
  cursor: Scalars['String']['output'];
  /** OUT (this → other) or IN (other → this). */
  direction: Direction;
  /** The entity at the other end. */
  node: Entity;
  /** Relationship type (ontology/data/model.yaml). */
  type: Scalars['String']['output'];
};

/** A page of an entity's relationships, as a cursor connection (at most 100 per page). */
export type NeighbourPage = {
  __typename?: 'NeighbourPage';
  /** The relationships of this page. */
  edges: Array<Neighbour>;
  /**
   * Cursor of the last edge.
   * @deprecated Use `pageInfo.endCursor`.
   */
  endCursor?: Maybe<Scalars['String']['output']>;
  /**
   * More relationships follow.
   * @deprecated Use `pageInfo.hasNextPage`.
   */
  hasNextPage: Scalars['Boolean']['output'];
  /** Cursors and whether more pages follow. */
  pageInfo: PageInfo;
  /** How many relationships match in all (counted up to 5000). */
  totalCount: Scalars['Int']['output'];
};

/** A therapy the plan offers if this one fails or is not tolerated. */
export type NextOption = {
  __typename?: 'NextOption';
  /** Name of the therapy. */
  name: Scalars['String']['output'];
  /** Id of the recommendation that decides it. */
  recommendationId: Scalars['ID']['output'];
  /** Id of the therapy (an Entity). */
  therapyId: Scalars['ID']['output'];
  /** Its verdict for this patient. */
  verdict: Verdict;
};

/**
 * An object with a global identity: its `id` is unique across every type of this API and stable across
 * requests, so `node(id:)` finds it again and a client cache can normalise by it. Ids are the graph's CURIEs
 * (NCIT:C3247, MDSKG:drug/luspatercept, PMID:…, clinicaltrials:NCT…).
 */
export type Node = {
  /** Globally unique, stable id (a CURIE). */
  id: Scalars['ID']['output'];
};

/** Where a page of a connection sits (Relay cursor connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item of this page; null when empty. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** More items follow: ask again with `after: endCursor`. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Items come before this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first item of this page; null when empty. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A chain of relationships between two entities (no id: it belongs to the answer it is in). */
export type Path = {
  __typename?: 'Path';
  /** The entities, in order. */
  nodes: Array<Entity>;
  /** The relationships between them. */
  steps: Array<Step>;
  /** The path in words: names joined by arrows. */
  text: Scalars['String']['output'];
};

/** A value of the patient, named as the PatientInput field a form holds it in. */
export type PatientField = {
  __typename?: 'PatientField';
  /** What within the field, when that matters: a gene (`SF3B1`) within `mutations`, a finding (`del5q`) within `karyotype`. */
  detail?: Maybe<Scalars['String']['output']>;
  /** The PatientInput field (camelCase), e.g. `serumEpo`. */
  field: Scalars['String']['output'];
  /** A short label to show, e.g. `Serum EPO`. */
  label: Scalars['String']['output'];
};

/** One PatientInput field, described for a form: so no client needs its own tables. */
export type PatientFieldInfo = {
  __typename?: 'PatientFieldInfo';
  /** The field's description (units, ranges). */
  description?: Maybe<Scalars['String']['output']>;
  /** The PatientInput field (camelCase). */
  field: Scalars['String']['output'];
  /** What the field takes. */
  kind: PatientFieldKind;
  /** A short label to show. */
  label: Scalars['String']['output'];
  /** LOINC codes importPatient reads into this field from a FHIR Bundle. */
  loincCodes: Array<Scalars['String']['output']>;
  /** With QUANTITY: the units the service converts (case-insensitive). */
  units: Array<Scalars['String']['output']>;
  /** With CHOICE: the allowed values (the ids; the enum names are accepted too). */
  values: Array<Scalars['String']['output']>;
};

/** What a PatientInput field takes. */
export type PatientFieldKind =
  /** One of `values`. */
  | 'CHOICE'
  /** true or false. */
  | 'FLAG'
  /** A list (of genes, mutations or treatments). */
  | 'LIST'
  /** A number. */
  | 'NUMBER'
  /** A QuantityInput: a number and one of `units`. */
  | 'QUANTITY'
  /** Text (e.g. an ISCN karyotype). */
  | 'TEXT'
  /** A whole number. */
  | 'WHOLE_NUMBER';

/** A patient's values, each optional: what is not given is never guessed (verdicts that need it are UNKNOWN, naming the field). Units are stated per field; a QuantityInput carries its own unit. */
export type PatientInput = {
  /** Years. */
  age?: InputMaybe<Scalars['Float']['input']>;
  /** Absolute neutrophil count, e.g. {value: 1.2, unit: "10^9/L"} (10^9/L, /uL). */
  anc?: InputMaybe<QuantityInput>;
  /** Has symptoms of anaemia. */
  anemiaSymptoms?: InputMaybe<Scalars['Boolean']['input']>;
  /** Auer rods were seen in the blasts (marrow or blood). */
  auerRods?: InputMaybe<Scalars['Boolean']['input']>;
  /** Has clinically significant bleeding. */
  bleeding?: InputMaybe<Scalars['Boolean']['input']>;
  /** Creatinine clearance, mL/min (more than 0). */
  creatinineClearanceMlMin?: InputMaybe<Scalars['Float']['input']>;
  /** A donor for an allogeneic transplant is available. */
  donorAvailable?: InputMaybe<Scalars['Boolean']['input']>;
  /** ECOG performance status, a whole number from 0 to 5. */
  ecog?: InputMaybe<Scalars['Int']['input']>;
  /** Experience with ESA (epoetin, darbepoetin): naive | responding | responded_then_lost | refractory | intolerant | ineligible. Values of the EsaStatus enum, in any case (e.g. as importPatient returns them). */
  esaStatus?: InputMaybe<Scalars['String']['input']>;
  /** HCT-CI comorbidity index (a whole number, 0 or more). */
  hctCi?: InputMaybe<Scalars['Int']['input']>;
  /** Hemoglobin, e.g. {value: 9.1, unit: "g/dL"} (g/dL, g/L, mmol/L). */
  hemoglobin?: InputMaybe<QuantityInput>;
  /** Carries HLA-DR15. */
  hlaDr15?: InputMaybe<Scalars['Boolean']['input']>;
  /** very_good | good | intermediate | poor | very_poor. Values of the CytogeneticGroup enum, in any case (e.g. as importPatient returns them). */
  ipssrCytogeneticGroup?: InputMaybe<Scalars['String']['input']>;
  /** ISCN, e.g. 46,XY,del(5)(q13q33)[20] */
  karyotype?: InputMaybe<Scalars['String']['input']>;
  /** Bone-marrow blasts, % (0-100). */
  marrowBlastsPct?: InputMaybe<Scalars['Float']['input']>;
  /** hypocellular | normocellular | hypercellular. Values of the Cellularity enum, in any case (e.g. as importPatient returns them). */
  marrowCellularity?: InputMaybe<Scalars['String']['input']>;
  /** Bone-marrow cellularity, % (0-100), not adjusted for age. */
  marrowCellularityPct?: InputMaybe<Scalars['Float']['input']>;
  /** Gene variants found; give `sequencedGenes` too so a gene that was tested and not found counts as not mutated. */
  mutations?: InputMaybe<Array<MutationInput>>;
  /** Blasts in the peripheral blood, % (0-100). */
  peripheralBlastsPct?: InputMaybe<Scalars['Float']['input']>;
  /** Needs platelet transfusions. */
  plateletTransfusions?: InputMaybe<Scalars['Boolean']['input']>;
  /** Platelet count, e.g. {value: 85, unit: "10^9/L"} (10^9/L, /uL). */
  platelets?: InputMaybe<QuantityInput>;
  /** A PNH clone was found by flow cytometry. */
  pnhClone?: InputMaybe<Scalars['Boolean']['input']>;
  /** Treatments so far, each with how it went. */
  priorTherapies?: InputMaybe<Array<PriorTherapyInput>>;
  /** Red-cell units received in all (units, 0 or more). */
  rbcUnitsTotal?: InputMaybe<Scalars['Float']['input']>;
  /** Has infections again and again. */
  recurrentInfections?: InputMaybe<Scalars['Boolean']['input']>;
  /** Ring sideroblasts among erythroid precursors, % (0-100). */
  ringSideroblastsPct?: InputMaybe<Scalars['Float']['input']>;
  /** lower | higher: the treatment risk group as your care team stated it. Used only when no risk score can be computed from the values given. Values of the RiskGroup enum, in any case (e.g. as importPatient returns them). */
  riskGroup?: InputMaybe<Scalars['String']['input']>;
  /** HGNC symbols of the genes the sequencing panel covered. */
  sequencedGenes?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Serum erythropoietin, e.g. {value: 120, unit: "mU/mL"} (mU/mL = U/L). */
  serumEpo?: InputMaybe<QuantityInput>;
  /** ng/mL (= ug/L) */
  serumFerritin?: InputMaybe<QuantityInput>;
  /** Sex: male, female or other. Values of the Sex enum, in any case (e.g. as importPatient returns them). */
  sex?: InputMaybe<Scalars['String']['input']>;
  /** A STAT3-mutant T-cell clone was found. */
  stat3TCellClone?: InputMaybe<Scalars['Boolean']['input']>;
  /** Needs regular red-cell transfusions. */
  transfusionDependent?: InputMaybe<Scalars['Boolean']['input']>;
  /** Red-cell units transfused in the last 8 weeks (0 or more). */
  transfusionUnitsPer8wk?: InputMaybe<Scalars['Float']['input']>;
  /** Fit for, willing to have, and with a donor for an allogeneic transplant. */
  transplantCandidate?: InputMaybe<Scalars['Boolean']['input']>;
  /** Willing to have an allogeneic transplant. */
  wantsTransplant?: InputMaybe<Scalars['Boolean']['input']>;
};

/** The values of a PatientInput, as the API read them: send them back as that input unchanged. */
export type PatientValues = {
  __typename?: 'PatientValues';
  /** Years. */
  age?: Maybe<Scalars['Float']['output']>;
  /** As in the input. */
  anc?: Maybe<QuantityValue>;
  /** Has symptoms of anaemia. */
  anemiaSymptoms?: Maybe<Scalars['Boolean']['output']>;
  /** Auer rods were seen in the blasts (marrow or blood). */
  auerRods?: Maybe<Scalars['Boolean']['output']>;
  /** Has clinically significant bleeding. */
  bleeding?: Maybe<Scalars['Boolean']['output']>;
  /** Creatinine clearance, mL/min (more than 0). */
  creatinineClearanceMlMin?: Maybe<Scalars['Float']['output']>;
  /** A donor for an allogeneic transplant is available. */
  donorAvailable?: Maybe<Scalars['Boolean']['output']>;
  /** As in the input. */
  ecog?: Maybe<Scalars['Int']['output']>;
  /** Experience with ESA (epoetin, darbepoetin): naive | responding | responded_then_lost | refractory | intolerant | ineligible */
  esaStatus?: Maybe<EsaStatus>;
  /** HCT-CI comorbidity index (a whole number, 0 or more). */
  hctCi?: Maybe<Scalars['Int']['output']>;
  /** As in the input. */
  hemoglobin?: Maybe<QuantityValue>;
  /** As in the input. */
  hlaDr15?: Maybe<Scalars['Boolean']['output']>;
  /** very_good | good | intermediate | poor | very_poor */
  ipssrCytogeneticGroup?: Maybe<CytogeneticGroup>;
  /** ISCN, e.g. 46,XY,del(5)(q13q33)[20] */
  karyotype?: Maybe<Scalars['String']['output']>;
  /** As in the input. */
  marrowBlastsPct?: Maybe<Scalars['Float']['output']>;
  /** hypocellular | normocellular | hypercellular */
  marrowCellularity?: Maybe<Cellularity>;
  /** As in the input. */
  marrowCellularityPct?: Maybe<Scalars['Float']['output']>;
  /** As in the input. */
  mutations?: Maybe<Array<MutationValue>>;
  /** Blasts in the peripheral blood, % (0-100). */
  peripheralBlastsPct?: Maybe<Scalars['Float']['output']>;
  /** Needs platelet transfusions. */
  plateletTransfusions?: Maybe<Scalars['Boolean']['output']>;
  /** As in the input. */
  platelets?: Maybe<QuantityValue>;
  /** As in the input. */
  pnhClone?: Maybe<Scalars['Boolean']['output']>;
  /** As in the input. */
  priorTherapies?: Maybe<Array<PriorTherapyValue>>;
  /** Red-cell units received in all (units, 0 or more). */
  rbcUnitsTotal?: Maybe<Scalars['Float']['output']>;
  /** Has infections again and again. */
  recurrentInfections?: Maybe<Scalars['Boolean']['output']>;
  /** As in the input. */
  ringSideroblastsPct?: Maybe<Scalars['Float']['output']>;
  /** lower | higher: the treatment risk group as your care team stated it. Used only when no risk score can be computed from the values given. */
  riskGroup?: Maybe<RiskGroup>;
  /** As in the input. */
  sequencedGenes?: Maybe<Array<Scalars['String']['output']>>;
  /** As in the input. */
  serumEpo?: Maybe<QuantityValue>;
  /** ng/mL (= ug/L) */
  serumFerritin?: Maybe<QuantityValue>;
  /** As in the input. */
  sex?: Maybe<Sex>;
  /** As in the input. */
  stat3TCellClone?: Maybe<Scalars['Boolean']['output']>;
  /** As in the input. */
  transfusionDependent?: Maybe<Scalars['Boolean']['output']>;
  /** As in the input. */
  transfusionUnitsPer8wk?: Maybe<Scalars['Float']['output']>;
  /** As in the input. */
  transplantCandidate?: Maybe<Scalars['Boolean']['output']>;
  /** Willing to have an allogeneic transplant. */
  wantsTransplant?: Maybe<Scalars['Boolean']['output']>;
};

/** A value that would change a therapy's verdict. */
export type PlanChange = {
  __typename?: 'PlanChange';
  /** The criterion in plain words. */
  criterion: Scalars['String']['output'];
  /** 'if met' or 'if not met': which way the value would have to go. */
  direction: Scalars['String']['output'];
  /** The PatientInput field whose value would change the plan. */
  inputField: Scalars['String']['output'];
  /** Its verdict now. */
  now: Verdict;
  /** The same field, with its label. */
  patientField: PatientField;
  /** The change in plain words. */
  text: Scalars['String']['output'];
  /** Id of the therapy. */
  therapyId: Scalars['ID']['output'];
  /** Name of the therapy. */
  therapyName: Scalars['String']['output'];
  /** The criterion variable. */
  variable: Scalars['String']['output'];
  /** Its verdict after the change. */
  wouldBe: Verdict;
};

/** One criterion of a recommendation, checked for the patient. */
export type PlanCriterion = {
  __typename?: 'PlanCriterion';
  /** Sources of the criterion. */
  citations: Array<Citation>;
  /** Where the criterion sits in the rule, e.g. requires.any_of[1]. */
  groupPath: Scalars['String']['output'];
  /** The PatientInput field that gives this value. */
  inputField: Scalars['String']['output'];
  /** The patient's value, typed; null when missing. */
  observed?: Maybe<TypedValue>;
  /** Comparison operator (see CriterionInfo.operator). */
  operator: Scalars['String']['output'];
  /** The PatientInput field, with its label. */
  patientField: PatientField;
  /**
   * The patient's value (JSON); null when missing.
   * @deprecated Use `observed` (typed, no JSON parsing).
   */
  patientValue?: Maybe<Scalars['String']['output']>;
  /** What the criterion does. */
  role: CriterionRole;
  /** Whether the patient meets it. */
  status: CriterionStatus;
  /** The criterion in plain words. */
  text: Scalars['String']['output'];
  /**
   * The criterion's value (JSON).
   * @deprecated Use `value` (typed, no JSON parsing).
   */
  threshold: Scalars['String']['output'];
  /** Unit of the value, when it has one. */
  unit?: Maybe<Scalars['String']['output']>;
  /** The criterion's value, typed. */
  value: TypedValue;
  /** The criterion variable (ontology/data/model.yaml). */
  variable: Scalars['String']['output'];
};

/** A therapy the plan offers next. */
export type PlanNext = {
  __typename?: 'PlanNext';
  /** Strength of its deciding recommendation. */
  strength: Strength;
  /** Id of the therapy (an Entity). */
  therapyId: Scalars['ID']['output'];
  /** Name of the therapy. */
  therapyName: Scalars['String']['output'];
  /** Its verdict for this patient. */
  verdict: Verdict;
};

/** One therapy of the treatment plan: one verdict, the recommendation that decides it, and why. */
export type PlanOption = {
  __typename?: 'PlanOption';
  /** Sources of the decision. */
  citations: Array<Citation>;
  /** Each criterion of the deciding recommendation, checked. */
  criteria: Array<PlanCriterion>;
  /** What kind of evidence backs the recommendation. */
  evidence?: Maybe<EvidenceLevel>;
  /** The evidence in a sentence (trials, approvals). */
  evidenceBasis?: Maybe<Scalars['String']['output']>;
  /**
   * high | moderate | low | regulatory
   * @deprecated Use `evidence` (an enum).
   */
  evidenceLevel?: Maybe<Scalars['String']['output']>;
  /**
   * first_line | after_failure | any | supportive
   * @deprecated Use `lineOfTherapy` (an enum).
   */
  line?: Maybe<Scalars['String']['output']>;
  /** When in the course of treatment it applies. */
  lineOfTherapy?: Maybe<TherapyLine>;
  /** With UNKNOWN: the PatientInput fields that would decide it. */
  missing: Array<Scalars['String']['output']>;
  /** With UNKNOWN: the PatientInput fields that would decide it, labelled. */
  missingFields: Array<PatientField>;
  /** What the plan offers if this therapy fails or is not tolerated. */
  nextIfFails: Array<PlanNext>;
  /** The server's ranking: 1 = first to discuss. */
  rank: Scalars['Int']['output'];
  /** Why, in plain words. */
  reasons: Array<Scalars['String']['output']>;
  /** Id of the deciding recommendation (an Entity). */
  recommendationId: Scalars['ID']['output'];
  /** Name of the deciding recommendation. */
  recommendationName: Scalars['String']['output'];
  /** With NOT_ELIGIBLE / NOT_RECOMMENDED: the criteria that rule it out. */
  ruledOutBy: Array<PlanCriterion>;
  /** Of the curated recommendation that decides the verdict. */
  strength: Strength;
  /** The recommendation in plain words. */
  summary?: Maybe<Scalars['String']['output']>;
  /** Id of the therapy (an Entity). */
  therapyId: Scalars['ID']['output'];
  /** Name of the therapy. */
  therapyName: Scalars['String']['output'];
  /** The therapy's one verdict for this patient. */
  verdict: Verdict;
};

/** A treatment the patient had before, and how it went. */
export type PriorTherapyInput = {
  /** complete_response | partial_response | marrow_complete_response | hematologic_improvement | stable_disease | no_response | progression. Values of the BestResponse enum, in any case (e.g. as importPatient returns them). */
  bestResponse?: InputMaybe<Scalars['String']['input']>;
  /** Number of cycles given (a whole number, 0 or more). */
  cycles?: InputMaybe<Scalars['Int']['input']>;
  /** response | no_response | relapse | intolerant. Values of the TherapyResponse enum, in any case (e.g. as importPatient returns them). */
  response?: InputMaybe<Scalars['String']['input']>;
  /** A concept id or a name, e.g. 'ESA' or 'epoetin alfa'. */
  therapy: Scalars['String']['input'];
};

/** The values of a PriorTherapyInput, as the API read them: send them back as that input unchanged. */
export type PriorTherapyValue = {
  __typename?: 'PriorTherapyValue';
  /** complete_response | partial_response | marrow_complete_response | hematologic_improvement | stable_disease | no_response | progression */
  bestResponse?: Maybe<BestResponse>;
  /** Number of cycles given (a whole number, 0 or more). */
  cycles?: Maybe<Scalars['Int']['output']>;
  /** response | no_response | relapse | intolerant */
  response?: Maybe<TherapyResponse>;
  /** A concept id or a name, e.g. 'ESA' or 'epoetin alfa'. */
  therapy: Scalars['String']['output'];
};

/** Where one imported value came from in the record. */
export type ProvenanceEntry = {
  __typename?: 'ProvenanceEntry';
  /** The patient value (a record field name). */
  field: Scalars['String']['output'];
  /** Where in the record it was read (resource, code). */
  source: Scalars['String']['output'];
};

/** A value with its unit; the unit is converted (a unit the service does not know is an error). */
export type QuantityInput = {
  /** e.g. g/dL or g/L; 10^9/L or /uL; mU/mL */
  unit: Scalars['String']['input'];
  /** The number, in `unit`. */
  value: Scalars['Float']['input'];
};

/** The values of a QuantityInput, as the API read them: send them back as that input unchanged. */
export type QuantityValue = {
  __typename?: 'QuantityValue';
  /** e.g. g/dL or g/L; 10^9/L or /uL; mU/mL */
  unit: Scalars['String']['output'];
  /** The number, in `unit`. */
  value: Scalars['Float']['output'];
};

/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type Query = {
  __typename?: 'Query';
  /** Answer a question in plain words from the graph's sources; with a patient, the answer leads with the patient's treatment plan. */
  ask: Answer;
  /** IPSS, IPSS-R and IPSS-M for a patient, with what is missing. POST only. */
  assessRisk: RiskAssessment;
  /** Criteria of the graph's recommendations. */
  criteria: Array<Entity>;
  /** Diseases of the ontology. */
  diseases: Array<Entity>;
  /** Drugs of the ontology. */
  drugs: Array<Entity>;
  /** One row per therapy with the treatment plan's verdict (the same as `treatmentPlan { ranking }`). POST only. */
  eligibility: Array<EligibilityResult>;
  /** One entity by id; null when the graph has none. */
  entity?: Maybe<Entity>;
  /** Counts and versions, from the live database. */
  graphInfo: GraphInfo;
  /** Verdicts and strengths in the order every client should use. */
  guidanceVocabulary: GuidanceVocabulary;
  /** Any object with an id (an Entity or a Citation), found again by its id; null when nothing has that id. */
  node?: Maybe<Node>;
  /** Several objects by id, in the order asked, null for an unknown id (at most 100). */
  nodes: Array<Maybe<Node>>;
  /** Paths between two entities, shortest first (at most 20). */
  paths: Array<Path>;
  /** Every PatientInput field with its label, kind, units, allowed values and LOINC codes, in the input's order. */
  patientFields: Array<PatientFieldInfo>;
  /** Entities whose names match the text, typos forgiven, best first (at most 100). */
  search: Array<Entity>;
  /** `search` as a cursor connection (at most 100 hits in all). */
  searchConnection: EntityConnection;
  /**
   * Sources ordered by id.
   * @deprecated Use `sourcesConnection` (pages through every source).
   */
  sources: Array<Citation>;
  /** Every source, ordered by id, as a cursor connection. */
  sourcesConnection: SourceConnection;
  /** MDS subtypes of the ontology. */
  subtypes: Array<Entity>;
  /** Therapy classes of the ontology. */
  therapies: Array<Entity>;
  /** The patient's ranked treatment plan from the curated guideline logic. */
  treatmentPlan: TreatmentPlan;
  /** The loaded trials, each criterion checked against the patient with the same evaluator as the therapy verdicts (at most 500). */
  trials: Array<TrialMatchResult>;
  /** `trials` as a cursor connection. POST only. */
  trialsConnection: TrialMatchConnection;
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryAskArgs = {
  patient?: InputMaybe<PatientInput>;
  question: Scalars['String']['input'];
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryAssessRiskArgs = {
  patient: PatientInput;
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryCriteriaArgs = {
  therapyId?: InputMaybe<Scalars['ID']['input']>;
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryEligibilityArgs = {
  patient: PatientInput;
  therapyIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryEntityArgs = {
  id: Scalars['ID']['input'];
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryPathsArgs = {
  fromId: Scalars['ID']['input'];
  maxHops?: InputMaybe<Scalars['Int']['input']>;
  toId: Scalars['ID']['input'];
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QuerySearchArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  text: Scalars['String']['input'];
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QuerySearchConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  text: Scalars['String']['input'];
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QuerySourcesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QuerySourcesConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryTreatmentPlanArgs = {
  patient: PatientInput;
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryTrialsArgs = {
  nctIds?: InputMaybe<Array<Scalars['String']['input']>>;
  patient: PatientInput;
};


/** Everything the API answers. Fields that take a patient are POST only (docs/api.md). */
export type QueryTrialsConnectionArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  nctIds?: InputMaybe<Array<Scalars['String']['input']>>;
  patient: PatientInput;
};

/** The format of an imported record. */
export type RecordFormat =
  /** A FHIR R4 Bundle. */
  | 'FHIR'
  /** A GA4GH Phenopacket v2. */
  | 'PHENOPACKET';

/** The patient's prognostic scores and treatment risk group. */
export type RiskAssessment = {
  __typename?: 'RiskAssessment';
  /** IPSS. */
  ipss: RiskScore;
  /** IPSS-M. */
  ipssm: RiskScore;
  /** IPSS-R. */
  ipssr: RiskScore;
  /** IPSS-R adjusted for age, when the age is given. */
  ipssrAgeAdjusted?: Maybe<RiskScore>;
  /** The karyotype as read, when one was given. */
  karyotype?: Maybe<KaryotypeInfo>;
  /**
   * The lower/higher-risk group used for treatment choices, when determined.
   * @deprecated Use `treatmentGroup` (an enum).
   */
  riskGroup?: Maybe<Scalars['String']['output']>;
  /**
   * Which score the risk group comes from.
   * @deprecated Use `treatmentGroupBasis` (an enum).
   */
  riskGroupBasis?: Maybe<Scalars['String']['output']>;
  /** The risk group used for treatment choices, when determined. */
  treatmentGroup?: Maybe<RiskGroup>;
  /** Which score the treatment group comes from. */
  treatmentGroupBasis?: Maybe<RiskScheme>;
  /** Values to check (e.g. a hemoglobin outside 4-20 g/dL), in plain words. */
  warnings: Array<Scalars['String']['output']>;
};

/** A risk category of IPSS (LOW, INTERMEDIATE_1, INTERMEDIATE_2, HIGH), IPSS-R (VERY_LOW … VERY_HIGH) or IPSS-M (VERY_LOW, LOW, MODERATE_LOW, MODERATE_HIGH, HIGH, VERY_HIGH); values from ontology/data/model.yaml. */
export type RiskCategory =
  /** Risk category high. */
  | 'HIGH'
  /** Risk category intermediate. */
  | 'INTERMEDIATE'
  /** Risk category intermediate 1. */
  | 'INTERMEDIATE_1'
  /** Risk category intermediate 2. */
  | 'INTERMEDIATE_2'
  /** Risk category low. */
  | 'LOW'
  /** Risk category moderate high. */
  | 'MODERATE_HIGH'
  /** Risk category moderate low. */
  | 'MODERATE_LOW'
  /** Risk category very high. */
  | 'VERY_HIGH'
  /** Risk category very low. */
  | 'VERY_LOW';

/** The treatment risk group: lower-risk MDS aims to improve blood counts, higher-risk MDS to change the disease's course. */
export type RiskGroup =
  /** Higher-risk MDS. */
  | 'HIGHER'
  /** Lower-risk MDS. */
  | 'LOWER';

/** A prognostic scoring system for MDS. */
export type RiskScheme =
  /** International Prognostic Scoring System (1997). */
  | 'IPSS'
  /** Molecular IPSS (2022): adds gene mutations. */
  | 'IPSS_M'
  /** Revised IPSS (2012). */
  | 'IPSS_R'
  /** IPSS-R adjusted for age. */
  | 'IPSS_RA';

/** One prognostic score for the patient, with the range the missing values leave open. */
export type RiskScore = {
  __typename?: 'RiskScore';
  /**
   * Null when missing inputs span more than one category.
   * @deprecated Use `riskCategory` (an enum).
   */
  category?: Maybe<Scalars['String']['output']>;
  /**
   * Best category the missing inputs allow.
   * @deprecated Use `riskCategoryBest` (an enum).
   */
  categoryBest?: Maybe<Scalars['String']['output']>;
  /**
   * Worst category the missing inputs allow.
   * @deprecated Use `riskCategoryWorst` (an enum).
   */
  categoryWorst?: Maybe<Scalars['String']['output']>;
  /** What each input adds. */
  components: Array<ScoreComponent>;
  /**
   * Inputs the score lacks, in the score's own names.
   * @deprecated Use `missingFields` (named by PatientInput field).
   */
  missing: Array<Scalars['String']['output']>;
  /** PatientInput fields that would settle the score (genes as `detail` of `mutations`). */
  missingFields: Array<PatientField>;
  /** Null when missing inputs span more than one category. */
  riskCategory?: Maybe<RiskCategory>;
  /** Best category the missing inputs allow. */
  riskCategoryBest?: Maybe<RiskCategory>;
  /** Worst category the missing inputs allow. */
  riskCategoryWorst?: Maybe<RiskCategory>;
  /**
   * lower | higher (treatment group), null when undetermined.
   * @deprecated Use `treatmentGroup` (an enum).
   */
  riskGroup?: Maybe<Scalars['String']['output']>;
  /**
   * IPSS | IPSS-R | IPSS-RA | IPSS-M
   * @deprecated Use `scoringSystem` (an enum: IPSS_R for IPSS-R).
   */
  scheme: Scalars['String']['output'];
  /** Null when missing inputs leave it undetermined. */
  score?: Maybe<Scalars['Float']['output']>;
  /** Highest (worst) score the missing inputs allow. */
  scoreMax?: Maybe<Scalars['Float']['output']>;
  /** Lowest (best) score the missing inputs allow. */
  scoreMin?: Maybe<Scalars['Float']['output']>;
  /** Which score this is. */
  scoringSystem: RiskScheme;
  /** Lower- or higher-risk treatment group; null when undetermined. */
  treatmentGroup?: Maybe<RiskGroup>;
};

/** One input of a score and what it contributes. */
export type ScoreComponent = {
  __typename?: 'ScoreComponent';
  /** The input as the score names it (IPSS-M: the reference implementation's names, e.g. HB1, TP53multi). */
  name: Scalars['String']['output'];
  /** The patient's value, typed; null when missing. */
  observed?: Maybe<TypedValue>;
  /** Points or contribution; null when the value is missing. */
  points?: Maybe<Scalars['Float']['output']>;
  /**
   * The patient's value (JSON), null when missing.
   * @deprecated Use `observed` (typed, no JSON parsing).
   */
  value?: Maybe<Scalars['String']['output']>;
};

/** A part of an answer (no id: it belongs to the answer it is in). */
export type Section = {
  __typename?: 'Section';
  /** Plain text with a small Markdown subset (docs/api.md): paragraphs separated by a blank line, list items starting with '- ' (or '1.'), **bold**, and citation markers `[n]` or `[n, m]`, where n is the 1-based position in the answer's `citations`. */
  body: Scalars['String']['output'];
  /** The section's heading. */
  title: Scalars['String']['output'];
};

/** Sex as recorded. */
export type Sex =
  /** Female. */
  | 'FEMALE'
  /** Male. */
  | 'MALE'
  /** Other. */
  | 'OTHER';

/** Every source in the graph, ordered by id, a page at a time (cursor connection). */
export type SourceConnection = {
  __typename?: 'SourceConnection';
  /** The sources of this page. */
  edges: Array<SourceEdge>;
  /** Cursors and whether more pages follow. */
  pageInfo: PageInfo;
  /** How many sources the graph has. */
  totalCount: Scalars['Int']['output'];
};

/** One source of the sources list. */
export type SourceEdge = {
  __typename?: 'SourceEdge';
  /** Pass as `after` to get the sources after this one. */
  cursor: Scalars['String']['output'];
  /** The source. */
  node: Citation;
};

/** One relationship of a path. */
export type Step = {
  __typename?: 'Step';
  /** Sources that state it. */
  citations: Array<Citation>;
  /** Id of the entity the step starts from. */
  fromId: Scalars['ID']['output'];
  /** On RECOMMENDED steps: the Recommendation node walked through. */
  recommendationId?: Maybe<Scalars['ID']['output']>;
  /** Id of the entity the step leads to. */
  toId: Scalars['ID']['output'];
  /** Relationship type. */
  type: Scalars['String']['output'];
};

/** How strongly the curated guideline logic backs a therapy, strongest first. */
export type Strength =
  /** May be considered. */
  | 'MAY_BE_CONSIDERED'
  /** Not established. */
  | 'NOT_ESTABLISHED'
  /** Not recommended. */
  | 'NOT_RECOMMENDED'
  /** An option. */
  | 'OPTION'
  /** Preferred. */
  | 'PREFERRED'
  /** Recommended. */
  | 'RECOMMENDED';

/** When in the course of treatment a recommendation applies. */
export type TherapyLine =
  /** After another treatment did not work or stopped working. */
  | 'AFTER_FAILURE'
  /** At any point. */
  | 'ANY'
  /** First treatment. */
  | 'FIRST_LINE'
  /** Supportive care. */
  | 'SUPPORTIVE';

/** How an earlier treatment went. */
export type TherapyResponse =
  /** It was not tolerated. */
  | 'INTOLERANT'
  /** It did not work. */
  | 'NO_RESPONSE'
  /** It worked, then stopped working. */
  | 'RELAPSE'
  /** It worked. */
  | 'RESPONSE';

/** The patient's ranked treatment plan from the curated guideline logic: one verdict per therapy. */
export type TreatmentPlan = {
  __typename?: 'TreatmentPlan';
  /** Values that would change the plan, and in which direction. */
  changes: Array<PlanChange>;
  /** Version of the curated guideline logic used. */
  guidanceVersion: Scalars['String']['output'];
  /** PatientInput fields that would settle the UNKNOWN options. */
  missing: Array<Scalars['String']['output']>;
  /** PatientInput fields that would settle the UNKNOWN options, labelled. */
  missingFields: Array<PatientField>;
  /** Other options, ranked. */
  options: Array<PlanOption>;
  /** The option(s) to discuss first: offered, at the strongest strength offered. */
  preferred: Array<PlanOption>;
  /** Every therapy in the server's order (the order clients must show). */
  ranking: Array<PlanOption>;
  /**
   * lower | higher, when determined.
   * @deprecated Use `treatmentGroup` (an enum).
   */
  riskGroup?: Maybe<Scalars['String']['output']>;
  /**
   * Which score the risk group comes from.
   * @deprecated Use `treatmentGroupBasis` (an enum).
   */
  riskGroupBasis?: Maybe<Scalars['String']['output']>;
  /** Ruled out for this patient, each with the criterion that rules it out. */
  ruledOut: Array<PlanOption>;
  /** The treatment risk group, when determined. */
  treatmentGroup?: Maybe<RiskGroup>;
  /** Which score the treatment group comes from. */
  treatmentGroupBasis?: Maybe<RiskScheme>;
  /** Cannot be judged yet: each names the missing values. */
  unknown: Array<PlanOption>;
  /** Values to check, in plain words. */
  warnings: Array<Scalars['String']['output']>;
};

/** One eligibility criterion of a trial, checked for the patient. */
export type TrialCriterionResult = {
  __typename?: 'TrialCriterionResult';
  /** The part of the trial (a cohort, a phase) the criterion is written for, as the record names it; null when it applies to every participant. A patient needs to fit the criteria of one part, not of all parts. */
  arm?: Maybe<Scalars['String']['output']>;
  /** REQUIRED (inclusion) or EXCLUDES (exclusion). */
  criterionRole: CriterionRole;
  /** The groups of alternatives this inclusion criterion stands in within the trial, each as a path: "any:120" (one member of the group is enough), "any:120/all:150" (all members of this part are needed, and the part is one alternative of any:120). Criteria with the same path are judged together. Null when the criterion is in no group (it must hold on its own); a criterion both required on its own and listed as an alternative has its groups here and is judged in each place. */
  groups?: Maybe<Array<Scalars['String']['output']>>;
  /** The PatientInput field that gives this value. */
  inputField: Scalars['String']['output'];
  /** With UNKNOWN: the value that is missing. */
  missing?: Maybe<Scalars['String']['output']>;
  /** Comparison operator (see CriterionInfo.operator). */
  operator: Scalars['String']['output'];
  /** The PatientInput field, with its label. */
  patientField: PatientField;
  /**
   * required (inclusion) | excludes (exclusion)
   * @deprecated Use `criterionRole` (an enum).
   */
  role: Scalars['String']['output'];
  /** Whether the patient meets it. */
  status: CriterionStatus;
  /** The criterion as read from the trial record, in plain words. */
  text: Scalars['String']['output'];
  /**
   * The criterion's value (JSON).
   * @deprecated Use `value` (typed, no JSON parsing).
   */
  threshold: Scalars['String']['output'];
  /** Unit of the value, when it has one. */
  unit?: Maybe<Scalars['String']['output']>;
  /** The criterion's value, typed. */
  value: TypedValue;
  /** The criterion variable (ontology/data/model.yaml). */
  variable: Scalars['String']['output'];
};

/** The loaded trials checked for the patient, in the service's order (possible matches first), a page at a time. */
export type TrialMatchConnection = {
  __typename?: 'TrialMatchConnection';
  /** The trials of this page. */
  edges: Array<TrialMatchEdge>;
  /** Cursors and whether more pages follow. */
  pageInfo: PageInfo;
  /** How many trials were checked (at most 500). */
  totalCount: Scalars['Int']['output'];
};

/** One trial checked for the patient. */
export type TrialMatchEdge = {
  __typename?: 'TrialMatchEdge';
  /** Pass as `after` to get the trials after this one. */
  cursor: Scalars['String']['output'];
  /** The trial and its checked criteria. */
  node: TrialMatchResult;
};

/** One loaded trial, its criteria checked for the patient (only the study team can confirm eligibility). */
export type TrialMatchResult = {
  __typename?: 'TrialMatchResult';
  /** Each criterion read from the record, checked. */
  criteria: Array<TrialCriterionResult>;
  /** PatientInput fields that would settle the unknown criteria. */
  missing: Array<Scalars['String']['output']>;
  /** The same fields, with their labels. */
  missingFields: Array<PatientField>;
  /** Short name of the trial. */
  name: Scalars['String']['output'];
  /** ClinicalTrials.gov id (NCT…). */
  nctId: Scalars['String']['output'];
  /** Phase as recorded (e.g. PHASE2). */
  phase?: Maybe<Scalars['String']['output']>;
  /** Why, in plain words. */
  reasons: Array<Scalars['String']['output']>;
  /** Recruitment status as recorded. */
  status?: Maybe<Scalars['String']['output']>;
  /** What the trial tests. */
  therapies: Array<Scalars['String']['output']>;
  /** Official title. */
  title?: Maybe<Scalars['String']['output']>;
  /** Eligibility lines of the record that no criterion could be read from, so they were not checked for the patient (lines about consent, contraception and study visits are left out). A POSSIBLE trial may still rule the patient out on one of these: the study team checks them. */
  uncheckedCriteria: Array<UncheckedCriterion>;
  /** The trial's ClinicalTrials.gov page. */
  url?: Maybe<Scalars['String']['output']>;
  /** POSSIBLE (every criterion read is met), UNKNOWN or NOT_ELIGIBLE. */
  verdict: Verdict;
};

/** A value with its type, instead of JSON in a string: read the field `kind` names. */
export type TypedValue = {
  __typename?: 'TypedValue';
  /** With FLAG. */
  flag?: Maybe<Scalars['Boolean']['output']>;
  /** With RANGE: the upper bound. */
  high?: Maybe<Scalars['Float']['output']>;
  /** Which field holds the value. */
  kind: ValueKind;
  /** With RANGE: the lower bound. */
  low?: Maybe<Scalars['Float']['output']>;
  /** With NUMBER. */
  number?: Maybe<Scalars['Float']['output']>;
  /** With LIST when every item is a number. */
  numbers?: Maybe<Array<Scalars['Float']['output']>>;
  /** With TEXT: a category id, a concept id or words. */
  text?: Maybe<Scalars['String']['output']>;
  /** With LIST: the items as text. */
  texts?: Maybe<Array<Scalars['String']['output']>>;
};

/** An eligibility line of the trial record that no criterion could be read from: not checked for the patient. */
export type UncheckedCriterion = {
  __typename?: 'UncheckedCriterion';
  /** REQUIRED (from the inclusion list) or EXCLUDES (from the exclusion list). */
  criterionRole: CriterionRole;
  /** The line as the record writes it (whitespace tidied). */
  text: Scalars['String']['output'];
};

/** Which field of a TypedValue holds the value. */
export type ValueKind =
  /** The value is in `flag` (true or false). */
  | 'FLAG'
  /** The value is in `texts` (and `numbers` when every item is a number). */
  | 'LIST'
  /** The value is in `number`. */
  | 'NUMBER'
  /** The value is in `low` and `high` (inclusive), e.g. a `between` criterion. */
  | 'RANGE'
  /** The value is in `text`. */
  | 'TEXT';

/** What one therapy is for one patient, best first (ontology/data/vocabulary.yaml). */
export type Verdict =
  /** Fits, and the features that make a response more likely are there. */
  | 'FAVOURED'
  /** Does not fit: a condition our sources set is not met. */
  | 'NOT_ELIGIBLE'
  /** Is ruled out: one of your findings is a reason not to use it. */
  | 'NOT_RECOMMENDED'
  /** Fits: every condition our sources set is met and nothing you gave rules it out. */
  | 'POSSIBLE'
  /** Fits, but none of the features that make a response more likely are there. */
  | 'POSSIBLE_LESS_LIKELY'
  /** Cannot be judged yet: a value it depends on is missing. */
  | 'UNKNOWN';

/** One term of a guidance vocabulary, with its words and order. */
export type VocabularyTerm = {
  __typename?: 'VocabularyTerm';
  /** The value as the API sends it. */
  id: Scalars['String']['output'];
  /** 0 = best / strongest; the order every client should use. */
  rank: Scalars['Int']['output'];
  /** Plain words for a patient. */
  words: Scalars['String']['output'];
};
