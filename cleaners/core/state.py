"""The state one document's rules share besides its text: config, format, language,
lifted metadata, marks for later stages, and review entries.

It imports nothing above :mod:`cleaners.core`, so every stage and rule can name its type.
"""

from __future__ import annotations

from typing import Any

from cleaners.core.config import DEFAULT_CONFIG, Config
from cleaners.core.document import Review, empty_metadata
from cleaners.core.language import detect_language
from cleaners.core.tracked import TrackedText


class DocState:
    """What the rules of one document share besides the text itself.

    Rules read ``config``, ``fmt``, ``language`` and ``stage_input`` (the text the current
    stage started from, set by the runner before the stage's first step; ``None`` outside a
    run), write ``metadata`` (lifted fields), ``marks`` (facts for later stages, e.g. where
    the lifted header ended), and call :meth:`flag` for review entries. Offsets a rule
    passes are in the text it was given.
    """

    __slots__ = ("config", "fmt", "metadata", "marks", "reviews", "stage_input", "_tracked",
                 "_language")

    def __init__(self, tracked: TrackedText, *, config: Config, fmt: str) -> None:
        self.config = config
        self.fmt = fmt
        self.metadata: dict[str, Any] = empty_metadata()
        self.marks: dict[str, Any] = {}
        self.reviews: list[Review] = []
        self.stage_input: str | None = None
        self._tracked = tracked
        self._language: str | None = config.language

    @classmethod
    def for_text(cls, text: str, config: Config = DEFAULT_CONFIG, fmt: str = "text") -> DocState:
        """A fresh state for ``text`` (for tests and doctests; the runner builds its own).

        >>> DocState.for_text("Body.").metadata["title"] is None
        True
        """
        return cls(TrackedText(text, record=config.record_edits), config=config, fmt=fmt)

    @property
    def language(self) -> str | None:
        """BCP 47 code of the document, detected on first use from the current text."""
        if self._language is None:
            self._language = detect_language(self._tracked.text) or "und"
        return None if self._language == "und" else self._language

    def flag(
        self,
        rule_id: str,
        start: int,
        end: int,
        text: str,
        reason: str,
        suggestion: str | None = None,
    ) -> None:
        """Add a review entry for ``text`` at [start, end) of the current text."""
        if not self.config.enabled(rule_id):
            return
        ostart, oend = self._tracked.to_original(start, end)
        self.reviews.append(Review(rule_id, ostart, oend, text, reason, suggestion))

    def original_offset(self, pos: int) -> int:
        """The input offset a position of the current text came from."""
        return self._tracked.to_original(pos, pos)[0]
