"""Repair accuracy on the project's own case files, beside ftfy and Moses (issue 3).

Every case in ``tests/cases/{decode,punctuation,ocr}/*.json`` (schema: tests/cases/README.md
and tests/cases/ocr/README.md) goes through four systems, and each output is compared with
the case's ``expected`` by exact string equality, as the tests compare them:

* **scrubline**: :func:`cleaners.clean` run exactly as the case runners run it.
  ``decode/`` and ``punctuation/`` (tests/rules/test_cases_json.py): only that stage enabled.
  ``ocr/`` (tests/stages/test_ocr.py): only ``decode`` and ``ocr`` enabled, ``ocr`` mode from the
  case's ``ocr`` field (default on), ``language`` from the case (default ``en``).
* **ftfy**: ``ftfy.fix_text(original)`` with ftfy's default config.
* **moses**: sacremoses' ``MosesPunctNormalizer(lang=L)`` with its defaults (``penn=True``,
  ``norm_quote_commas=True``, ``norm_numbers=True``, ``pre_replace_unicode_punct=False``,
  ``post_remove_control_chars=False``, ``perl_parity=False``). ``L`` is the case's
  ``language`` field when it has one (only ``ocr/`` cases do); else, by default
  (``--moses-lang detect``), the language scrubline's own detector
  (:func:`cleaners.core.language.detect_language`) finds in the original, the one scrubline's
  rules see, falling back to ``en``; ``--moses-lang en`` gives ``en`` to every case without a
  ``language`` field. The language only changes Moses' quote-comma and number rules (German
  cases are the ones it matters for).
* **ftfy+moses**: ftfy's output given to the same normalizer.

Fairness to the peers. Outputs are never normalized before the comparison (no stripping,
no newline changes), for scrubline or anyone else. One adaptation is made for Moses, whose
Perl original (normalize-punctuation.perl) is a line filter that never strips: sacremoses'
``normalize`` strips the whole string, which would eat the newlines of multi-line cases, so
the normalizer is given one line at a time and each line's leading and trailing whitespace
(which ``normalize`` strips) is put back around its output; newlines are kept as they are.

Rows: the case folder and what the case asks for. ``must repair``: ``expect: pass`` and
``expected != original``. ``must leave alone``: ``expect: pass`` and ``expected ==
original`` (``negative.json`` look-alikes, look-alikes inside rule files, and the
``flag_*`` cases, whose text must stay while a review entry is raised). ``known gap``:
``expect: fail`` (strict xfail in the tests), reported on their own. "false edits" counts
the must-leave-alone cases a system changed at all.

Usage (from the repository root; takes a few seconds)::

    python -m benchmarks.repair                  # the table
    python -m benchmarks.repair --verbose        # + every case each system gets wrong
    python -m benchmarks.repair --json out.json  # + the figures as JSON ("-": stdout only)

sacremoses is a benchmark-only dependency (``pip install -e .[bench]``); without it the
Moses columns are skipped with a note. The project never imports it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .common import REPO

CASES_DIR = REPO / "tests" / "cases"
FOLDERS = ("decode", "punctuation", "ocr")
KINDS = ("repair", "leave", "gap")
KIND_LABELS = {"repair": "must repair", "leave": "must leave alone",
               "gap": "known gap (xfail)"}
OCR_MODES = {"on": True, "auto": None, "off": False}


@dataclass(frozen=True, slots=True)
class Case:
    folder: str
    file: str
    label: str
    original: str
    expected: str
    expect: str = "pass"
    language: str | None = None
    ocr: str = "on"

    @property
    def id(self) -> str:
        return f"{self.folder}/{self.file}:{self.label}"

    @property
    def kind(self) -> str:
        if self.expect == "fail":
            return "gap"
        return "leave" if self.original == self.expected else "repair"


def load_cases(folders: Iterable[str] = FOLDERS, root: Path = CASES_DIR) -> list[Case]:
    """Every case of the repair folders, in file order."""
    cases = []
    for folder in folders:
        for path in sorted((root / folder).glob("*.json")):
            for c in json.loads(path.read_text(encoding="utf-8")):
                cases.append(Case(folder, path.stem, c["label"], c["original"], c["expected"],
                                  c.get("expect", "pass"), c.get("language"),
                                  c.get("ocr", "on")))
    return cases


# -- systems ----------------------------------------------------------------------------------
System = Callable[[Case], str]


def scrubline_system() -> System:
    """:func:`cleaners.clean` configured per folder as the case runners configure it."""
    from cleaners import STAGES, Config, clean

    only = {stage: Config(disabled=frozenset(s.id for s in STAGES if s.id != stage))
            for stage in ("decode", "punctuation")}
    not_ocr = frozenset(s.id for s in STAGES if s.id not in {"decode", "ocr"})

    def run(case: Case) -> str:
        if case.folder == "ocr":  # tests/stages/test_ocr.py::_config(case, only_ocr=True)
            config = Config(disabled=not_ocr, ocr=OCR_MODES[case.ocr],
                            language=case.language or "en")
        else:  # tests/rules/test_cases_json.py::only(stage)
            config = only[case.folder]
        return clean(case.original, config=config).text

    return run


def ftfy_system() -> System:
    import ftfy

    return lambda case: ftfy.fix_text(case.original)


def moses_normalize(text: str, lang: str) -> str:
    """Moses on each line, each line's stripped outer whitespace put back (module docstring)."""
    norm = _normalizer(lang)
    out = []
    for line in text.split("\n"):
        core = line.strip()
        if not core:
            out.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        trail = line[len(line.rstrip()):]
        out.append(lead + norm.normalize(line) + trail)
    return "\n".join(out)


