"""The types that flow through the pipeline: edits, review entries, metadata and results.

Every change the pipeline makes is an :class:`Edit` whose ``start``/``end`` are offsets into
the *input* text (the text handed to :func:`cleaners.clean`), so that :func:`replay` of the
edits on the input reproduces the output exactly. A rule that is not sure of a repair adds a
:class:`Review` entry instead of an edit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from cleaners.core.config import Config

Action = Literal["drop", "replace", "lift"]

#: Metadata fields every sidecar carries; absent ones are ``None``, never invented.
METADATA_FIELDS = (
    "title",
    "subtitle",
    "date",
    "source",
    "site",
    "authors",
    "editor",
    "credits",
    "language",
)


@dataclass(frozen=True, slots=True)
class Change:
    """A change proposed by one rule, in offsets of the text *that rule saw*.

    The runner turns changes into :class:`Edit` objects with offsets into the input.
    """

    start: int
    end: int
    after: str
    rule: str
    action: Action = "replace"
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Edit:
    """One recorded edit: input[start:end] == before was replaced by after."""

    rule: str
    action: Action
    start: int
    end: int
    before: str
    after: str
    reason: str | None = None
    #: Rules whose earlier edits this one overlapped and absorbed (rare; see tracked.py).
    merged: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["merged"] = list(self.merged)
        if not self.merged:
            del d["merged"]
        if self.reason is None:
            del d["reason"]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Edit:
        return cls(
            rule=d["rule"],
            action=d["action"],
            start=d["start"],
            end=d["end"],
            before=d["before"],
            after=d["after"],
            reason=d.get("reason"),
            merged=tuple(d.get("merged", ())),
        )


@dataclass(frozen=True, slots=True)
class Review:
    """A defect a rule found but would not repair on its own: a human decides."""

    rule: str
    start: int
    end: int
    text: str
    reason: str
    suggestion: str | None = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        if self.suggestion is None:
            del d["suggestion"]
        return d


@dataclass(slots=True)
class CleanResult:
    """What :func:`cleaners.clean` returns for one document."""

    text: str
    metadata: dict[str, Any]
    edits: list[Edit]
    review: list[Review]
    #: Counters: characters/lines in and out, edits per rule, stage timings.
    stats: dict[str, Any] = field(default_factory=dict)
    #: The text the edit offsets refer to: the input, or for HTML the extracted text.
    source_text: str = ""
    #: Why the document could not be cleaned (``None`` when it was); ``text`` is then the
    #: input unchanged and ``stats["error_type"]`` names the exception.
    error: str | None = None
    #: The effective config the document was cleaned with (its site section resolved).
    config: Config | None = None


def empty_metadata() -> dict[str, Any]:
    """Return a metadata dict with every known field set to ``None``."""
    return dict.fromkeys(METADATA_FIELDS)


def replay(original: str, edits: list[Edit] | tuple[Edit, ...]) -> str:
    """Apply recorded edits to the original text and return the cleaned text.

    Edits must be in order (as :func:`cleaners.clean` returns them) and not overlap; each
    edit's ``before`` must match the original, else ``ValueError`` is raised.

    >>> e = Edit("punctuation.collapse_doubled_period", "replace", 5, 7, " .", "")
    >>> replay("Done. .", [e])
    'Done.'
    """
    out: list[str] = []
    pos = 0
    for e in edits:
        if e.start < pos:
            raise ValueError(f"edits overlap or are out of order at {e.start} ({e.rule})")
        if original[e.start : e.end] != e.before:
            raise ValueError(
                f"edit {e.rule} at {e.start}:{e.end} expects {e.before!r}, "
                f"found {original[e.start:e.end]!r}"
            )
        out.append(original[pos : e.start])
        out.append(e.after)
        pos = e.end
    out.append(original[pos:])
    return "".join(out)
