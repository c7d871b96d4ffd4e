"""The pipeline's configuration: one frozen object, every field documented.

Vary it with :func:`dataclasses.replace`; its :meth:`Config.digest` goes into every sidecar
(``config_hash``), so that a run can tell which documents were cleaned under another config.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

#: Input formats :func:`cleaners.clean` accepts.
FORMATS = ("text", "html")


@dataclass(frozen=True, slots=True)
class Config:
    """Switches for one pipeline run.

    disabled:
        Rule ids (``punct.collapse_double_period``) or stage ids (``punctuation``) to skip.
        Default: nothing disabled. Unknown ids raise ``ValueError`` when the pipeline is
        built (:func:`cleaners.pipeline.check_config`), never halfway through a run.
    ocr:
        ``True`` runs the OCR repairs, ``False`` never does, ``None`` (default) decides per
        document from its shape. Trade-off: forcing OCR on web text re-flows lines that were
        meant to be separate.
    language:
        A BCP 47 code to use instead of detection (default ``None``: detect). Set it for
        short or mixed documents where detection is unreliable.
    record_edits:
        Keep every edit with its input offsets (default ``True``). ``False`` is faster and
        leaves ``edits`` empty; outputs are identical.
    """

    disabled: frozenset[str] = field(default_factory=frozenset)
    ocr: bool | None = None
    language: str | None = None
    record_edits: bool = True

    def enabled(self, rule_id: str) -> bool:
        """Whether a rule runs: neither it nor its stage is disabled."""
        if not self.disabled:
            return True
        return rule_id not in self.disabled and rule_id.split(".", 1)[0] not in self.disabled

    def digest(self) -> str:
        """A short stable hash of the settings that change output (not ``record_edits``)."""
        d = asdict(self)
        d.pop("record_edits")
        d["disabled"] = sorted(self.disabled)
        blob = json.dumps(d, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


DEFAULT_CONFIG = Config()
