"""``scrubline config``: ``show`` the effective config, ``check`` a file, ``init`` a starter.

``show INPUT`` cleans the document with the library (nothing is written) to learn which
site section applies to it, since a section may be matched by the site the document names.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cleaners import io
from cleaners.cli import common
from cleaners.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Handler, add_command, fail
from cleaners import configload
from cleaners.core.config import USER_MAX_CHARS_DEFAULT, thresholds
from cleaners.core.pipeline import clean

NO_CONFIG_TEXT = (
    "scrubline: error: no config file found (scrubline.toml here, or [tool.scrubline] in "
    "./pyproject.toml); give a PATH or run `scrubline config init`"
)
EXISTS_TEXT = "scrubline: error: {path} exists; pass --force to overwrite it"

STARTER = '''\
# scrubline.toml: how scrubline cleans the documents of this folder.
#
# Found when you clean this folder (or pass it with --config PATH); a [tool.scrubline]
# table in pyproject.toml works the same way. Command-line options win over this file, a
# [site."<host>"] section wins over the global settings, keep patterns win over drops.
# Check it with `scrubline config check`; see what applies to one document with
# `scrubline config show FILE`. Every setting below is commented out: this file changes
# nothing until you uncomment something.

# Rule or stage ids to skip (`scrubline rules` lists them all).
# disable = ["punctuation.flag_period_lowercase", "boilerplate.drop_caption_block"]

# OCR repairs: "auto" decides per document, "on" always, "off" never.
# ocr = "auto"

# A BCP 47 code (e.g. "de", "zh-Hans") instead of language detection, or "auto".
# language = "auto"

[output]
# Record every edit in the sidecars (false: smaller sidecars, same cleaned text).
# edits = true

[boilerplate]
# Layout thresholds of the boilerplate stage (defaults shown).
# licence_line_max_chars = 300
# headline_max_chars = 150
# caption_max_chars = 200
# blank_break_share = 0.7
# The line classifier (what it keeps as the article; see docs/configuration.md):
# classifier_article_min_words = 80
# classifier_switch_cost = 12.0
# classifier_prose_min_chars = 200
# classifier_prose_stop_share = 0.3
# classifier_wordlist_stop_share = 0.15

[drop]
# Your own drop patterns: each name becomes the rule id user.<name>, shown in edits,
# diffs, the report and `scrubline rules`. A plain string is literal text that must be
# the whole line; a table takes literal = or regex = (the `regex` module), and
#   match = "line" (whole line, default) | "contains" | "span" (drop just the match),
#   ignore_case = false, max_chars = 200 (contains: longer lines are kept),
#   description = "one line for the report".
# share_bar = "Share this article"
# forum_widget = { regex = 'Go to Forum >>\\s*\\d+ Comments?(\\(s\\))?', match = "line" }

[keep]
# Lines that must never be dropped, by any rule (keep wins). Same forms as [drop]
# (match = "line" or "contains").
# press_note = { literal = "Press release", match = "contains" }

# Per-site sections: the same keys, for one site's documents. A section applies when the
# input path matches one of its `paths` globs (relative to the input folder), else when
# the document names the site (site metadata, a footer that names its site, or the host
# of the page's URL; subdomains included).
# [site."ecns.cn"]
# paths = ["ecns/**"]
# disable = ["boilerplate.drop_related_block"]
# enable = []
# Pinned site profile: exact (whitespace-normalized) lines to drop for this site.
# boilerplate_lines = ["Most popular in 24h", "MoreTop news"]
#
# [site."ecns.cn".drop]
# related = "Related news"
'''


# -- TOML-ish rendering --------------------------------------------------------------


def _s(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _rule_toml(r: Any) -> str:
    parts = [f"{'regex' if r.regex else 'literal'} = {_s(r.pattern)}"]
    if r.match != "line":
        parts.append(f"match = {_s(r.match)}")
    if r.ignore_case:
        parts.append("ignore_case = true")
    if r.max_chars != USER_MAX_CHARS_DEFAULT:
        parts.append(f"max_chars = {r.max_chars}")
    if r.description:
        parts.append(f"description = {_s(r.description)}")
    return f"{r.id.split('.', 1)[1]} = {{ {', '.join(parts)} }}"


def _layer_toml(c: Any, prefix: str = "") -> list[str]:
    """Global settings (or an effective config) as TOML lines."""
    ocr = {None: "auto", True: "on", False: "off"}[c.ocr]
    out = [
        f"disable = [{', '.join(_s(x) for x in sorted(c.disabled))}]",
        f"ocr = {_s(ocr)}",
        f"language = {_s(c.language or 'auto')}",
        "",
        f"[{prefix}output]",
        f"edits = {'true' if c.record_edits else 'false'}",
    ]
    declared = thresholds()
    for stage in sorted({k.split('.', 1)[0] for k in declared}):
        out += ["", f"[{prefix}{stage}]"]
        for key in sorted(k for k in declared if k.startswith(stage + ".")):
            value = c.threshold(key)
            line = f"{key.split('.', 1)[1]} = {value}"
            out.append(line if value != declared[key].default or _is_set(c, key) else f"# {line}  (default)")
    for action in ("drop", "keep"):
        rules = [r for r in c.user_rules if r.action == action]
        if rules:
            out += ["", f"[{prefix}{action}]"]
            for r in rules:
                origin = f'  # from [site."{r.section}"]' if r.section else ""
                out.append(_rule_toml(r) + origin)
    return out


def _is_set(c: Any, key: str) -> bool:
    return any(k == key for k, _v in c.thresholds)


def _section_toml(s: Any) -> list[str]:
    key = f"site.{_s(s.key)}"
    out = ["", f"[{key}]"]
    if s.paths:
        out.append(f"paths = [{', '.join(_s(p) for p in s.paths)}]")
    for name in ("disable", "enable"):
        ids = getattr(s, name)
        if ids:
            out.append(f"{name} = [{', '.join(_s(x) for x in sorted(ids))}]")
    if s.ocr is not None:
        out.append(f"ocr = {_s(s.ocr)}")
    if s.language is not None:
        out.append(f"language = {_s(s.language)}")
    if s.boilerplate_lines is not None:
        out.append(f"boilerplate_lines = [{', '.join(_s(x) for x in s.boilerplate_lines)}]")
    if s.record_edits is not None:
        out += [f"[{key}.output]", f"edits = {'true' if s.record_edits else 'false'}"]
    stages: dict[str, list[str]] = {}
    for k, v in s.thresholds:
        stage, name = k.split(".", 1)
        stages.setdefault(stage, []).append(f"{name} = {v}")
    for stage, lines in stages.items():
        out += [f"[{key}.{stage}]", *lines]
    for action in ("drop", "keep"):
        rules = [r for r in s.user_rules if r.action == action]
        if rules:
            out += [f"[{key}.{action}]", *(_rule_toml(r) for r in rules)]
    return out


def render_config(c: Any) -> str:
    """A root config (global settings and sections) or an effective one, as TOML."""
    lines = _layer_toml(c)
    for s in c.sites:
        lines += _section_toml(s)
    if c.site_profiles:
        lines += ["", "# pinned site profiles applied (boilerplate.drop_site_profile_line)"]
        for site, prof in c.site_profiles:
            lines.append(f"# {site}: {', '.join(_s(x) for x in prof)}")
    return "\n".join(lines) + "\n"


def config_json(c: Any) -> dict[str, Any]:
    d = asdict(c)
    d["disabled"] = sorted(c.disabled)
    for s in d["sites"]:
        s["disable"] = sorted(s["disable"])
        s["enable"] = sorted(s["enable"])
    d.pop("base_digest", None)
    d["config_hash"] = c.digest()
    return d


# -- commands ----------------------------------------------------------------------------


def _rel_for(path: Path, config_file: Path | None) -> str:
    """The input path ``paths`` globs see: relative to the config file's folder when the
    document lies under it (the usual input folder), else the file's name."""
    if config_file is not None and config_file.name == "scrubline.toml":
        try:
            return path.resolve().relative_to(config_file.resolve().parent).as_posix()
        except ValueError:
            pass
    return path.name


