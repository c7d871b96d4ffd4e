"""The pipeline's configuration: one frozen object, every field documented.

Vary it with :func:`dataclasses.replace`; its :meth:`Config.digest` goes into every sidecar
(``config_hash``), so that a run can tell which documents were cleaned under another config.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

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
    site_profiles:
        Site key -> frozenset of chrome lines, each in :func:`cleaners.profiles.normalize_line`
        form (default: none). The ``boilerplate`` stage drops a document's lines that are in
        its site's profile (``boilerplate.drop_site_profile_line``): the profile named by
        ``metadata.site``, else the one whose lines the document carries
        (:func:`cleaners.profiles.profile_for`). Filled by ``--learn-profiles`` (learned from
        the run's inputs) or by pinned ``[site."<key>"] boilerplate_lines`` in the config
        file. Trade-off: a learned profile makes a document's output depend on the other
        documents of its site in the run.
    """

    disabled: frozenset[str] = field(default_factory=frozenset)
    ocr: bool | None = None
    language: str | None = None
    record_edits: bool = True
    site_profiles: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def enabled(self, rule_id: str) -> bool:
        """Whether a rule runs: neither it nor its stage is disabled."""
        if not self.disabled:
            return True
        return rule_id not in self.disabled and rule_id.split(".", 1)[0] not in self.disabled

    def digest(self) -> str:
        """A short stable hash of the settings that change output (not ``record_edits``)."""
        d: dict[str, object] = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("record_edits", "site_profiles")
        }
        d["disabled"] = sorted(self.disabled)
        if self.site_profiles:
            d["site_profiles"] = {k: sorted(v) for k, v in sorted(self.site_profiles.items())}
        blob = json.dumps(d, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


DEFAULT_CONFIG = Config()
