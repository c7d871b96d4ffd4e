"""Rules and stages: every rule has one id, used as registry key, config switch, stats label
and explanation entry (``stage.verb_object``, e.g. ``boilerplate.drop_icp_filing``).

What enters: rule functions (:func:`rule`), table entries (``cleaners/rules/*.py``) and
heuristic ids. What leaves: :data:`RULES` (every rule by id) and :class:`Stage` (a stage's
steps in the order they run).

A stage runs *steps*. A step is either

* a **rule**: a function ``(text, doc) -> Iterable[Change]`` registered with :func:`rule`,
  whose edits all carry its own id; or
* a **pass** (:class:`Pass`): a function that is no rule and has no id of its own; it
  applies several rules at once (a table, a line classifier) and each edit it returns
  carries the id of the rule that made it. A pass names the ids it emits (:attr:`Pass.emits`),
  and every one of them is a registered rule.

So disabling a rule id disables exactly that rule, a stage id disables the stage, and the
registry lists every id an edit can carry (user rules ``user.<name>`` excepted: they come
from the config, per run).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from cleaners.core.safety import safe_compile

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
    #: One line saying what the rule does (the first line of its docstring), in plain text
    #: (:func:`plain_text`): users read it in ``scrubline rules`` and the report.
    description: str
    #: What kind of defect it handles (``footer``, ``licence``, ``quotes``, ``whitespace``…).
    category: str
    #: Bumped by hand when the rule's behaviour changes (informative: the pipeline version
    #: digests the package's source, so any change re-cleans without it).
    version: int = 1
    #: The function for function rules; ``None`` for rules a pass applies.
    fn: RuleFn | None = None


_RULES: dict[str, Rule] = {}
#: Every known rule by id (read-only view).
RULES = MappingProxyType(_RULES)


_LITERAL_RE = safe_compile(r"``([^\n]+?)``(?!`)")
_ROLE_RE = safe_compile(r":[a-z]+:`~?([^`]+)`")


def plain_text(text: str) -> str:
    """A docstring line as users should read it: reST literals quoted, roles named.

    >>> plain_text("Drop the second of two commas (``, ,``, ``，，``).")
    'Drop the second of two commas (", ,", "，，").'
    >>> print(plain_text("Replace ``''`` as in :func:`~cleaners.clean`."))
    Replace "''" as in clean.
    """
    text = _ROLE_RE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], text)

    def quote(m: Any) -> str:
        inner = m.group(1)
        return f"'{inner}'" if '"' in inner else f'"{inner}"'

    return _LITERAL_RE.sub(quote, text)


def register(rule_obj: Rule) -> Rule:
    """Add a rule to :data:`RULES`; ids are unique; its description becomes plain text."""
    rule_obj = replace(rule_obj, description=plain_text(rule_obj.description))
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
class Pass:
    """A step that applies several rules at once: no rule itself, no id of its own.

    ``emits``: the registered rule ids its edits and review entries may carry, in the order
    listed by ``scrubline rules``. ``user_rules``: it also emits the config's user rule ids
    (``user.<name>``), which are not registered. A pass runs unless its stage is disabled;
    the runner drops the edits of disabled rules, and the pass skips work for them.
    """

    fn: RuleFn
    emits: tuple[str, ...]
    user_rules: bool = False

    @property
    def name(self) -> str:
        """The function's name (for timings and the pipeline version; not a rule id)."""
        return self.fn.__name__

    def check(self) -> None:
        """Raise ``ValueError`` if an id the pass emits is not a registered rule."""
        unknown = [rid for rid in self.emits if rid not in _RULES]
        if unknown:
            raise ValueError(f"pass {self.name} emits unregistered rule ids: {unknown}")


Step = RuleFn | Pass


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of the pipeline: an id and its steps (rules and passes), in run order."""

    id: str
    steps: tuple[Step, ...]
    #: Rules of this stage that no step runs on the text: a decision made where the input
    #: enters (e.g. ``decode.flag_guessed_charset``, when bytes become text), listed so that
    #: ``--disable`` and ``scrubline rules`` know them.
    entry_rules: tuple[str, ...] = ()

    @property
    def rules(self) -> tuple[RuleFn, ...]:
        """The stage's function rules (steps that are rules, not passes)."""
        return tuple(s for s in self.steps if not isinstance(s, Pass))

    @property
    def passes(self) -> tuple[Pass, ...]:
        return tuple(s for s in self.steps if isinstance(s, Pass))

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Ids of the stage's registered rules in run order: function rules' own ids and
        what its passes emit (ids of other stages a pass emits are listed there)."""
        out: dict[str, None] = dict.fromkeys(self.entry_rules)  # decided where input enters
        for step in self.steps:
            if isinstance(step, Pass):
                out.update((rid, None) for rid in step.emits if _RULES[rid].stage == self.id)
            else:
                out[step.rule_id] = None  # type: ignore[attr-defined]
        return tuple(out)