def run_show(args: argparse.Namespace) -> int:
    """print the effective config (which file, which site section applied)

    Print the config a run would use: with a document, the effective config for it (its site
    section resolved; the document is cleaned on the fly, nothing is written); with a folder
    or nothing, the global settings and every site section.
    """
    inputs = [args.input] if args.input else []
    if args.input and not Path(args.input).exists():
        return fail(f"{args.input} not found")
    try:
        found = Path(args.config) if args.config else configload.find_config(inputs)
        root = configload.run_config(inputs, args.config, disable=args.disable)
    except ValueError as exc:
        return fail(exc)
    header = [f"# config file: {found if found is not None else 'none (defaults)'}"]
    shown = root
    if args.input and Path(args.input).is_file():
        shown = effective_for(Path(args.input), root, found, args.format)
        if isinstance(shown, str):
            return fail(shown, EXIT_FAILED)
        header.append(f"# document: {args.input} (input path {_rel_for(Path(args.input), found)!r})")
        if shown.site is None:
            header.append("# site section: none")
        else:
            how = shown.matched_by
            header.append(f'# site section: [site."{shown.site}"] (matched by {how})')
        header.append(f"# hosts the document names: {', '.join(shown.site_keys) or 'none'}")
    elif args.input:
        header.append(f"# {args.input} is a folder: global settings and every site section")
    header.append(f"# config_hash: {shown.digest()}")
    if args.json:
        out = config_json(shown)
        out["file"] = str(found) if found is not None else None
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    sys.stdout.write("\n".join(header) + "\n\n" + render_config(shown))
    return EXIT_OK


