"""The speed shortcuts never change a result: each cheap prefilter is a necessary condition
of its regex (it never skips a line the regex would take), and each batched call finds what
the per-line calls find."""

from __future__ import annotations

import itertools

import pytest

from cleaners.stages import chrome as bp
from cleaners.stages.boilerplate import classify
from cleaners.stages.boilerplate.classify import features as cl, markers
from cleaners.stages import decode, user as userrules
from cleaners.stages.metadata import fields as metadata
from cleaners.core.lines import is_long_paragraph
from cleaners.rules import metadata as md
from cleaners.core.safety import Limits, RegexTimeout, safe_compile, using


def strings(alphabet: str, longest: int) -> list[str]:
    return ["".join(t) for n in range(1, longest + 1) for t in itertools.product(alphabet, repeat=n)]


def assert_necessary(prefilter, regex_test, candidates) -> None:
    missed = [s for s in candidates if regex_test(s) and not prefilter(s)]
    assert not missed, missed[:10]


def test_list_item_prefilter_never_skips_a_list_marker():
    cands = strings("-•(1a9iv.) xB", 5) + ["12) Twelve", "(iv) fourth", "✔ done", "▪ item"]
    assert_necessary(cl.could_be_list_item, lambda s: cl._LIST_MARKER_RE.match(s) is not None, cands)


def test_code_prefilter_never_skips_code():
    cands = strings("{(=<>[ :$#-a", 4) + [f"{w} x" for w in cl._CODE_WORDS] + ["import os", "a->b", "x::y"]
    cands += ["Home", "Definitely", "classic", "Import duties"]
    assert_necessary(cl.could_be_code, lambda s: cl._CODE_RE.search(s) is not None, cands)


def test_digit_or_day_prefilter_never_skips_a_digit_or_a_day():
    cands = strings("1aT ٣", 4) + ["Posted ToDaY", "YESTERDAY", "today", "²", "١٢", "Home"]
    assert_necessary(cl.could_have_digit_or_day, lambda s: cl._DIGIT_OR_DAY_RE.search(s) is not None, cands)


def test_credit_gate_prefilter_never_skips_a_credit():
    words = ["Photo: AP", "FOTO dpa", "Bild: x", "IMAGE by", "Credit: y", "Illustration z",
             "Grafik", "[a]", "(b)", "© c", "a/b", "新华社记者摄", "新华社", "Home", "The end."]
    assert_necessary(metadata.could_pass_credit_gate,
                     lambda s: metadata._CREDIT_GATE_RE.search(s) is not None,
                     words + strings("/[(pP©a 摄", 3))


