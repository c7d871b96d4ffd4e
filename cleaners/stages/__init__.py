"""The stages, one module or package each, in the order :data:`cleaners.core.pipeline.STAGES`
runs them on a document's text:

1. ``decode``: newlines, mojibake (ftfy), entities, zero-width characters.
2. ``ocr``: running heads, page numbers, re-flow, hyphenation, ligatures (OCR text only).
3. ``metadata``: title, dateline, byline, credits lifted out of the text.
4. ``boilerplate``: page chrome dropped (pattern tables, the line classifier, site profiles).
5. ``user``: the user's own patterns from ``scrubline.toml``.
6. ``punctuation``: machine-translation punctuation repairs.
7. ``normalize``: whitespace.

``extract`` turns an HTML page into the text lines the stages read (before stage 1).
``chrome`` is not a stage: it matches lines against the boilerplate tables for both the
``metadata`` and the ``boilerplate`` stage. Each stage reads its tables from
:mod:`cleaners.rules` (``rules/<stage>.py``).
"""
