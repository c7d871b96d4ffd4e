"""The core: what every layer above shares, and nothing that cleans by itself.

- ``document``: edits, review entries, metadata fields, results, :func:`replay`.
- ``registry``: rules, passes and stages, and :data:`RULES`, every rule id.
- ``config``: the config model (``Config``; every threshold's one default); ``configfile`` and
  ``configlines``: a ``scrubline.toml`` read and checked into a ``Config``.
- ``state``: :class:`DocState`, what one document's rules share; ``tracked``: the text with
  its edits kept in input offsets; ``lines``: lines and whole-line removal; ``textutil``.
- ``language``: the one place that guesses a document's language.
- ``safety`` and ``limits``: regexes with time limits, and the limits a document must keep.
- ``pipeline``: :data:`STAGES` in order and :func:`clean`; it sits above the stages it runs.
"""