def effective_for(path: Path, root: Any, config_file: Path | None, fmt: str) -> Any:
    """The effective config of one document (cleaned on the fly), or an error text."""
    try:
        data = path.read_bytes()
        doc_fmt = io.sniff_format(path, data[: io.SNIFF_BYTES]) if fmt == "auto" else fmt
        text = io.sniff_text(data, is_html=doc_fmt == "html").text
        result = clean(text, fmt=doc_fmt, config=root, path=_rel_for(path, config_file))
    except Exception as exc:  # say why, do not crash
        return f"cleaning {path} failed: {type(exc).__name__}: {exc}"
    return result.config


def run_check(args: argparse.Namespace) -> int:
    """validate a config file (every problem with its line and key)

    Validate a config file: TOML syntax, keys, types, rule ids, regexes. Exit 0 if valid, 1
    with the problems listed, 2 if there is no file.
    """
    try:
        path = Path(args.path) if args.path else configload.find_config()
    except ValueError as exc:
        return fail(exc)
    if path is None:
        print(NO_CONFIG_TEXT, file=sys.stderr)
        return EXIT_USAGE
    if path.is_dir():
        path = path / configload.CONFIG_FILENAME
    if not path.is_file():
        return fail(f"{path} not found")
    try:
        config = configload.load_config(path)
    except configload.ConfigError as exc:
        for problem in exc.problems:
            print(f"scrubline: error: {problem}", file=sys.stderr)
        return EXIT_FAILED
    n_rules = len(config.user_rules) + sum(len(s.user_rules) for s in config.sites)
    print(
        f"{path}: ok: {len(config.disabled)} disabled, {n_rules} user rules, "
        f"{len(config.sites)} site sections; config_hash {config.digest()}"
    )
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    """write a commented starter scrubline.toml

    Write a commented starter config (every setting shown, none active).
    """
    path = Path(args.path or configload.CONFIG_FILENAME)
    if path.is_dir():
        path = path / configload.CONFIG_FILENAME
    if path.exists() and not args.force:
        print(EXISTS_TEXT.format(path=path), file=sys.stderr)
        return EXIT_USAGE
    try:
        io.atomic_write(path, STARTER.encode("utf-8"))  # mode 0o666 less the umask
    except OSError as exc:
        print(f"scrubline: error: cannot write {path}: {exc.strerror or exc} "
              f"(nothing was written)", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {path}; edit it, then `scrubline config check {path}`", file=sys.stderr)
    return EXIT_OK


def run_action(args: argparse.Namespace) -> int:
    """show, check or create the configuration (scrubline.toml)

    Configuration users own: rule switches, drop/keep patterns and per-site sections in
    scrubline.toml (or [tool.scrubline] in pyproject.toml).
    """
    return ACTIONS[args.config_command](args)


#: The command of each ``scrubline config`` action.
ACTIONS = {"show": run_show, "check": run_check, "init": run_init}


def register(sub: Any) -> dict[str, Handler]:
    """Add ``config`` with ``show``, ``check`` and ``init``."""
    p = add_command(sub, "config", run_action)
    cs = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)

    show = add_command(cs, "show", run_show)
    show.add_argument("input", nargs="?", metavar="INPUT", help="a document or an input folder")
    common.add_config_option(show, "use this config file instead of discovery")
    common.add_disable_option(show, "as for clean: the command line wins over the file")
    common.add_format_option(show, "input format of INPUT (default: auto)")
    common.add_json_option(show)

    check = add_command(cs, "check", run_check)
    check.add_argument("path", nargs="?", metavar="PATH",
                       help="the file (default: ./scrubline.toml or ./pyproject.toml)")  # fmt: skip

    init = add_command(cs, "init", run_init)
    init.add_argument("path", nargs="?", metavar="PATH", help="where (default: ./scrubline.toml)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    return {"config": run_action}
