"""The folder tree is the architecture: sizes, layers and imports of ``cleaners/``.

Layers, lowest first (a module imports only from its own layer or lower ones)::

    core (types, registry, config model, tracked text, safety, language)
    rules (pattern tables)
    stages (one package or module per stage)
    pipeline (core/pipeline.py: STAGES, clean; cleaners/__init__, configload)
    io (bytes in, files out)
    inspect, corpus (read what io wrote)
    cli (commands; the flow commands plug in through an entry point)

``flows/`` sits above all of them and nothing in ``cleaners/`` imports it or Prefect.
Imports inside functions count like any other (optional third-party packages aside);
imports under ``if TYPE_CHECKING:`` never run and are left out of the cycle check.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cleaners

PACKAGE = Path(cleaners.__file__).parent
MAX_LINES = 600

LAYERS: tuple[tuple[str, ...], ...] = (
    ("cleaners.core", "cleaners.__about__"),
    ("cleaners.rules",),
    ("cleaners.stages",),
    ("cleaners.core.pipeline", "cleaners", "cleaners.configload"),
    ("cleaners.io",),
    ("cleaners.inspect", "cleaners.corpus"),
    ("cleaners.cli",),
)


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(name: str) -> int:
    """The layer of a module: the longest matching prefix wins (core.pipeline is above core)."""
    best, best_len = -1, -1
    for level, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = level, len(prefix)
    assert best >= 0, f"{name} is in no layer: add it to LAYERS"
    return best


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(name: str, *, with_type_checking: bool = False) -> set[str]:
    """The modules (of any package) that module ``name`` imports, at any depth of its code."""
    path = MODULES[name]
    tree = ast.parse(path.read_text("utf-8"))
    skip = set() if with_type_checking else _type_checking_lines(tree)
    is_pkg = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            for a in node.names:  # `from pkg import module`
                if f"{mod}.{a.name}" in MODULES:
                    found.add(f"{mod}.{a.name}")
    return found


def internal_imports(name: str) -> set[str]:
    """Modules of cleaners that ``name`` imports; its own ancestor packages aside, since
    Python runs those before ``name`` whatever it imports."""
    return {m for m in imports_of(name)
            if m in MODULES and m != name and not name.startswith(m + ".")}


def test_the_layer_table_knows_every_module():
    for name in MODULES:
        layer_of(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_is_short(name):
    n = MODULES[name].read_text("utf-8").count("\n")
    assert n <= MAX_LINES, f"{name} has {n} lines (at most {MAX_LINES}): split it by meaning"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_imports_only_its_layer_or_below(name):
    upward = sorted(
        m for m in imports_of(name, with_type_checking=True)
        if m in MODULES and m != name and layer_of(m) > layer_of(name)
    )
    assert not upward, f"{name} imports the upper layer(s) {upward}"


def test_no_import_cycle():
    graph = {name: internal_imports(name) for name in MODULES}
    # a package's import also runs its parents' __init__ modules
    for name in list(graph):
        extra = set()
        for dep in graph[name]:
            parts = dep.split(".")
            extra.update(".".join(parts[:k]) for k in range(1, len(parts)))
        graph[name] |= {p for p in extra if p in MODULES and p != name and not name.startswith(p + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                return stack[stack.index(dep):] + [dep]
            if dep not in state:
                cycle = visit(dep)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for name in sorted(graph):
        if name not in state:
            cycle = visit(name)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_cycle_check_can_fail(monkeypatch):
    fake = {"a": {"b"}, "b": {"a"}}
    monkeypatch.setitem(globals(), "internal_imports", lambda n: fake[n])
    monkeypatch.setitem(globals(), "MODULES", {"a": None, "b": None})
    with pytest.raises(AssertionError, match="import cycle: a -> b -> a"):
        test_no_import_cycle()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_library_never_imports_flows_or_prefect(name):
    bad = sorted(m for m in imports_of(name, with_type_checking=True)
                 if m.split(".")[0] in ("flows", "prefect", "prefect_dask"))
    # nor by name, for importlib
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    bad += sorted(node.value for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and (node.value == "flows" or node.value.startswith("flows.")))
    assert not bad, f"{name} imports {bad}: the library must not know the Prefect layer"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_rules_take_a_typed_document_state(name):
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    loose = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for arg in (*node.args.args, *node.args.kwonlyargs):
                if arg.arg == "doc" and arg.annotation is not None:
                    text = ast.unparse(arg.annotation)
                    if text in ("Any", "object", "'Any'", "'object'"):
                        loose.append(f"{node.name}(doc: {text})")
    assert not loose, f"{name}: type doc as DocState, not {loose}"
