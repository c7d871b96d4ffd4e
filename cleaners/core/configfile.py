"""``scrubline.toml``: a config file's path or text in; a validated :class:`Config` out.

Find it (:func:`find_config`), read it (:func:`config_from_file`), validate it and turn it
into the root config (:func:`config_from_text`). The rule and stage ids a file may name are
passed in by the caller (:mod:`cleaners.configload` takes them from the pipeline), so this
module needs nothing above :mod:`cleaners.core`.

Discovery (:func:`find_config`): ``--config PATH``; else ``scrubline.toml`` in the input
folder; else in the current folder; else ``[tool.scrubline]`` in ``./pyproject.toml``;
else the defaults.

Every problem is reported before any document is touched, each naming the file, the line
and the key (``scrubline.toml:12: site."ecns.cn".disable[1]: unknown rule or stage id
...``): TOML syntax, unknown keys, wrong types, unknown rule or stage ids, bad or slow
regexes, patterns that match the empty string. :class:`ConfigError` carries them all.

The file's layout (``scrubline config init`` writes a commented starter)::

    disable = ["punctuation.flag_period_lowercase"]  # rule or stage ids
    enable = []                                     # re-enable (site sections)
    ocr = "auto"                                    # auto | on | off
    language = "auto"                               # or a BCP 47 code
    [output]
    edits = true                                    # record edits in sidecars
    [boilerplate]                                   # stage thresholds
    caption_max_chars = 200
    [drop]                                          # user drop patterns: user.<name>
    forum = "Go to Forum"                           # literal, whole line
    stamp = { regex = 'Newspapers in \\w+', match = "line" }
    [keep]                                          # keep wins over any drop
    ethics = { literal = "copyright protection", match = "contains" }
    [site."ecns.cn"]                                # per site: same keys, plus
    paths = ["ecns/**"]                             # globs over the input path
    boilerplate_lines = ["Most popular in 24h"]     # pinned site profile
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import regex

from cleaners.core.config import (
    DEFAULT_CONFIG,
    MATCH_MODES,
    USER_STAGE,
    Config,
    SiteSection,
    UserRule,
    _enable,
    thresholds,
)
from cleaners.core.configlines import KeyLocator, KeyPath, key_name
from cleaners.core.safety import safe_compile

#: The config file looked for in the input folder and the current folder.
CONFIG_FILENAME = "scrubline.toml"
#: ``pyproject.toml`` holds the same keys under this table.
PYPROJECT_TABLE = ("tool", "scrubline")
#: A user regex must finish each validation probe within this time.
REGEX_CHECK_TIMEOUT_SECONDS_DEFAULT = 0.25
#: Probes a pathological regex (nested quantifiers) is slow on.
_REGEX_PROBES = (
    "a" * 32 + "!", "1" * 32 + "x", " " * 32 + "x", "ab" * 24 + "!", "Go to Forum " * 6,
)  # fmt: skip
#: Characters of a user pattern each probe repeats (the attack on ``(e|ee)+$`` is a run of
#: ``e`` that fails at its end), and how long the run is.
_PROBE_CHARS_MAX = 16
_PROBE_RUN = 32


def _pattern_probes(pattern: str) -> list[str]:
    """Test lines made of the pattern's own characters: each literal letter, digit or
    punctuation mark repeated, then a character that ends the match.

    >>> _pattern_probes("(?:e|ee)+$")[:2]
    ['eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\\x01', 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee!']
    """
    chars: list[str] = []
    escaped = False
    for c in pattern.replace("(?:", "("):
        literal = c.isalnum() or c in " -.,;:/'\"@#%&_~"
        if escaped:  # \. is a dot; \s, \d, \p... are classes: a probe of "s" means nothing
            escaped = False
            literal = not c.isalnum()
        elif c == "\\":
            escaped = True
            continue
        if literal and c not in chars:
            chars.append(c)
    return [c * _PROBE_RUN + tail for c in chars[:_PROBE_CHARS_MAX] for tail in ("\x01", "!")]


_AT_LINE_RE = safe_compile(r"\(at line (\d+)")
_NAME_RE = safe_compile(r"[a-z0-9][a-z0-9_]{0,63}")
_LANGUAGE_RE = safe_compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
OCR_MODES = ("auto", "on", "off")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a config file."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ConfigError(ValueError):
    """A config file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line is None, p.line or 0))
        if len(self.problems) == 1:
            msg = str(self.problems[0])
        else:
            msg = f"{self.problems[0].file}: {len(self.problems)} problems:\n" + "\n".join(
                f"  {p}" for p in self.problems
            )
        super().__init__(msg)


