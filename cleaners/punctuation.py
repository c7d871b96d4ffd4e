"""Stage ``punctuation``: rules are added in the following commits."""

from __future__ import annotations

from .registry import Stage

STAGE = Stage("punctuation", ())
