"""Stage ``ocr``: repair text that came out of OCR or PDF extraction, and only such text.

The stage does nothing unless OCR applies: ``Config.ocr`` True forces it, False disables it,
None (default) asks :func:`detect_ocr` once per document, on the text as decode left it.
The detector is conservative on purpose: hard-wrapped lines alone do not make a document
OCR (web pages scraped from HTML with newlines inside ``<p>`` are hard-wrapped too); it also
needs page structure (form feeds, a run of page-number lines) or line-end hyphenation that
splits words a word list knows (``Univer-\\nsity``), which text wrappers never produce.
A web page or a seed has none of these, so the stage costs a few regex scans there.

Rules, in the order they run (each a named rule with its own edits):

1. ``ocr.drop_running_heads``: lines repeated at page edges (same text ± page number).
2. ``ocr.drop_page_numbers``: page-number lines at page edges or in an increasing run.
3. ``ocr.drop_page_breaks``: form feeds and the blank lines around them.
4. ``ocr.reflow_paragraphs``: join hard-wrapped lines of a paragraph.
5. ``ocr.join_hyphenated_words``: ``Univer-\\nsity`` -> ``University``, keep real compounds.
6. ``ocr.join_split_words``: ``sus pected`` -> ``suspected`` (newspaper OCR).
7. ``ocr.restore_dropped_ligatures``: ``signicant`` -> ``significant`` (after the joins, so
   that ``se ries`` becomes ``series`` before ``ries`` could look like ``rifles``).

Enters: the decoded text and the document state. Leaves: changes of the rules of
:mod:`.layout` (1-4) and :mod:`.words` (5-7), in the order of :data:`STAGE`; the detector
and the thresholds live in :mod:`.detect`.

Word decisions use wordfreq's list for the document's language (Zipf frequency: 3 means
about once per million words). Without a list for the language, words are never joined or
restored; hyphens at line ends then stay and only the line break goes.
"""

from __future__ import annotations

from cleaners.core.registry import Stage
from cleaners.stages.ocr.detect import OcrVerdict, detect_ocr, lexicon
from cleaners.stages.ocr.layout import (
    drop_page_breaks,
    drop_page_numbers,
    drop_running_heads,
    reflow_paragraphs,
)
from cleaners.stages.ocr.words import (
    join_hyphenated_words,
    join_split_words,
    restore_dropped_ligatures,
)

STAGE = Stage(
    "ocr",
    (
        drop_running_heads,
        drop_page_numbers,
        drop_page_breaks,
        reflow_paragraphs,
        join_hyphenated_words,
        join_split_words,
        restore_dropped_ligatures,
    ),
)

__all__ = ["STAGE", "OcrVerdict", "detect_ocr", "lexicon"]
