"""scrubline's cleaning library: scraped web text, HTML and OCR text in, clean text out.

>>> from cleaners import clean
>>> result = clean("Body text.\\n\\n\\n")
>>> result.text
'Body text.\\n'

Pure functions, no orchestration: the Prefect layer lives in ``flows/``.
"""

from __future__ import annotations

from cleaners.__about__ import __version__
from cleaners.core.config import DEFAULT_CONFIG, Config
from cleaners.core.document import CleanResult, Edit, Review, replay
from cleaners.core.pipeline import STAGES, clean, pipeline_version
from cleaners.core.registry import RULES

__all__ = [
    "DEFAULT_CONFIG",
    "RULES",
    "STAGES",
    "CleanResult",
    "Config",
    "Edit",
    "Review",
    "__version__",
    "clean",
    "pipeline_version",
    "replay",
]