def test_is_long_paragraph_ascii_shortcut():
    from cleaners.core.lines import LONG_PARAGRAPH_CHARS_DEFAULT as limit
    from cleaners.core.lines import _CJK_RE, ends_sentence

    def reference(line: str) -> bool:  # without the ASCII shortcut
        n = len(line)
        if n < limit // 3:
            return False
        if n < limit:
            n += 2 * len(_CJK_RE.findall(line))
            if n < limit:
                return False
        return ends_sentence(line)

    for line in ["x " * 40 + "end.", "x" * (limit - 1) + ".", "x" * limit + ".", "中文" * 40 + "。",
                 "中" * (limit // 3) + "。", "x " * 80 + "end", "é" * limit + "."]:
        assert is_long_paragraph(line) == reference(line), line


LINES = [
    "Don't stop", "", "2 QQSEP x", "Ça va l’été", "rock'n'roll 42x", "QQSEP Q", "K Kelvin",
    "数字 12 中文", "x" * 400, "İstanbul’da", "a’b'c", "  spaced  out  ", "ΟΔΟΣ",
]


def test_sample_tokens_equal_per_line_findall():
    want = [cl._WORD_RE.findall(s[: cl.SAMPLE_CHARS_DEFAULT].lower()) for s in LINES]
    assert cl.sample_tokens(LINES) == want
    for k in range(len(LINES)):
        assert cl.sample_tokens(LINES[k:k + 1]) == want[k:k + 1]
    assert cl.sample_tokens([]) == []


def test_features_with_a_shared_memo_equal_fresh_ones():
    page = ["Home", "News", "The council voted on Tuesday to close the bridge, the mayor said.",
            "Home", "Posted today at 9:14 am", "Ça va l’été"]
    memo: dict = {}
    cl.compute_features(page[:3], "en", memo=memo)
    assert cl.compute_features(page, "en", memo=memo) == cl.compute_features(page, "en")
    assert classify.classify_page(page, memo=memo) == classify.classify_page(page)


def test_contains_batch_equals_per_line_search_on_every_table_example():
    lines = [x for e in bp.LINE_TABLE for x in (*e.matches, *e.leaves_alone)]
    lines += ["Home | News", "", "Comments (3)", "x" * (bp.LINE_ENTRY_MAX_CHARS + 5) + "|"]
    stripped = [s.strip() for s in lines]
    hits = bp.lines_with_contains_word(stripped)
    for i, s in enumerate(stripped):
        per_line = len(s) <= bp.LINE_ENTRY_MAX_CHARS and bp._CONTAINS_RE.search(s.lower()) is not None
        assert (i in hits) == per_line, s
        for zone in ("header", "footer", "body", "none"):
            assert bp.match_line_entry(s, zone, contains=i in hits) == bp.match_line_entry(s, zone)
    assert not any("\n" in w for w, _ks in bp._CONTAINS_INDEX)  # what makes the batch exact


@pytest.mark.parametrize("sig", md.SITE_SIGNATURES, ids=lambda s: s.id)
def test_site_signature_needles_are_required(sig):
    for x in sig.matches:
        assert sig.could_hit(x), (sig.id, x)
        # without its needles an example no longer matches: the needle is what it needs
        mangled = x
        for n in sig.needles:
            mangled = mangled.replace(n, n[:-1] + "#")
        if sig.needles:
            assert not sig.hit(mangled), (sig.id, mangled)


def test_site_keys_equal_the_unfiltered_scan():
    lines = [x for sig in md.SITE_SIGNATURES for x in (*sig.matches, *sig.leaves_alone)]
    text = "Body.\n\n" + "\n".join(lines) + "\nHome\n"
    want = []
    for line in text.split("\n"):
        s = line.strip()
        if s and len(s) <= userrules.SITE_LINE_MAX_CHARS:
            want += [sig.site for sig in md.SITE_SIGNATURES if sig.hit(s)][:1]
    got = userrules.site_keys(text)
    assert list(got) == list(dict.fromkeys(h.lower() for h in want))
    assert userrules.site_keys("Body only.\nHome\n") == ()


def test_ascii_trigger_shortcut_equals_the_regex():
    for text in ["plain", "tab\there", "esc\x1b[0m", "del\x7f", "Ã©", "nbsp\u00a0", "".join(map(chr, range(128)))]:
        assert decode._has_ftfy_trigger(text) == (decode._FTFY_TRIGGER_RE.search(text) is not None)
    for c in map(chr, range(128)):
        assert (c in decode._ASCII_TRIGGERS) == (decode._FTFY_TRIGGER_RE.search(c) is not None)


@pytest.mark.parametrize("method", ["match", "findall", "fullmatch", "search"])
def test_fast_safe_pattern_methods_keep_the_timeout(method):
    evil = safe_compile(r"(?:a|aa)+$")
    with using(Limits(regex_timeout=0.05, regex_timeout_per_mb=0)):
        with pytest.raises(RegexTimeout, match="took more than 0.05 s"):
            getattr(evil, method)("a" * 40 + "b")
    p = safe_compile("a")
    with using(Limits(regex_timeout=0)):
        assert p.search("xa").span() == (1, 2)  # no timeout at all: still works
    assert p.search("ba", timeout=1.0).span() == (1, 2)


def _first_entry_by_brute_force(line: str, zone: str):
    """What :func:`cleaners.stages.chrome.match_line_entry` must return: the first entry of
    the table, in order, whose own ``Entry.prefilter`` passes, that the zone and length
    allow and whose regex takes the line (no index)."""
    if not line or len(line) > bp.LINE_ENTRY_MAX_CHARS:
        return None
    lower = line.lower()
    for e in bp.LINE_TABLE:
        if len(line) > e.max_chars or (e.zone != "any" and zone not in ("header", "footer")):
            continue
        if e.prefilter(lower) and e.regex.fullmatch(line):
            return e
    return None


def test_indexed_line_entries_equal_the_plain_table_walk():
    # every example of the table, and look-alikes that share only a start literal's first
    # two characters (what the two-character index alone would let through)
    lines = [x.strip() for e in bp.LINE_TABLE for x in (*e.matches, *e.leaves_alone)]
    starts = {w for e in bp.LINE_TABLE for w in e.starts}
    lines += [w[:2] + "xq" + w[2:] for w in starts] + [w + " this" for w in starts]
    lines += [w.capitalize() + " us | Top" for w in starts]
    assert len(lines) > 300
    for s in lines:
        for zone in ("header", "footer", "body", "none"):
            assert bp.match_line_entry(s, zone) == _first_entry_by_brute_force(s, zone), (s, zone)


def test_end_marker_alternations_equal_the_entries_one_by_one():
    """:func:`cleaners.stages.boilerplate.classify.markers.is_end_marker` makes one fullmatch of the alternation of
    the entries a line's length admits; the answer is the one of the entries in turn."""
    from cleaners.rules.boilerplate import END_MARKER_TABLE

    def one_by_one(line: str) -> bool:
        if not line or len(line) > markers._END_MARKER_MAX_CHARS or line[-1] in ".!":
            return False
        lower = line.lower()
        if not lower.startswith(markers._END_STARTS) and not any(c in lower for c in markers._END_CONTAINS):
            return False
        return any(e.regex.fullmatch(line) is not None for e in END_MARKER_TABLE
                   if len(line) <= e.max_chars)  # fmt: skip

    tables = (*END_MARKER_TABLE, *bp.LINE_TABLE)
    lines = [x.strip() for e in tables for x in (*e.matches, *e.leaves_alone)]
    lines += [w.capitalize() + suffix for e in END_MARKER_TABLE for w in e.starts
              for suffix in ("", ":", " (12)", " stories", " posts", " to “A title”", " x" * 50)]  # fmt: skip
    lines += [w + " " + "x" * n for w in ("Related", "Tags:", "More from", "Written by")
              for n in (40, 60, 75, 130, 150, 200, 215)]  # every length band  # fmt: skip
    assert sum(map(one_by_one, lines)) > 30  # the comparison sees markers, not only misses
    for s in lines:
        assert markers.is_end_marker(s) == one_by_one(s), s


def test_domain_prefilter_never_skips_a_link():
    # lines without ://, www. or @: only the bare-domain alternative of _LINK_RE is left
    lines = ["example.org", "Visit news.example.co.uk now", "a-b.de", "x.io", "Mr. Smith", "3.5 km",
             "u.s. army", "Follow us at foo.com", "gov.cn.", "EXAMPLE.COM", "e.g. this", "a.b.c.d"]  # fmt: skip
    parts = (["a", ".", "-"], ["co", "org", "io", "cn", "x"], ["", "m", " "])
    lines += ["".join(t) for t in itertools.product(*parts)]
    lines = [s for s in lines if "://" not in s and "www." not in s and "@" not in s]
    assert any(cl._LINK_RE.search(s) for s in lines)  # the check sees links, not only misses
    assert_necessary(cl.could_have_domain, lambda s: cl._LINK_RE.search(s) is not None, lines)
