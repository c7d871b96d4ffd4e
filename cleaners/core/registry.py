"""Rules and stages: every rule has one id, used as registry key, config switch, stats label
and explanation entry (``stage.verb_object``, e.g. ``boilerplate.drop_icp_filing``).

A rule is either a function ``(text, doc) -> Iterable[Change]`` registered with
:func:`rule`, or an entry of a pattern table (``cleaners/rules/*.py``) that a stage function
applies; both are listed in :data:`RULES`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaners.core.document import Change
    from cleaners.core.state import DocState

RuleFn = Callable[[str, "DocState"], "Iterable[Change]"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named unit of cleaning."""

    id: str
    #: The stage the rule belongs to: the part of the id before the first dot.
    stage: str
    #: One line saying what the rule does (the first line of its docstring).
    description: str
    #: What kind of defect it handles (``footer``, ``licence``, ``quotes``, ``whitespace``…).
    category: str
    #: Bumped when the rule's behaviour changes; part of the pipeline version.
    version: int = 1
    #: The function for function rules; ``None`` for table entries applied by a stage.
    fn: RuleFn | None = None


_RULES: dict[str, Rule] = {}
#: Every known rule by id (read-only view).
RULES = MappingProxyType(_RULES)


def register(rule_obj: Rule) -> Rule:
    """Add a rule to :data:`RULES`; ids are unique."""
    stage, _, name = rule_obj.id.partition(".")
    if not name or stage != rule_obj.stage:
        raise ValueError(f"rule id {rule_obj.id!r} must be '<stage>.<name>'")
    old = _RULES.get(rule_obj.id)
    if old is not None and old != rule_obj:
        raise ValueError(f"duplicate rule id {rule_obj.id!r}")
    _RULES[rule_obj.id] = rule_obj
    return rule_obj


def rule(rule_id: str, *, category: str, version: int = 1) -> Callable[[RuleFn], RuleFn]:
    """Register a function as the rule ``rule_id``; its docstring's first line describes it."""

    def deco(fn: RuleFn) -> RuleFn:
        doc = inspect.getdoc(fn) or ""
        if not doc:
            raise ValueError(f"rule {rule_id} needs a docstring")
        register(
            Rule(
                id=rule_id,
                stage=rule_id.split(".", 1)[0],
                description=doc.splitlines()[0],
                category=category,
                version=version,
                fn=fn,
            )
        )
        fn.rule_id = rule_id  # type: ignore[attr-defined]
        return fn

    return deco


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of the pipeline: an id and its rules' functions, in the order they run."""

    id: str
    rules: tuple[RuleFn, ...]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(fn.rule_id for fn in self.rules)  # type: ignore[attr-defined]
