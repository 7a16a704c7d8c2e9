"""The Neo4j Browser style sheet (graph/browser/style.grass, generated from ontology/data/model.yaml): a colour of
its own for every node type, the Entity helper label never colouring a node, every relationship type captioned
with what the edge carries; and the curated recommendations' names written one way."""

from __future__ import annotations

import itertools
import math
import re

import yaml

from mdskg.settings import PROJECT_ROOT
from ontology import load_ontology
from ontology.model import grass_stylesheet

STYLE = PROJECT_ROOT / "graph" / "browser" / "style.grass"
MIN_DISTANCE = 20.0  # CIE76: about the smallest difference people tell apart at a glance on small circles


def lab(hex_colour: str) -> tuple[float, float, float]:
    """sRGB → CIE L*a*b* (D65)."""
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(v: float) -> float:
        return v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def distance(a: str, b: str) -> float:
    return math.dist(lab(a), lab(b))


def rules(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^(\S+) \{\n(.*?)\n\}", text, re.M | re.S)


def test_every_node_type_has_a_colour_far_from_every_other():
    colours = {name: spec.color for name, spec in load_ontology().node_types.items()}
    close = [(a, b, round(distance(colours[a], colours[b]), 1)) for a, b in itertools.combinations(colours, 2)
             if distance(colours[a], colours[b]) < MIN_DISTANCE]
    assert not close, close
    # the measure tells the old near-identical greens of Therapy (#27AE60) and Drug (#2ECC71) apart from these
    assert distance("#27AE60", "#2ECC71") < MIN_DISTANCE


def test_the_entity_rule_comes_before_every_node_type_so_it_never_wins():
    text = STYLE.read_text(encoding="utf-8")
    assert text == grass_stylesheet()
    selectors = [s for s, _ in rules(text)]
    assert selectors.count("node.Entity") == 1
    entity = selectors.index("node.Entity")
    for name in load_ontology().node_types:
        assert selectors.index(f"node.{name}") > entity, name  # Neo4j Browser applies rules in order


def test_facts_read_from_text_are_coloured_and_captioned_with_their_reading():
    text = STYLE.read_text(encoding="utf-8")
    body = dict(rules(text))
    raw = yaml.safe_load((PROJECT_ROOT / "ontology" / "data" / "model.yaml").read_text(encoding="utf-8"))
    for name, spec in raw["relationship_types"].items():
        block = body[f"relationship.{name}"]
        if spec.get("color"):  # the facts read from text: coloured, captioned with what they carry
            assert f"color: {spec['color']};" in block and 'caption: "{reading}";' in block
        else:
            assert 'caption: "<type>";' in block
    assert "color: #BE0032;" in body["relationship.NOT_ESTABLISHED_FOR"]  # a negative statement is red
    assert all(block.count("{") == block.count("}") for block in body.values())


def test_curated_recommendation_names_use_one_separator():
    names = []
    for path in sorted((PROJECT_ROOT / "ontology" / "data" / "recommendations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        names += [r["name"] for r in data.get("recommendations", [])]
    assert len(names) > 30
    assert not [n for n in names if " - " in n]
    assert all(" — " in n for n in names)
