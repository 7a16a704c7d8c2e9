"""Readers on the real shared files, and every way a bad input is reported and skipped."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from etl.readers import (
    Skipped,
    UnreadableDocument,
    criteria_items,
    detect_format,
    read_ctgov_json,
    read_ctgov_xml,
    read_documents,
    read_pubmed,
    read_text_document,
    split_eligibility,
)
from etl.readers.eligibility import eligibility_parts
from etl.readers.text import strip_link_urls
from mdskg.records import Document, SourceType
from tests.fakes import SHARED_DATA
from tests.fakes.fake_eutils import NCBI_DISEASE_TEST, efetch_xml, ncbi_disease_articles, pdq_reference_articles
from tests.shared_data import requires_shared

CTGOV = SHARED_DATA / "ctgov"
MDS_005 = CTGOV / "legacy_xml" / "NCT01029262.xml"
CORD_BLOOD_HCT = CTGOV / "legacy_xml" / "NCT01339988.xml"
DUPILUMAB_JSON = CTGOV / "api_v2_json_format_examples" / "NCT02210780.json"
DEVICE_JSON = CTGOV / "api_v2_json_format_examples" / "NCT04207047.json"
PDQ = SHARED_DATA / "literature" / "pdq"
PDQ_MDS_HP = PDQ / "types-myeloproliferative-hp-myelodysplastic-treatment-pdq.md"
PDQ_MDS_PATIENT = PDQ / "types-myeloproliferative-patient-myelodysplastic-treatment-pdq.md"
NCI_DRUG_LIST = PDQ / "about-cancer-treatment-drugs-myeloproliferative-neoplasms.md"
# Each test that reads one of these skips, naming it, when ../shared is not there.
needs_mds005 = requires_shared(MDS_005)
needs_ncbi = requires_shared(NCBI_DISEASE_TEST)


def only(documents) -> Document:
    documents = list(documents)
    assert len(documents) == 1
    return documents[0]


def section_text(doc: Document, kind: str) -> str:
    spans = [doc.text[s.start : s.end] for s in doc.sections if s.kind == kind]
    assert len(spans) == 1, f"expected one {kind} section, got {len(spans)}"
    return spans[0]


def assert_sections_consistent(doc: Document) -> None:
    previous_end = 0
    for section in doc.sections:
        assert previous_end <= section.start <= section.end <= len(doc.text), section
        previous_end = section.end


# ---- ClinicalTrials.gov legacy XML ----------------------------------------------------------


@needs_mds005
def test_mds005_trial_keeps_inclusion_and_exclusion_apart():
    doc = only(read_ctgov_xml(MDS_005))
    assert doc.id == "clinicaltrials:NCT01029262"
    assert doc.source_type is SourceType.TRIAL
    assert doc.title.startswith("A Study of Lenalidomide Versus Placebo")
    inclusion, exclusion = section_text(doc, "inclusion"), section_text(doc, "exclusion")
    assert "Anemia that requires red blood cell transfusions" in inclusion
    assert "low or intermediate-1 risk" in inclusion  # the IPSS risk groups, by name
    assert "thalidomide" not in inclusion
    assert "Allergic reaction to thalidomide" in exclusion
    assert "Platelets < 50,000/uL" in exclusion  # &lt; decoded
    assert "transfusion" not in exclusion
    # The criteria name the IPSS groups; the acronym itself is in the official title.
    assert "IPSS Low Or Imtermidate-1 Risk" in doc.metadata["official_title"]
    assert "IPSS" in doc.text
    assert_sections_consistent(doc)


@needs_mds005
def test_mds005_metadata_has_ages_sex_and_design():
    meta = only(read_ctgov_xml(MDS_005)).metadata
    assert (meta["min_age"], meta["min_age_years"]) == ("18 Years", 18.0)
    assert meta["max_age"] is None and meta["max_age_years"] is None  # "N/A" in the file
    assert meta["sex"] == "ALL"
    assert meta["phases"] == ["PHASE3"]
    assert meta["overall_status"] == "ACTIVE_NOT_RECRUITING"
    assert meta["enrollment"] == 239
    assert meta["conditions"] == ["Anemia"]
    assert "Myelodysplastic Syndromes" in meta["condition_mesh_terms"]
    assert [i["name"] for i in meta["interventions"]] == ["Lenalidomide", "Placebo"]
    assert meta["interventions"][0]["other_names"] == ["Revlimid", "CC-5013"]
    assert meta["acronym"] == "MDS-005"
    json.dumps(meta)  # metadata must stay serialisable


@needs_mds005
def test_legacy_textblock_wrapping_is_undone_and_items_counted():
    doc = only(read_ctgov_xml(MDS_005))
    assert "Myelodysplastic (MDS) with any chromosome karyotype except del 5q[31]" in doc.text
    inclusion = criteria_items(section_text(doc, "inclusion"))
    exclusion = criteria_items(section_text(doc, "exclusion"))
    assert len(inclusion) == 9 and len(exclusion) == 14
    assert inclusion[0] == "18 years or older"
    assert exclusion[-1].startswith("Known Human Immunodeficiency Virus (HIV) infection")


@requires_shared(CORD_BLOOD_HCT)
def test_cord_blood_trial_lab_thresholds_and_sex():
    doc = only(read_ctgov_xml(CORD_BLOOD_HCT))
    assert doc.id == "clinicaltrials:NCT01339988"
    assert "Myelodysplastic Syndrome" in doc.metadata["conditions"]
    assert doc.metadata["sex"] == "MALE"  # as the record says
    assert doc.metadata["max_age_years"] == 21.0 and doc.metadata["min_age"] is None
    assert "Pulmonary function tests: DLCO ≥ 50%" in section_text(doc, "inclusion")
    assert "HIV seropositive patients" in section_text(doc, "exclusion")
    assert len(criteria_items(section_text(doc, "inclusion"))) == 9
    assert len(criteria_items(section_text(doc, "exclusion"))) == 4


# ---- ClinicalTrials.gov API v2 JSON ---------------------------------------------------------


@requires_shared(DUPILUMAB_JSON)
def test_api_v2_study_with_key_criteria_headings_and_markdown_escapes():
    doc = only(read_ctgov_json(DUPILUMAB_JSON))
    assert doc.id == "clinicaltrials:NCT02210780"
    titles = {s.kind: s.title for s in doc.sections}
    assert titles["inclusion"] == "Key Inclusion Criteria"
    assert titles["exclusion"] == "Key Exclusion Criteria"
    assert "[Eichenfeld 2004]" in section_text(doc, "inclusion")
    assert "needing >10 mg of daily prednisone" in section_text(doc, "exclusion")
    assert "\\[" not in doc.text and "\\>" not in doc.text
    meta = doc.metadata
    assert (meta["min_age_years"], meta["max_age_years"], meta["sex"]) == (18.0, 64.0, "ALL")
    assert meta["phases"] == ["PHASE2"] and meta["std_ages"] == ["ADULT"]
    assert "Dupilumab" in [i["name"] for i in meta["interventions"]]
    assert_sections_consistent(doc)


@requires_shared(DEVICE_JSON)
def test_api_v2_nested_numbered_criteria_become_items():
    doc = only(read_ctgov_json(DEVICE_JSON))
    inclusion = criteria_items(section_text(doc, "inclusion"))
    assert "Postmenopausal for at least 12 months prior to study;" in inclusion
    exclusion = criteria_items(section_text(doc, "exclusion"))
    assert all(item.strip() not in ("", "-") for item in exclusion)  # the record ends with a bare "-"
    assert exclusion[-1].startswith("Psychiatric drugs")
    assert doc.metadata["max_age"] is None and doc.metadata["healthy_volunteers"] is True


@requires_shared(DUPILUMAB_JSON, DEVICE_JSON)
def test_api_v2_page_and_list_files_yield_every_study(tmp_path):
    studies = [json.loads(p.read_text()) for p in (DUPILUMAB_JSON, DEVICE_JSON)]
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"studies": studies, "nextPageToken": "next"}))
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps(studies))
    for path in (page, listing):
        assert [d.id for d in read_ctgov_json(path)] == ["clinicaltrials:NCT02210780", "clinicaltrials:NCT04207047"]


# ---- eligibility splitting ------------------------------------------------------------------

HEADING_SPELLINGS = [
    ("Inclusion Criteria:", "Exclusion Criteria:"),
    ("INCLUSION CRITERIA", "EXCLUSION CRITERIA"),
    ("Key Inclusion Criteria:", "Key Exclusion Criteria:"),
    ("**Inclusion criteria:**", "**Exclusion criteria:**"),
    ("## Inclusion Criteria", "## Exclusion Criteria"),
    ("Inclusion criteria -", "Exclusion criteria -"),
    ("Criteria for inclusion:", "Criteria for exclusion:"),
    ("Inclusion:", "Exclusion:"),
    ("Inclusion Criteria for recipients:", "Exclusion Criteria (all arms):"),
]


@pytest.mark.parametrize(("inclusion_heading", "exclusion_heading"), HEADING_SPELLINGS)
def test_split_eligibility_recognises_heading_spellings(inclusion_heading, exclusion_heading):
    # Placeholder items: this checks the layout parser, not any trial's content.
    text = f"{inclusion_heading}\n\n- inclusion item A\n- inclusion item B\n\n{exclusion_heading}\n\n* exclusion item C\n"
    inclusion, exclusion = split_eligibility(text)
    assert inclusion == "- inclusion item A\n- inclusion item B"
    assert exclusion == "* exclusion item C"
    assert criteria_items(text) == ["inclusion item A", "inclusion item B", "exclusion item C"]


def test_split_eligibility_without_headings_is_one_eligibility_part():
    text = "  - item A\n  - item B\n"
    assert split_eligibility(text) == ("- item A\n  - item B", "")
    assert [p.kind for p in eligibility_parts(text)] == ["eligibility"]


def test_sentences_that_mention_inclusion_are_not_headings():
    text = "Inclusion of participants of any sex.\nExclusion criteria include item C, described below.\n"
    assert [p.kind for p in eligibility_parts(text)] == ["eligibility"]


def test_heading_with_inline_item_and_wrapped_items_keep_offsets():
    text = "Exclusion criteria: item C\n\n-  item D starts here\n   and wraps onto a second line\n-  item E\n"
    items = criteria_items(text)
    assert items == ["item C", "item D starts here\n   and wraps onto a second line", "item E"]
    for item in items:
        assert text[item.start : item.end] == item
    assert split_eligibility(text)[1].startswith("item C")


# ---- Markdown / text ------------------------------------------------------------------------


@requires_shared(PDQ_MDS_HP)
def test_pdq_mds_summary_sections_links_and_references():
    doc = only(read_text_document(PDQ_MDS_HP))
    assert doc.id == "MDSKG:doc/types-myeloproliferative-hp-myelodysplastic-treatment-pdq"
    assert doc.title == "Myelodysplastic Syndromes Treatment (PDQ®) - NCI"
    assert doc.source_type is SourceType.GUIDELINE
    assert doc.metadata["url"] == "https://www.cancer.gov/types/myeloproliferative/hp/myelodysplastic-treatment-pdq"
    assert doc.metadata["lastReviewed"] == "2025-12-30"
    titles = [s.title for s in doc.sections]
    for expected in ("IPSS-R", "Supportive Care", "Lenalidomide", "DNA methyltransferase inhibitors"):
        assert expected in titles
    for section in doc.sections:
        assert doc.text[section.start : section.end].lstrip("#").strip().startswith(section.title)
    lenalidomide = next(s for s in doc.sections if s.title == "Lenalidomide")
    assert "lenalidomide" in doc.text[lenalidomide.start : lenalidomide.end].lower()
    assert sum(s.kind == "references" for s in doc.sections) >= 3
    assert "](" not in doc.text and "list_uids" not in doc.text  # link targets are gone
    assert "[1]" in doc.text  # citation markers keep their number
    assert "17345612" in doc.metadata["reference_pmids"] and len(doc.metadata["reference_pmids"]) == 48
    assert_sections_consistent(doc)


@requires_shared(PDQ_MDS_PATIENT, NCI_DRUG_LIST)
def test_pdq_patient_version_is_guidance_and_drug_list_is_text():
    assert only(read_text_document(PDQ_MDS_PATIENT)).source_type is SourceType.GUIDELINE
    drug_list = only(read_text_document(NCI_DRUG_LIST))
    assert drug_list.source_type is SourceType.TEXT
    assert drug_list.title == "Drugs Approved for Myeloproliferative Neoplasms or Myelodysplastic Syndromes - NCI"


def test_strip_link_urls_keeps_labels_and_collects_pmids():
    text, pmids = strip_link_urls(
        'See [a page](https://example.org/x "title").[[2](#cit/section_1.2)] '
        "[[PUBMED Abstract]](http://www.ncbi.nlm.nih.gov/entrez/query.fcgi?list_uids=17345612&dopt=Abstract) "
        "![alt text](https://example.org/i.jpg)end"
    )
    assert text == "See a page.[2] [PUBMED Abstract] end"
    assert pmids == ["17345612"]


def test_front_matter_id_type_and_dates(tmp_path):
    path = tmp_path / "Local Notes.md"
    path.write_text("---\nid: MDSKG:doc/local-notes\ntype: guideline\ndate: 2024-05-01\n---\n# Heading\n\nBody.\n")
    doc = only(read_text_document(path))
    assert doc.id == "MDSKG:doc/local-notes"
    assert doc.source_type is SourceType.GUIDELINE
    assert doc.metadata["date"] == "2024-05-01"
    assert doc.title == "Heading" and doc.text.startswith("# Heading")


def test_markdown_without_front_matter_and_plain_text(tmp_path):
    markdown = tmp_path / "My Notes v2.md"
    markdown.write_text("Intro line.\n\n## Part one\n\nText.\n\n```\n# not a heading\n```\n")
    doc = only(read_text_document(markdown))
    assert doc.id == "MDSKG:doc/my-notes-v2" and doc.source_type is SourceType.TEXT
    assert [s.title for s in doc.sections] == ["", "Part one"]
    plain = tmp_path / "notes.txt"
    plain.write_text("First line is the title\nsecond line [kept](as-is)\n")
    doc = only(read_text_document(plain))
    assert doc.title == "First line is the title" and doc.sections == ()
    assert "[kept](as-is)" in doc.text  # plain text is not Markdown: nothing stripped


def test_malformed_front_matter_is_unreadable(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\nBody\n")
    with pytest.raises(UnreadableDocument, match="malformed YAML front matter"):
        list(read_text_document(path))


# ---- PubMed XML -----------------------------------------------------------------------------


@needs_ncbi
def test_pubmed_efetch_file_of_the_ncbi_disease_corpus(tmp_path):
    articles = ncbi_disease_articles()
    path = tmp_path / "efetch.xml"
    path.write_bytes(efetch_xml(articles))
    documents = list(read_pubmed(path))
    assert len(documents) == len(articles) == 100
    first, source = documents[0], articles[0]
    assert first.id == f"PMID:{source.pmid}" and first.source_type is SourceType.PUBMED
    assert first.title == source.title
    assert first.text == f"{source.title}\n\n{source.abstract}"
    assert [(s.title, s.kind) for s in first.sections] == [("Title", "title"), ("Abstract", "abstract")]
    assert first.metadata["url"] == f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"
    for doc in documents:
        assert_sections_consistent(doc)


@requires_shared(PDQ_MDS_HP)
def test_pubmed_citation_metadata_from_pdq_references(tmp_path):
    path = tmp_path / "refs.xml"
    path.write_bytes(efetch_xml(pdq_reference_articles()))
    doc = next(d for d in read_pubmed(path) if d.id == "PMID:17345612")
    assert doc.title == "Myelodysplastic syndromes: incidence and survival in the United States."
    meta = doc.metadata
    assert (meta["journal"], meta["volume"], meta["issue"], meta["pages"], meta["year"]) == (
        "Cancer", "109", "8", "1536-42", 2007)
    assert meta["authors"] == ["Ma X", "Does M", "Raza A"]
    assert [s.title for s in doc.sections] == ["Title"]  # no abstract in this source


@needs_ncbi
def test_single_pubmed_article_file(tmp_path):
    path = tmp_path / "one.xml"
    article = ncbi_disease_articles()[1]
    element = ET.fromstring(efetch_xml([article])).find("PubmedArticle")
    path.write_bytes(ET.tostring(element))
    assert detect_format(path) == "pubmed_xml"
    assert only(read_pubmed(path)).id == f"PMID:{article.pmid}"


STRUCTURED_ARTICLE = b"""<?xml version="1.0"?>
<PubmedArticleSet><PubmedArticle>
  <MedlineCitation><PMID Version="1">1</PMID>
    <Article>
      <Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue>
        <Title>Placeholder Journal</Title></Journal>
      <ArticleTitle>Placeholder <i>title</i></ArticleTitle>
      <ELocationID EIdType="doi" ValidYN="Y">10.0000/placeholder</ELocationID>
      <Abstract>
        <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">First part.</AbstractText>
        <AbstractText Label="RESULTS" NlmCategory="RESULTS">Second part with x<sup>2</sup>.</AbstractText>
      </Abstract>
      <AuthorList><Author><CollectiveName>Placeholder Group</CollectiveName></Author></AuthorList>
      <PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>
    </Article>
    <MeshHeadingList><MeshHeading><DescriptorName UI="D009190">Myelodysplastic Syndromes</DescriptorName></MeshHeading></MeshHeadingList>
  </MedlineCitation>
  <PubmedData><ReferenceList><Reference><ArticleIdList><ArticleId IdType="doi">10.0000/other</ArticleId>
  </ArticleIdList></Reference></ReferenceList></PubmedData>