_NORMALIZERS: dict[str, object] = {}


def _normalizer(lang: str):
    if lang not in _NORMALIZERS:
        from sacremoses import MosesPunctNormalizer

        _NORMALIZERS[lang] = MosesPunctNormalizer(lang=lang)
    return _NORMALIZERS[lang]


def moses_language(case: Case, mode: str = "detect") -> str:
    """The ``lang`` Moses gets: the case's, else detected (``mode="detect"``), else ``en``."""
    if case.language:
        return case.language
    if mode == "detect":
        from cleaners.core.language import detect_language

        return detect_language(case.original) or "en"
    return "en"


def moses_system(lang_mode: str = "detect") -> System:
    return lambda case: moses_normalize(case.original, moses_language(case, lang_mode))


def ftfy_moses_system(lang_mode: str = "detect") -> System:
    import ftfy

    return lambda case: moses_normalize(ftfy.fix_text(case.original),
                                        moses_language(case, lang_mode))


def have_sacremoses() -> bool:
    try:
        import sacremoses  # noqa: F401
    except ImportError:
        return False
    return True


def default_systems(*, moses: bool = True, moses_lang: str = "detect") -> dict[str, System]:
    systems = {"scrubline": scrubline_system(), "ftfy": ftfy_system()}
    if moses:
        systems["moses"] = moses_system(moses_lang)
        systems["ftfy+moses"] = ftfy_moses_system(moses_lang)
    return systems


# -- scoring ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    system: str
    output: str | None
    error: str | None = None

    @property
    def correct(self) -> bool:
        return self.error is None and self.output == self.case.expected

    @property
    def false_edit(self) -> bool:
        """A must-leave-alone case the system changed (an error counts as a change)."""
        return self.case.kind == "leave" and (self.error is not None
                                               or self.output != self.case.original)


@dataclass
class Cell:
    correct: int = 0
    n: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.n if self.n else None

    def text(self) -> str:
        acc = self.accuracy
        return "-" if acc is None else f"{self.correct}/{self.n} ({acc:.0%})"