# -- validation ------------------------------------------------------------------------


class _Checker:
    """Validate the parsed tables of one file and build the root config."""

    def __init__(
        self, file: str, locator: KeyLocator, prefix: KeyPath, builtin_ids: AbstractSet[str]
    ) -> None:
        self.file = file
        self.loc = locator
        self.prefix = prefix
        #: The rule and stage ids of the pipeline: a user rule may not take one.
        self.builtin_ids = builtin_ids
        self.problems: list[Problem] = []

    def error(self, path: KeyPath, message: str) -> None:
        full = self.prefix + tuple(path)
        self.problems.append(Problem(self.file, self.loc.line(full), key_name(full), message))

    def unknown_keys(self, table: dict[str, Any], path: KeyPath, known: Sequence[str]) -> None:
        for k in table:
            if k not in known:
                close = difflib.get_close_matches(k, known, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.error(path + (k,), f"unknown key{hint} (known here: {', '.join(known)})")

    def typed(self, value: Any, path: KeyPath, want: type | tuple[type, ...], what: str) -> bool:
        ok = isinstance(value, want) and not (isinstance(value, bool) and bool not in _tuple(want))
        if not ok:
            self.error(path, f"must be {what}, not {_toml_type(value)}")
        return ok

    def get(self, table: dict[str, Any], path: KeyPath, key: str, want: Any, what: str) -> Any:
        """``table[key]`` if present and of type ``want``, else ``None`` (an error if wrong)."""
        if key not in table:
            return None
        value = table[key]
        return value if self.typed(value, path + (key,), want, what) else None

    def strings(self, table: dict[str, Any], path: KeyPath, key: str, what: str) -> list[str]:
        """The non-empty strings of the list ``table[key]``, each wrong item an error."""
        value = self.get(table, path, key, list, what)
        out = []
        for n, item in enumerate(value or ()):
            if not self.typed(item, path + (key, n), str, "a string"):
                continue
            if not item.strip():
                self.error(path + (key, n), "must not be empty")
            else:
                out.append(item)
        return out

    # -- sections ------------------------------------------------------------------------

    def layer(
        self, table: dict[str, Any], path: KeyPath, known_ids: set[str], site: str | None
    ) -> dict[str, Any]:
        """The settings of the global table or of one site section, validated."""
        out: dict[str, Any] = {}
        ids: dict[str, set[str]] = {"disable": set(), "enable": set()}
        for key in ids:
            for n, rid in enumerate(self.strings(table, path, key, "a list of rule or stage ids")):
                if rid in known_ids:
                    ids[key].add(rid)
                    continue
                close = difflib.get_close_matches(rid, sorted(known_ids), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.error(path + (key, n),
                           f"unknown rule or stage id {rid!r}{hint} (see `scrubline rules`)")  # fmt: skip
        both = ids["disable"] & ids["enable"]
        for rid in sorted(both):
            self.error(path + ("enable",), f"{rid!r} is both disabled and enabled here")
        out["disable"] = frozenset(ids["disable"] - both)
        out["enable"] = frozenset(ids["enable"] - both)
        modes = 'one of "auto", "on", "off"'
        ocr = self.get(table, path, "ocr", str, modes)
        if ocr is not None and ocr not in OCR_MODES:
            self.error(path + ("ocr",), f"must be {modes}, not {ocr!r}")
        elif ocr is not None:
            out["ocr"] = ocr
        lang = self.get(table, path, "language", str, 'a BCP 47 code or "auto"')
        if lang is not None and lang != "auto" and not _LANGUAGE_RE.fullmatch(lang):
            self.error(path + ("language",),
                       f'must be a BCP 47 code (e.g. "de", "zh-Hans") or "auto", not {lang!r}')  # fmt: skip
        elif lang is not None:
            out["language"] = lang
        output = self.get(table, path, "output", dict, "a table")
        if output is not None:
            self.unknown_keys(output, path + ("output",), ("edits",))
            edits = self.get(output, path + ("output",), "edits", bool, "true or false")
            if edits is not None:
                out["record_edits"] = edits
        out["thresholds"] = self.thresholds(table, path)
        rules = []
        for action in ("drop", "keep"):
            patterns = self.get(table, path, action, dict, "a table of patterns") or {}
            for name, spec in patterns.items():
                r = self.user_rule(action, name, spec, path + (action, name), site)
                if r is not None:
                    rules.append(r)
        out["user_rules"] = tuple(rules)
        return out

    def thresholds(self, table: dict[str, Any], path: KeyPath) -> tuple[tuple[str, int | float], ...]:
        declared = thresholds()
        found: dict[str, int | float] = {}
        for stage in sorted({k.split(".", 1)[0] for k in declared}):
            values = self.get(table, path, stage, dict, "a table of thresholds")
            if values is None:
                continue
            names = sorted(k.split(".", 1)[1] for k in declared if k.startswith(stage + "."))
            self.unknown_keys(values, path + (stage,), names)
            for name in values:
                t = declared.get(f"{stage}.{name}")
                if t is None:
                    continue
                want, kind = (int, "an integer") if t.type is int else ((int, float), "a number")
                value = self.get(values, path + (stage,), name, want, kind)
                if value is None:
                    continue
                if not t.minimum <= value <= t.maximum:
                    self.error(path + (stage, name),
                               f"must be between {t.minimum} and {t.maximum}, not {value}")  # fmt: skip
                    continue
                found[t.key] = t.type(value)
        return tuple(sorted(found.items()))

    def user_rule(
        self, action: str, name: str, spec: Any, path: KeyPath, site: str | None
    ) -> UserRule | None:
        if not _NAME_RE.fullmatch(name):
            self.error(path, "a user rule name is lower-case letters, digits and _ "
                       f"(its id is user.<name>), not {name!r}")  # fmt: skip
            return None
        rid = f"{USER_STAGE}.{name}"
        if rid in self.builtin_ids:
            self.error(path, f"{rid!r} is a built-in rule id; choose another name")
            return None
        if not self.typed(spec, path, (str, dict), "a string or a table"):
            return None
        fields: dict[str, Any] = {}
        if isinstance(spec, str):
            pattern, is_regex, where = spec, False, path
        else:
            known = ("literal", "regex", "match", "ignore_case", "max_chars", "description")
            self.unknown_keys(spec, path, known)
            given = [k for k in ("literal", "regex") if k in spec]
            if len(given) != 1:
                self.error(path, 'needs exactly one of "literal" or "regex"')
                return None
            is_regex, where = given[0] == "regex", path + (given[0],)
            pattern = self.get(spec, path, given[0], str, "a string")
            match = self.get(spec, path, "match", str, "a string")
            modes = MATCH_MODES if action == "drop" else ("line", "contains")
            if match is not None and match not in modes:
                self.error(path + ("match",),
                           f"must be one of {', '.join(modes)} for a {action} rule, not {match!r}")  # fmt: skip
                return None
            max_chars = self.get(spec, path, "max_chars", int, "an integer")
            if max_chars is not None and not 1 <= max_chars <= 100_000:
                self.error(path + ("max_chars",), "must be between 1 and 100000")
                return None
            description = self.get(spec, path, "description", str, "a string")
            fields = {
                "match": match,
                "ignore_case": self.get(spec, path, "ignore_case", bool, "true or false"),
                "max_chars": max_chars,
                "description": None if description is None else " ".join(description.split()),
            }
            fields = {k: v for k, v in fields.items() if v is not None}
            if pattern is None:
                return None
        if not pattern.strip():
            self.error(where, "must not be empty: it would match everywhere")
            return None
        if not self.check_pattern(pattern, is_regex, fields.get("ignore_case", False), where):
            return None
        return UserRule(id=rid, action=action, pattern=pattern, regex=is_regex,  # type: ignore[arg-type]
                        section=site, **fields)  # fmt: skip

    def check_pattern(self, pattern: str, is_regex: bool, ignore_case: bool, path: KeyPath) -> bool:
        if not is_regex:
            return True
        try:
            p = safe_compile(pattern, regex.IGNORECASE if ignore_case else 0)
        except regex.error as exc:
            self.error(path, f"bad regex: {exc}")
            return False
        probe = ""
        try:
            for probe in ("", *_REGEX_PROBES, *_pattern_probes(pattern)):
                for m in p.finditer(probe, timeout=REGEX_CHECK_TIMEOUT_SECONDS_DEFAULT):
                    if m.start() == m.end():
                        self.error(path, "regex matches the empty string: it would match "
                                   "every line")  # fmt: skip
                        return False
        except TimeoutError:
            shown = probe if len(probe) <= 12 else f"{probe[:4]}… ({len(probe)} characters)"
            self.error(path, "regex is too slow: a repetition of alternatives that match "
                       "the same text in more than one way, such as (e|ee)+, backtracks; it "
                       f"took over {REGEX_CHECK_TIMEOUT_SECONDS_DEFAULT} s on the test line "
                       f"{shown!r}. Make the alternatives distinct (e+ for (e|ee)+)")  # fmt: skip
            return False
        return True

    def site(self, key: str, table: Any, known_ids: set[str]) -> SiteSection | None:
        path: KeyPath = ("site", key)
        if not self.typed(table, path, dict, "a table"):
            return None
        if not key.strip():
            self.error(path, "a site key must not be empty")
            return None
        stage_tables = sorted({k.split(".", 1)[0] for k in thresholds()})
        known = ("paths", "boilerplate_lines", *LAYER_KEYS, *stage_tables)
        self.unknown_keys(table, path, known)
        layer = self.layer(table, path, known_ids, key)
        lines = None
        if "boilerplate_lines" in table:
            found = self.strings(table, path, "boilerplate_lines", "a list of strings")
            lines = tuple(dict.fromkeys(" ".join(x.split()) for x in found))
        paths = tuple(self.strings(table, path, "paths", "a list of glob patterns"))
        return SiteSection(
            key=key,
            paths=paths,
            disable=layer["disable"],
            enable=layer["enable"],
            ocr=layer.get("ocr"),
            language=layer.get("language"),
            record_edits=layer.get("record_edits"),
            thresholds=layer["thresholds"],
            user_rules=layer["user_rules"],
            boilerplate_lines=lines,
        )


def _tuple(want: type | tuple[type, ...]) -> tuple[type, ...]:
    return want if isinstance(want, tuple) else (want,)


def _toml_type(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
            list: "an array", dict: "a table"}.get(type(value), type(value).__name__)  # fmt: skip


#: Keys of the global table and of every site section (thresholds tables come on top).
LAYER_KEYS = ("disable", "enable", "ocr", "language", "output", "drop", "keep")


def _user_names(data: dict[str, Any]) -> set[str]:
    """Every ``user.<name>`` a file defines (any section), for validating switches."""
    sites = data.get("site")
    tables = [data]
    if isinstance(sites, dict):
        tables += [t for t in sites.values() if isinstance(t, dict)]
    names = set()
    for t in tables:
        for action in ("drop", "keep"):
            sub = t.get(action)
            if isinstance(sub, dict):
                names |= {f"{USER_STAGE}.{n}" for n in sub if isinstance(n, str)}
    return names


def config_from_text(
    text: str, builtin_ids: AbstractSet[str], *, file: str = CONFIG_FILENAME, table: KeyPath = ()
) -> Config:
    """Validate a config file's text and build its root :class:`Config`.

    ``builtin_ids`` are the rule and stage ids the file may name (the user rules it defines
    come on top). ``table`` is where the settings sit (``("tool", "scrubline")`` in
    ``pyproject.toml``). Raises :class:`ConfigError` listing every problem.

    >>> config_from_text('disable = ["punctuation"]\\n', {"punctuation"}).disabled
    frozenset({'punctuation'})
    >>> config_from_text('ocr = true\\n', set())
    Traceback (most recent call last):
    ...
    cleaners.core.configfile.ConfigError: scrubline.toml:1: ocr: must be one of "auto", "on", "off", not a boolean
    """
    data = _settings_table(text, file, table)
    checker = _Checker(file, KeyLocator(text), table, builtin_ids)
    if not isinstance(data, dict):
        checker.error((), "must be a table")
        raise ConfigError(checker.problems)
    known_ids = set(builtin_ids) | _user_names(data)
    stage_tables = sorted({k.split(".", 1)[0] for k in thresholds()})
    checker.unknown_keys(data, (), (*LAYER_KEYS, *stage_tables, "site"))
    layer = checker.layer(data, (), known_ids, None)
    sites: list[SiteSection] = []
    for key, section in (checker.get(data, (), "site", dict, "a table of sections") or {}).items():
        s = checker.site(key, section, known_ids)
        if s is not None:
            sites.append(s)
    seen: dict[str, str] = {}
    for r in layer["user_rules"] + tuple(r for s in sites for r in s.user_rules):
        prev = seen.get(r.id)
        if prev is not None and prev != r.action:
            checker.error(_rule_path(r), f"{r.id} is both a drop and a keep rule; names are shared")
        seen[r.id] = r.action
    if checker.problems:
        raise ConfigError(checker.problems)
    return _root_config(layer, tuple(sites), file)


def _settings_table(text: str, file: str, table: KeyPath) -> Any:
    """The parsed table at ``table`` (``{}`` when absent); :class:`ConfigError` for bad TOML.

    >>> _settings_table('[tool.scrubline]\\nocr = "on"\\n', "pyproject.toml", ("tool", "scrubline"))
    {'ocr': 'on'}
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        line = None
        m = _AT_LINE_RE.search(msg)
        if m:
            line = int(m.group(1))
        raise ConfigError([Problem(file, line, "", f"invalid TOML: {msg}")]) from None
    data: Any = doc
    for part in table:
        data = data.get(part) if isinstance(data, dict) else None
    return {} if data is None else data


def _root_config(layer: dict[str, Any], sites: tuple[SiteSection, ...], file: str) -> Config:
    """The defaults with the file's global settings (``layer``) and site sections over them."""
    disabled = set(DEFAULT_CONFIG.disabled)
    if layer["enable"]:
        disabled = _enable(disabled, layer["enable"])
    disabled |= layer["disable"]
    ocr = layer.get("ocr")
    lang = layer.get("language")
    return replace(
        DEFAULT_CONFIG,
        disabled=frozenset(disabled),
        ocr={"auto": None, "on": True, "off": False}[ocr] if ocr else DEFAULT_CONFIG.ocr,
        language=(None if lang == "auto" else lang) if lang else DEFAULT_CONFIG.language,
        record_edits=layer.get("record_edits", DEFAULT_CONFIG.record_edits),
        thresholds=layer["thresholds"],
        user_rules=layer["user_rules"],
        sites=sites,
        source=file,
    )


def _rule_path(r: UserRule) -> KeyPath:
    base: KeyPath = ("site", r.section) if r.section else ()
    return base + (r.action, r.id.split(".", 1)[1])


def config_from_file(path: Path | str, builtin_ids: AbstractSet[str]) -> Config:
    """Read and validate a ``scrubline.toml`` or the ``[tool.scrubline]`` of a
    ``pyproject.toml`` (``builtin_ids`` as for :func:`config_from_text`)."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problem = Problem(str(path), None, "", f"cannot read config file: {exc}")
        raise ConfigError([problem]) from None
    table = PYPROJECT_TABLE if path.name == "pyproject.toml" else ()
    return config_from_text(text, builtin_ids, file=str(path), table=table)


def find_config(inputs: Sequence[Path | str] = (), cwd: Path | None = None) -> Path | None:
    """The config file a run over ``inputs`` uses, or ``None`` for the defaults.

    ``scrubline.toml`` in an input folder (a file's own folder); else in ``cwd``; else
    ``cwd/pyproject.toml`` if it has a ``[tool.scrubline]`` table. Inputs with different
    config files are an error (pass ``--config``).
    """
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        folder = p if p.is_dir() else p.parent
        cand = folder / CONFIG_FILENAME
        if cand.is_file() and all(cand.resolve() != f.resolve() for f in found):
            found.append(cand)
    if len(found) > 1:
        names = ", ".join(str(f) for f in found)
        raise ConfigError([Problem(names, None, "", "the inputs have different config files; "
                                   "pass one with --config")])  # fmt: skip
    if found:
        return found[0]
    cwd = Path.cwd() if cwd is None else cwd
    here = cwd / CONFIG_FILENAME
    if here.is_file():
        return here
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        try:
            text = pyproject.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if "scrubline" not in text:
            return None
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return pyproject  # reading it reports the syntax error with its line
        if isinstance(doc.get("tool"), dict) and "scrubline" in doc["tool"]:
            return pyproject
    return None