</PubmedArticle></PubmedArticleSet>"""


def test_structured_abstract_labels_become_sections(tmp_path):
    # A synthetic record with placeholder values: it exercises the efetch elements that the
    # shared corpora do not carry (labels, DOI, MeSH, publication types, MedlineDate).
    path = tmp_path / "structured.xml"
    path.write_bytes(STRUCTURED_ARTICLE)
    doc = only(read_pubmed(path))
    assert doc.title == "Placeholder title"
    assert [(s.title, doc.text[s.start : s.end]) for s in doc.sections[1:]] == [
        ("BACKGROUND", "First part."), ("RESULTS", "Second part with x2.")]
    meta = doc.metadata
    assert meta["doi"] == "10.0000/placeholder"  # not the cited reference's DOI
    assert meta["year"] == 1998 and meta["journal"] == "Placeholder Journal"
    assert meta["mesh_terms"] == ["Myelodysplastic Syndromes"] and meta["mesh_ids"] == ["D009190"]
    assert meta["publication_types"] == ["Journal Article"]
    assert meta["authors"] == ["Placeholder Group"]


@needs_ncbi
def test_pubmed_reader_streams_articles_before_a_later_parse_error(tmp_path):
    whole = efetch_xml(ncbi_disease_articles()[:3]).decode()
    cut = whole.index("<PubmedArticle>", whole.index("</PubmedArticle>", whole.index("</PubmedArticle>") + 1))
    path = tmp_path / "truncated.xml"
    path.write_text(whole[: cut + 40])
    reader = read_pubmed(path)
    assert next(reader).id.startswith("PMID:")  # handed over before the broken tail is reached
    assert next(reader).id.startswith("PMID:")
    with pytest.raises(ET.ParseError):
        next(reader)
    results = list(read_documents(path))
    assert [type(r) for r in results] == [Document, Document, Skipped]
    assert "malformed XML" in results[-1].reason and "after 2 documents" in results[-1].reason


def test_efetch_error_document_is_unreadable(tmp_path):
    path = tmp_path / "error.xml"
    path.write_text("<eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>")
    with pytest.raises(UnreadableDocument, match="efetch returned an error"):
        list(read_pubmed(path))


# ---- format detection and robust reading ----------------------------------------------------


@requires_shared(MDS_005, DUPILUMAB_JSON, PDQ_MDS_HP, NCBI_DISEASE_TEST)
def test_detect_format_by_content(tmp_path):
    assert detect_format(MDS_005) == "ctgov_xml"
    assert detect_format(DUPILUMAB_JSON) == "ctgov_json"
    assert detect_format(PDQ_MDS_HP) == "markdown"
    renamed_json = tmp_path / "study.txt"
    renamed_json.write_bytes(DUPILUMAB_JSON.read_bytes())
    assert detect_format(renamed_json) == "ctgov_json"  # content wins over the extension
    pubmed = tmp_path / "batch.dat"
    pubmed.write_bytes(efetch_xml(ncbi_disease_articles()[:1]))
    assert detect_format(pubmed) == "pubmed_xml"
    plain = tmp_path / "note.txt"
    plain.write_text("Just a line of text.\n")
    assert detect_format(plain) == "text"
    headed = tmp_path / "note2.txt"
    headed.write_text("# A heading\n\ntext\n")
    assert detect_format(headed) == "markdown"


BAD_FILES = {
    "empty.xml": (b"", "empty file"),
    "blank.md": (b"  \n\n", "empty file"),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    "latin1.txt": ("Caf\u00e9 au lait".encode("latin-1"), "non-UTF-8"),
    "other.xml": (b'<?xml version="1.0"?><rss><channel/></rss>', "root element <rss>"),
    "other.json": (b'{"hello": "world"}', "unknown format"),
    "table.csv": (b"a,b\n1,2\n", "unknown format"),
    "broken_pubmed.xml": (b"<PubmedArticleSet><PubmedArticle><MedlineCitation>", "malformed XML"),
    "broken_trial.xml": (b"<clinical_study><id_info><nct_id>NCT0</nct_id></clinical_study>", "malformed XML"),
    "broken_study.json": (b'{"protocolSection": {"identificationModule": {"nctId": "NCT0"', "malformed JSON"),
    "not_xml.xml": (b"<<<< not xml", "malformed XML"),
}


@needs_mds005
@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_reported_and_skipped_while_good_file_loads(tmp_path, name):
    content, expected_reason = BAD_FILES[name]
    (tmp_path / name).write_bytes(content)
    good = tmp_path / "good" / "NCT01029262.xml"
    good.parent.mkdir()
    good.write_bytes(MDS_005.read_bytes())
    results = list(read_documents(tmp_path))
    skipped = [r for r in results if isinstance(r, Skipped)]
    assert [s.path for s in skipped] == [str(tmp_path / name)]
    assert expected_reason in skipped[0].reason
    assert [r.id for r in results if isinstance(r, Document)] == ["clinicaltrials:NCT01029262"]


def test_malformed_json_reason_carries_the_parser_position(tmp_path):
    (tmp_path / "broken.json").write_bytes(BAD_FILES["broken_study.json"][0])
    (skipped,) = read_documents(tmp_path)
    assert "line 1 column" in skipped.reason


@needs_mds005
def test_strict_mode_raises_on_the_first_problem(tmp_path):
    (tmp_path / "a_good.xml").write_bytes(MDS_005.read_bytes())
    (tmp_path / "b_empty.md").write_bytes(b"")
    (tmp_path / "c_binary.txt").write_bytes(b"\x00\x01")
    results = read_documents(tmp_path, strict=True)
    assert next(results).id == "clinicaltrials:NCT01029262"
    with pytest.raises(UnreadableDocument) as raised:
        next(results)
    assert raised.value.path == str(tmp_path / "b_empty.md") and raised.value.reason == "empty file"


def test_missing_path_is_skipped_or_raises_in_strict_mode(tmp_path):
    missing = tmp_path / "nope.xml"
    assert list(read_documents(missing)) == [Skipped(str(missing), "no such file or folder")]
    with pytest.raises(UnreadableDocument):
        list(read_documents([missing], strict=True))


@requires_shared(MDS_005, CORD_BLOOD_HCT)
def test_folders_are_walked_sorted_skipping_hidden_and_provenance_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "NCT01339988.xml").write_bytes(CORD_BLOOD_HCT.read_bytes())
    (tmp_path / "a.xml").write_bytes(MDS_005.read_bytes())
    (tmp_path / ".hidden.xml").write_bytes(b"\x00")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.xml").write_bytes(b"\x00")
    (tmp_path / "SOURCE.md").write_text("# Where these came from\n")
    results = list(read_documents(tmp_path, strict=True))  # provenance is not a problem
    assert [getattr(r, "id", None) for r in results] == [  # plain name order: "SOURCE" < "a" < "b"
        None, "clinicaltrials:NCT01029262", "clinicaltrials:NCT01339988"]
    assert "provenance" in results[0].reason


@requires_shared(CTGOV, PDQ)
def test_all_shared_trials_and_pdq_summaries_read_cleanly():
    results = list(read_documents([CTGOV, PDQ], strict=True))
    documents = [r for r in results if isinstance(r, Document)]
    assert len(documents) == 4 + 9
    assert all(r.reason.startswith("provenance") for r in results if isinstance(r, Skipped))
    for doc in documents:
        assert_sections_consistent(doc)
        json.dumps(doc.metadata)