@dataclass
class Score:
    systems: list[str]
    outcomes: list[Outcome]
    #: (folder or "all", kind) -> system -> Cell
    cells: dict[tuple[str, str], dict[str, Cell]] = field(default_factory=dict)
    false_edits: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def wrong(self, system: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.system == system and not o.correct]

    def beaten(self, system: str = "scrubline") -> list[tuple[Case, list[str]]]:
        """Cases ``system`` gets wrong and some other system gets right."""
        by_case: dict[str, dict[str, Outcome]] = {}
        for o in self.outcomes:
            by_case.setdefault(o.case.id, {})[o.system] = o
        out = []
        for per in by_case.values():
            mine = per.get(system)
            if mine is None or mine.correct:
                continue
            winners = [s for s, o in per.items() if s != system and o.correct]
            if winners:
                out.append((mine.case, winners))
        return out


def score(cases: Sequence[Case], systems: dict[str, System]) -> Score:
    """Run every system on every case and count exact matches per (folder, kind)."""
    result = Score(list(systems), [])
    for name, fn in systems.items():
        t0 = time.perf_counter()
        for case in cases:
            try:
                out, err = fn(case), None
            except Exception as exc:  # a peer that raises gets the case wrong, the run goes on
                out, err = None, f"{type(exc).__name__}: {exc}"
            result.outcomes.append(Outcome(case, name, out, err))
        result.seconds[name] = time.perf_counter() - t0
    for o in result.outcomes:
        for folder in (o.case.folder, "all"):
            cell = result.cells.setdefault((folder, o.case.kind), {}).setdefault(o.system, Cell())
            cell.n += 1
            cell.correct += o.correct
        result.false_edits[o.system] = result.false_edits.get(o.system, 0) + o.false_edit
    return result


# -- output -----------------------------------------------------------------------------------
def _row_keys(score_: Score, kinds: Sequence[str]) -> list[tuple[str, str]]:
    folders = [f for f in (*FOLDERS, "all") if any((f, k) in score_.cells for k in kinds)]
    return [(f, k) for f in folders for k in kinds if (f, k) in score_.cells]


def table(score_: Score, kinds: Sequence[str]) -> list[str]:
    names = score_.systems
    lines = ["| folder | expect | n | " + " | ".join(names) + " |",
             "|---|---|---|" + "---|" * len(names)]
    for key in _row_keys(score_, kinds):
        folder, kind = key
        cells = score_.cells[key]
        n = next(iter(cells.values())).n
        label = f"**{folder}**" if folder == "all" else folder
        lines.append(f"| {label} | {KIND_LABELS[kind]} | {n} | "
                     + " | ".join(cells[s].text() for s in names) + " |")
    return lines


def _window(text: str, at: int, before: int = 30, after: int = 50) -> str:
    """The repr of ``text`` around ``at``, ``…`` where cut."""
    lo, hi = max(0, at - before), min(len(text), at + after)
    return ("…" if lo else "") + repr(text[lo:hi]) + ("…" if hi < len(text) else "")


def _first_diff(x: str, y: str) -> int:
    p = 0
    while p < min(len(x), len(y)) and x[p] == y[p]:
        p += 1
    return p


def _explain(o: Outcome) -> list[str]:
    """Original, expected and output around the first place the output goes wrong (for the
    original: where it differs from the expected text, or from the output if equal)."""
    c = o.case
    if o.error is not None:
        return [f"    original: {_window(c.original, 0)}", f"    error:    {o.error}"]
    got = o.output or ""
    p = _first_diff(c.expected, got)
    q = _first_diff(c.original, c.expected if c.original != c.expected else got)
    return [f"    original: {_window(c.original, q)}",
            f"    expected: {_window(c.expected, p)}",
            f"    got:      {_window(got, p)}"]


