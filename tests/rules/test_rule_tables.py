"""Every pattern-table entry (one :class:`~cleaners.rules.Entry` type for all tables)
matches its ``matches`` examples and leaves its ``leaves_alone`` examples alone, through the
entry and through the stage's own lookup."""

from __future__ import annotations

import pytest
import regex

from cleaners import RULES
from cleaners.stages.boilerplate import find_licence_items, match_line_entry
from cleaners.rules import Entry, alt
from cleaners.rules import boilerplate as bp
from cleaners.rules import decode as dc
from cleaners.rules import extract as ex
from cleaners.rules import metadata as md
from cleaners.rules import ocr as oc
from cleaners.rules import punctuation as pu

TABLES: dict[str, tuple[Entry, ...]] = {
    "boilerplate.LICENCE_TABLE": bp.LICENCE_TABLE,
    "boilerplate.LINE_TABLE": bp.LINE_TABLE,
    "boilerplate.TAIL_TABLE": bp.TAIL_TABLE,
    "metadata.DATELINE_TABLE": md.DATELINE_TABLE,
    "metadata.EDITOR_TABLE": md.EDITOR_TABLE,
    "metadata.BYLINE_TABLE": md.BYLINE_TABLE,
    "metadata.CREDIT_TABLE": md.CREDIT_TABLE,
    "metadata.SOURCE_TABLE": md.SOURCE_TABLE,
}

#: Tables whose rows are triggers, cues or signatures (not registered rule rows).
OTHER_TABLES: dict[str, tuple[Entry, ...]] = {
    "decode.DECODE_PATTERNS": dc.DECODE_PATTERNS,
    "ocr.PATTERNS": tuple(oc.PATTERNS.values()),
    "punctuation.PUNCTUATION_PATTERNS": pu.PUNCTUATION_PATTERNS,
    "extract.CUE_TABLE": ex.CUE_TABLE,
    "metadata.SITE_SIGNATURES": md.SITE_SIGNATURES,
}

ENTRIES = [(name, e) for name, t in TABLES.items() for e in t]
ALL_ENTRIES = ENTRIES + [(name, e) for name, t in OTHER_TABLES.items() for e in t]
MATCHES = [(e, x) for _n, e in ALL_ENTRIES for x in e.matches]
LEAVES = [(e, x) for _n, e in ALL_ENTRIES for x in e.leaves_alone]


def _id(case: tuple[Entry, str]) -> str:
    entry, example = case
    return f"{entry.id}|{example[:40]}"


@pytest.mark.parametrize("case", MATCHES, ids=[_id(c) for c in MATCHES])
def test_entry_matches_its_examples(case):
    entry, example = case
    assert isinstance(entry, Entry) and entry.description
    assert entry.hit(example) is not None, f"{entry.id} ({entry.source}) misses {example!r}"


@pytest.mark.parametrize("case", LEAVES, ids=[_id(c) for c in LEAVES])
def test_entry_leaves_its_look_alikes_alone(case):
    entry, example = case
    assert entry.hit(example) is None, f"{entry.id} ({entry.source}) takes {example!r}"


LINE_MATCHES = [(e, x) for e in bp.LINE_TABLE for x in e.matches]
LINE_LEAVES = [(e, x) for e in bp.LINE_TABLE for x in e.leaves_alone]


@pytest.mark.parametrize("case", LINE_MATCHES, ids=[_id(c) for c in LINE_MATCHES])
def test_stage_lookup_finds_the_entry(case):
    """The stage's prefilter index must not hide a match the entry's regex makes."""
    entry, example = case
    found = match_line_entry(example.strip(), "footer")
    assert found is not None and found.id == entry.id, (entry.id, example, found and found.id)


@pytest.mark.parametrize("case", LINE_LEAVES, ids=[_id(c) for c in LINE_LEAVES])
def test_stage_lookup_leaves_look_alikes(case):
    entry, example = case
    found = match_line_entry(example.strip(), "footer")
    assert found is None or found.id != entry.id


@pytest.mark.parametrize(
    "case",
    [(e, x) for e in bp.LICENCE_TABLE for x in e.matches],
    ids=[_id((e, x)) for e in bp.LICENCE_TABLE for x in e.matches],
)
def test_licence_items_are_found_by_the_stage(case):
    entry, example = case
    assert entry.id in {it[2].id for it in find_licence_items(example)}


def test_site_signatures_name_their_site():
    for sig in md.SITE_SIGNATURES:
        assert sig.site and sig.needles, sig.id


@pytest.mark.parametrize("name", list(TABLES) + list(OTHER_TABLES))
def test_tables_are_immutable(name):
    t = {**TABLES, **OTHER_TABLES}[name]
    assert isinstance(t, tuple)
    with pytest.raises(AttributeError):
        t[0].id = "x"  # type: ignore[misc]


@pytest.mark.parametrize("name,entry", ENTRIES, ids=[e.id + "@" + n for n, e in ENTRIES])
def test_entry_is_registered_verbose_and_prefiltered(name, entry):
    rule = RULES[entry.id]
    assert rule.stage == entry.id.split(".")[0] == name.split(".")[0]
    assert rule.fn is None and rule.description
    assert entry.regex.flags & regex.VERBOSE
    if entry in bp.LINE_TABLE:
        assert entry.starts or entry.ends or entry.contains, "line entries need a prefilter"


def test_alt_refuses_empty_alternations():
    with pytest.raises(ValueError):
        alt()
    with pytest.raises(ValueError):
        alt("Related news", "")
    assert regex.fullmatch(alt("Top news", "More") + "+", "MoreTop news")


def test_entry_refuses_missing_examples():
    with pytest.raises(ValueError):
        Entry(
            id="boilerplate.drop_nothing",
            regex=regex.compile("x"),
            description="d",
            category="c",
            matches=("x",),
            leaves_alone=(),
            source="none",
        )


def test_rule_ids_are_unique_per_table():
    for name, t in TABLES.items():
        if name == "boilerplate.TAIL_TABLE":
            continue
        ids = [e.id for e in t]
        assert len(ids) == len(set(ids)), name
