"""Language identification with a model that ships inside its package (py3langid).

The model loads on first use (~0.8 s), never at import, so ``import cleaners`` stays fast.
"""

from __future__ import annotations

from cleaners.core.safety import safe_compile

#: Fewer letters than this and detection is a coin toss: report no language.
MIN_LETTERS_DEFAULT = 20
#: Share of Han characters among letters above which a text is Chinese outright.
HAN_SHARE_DEFAULT = 0.3

_NON_LETTER_RE = safe_compile(r"\P{L}+", linear=True)
_HAN_RE = safe_compile(r"\p{Han}", linear=True)
_KANA_RE = safe_compile(r"[\p{Hiragana}\p{Katakana}]")
_HANGUL_RE = safe_compile(r"\p{Hangul}")

_identifier = None


def _classify(text: str) -> str:
    global _identifier
    if _identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    return str(_identifier.classify(text)[0])


#: Characters of a document the detector reads: enough for a stable answer on prose, and
#: the model's cost grows with it (it was 45% of the pipeline's time at 20,000).
SAMPLE_CHARS_DEFAULT = 1500


def detect_language(text: str, *, sample: int = SAMPLE_CHARS_DEFAULT) -> str | None:
    """Return the BCP 47 code of ``text``'s language, or ``None`` when there is too little text.

    Script decides first (Han without kana is ``zh``, kana ``ja``, Hangul ``ko``); the
    statistical model decides among the rest, on at most ``sample`` characters.

    >>> detect_language("Chinas Industrieketten für künstliche Intelligenz dürften sich entwickeln")
    'de'
    >>> detect_language("中国人工智能产业链有望迎来前所未有的发展机遇")
    'zh'
    >>> detect_language("Hi!") is None
    True
    """
    head = text[:sample]
    if len(text) > sample:
        # skip the first lines (menus, logos) when there is more text to read
        mid = len(text) // 4
        head = text[mid : mid + sample]
    letters = len(_NON_LETTER_RE.sub("", head))
    if letters < MIN_LETTERS_DEFAULT:
        return None
    if not head.isascii():
        han = len(_HAN_RE.findall(head))
        if _KANA_RE.search(head) and han + len(_KANA_RE.findall(head)) > HAN_SHARE_DEFAULT * letters:
            return "ja"
        if len(_HANGUL_RE.findall(head)) > HAN_SHARE_DEFAULT * letters:
            return "ko"
        if han > HAN_SHARE_DEFAULT * letters:
            return "zh"
    return _classify(head)
