"""Where each key of a config file is: its TOML text in; key paths as TOML writes them
(:func:`key_name`) and the line each key path is defined on (:class:`KeyLocator`) out.

tomllib gives values, not positions, so :class:`KeyLocator` scans the text once and records
the line where each key, table and array item is defined; a problem report then reads
``scrubline.toml:12: site."ecns.cn".disable[1]: unknown rule or stage id ...``.
"""

from __future__ import annotations

import bisect
import tomllib

from cleaners.core.safety import safe_compile

_BARE_KEY_RE = safe_compile(r"[A-Za-z0-9_-]+")

#: A key path: table and key names, and indexes into arrays.
KeyPath = tuple[str | int, ...]


def key_name(path: KeyPath) -> str:
    """A key path as TOML writes it.

    >>> key_name(("site", "ecns.cn", "disable", 1))
    'site."ecns.cn".disable[1]'
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        text = part if _BARE_KEY_RE.fullmatch(part) else '"' + part.replace('"', '\\"') + '"'
        out += ("." if out else "") + text
    return out


# -- where each key is -----------------------------------------------------------------


class KeyLocator:
    """Line numbers of the keys, tables and array items of a (valid) TOML text.

    tomllib gives values, not positions; this small scanner walks the text once and
    records the line where each key path is defined, so that errors can name it.

    >>> loc = KeyLocator('a = 1\\n[site."x.org"]\\ndisable = [\\n  "p",\\n  "q"]\\n')
    >>> loc.line(("site", "x.org", "disable", 1)), loc.line(("site", "x.org")), loc.line(("a",))
    (5, 2, 1)
    """

    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.nl = [k for k, ch in enumerate(text) if ch == "\n"]
        self.lines: dict[KeyPath, int] = {}
        self.aot: dict[KeyPath, int] = {}
        try:
            self._document()
        except (IndexError, ValueError):
            pass  # positions are a courtesy: a scanner hiccup never hides the real error

    def line(self, path: KeyPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return None

    def _lineno(self, pos: int) -> int:
        return bisect.bisect_right(self.nl, pos - 1) + 1

    def _ws(self, newlines: bool = False) -> None:
        s = self.s
        while self.i < len(s):
            ch = s[self.i]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.i += 1
            elif ch == "#":
                while self.i < len(s) and s[self.i] != "\n":
                    self.i += 1
            else:
                return

    def _document(self) -> None:
        s = self.s
        table: KeyPath = ()
        while True:
            self._ws(newlines=True)
            if self.i >= len(s):
                return
            start = self.i
            if s.startswith("[[", self.i):
                self.i += 2
                key = self._key()
                self.i = s.index("]]", self.i) + 2
                n = self.aot.get(key, -1) + 1
                self.aot[key] = n
                table = key + (n,)
                self.lines.setdefault(key, self._lineno(start))
                self.lines[table] = self._lineno(start)
            elif s[self.i] == "[":
                self.i += 1
                table = self._key()
                self.i = s.index("]", self.i) + 1
                self.lines[table] = self._lineno(start)
            else:
                self._key_value(table)

    def _key_value(self, base: KeyPath) -> None:
        """A ``key = value`` pair under ``base``: record the key's line, skip the value."""
        at = self.i
        key = base + self._key()
        self.lines.setdefault(key, self._lineno(at))
        self._ws()
        self.i += 1  # "="
        self._ws()
        self._value(key)

    def _key(self) -> KeyPath:
        parts: list[str | int] = []
        while True:
            self._ws()
            s = self.s
            ch = s[self.i]
            if ch == '"':
                end = self._basic_end(self.i + 1)
                parts.append(tomllib.loads("k = " + s[self.i : end])["k"])
                self.i = end
            elif ch == "'":
                end = s.index("'", self.i + 1) + 1
                parts.append(s[self.i + 1 : end - 1])
                self.i = end
            else:
                m = _BARE_KEY_RE.match(s, self.i)
                if m is None:
                    raise ValueError("key expected")
                parts.append(m.group(0))
                self.i = m.end()
            self._ws()
            if self.i < len(s) and s[self.i] == ".":
                self.i += 1
                continue
            return tuple(parts)

    def _basic_end(self, pos: int) -> int:
        s = self.s
        while s[pos] != '"':
            pos += 2 if s[pos] == "\\" else 1
        return pos + 1

    def _value(self, path: KeyPath) -> None:
        s = self.s
        if s.startswith('"""', self.i):
            pos = self.i + 3
            while not s.startswith('"""', pos):
                pos += 2 if s[pos] == "\\" else 1
            self.i = pos + 3
            while self.i < len(s) and s[self.i] == '"':
                self.i += 1
        elif s.startswith("'''", self.i):
            self.i = s.index("'''", self.i + 3) + 3
            while self.i < len(s) and s[self.i] == "'":
                self.i += 1
        elif s[self.i] == '"':
            self.i = self._basic_end(self.i + 1)
        elif s[self.i] == "'":
            self.i = s.index("'", self.i + 1) + 1
        elif s[self.i] == "[":
            self.i += 1
            n = 0
            while True:
                self._ws(newlines=True)
                if s[self.i] == "]":
                    self.i += 1
                    return
                self.lines[path + (n,)] = self._lineno(self.i)
                self._value(path + (n,))
                n += 1
                self._ws(newlines=True)
                if s[self.i] == ",":
                    self.i += 1
        elif s[self.i] == "{":
            self.i += 1
            while True:
                self._ws()
                if s[self.i] == "}":
                    self.i += 1
                    return
                self._key_value(path)
                self._ws()
                if s[self.i] == ",":
                    self.i += 1
        else:
            while self.i < len(s) and s[self.i] not in ",]}\n#":
                self.i += 1