def render(score_: Score, *, verbose: bool = False) -> str:
    names = score_.systems
    out = ["## Repair accuracy on tests/cases (exact match with `expected`)", ""]
    out += table(score_, ("repair", "leave"))
    n_leave = len({o.case.id for o in score_.outcomes if o.case.kind == "leave"})
    out.append(f"| **false edits** | changed a must-leave-alone case | {n_leave} | "
               + " | ".join(str(score_.false_edits.get(s, 0)) for s in names) + " |")
    if any(k == "gap" for _, k in score_.cells):
        out += ["", "### Known gaps (cases marked `expect: fail`, strict xfail in the tests)", ""]
        out += table(score_, ("gap",))
    out += ["", "time (s): " + ", ".join(f"{s} {score_.seconds.get(s, 0):.2f}" for s in names)]
    beaten = [(c, w) for c, w in score_.beaten() if c.kind != "gap"]
    if "scrubline" in names and len(names) > 1:
        out += ["", f"### Cases a peer gets right and scrubline does not ({len(beaten)})", ""]
        out += [f"- {c.id} [{KIND_LABELS[c.kind]}]: {', '.join(w)}" for c, w in beaten]
    if verbose:
        for s in names:
            wrong = score_.wrong(s)
            out += ["", f"### {s}: {len(wrong)} wrong", ""]
            for o in wrong:
                out.append(f"- {o.case.id} [{KIND_LABELS[o.case.kind]}]")
                out += _explain(o)
    return "\n".join(out)


def as_json(score_: Score, versions: dict[str, str]) -> dict:
    return {
        "systems": score_.systems,
        "versions": versions,
        "rows": [
            {"folder": f, "expect": KIND_LABELS[k],
             **{s: {"correct": c.correct, "n": c.n, "accuracy": c.accuracy}
                for s, c in score_.cells[(f, k)].items()}}
            for f, k in _row_keys(score_, KINDS)
        ],
        "false_edits": score_.false_edits,
        "seconds": score_.seconds,
        "wrong": {s: [o.case.id for o in score_.wrong(s)] for s in score_.systems},
        "peer_wins": [{"case": c.id, "kind": KIND_LABELS[c.kind], "systems": w}
                      for c, w in score_.beaten()] if "scrubline" in score_.systems else [],
    }


def versions(systems: Iterable[str]) -> dict[str, str]:
    import ftfy

    from cleaners import __version__

    v = {"scrubline": __version__, "ftfy": ftfy.__version__}
    if any("moses" in s for s in systems):
        from importlib.metadata import version

        v["sacremoses"] = version("sacremoses")
    return v


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="list every case each system gets wrong")
    ap.add_argument("--json", help="write the figures as JSON to this file ('-': stdout only)")
    ap.add_argument("--moses-lang", choices=("detect", "en"), default="detect",
                    help="lang for Moses on cases without a language field: scrubline's "
                         "detector's (default) or always en")
    ap.add_argument("--folders", default=",".join(FOLDERS),
                    help=f"case folders (default {','.join(FOLDERS)})")
    args = ap.parse_args(argv)

    folders = [f.strip() for f in args.folders.split(",") if f.strip()]
    unknown = [f for f in folders if f not in FOLDERS]
    if unknown:
        print(f"unknown folder(s) {unknown}; choose from {FOLDERS}", file=sys.stderr)
        return 2
    moses = have_sacremoses()
    note = None if moses else ("sacremoses not installed (pip install -e '.[bench]'): "
                               "the moses and ftfy+moses columns are skipped")
    systems = default_systems(moses=moses, moses_lang=args.moses_lang)
    cases = load_cases(folders)
    result = score(cases, systems)
    vers = versions(systems)
    if args.json != "-":
        if note:
            print(note, file=sys.stderr)
        print(f"{len(cases)} cases from {CASES_DIR.relative_to(REPO)}/{{{','.join(folders)}}}; "
              + ", ".join(f"{k} {v}" for k, v in vers.items())
              + (f"; moses lang: {args.moses_lang}" if moses else "") + "\n")
        print(render(result, verbose=args.verbose))
    if args.json:
        payload = json.dumps(as_json(result, vers) | {"note": note}, ensure_ascii=False,
                             indent=2)
        if args.json == "-":
            print(payload)
        else:
            Path(args.json).write_text(payload + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
