"""Language identification: every stage that needs to know a text's language asks here.

What enters: text (or a page's word tokens). What leaves: a language code or ``None``.
Three questions, three functions:

* :func:`detect_language`: *which language is this document written in?* (BCP 47, for
  ``metadata.language`` and :attr:`DocState.language <cleaners.core.state.DocState.language>`),
  by script for CJK and a statistical model (py3langid) for the rest;
* :func:`stop_word_language`: *which stop-word list fits this page best?* (the line
  classifier's question: counting hits of each list's words, fast, and ``None`` when no list
  fits, which is an answer in itself);
* :func:`is_written_in`: *is this document in one of these languages?*, cheaply: a
  configured language answers at once, and on long texts a few cue words must show before
  detection runs (the gate the punctuation repairs need).

The model loads on first use (~0.8 s), never at import, so ``import cleaners`` stays fast.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain

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
    if _identifier is None:  # an optional, heavy dependency: loaded on first use
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


#: A page's best stop-word list needs at least this many hits to be trusted.
STOP_WORD_MIN_HITS_DEFAULT = 10


def stop_word_language(
    tokens: Iterable[Sequence[str]],
    cjk: int,
    languages_by_word: Mapping[str, Iterable[str]],
    *,
    min_hits: int = STOP_WORD_MIN_HITS_DEFAULT,
) -> str | None:
    """The stop-word list that fits a page best, or ``None`` when none fits.

    ``tokens``: the lower-cased words of each line; ``cjk``: the page's CJK characters;
    ``languages_by_word``: the languages whose stop-word list holds each word (the table is
    the caller's: :data:`cleaners.rules.stopwords.LANGUAGES_BY_WORD`). Chinese (``zh``) is
    chosen when CJK characters outnumber the words; else the list with the most hits, if it
    has ``min_hits``.

    >>> table = {"the": ("en",), "and": ("en",), "der": ("de",)}
    >>> stop_word_language([["the", "cat", "and", "the"]] * 4, 0, table)
    'en'
    >>> stop_word_language([["der", "hund"]], 0, table) is None
    True
    >>> stop_word_language([["ok"]], 5, table)
    'zh'
    """
    counts = Counter(chain.from_iterable(tokens))
    hits: Counter[str] = Counter()
    get = languages_by_word.get
    for w, n in counts.items():
        langs = get(w)
        if langs:
            for lang in langs:
                hits[lang] += n
    if cjk > counts.total():
        return "zh"
    if not hits:
        return None
    lang, n = hits.most_common(1)[0]
    return lang if n >= min_hits else None


def primary_subtag(lang: str | None) -> str:
    """The primary language subtag of a BCP 47 code, lower-case (``""`` for none).

    >>> primary_subtag("de-CH"), primary_subtag(None)
    ('de', '')
    """
    return lang.split("-")[0].lower() if lang else ""


#: :func:`is_written_in` on a text longer than this detects only when cue words show: at
#: least :data:`CUE_MIN_HITS_DEFAULT` of them in its first :data:`CUE_SAMPLE_CHARS_DEFAULT`
#: characters (detection reads the text and costs tens of milliseconds).
CUE_GATE_CHARS_DEFAULT, CUE_MIN_HITS_DEFAULT, CUE_SAMPLE_CHARS_DEFAULT = 4000, 3, 20_000


def is_written_in(
    text: str,
    langs: frozenset[str],
    cue_words: Sequence[str],
    *,
    configured: str | None,
    detected: Callable[[], str | None],
) -> bool:
    """Whether a document is written in one of ``langs`` (primary subtags), asking the
    detector only when needed.

    ``configured``: the language the config sets (it answers alone). ``detected``: returns
    the detected language (called at most once; detection costs tens of milliseconds). A
    text longer than :data:`CUE_GATE_CHARS_DEFAULT` must first show
    :data:`CUE_MIN_HITS_DEFAULT` of ``cue_words`` (counted with ``str.count``).

    >>> is_written_in("x", frozenset({"fr"}), (), configured="fr-CA", detected=lambda: None)
    True
    >>> is_written_in("Hello " * 1000, frozenset({"fr"}), (" les ",), configured=None,
    ...               detected=lambda: "fr")
    False
    """
    if configured:
        return primary_subtag(configured) in langs
    if len(text) > CUE_GATE_CHARS_DEFAULT:
        sample = text[:CUE_SAMPLE_CHARS_DEFAULT]
        if sum(sample.count(w) for w in cue_words) < CUE_MIN_HITS_DEFAULT:
            return False
    return primary_subtag(detected()) in langs
