"""Pattern tables for the ``punctuation`` stage (machine-translation punctuation repair).

Each entry is the *trigger* of one rule of :mod:`cleaners.stages.punctuation`: its
``regex`` finds the candidate spans in one pass, the rule function then checks the context
the pattern cannot see (language, the quotation the mark belongs to, the neighbouring
script). The contract the table test walks: every ``matches`` example is found by the
entry's regex, every ``leaves_alone`` example is not. Look-alikes that only the context
check rejects live in ``tests/cases/punctuation/negative.json``.

Sources: shared/SEEDS.md section 002 and shared/PATTERNS.md section F (real text).

Enters: nothing at run time. Leaves: the trigger entries (:class:`~cleaners.rules.Entry`,
built by :func:`~cleaners.rules.trigger`) and the word lists the rules consult.
"""

from __future__ import annotations

from types import MappingProxyType

import regex

from cleaners.rules import Entry, alt, trigger

# -- character classes and word lists (data) ---------------------------------------------

#: Letters of the CJK scripts (fullwidth punctuation is at home next to them).
CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}\p{Hangul}"
#: Chinese and Japanese letters: their sentences take fullwidth marks (Korean uses ASCII ones).
HAN_KANA = r"\p{Han}\p{Hiragana}\p{Katakana}"
#: Letters of the cased alphabetic scripts these rules are written for.
LATIN_LIKE = r"\p{Latin}\p{Greek}\p{Cyrillic}"

#: Fullwidth CJK punctuation and its ASCII form (used in Latin-script sentences only).
FULLWIDTH_TO_ASCII = MappingProxyType(
    {
        "\uff0c": ",",  # ，
        "\u3001": ",",  # 、 enumeration comma
        "\u3002": ".",  # 。 (ftfy never maps it: no compatibility decomposition)
        "\uff1a": ":",  # ：
        "\uff1b": ";",  # ；
        "\uff01": "!",  # ！
        "\uff1f": "?",  # ？
        "\uff08": "(",  # （
        "\uff09": ")",  # ）
    }
)

#: ASCII punctuation between Chinese characters and the fullwidth form suggested for it.
ASCII_TO_FULLWIDTH = MappingProxyType(
    {",": "，", ".": "。", ":": "：", ";": "；", "!": "！", "?": "？"}
)

#: Verbs of an attribution (``… ,” Zhou said.``), lower case.
SPEECH_VERBS = frozenset(
    {"said", "says", "added", "adds", "noted", "notes", "stated", "states",
     "explained", "explains", "told", "continued", "emphasized", "stressed"}
)

#: Subject pronouns that open a duplicated attribution (``said. he said.``).
PRONOUNS = frozenset({"he", "she", "they", "it", "we"})

#: Capitalised English function words that cannot start a noun phrase continuing after a
#: comma (``sector, The model``): after a comma they mean a lost sentence boundary.
#: ``A`` and ``I`` are left out (``options B, A and C``; ``, I think``).
CAPITALISED_FUNCTION_WORDS = frozenset(
    {"The", "An", "This", "That", "These", "Those", "It", "He", "She", "They", "We",
     "There", "Their", "Its", "His", "Her", "Our", "However", "But", "And", "Or", "So",
     "If", "When", "While", "Although", "Because"}
)

#: Lower-case English function words that never start a sentence (``revitalization. and``).
LOWERCASE_FUNCTION_WORDS = frozenset(
    {"and", "or", "but", "nor", "is", "are", "was", "were", "can", "will", "would",
     "could", "should", "may", "might", "must", "has", "have", "had", "the", "a", "an",
     "to", "of", "in", "on", "for", "with", "by", "at", "from", "as", "that", "which",
     "who", "it", "its", "this", "these", "those", "not", "so", "than", "be", "been",
     "he", "she", "they", "we", "there", "do", "does", "did"}
)

#: Abbreviations after which a lower-case word is ordinary English (compared lower-cased,
#: with the final period). Tokens with an inner period (``U.S.``, ``e.g.``, ``a.m.``) and
#: single-letter initials are exempt anyway.
ABBREVIATIONS = frozenset(
    {"etc.", "vs.", "co.", "dr.", "mr.", "mrs.", "ms.", "inc.", "ltd.", "corp.", "no.",
     "nos.", "st.", "jr.", "sr.", "approx.", "cf.", "al.", "prof.", "gen.", "gov.", "sen.",
     "rep.", "fig.", "figs.", "vol.", "pp.", "p.", "ca.", "viz.", "dept.", "est.", "jan.",
     "feb.", "mar.", "apr.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "bros.",
     "mt.", "ft.", "av.", "ave.", "blvd.", "rd.", "govt.", "assn.", "univ.", "in.", "lb.",
     "lbs.", "oz.", "yd.", "mi.", "min.", "max.", "sec.", "hr.", "hrs.", "yr.", "yrs.", "mo.",
     "wk.", "qt.", "pt.", "tsp.", "tbsp.", "incl.", "excl.", "op.", "ed.", "eds.", "nr.",
     "tel.", "ext.", "ref.", "resp.", "leg."}
)

#: Right-hand parts that make ``word.Part`` a domain or a .NET name, not a sentence end.
DOMAIN_PARTS = frozenset(
    {"com", "org", "net", "cn", "de", "uk", "io", "info", "gov", "edu", "fr", "jp", "ru",
     "eu", "biz", "tv", "me", "co", "ai", "app", "dev", "hk", "tw", "us", "ch", "at"}
)

#: Names that contain a sentence mark followed by a capital (``Yahoo!Japan``).
ENTITY_LEFT_PARTS = frozenset({"yahoo", "jeopardy"})

# -- the trigger patterns ----------------------------------------------------------------


_AFTER_WORD = rf"[{LATIN_LIKE}\p{{N}}\p{{M}})\]\u201d\u2019\"'%]"
_SENTENCE_END = r"""(?=\s|$|["\u201d\u2019)\]\uff09\u300d\u300f])"""


def _space_before(mark: str) -> str:
    """The alternative of :data:`SPACE_BEFORE_PUNCT` for one mark (it starts with the mark)."""
    m = regex.escape(mark)
    extra = r"(?![ \t]+\.)    # not a spaced ellipsis: `word . . .`" if mark == "." else ""
    return rf"""
    {m}                                  # the mark ...
    (?<={_AFTER_WORD}[ \t]+{m})          # ... spaced off a word, a number or a closer
    (?=\s|$|["\u201d\u2019\u00bb])       # ... ending its clause (not `.NET`, ` :)`, ` ...`)
    {extra}
    """


def _closing_quote_spaced(q: str) -> str:
    """The alternative of :data:`SPACE_BEFORE_CLOSING_QUOTE` for one quote character."""
    return rf"""
    {q}                                  # a quote ...
    (?<=\S[ \t]+{q})                     # ... spaced off the word or mark before it
    (?=\s|$|[.,;:!?)\]])                 # ... and not glued to a following word
    """


DOUBLED_PERIOD = trigger(
    "punctuation.collapse_doubled_period",
    "A second period after a sentence end (`. .`, `。.`).",
    rf"""
    \.                          # the first period ...
    (?<=[^.\s][ \t]*\.)         # ... after a word, number, quote or bracket (maybe spaced off)
    (?P<dup>[ \t]+\.)           # white space and a second period: dropped
    (?![ \t]*\.)                # not three periods: `. . .` is a spaced ellipsis
    {_SENTENCE_END}             # the sentence ends there (`e.g. .bashrc` names a file)
    """,
    r"""
    \u3002                      # an ideographic full stop ...
    (?P<dup>[ \t]*\.)           # ... and an ASCII period: dropped
    (?=\s|$|["\u201d\u2019)\]\u300d\u300f])
    """,
    flags=regex.MULTILINE,
    matches=["China's AI industry. .", "the United States. . This", "句号\u3002.", "done . ."],
    leaves_alone=["wait...", "so . . . then", "(...)", "..", "Inc.", "U.S. is", "e.g. .bashrc"],
)

DOUBLED_COMMA = trigger(
    "punctuation.collapse_doubled_comma",
    "Commas after a comma (`, ,`, `，，`).",
    r"""
    ,                           # a comma ...
    (?<=[^,\s\uff0c\d][ \t]*,)  # ... after a word (after a digit `1, ,2` is a data list)
    (?P<dup>(?:[ \t]+[,\uff0c]|[ \t]*\uff0c)+)   # more commas (spaced: `,,` is a German „): dropped
    (?![,\uff0c\d])
    """,
    r"""
    \uff0c                      # a fullwidth comma ...
    (?<=[^,\s\uff0c\d][ \t]*\uff0c)
    (?P<dup>(?:[ \t]*[,\uff0c])+)    # ... and any more commas: dropped
    (?![,\uff0c\d])
    """,
    matches=["work together, , by cooperating", "我们\uff0c\uff0c然后", "a\uff0c, b"],
    leaves_alone=[",,Bild'' sagt", "1, ,2", "a, b, c"],
)

COMMA_BEFORE_PERIOD = trigger(
    "punctuation.drop_comma_before_period",
    "A comma right before the period that ends a sentence.",
    rf"""
    ,                               # a comma ...
    (?<=[^\s,.\uff0c{CJK}][ \t]*,)  # ... after a Latin word, number, quote or bracket ...
    [ \t]*\.                        # ... right before a period ...
    {_SENTENCE_END}                 # ... that ends the sentence (not `, .NET`, `,...`, `,.5`)
    """,
    rf"""
    \uff0c
    (?<=[^\s,.\uff0c{CJK}][ \t]*\uff0c)
    [ \t]*\.
    {_SENTENCE_END}
    """,
    flags=regex.MULTILINE,
    matches=["in 2023\uff0c. Next", "the end,.", "the end , ."],
    leaves_alone=["and,... then", "Co., Ltd.", "etc., and", "中国\uff0c.", "1,.5",
                  "frameworks like Electron, .NET, or Java", "(e.g., .docx, .odt)"],
)

FULLWIDTH_MARK = trigger(
    "punctuation.convert_fullwidth_in_latin",
    "A fullwidth CJK mark with no CJK letter on either side.",
    rf"""
    (?<![{CJK}])                   # the left neighbour is not a CJK character
    [\uff0c\u3001\u3002\uff1a\uff1b\uff01\uff1f\uff08\uff09]
    (?![{CJK}])                    # nor the right one
    """,
    matches=["Hello\uff0cworld", "the end\u3002", "word\uff08note\uff09"],
    leaves_alone=["中国\uff0c美国", "遵循\u3002", "Hello, world"],
)

DOUBLE_APOSTROPHE = trigger(
    "punctuation.replace_double_apostrophe_quotes",
    "Two apostrophes or backticks standing for a double quote.",
    r"""
    (?<!['`])(?:''|``)(?!['`])     # exactly two apostrophes or two backticks
    """,
    matches=["within 1-2 years. '' said Mr. Zhou.", "``Top 10''"],
    leaves_alone=["'''docstring'''", "it's 'software'", "x = '"],
)

_NOT_A_QUOTE = "[^\u2018\u2019\u201c\u201d\u201e\"'\\n]"

QUOTE_PAIR = trigger(
    "punctuation.match_quote_pair",
    "A curly quote closed by a straight one, or the reverse.",
    rf"""
    \u2018{_NOT_A_QUOTE}{{1,200}}?'      # ‘ … closed by a straight apostrophe
    """,
    rf"""
    \u201c{_NOT_A_QUOTE}{{1,200}}?"      # “ … closed by a straight double quote
    """,
    rf"""
    \u201e{_NOT_A_QUOTE}{{1,200}}?"      # German „ … closed by a straight double quote
    """,
    r"""
    "[^"\u201c\u201d\n]{1,200}?\u201d     # a straight opening quote closed by ”
    """,
    matches=["not on whether they are \u2018politically correct'.", "\u201cTop 10\" list",
             "\u201eBild\" sagt", "\"America First\u201d policy"],
    leaves_alone=["\u2018politically correct\u2019.", "\"plain\" quotes", "\u201cfine\u201d"],
)

SPACED_QUOTE = trigger(
    "punctuation.move_space_outside_quote",
    "A quote spaced off its quotation and glued to the word outside.",
    r"""
    "(?<=\S[ \t]+")(?=[\p{L}\p{N}])          # `First "policy`: spaced off before, glued after
    """,
    r"""
    \u201d(?<=\S[ \t]+\u201d)(?=[\p{L}\p{N}])
    """,
    r"""
    "(?<=(?:^|[\s(\[])")[ \t]+(?=\S)          # `" The`: an opener spaced off its first word
    """,
    r"""
    \u201c(?<=(?:^|[\s(\[])\u201c)[ \t]+(?=\S)
    """,
    flags=regex.MULTILINE,
    matches=["Donald Trump's \"America First \"policy", "\" The Present Situation\"",
             "said \u201cAmerica First \u201dpolicy", "\u201c Bench marks are close.\u201d"],
    leaves_alone=["Joe Biden's \u201cBuild Back Better\u201d plan", "(\"x\")"],
)

SPACE_BEFORE_CLOSING_QUOTE = trigger(
    "punctuation.remove_space_before_closing_quote",
    "White space before a closing quote.",
    *(_closing_quote_spaced(q) for q in ('"', "\u201c", "\u201d", "\u2019")),
    flags=regex.MULTILINE,
    matches=["and ongoing uncertainty. \u201d", "in several vertical areas. \u201d",
             "in \"Spanish Springs Valley Ranches. \" The house"],
    leaves_alone=["uncertainty.\u201d", "said \u201cHello\u201d", "sa \u201dHej\u201d"],
)

SPACE_BEFORE_PUNCT = trigger(
    "punctuation.remove_space_before_punct",
    "White space before a mark that ends a clause.",
    *(_space_before(mark) for mark in ".,;:!?"),
    flags=regex.MULTILINE,
    matches=["Editor : Li Yan", "said Mr . Zhou", "Really ?", "word ,"],
    leaves_alone=["and so on ...", "learn .NET", "smile :)", "3 %", "a .5 ratio", "中文 ,",
                  "Amber Rose Is Spotted . . . Driving"],
)

MISSING_SPACE = trigger(
    "punctuation.insert_space_after_sentence_end",
    "A sentence mark glued to the next capitalised word.",
    *(
        rf"""
        {regex.escape(mark)}                       # a sentence mark ...
        (?<=\p{{Ll}}\p{{Ll}}{regex.escape(mark)})  # ... after two lower-case letters
        (?=\p{{Lu}}\p{{Ll}})                       # ... glued to a capitalised word
        """
        for mark in ".!?"
    ),
    matches=["hands and technology.There is", "AI applications.China still", "really?Yes"],
    leaves_alone=["DALL.E 3", "U.S. is", "GPT-4.0", "ISC.AI", "China.org.cn", "Mr.Smith"],
)

DUPLICATE_ATTRIBUTION = trigger(
    "punctuation.drop_duplicate_attribution",
    "A second attribution (` he said.`) after a complete one.",
    rf"""
    [,.!?]["\u201d\u2019][ \t]+     # the end of a quotation: ,”
    (?:                             # an attribution: `Zhou said` or `said Mr. Zhou`
        (?:\p{{Lu}}[\p{{L}}\p{{M}}'\u2019\-]*\.?[ \t]+){{1,4}}{alt(*SPEECH_VERBS)}
      | (?:he|she|they)[ \t]+{alt(*SPEECH_VERBS)}
      | {alt(*SPEECH_VERBS)}(?:[ \t]+\p{{Lu}}[\p{{L}}\p{{M}}'\u2019\-]*\.?){{1,4}}
    )
    \.
    (?P<dup>[ \t]+{alt(*PRONOUNS)}[ \t]+{alt(*SPEECH_VERBS)}\.)   # ` he said.`: dropped
    (?=\s|$)
    """,
    flags=regex.MULTILINE,
    matches=["frameworks,\u201d Zhou said. he said.", "a deal,\" said Mr. Li. she added."],
    leaves_alone=["frameworks,\u201d Zhou said. He said more.", "\u201cYes,\u201d he said."],
)

DISPLACED_ATTRIBUTION = trigger(
    "punctuation.flag_displaced_attribution",
    "A lower-case `said X` right after a full stop.",
    r"""
    \.[ \t]+(?:said|says)[ \t]+\p{Lu}   # a lower-case `said` right after a full stop
    """,
    matches=["capabilities,\u201d 360 Security said. said Hongyi Zhou, founder."],
    leaves_alone=["and nothing was said. Said once, not on every focus.",
                  "\u201cOK,\u201d he said."],
)

COMMA_CAPITAL = trigger(
    "punctuation.flag_comma_capital",
    "A comma before a capitalised function word going on in lower case.",
    rf"""
    ,[ \t]+(?P<word>{alt(*CAPITALISED_FUNCTION_WORDS)})   # a comma, a capitalised function word
    [ \t]+\p{{Ll}}                                        # continuing in lower case
    """,
    matches=["within that vertical sector, The model will"],
    leaves_alone=["Nanjing, Provinz Jiangsu", "in the Netherlands, The Hague", "said, \u201cThe"],
)

PERIOD_LOWERCASE = trigger(
    "punctuation.flag_period_lowercase",
    "A full stop before a lower-case function word.",
    rf"""
    \.(?<=[^\s.]\.)                # a full stop after a word (the rule exempts abbreviations)
    [ \t]+(?P<word>{alt(*LOWERCASE_FUNCTION_WORDS)})\b   # and a lower-case function word
    """,
    matches=["promote industrial revitalization. and accelerate the layout"],
    leaves_alone=["wait... and then", "revitalization. And then", "revitalization, and"],
)

ASCII_IN_CHINESE = trigger(
    "punctuation.flag_ascii_in_chinese",
    "An ASCII mark between Chinese characters.",
    rf"""
    (?<=[{HAN_KANA}])              # after a Chinese (or Japanese) character
    (?:[,;:!?]|\.(?!\.))           # an ASCII mark (not an ellipsis)
    (?=[{HAN_KANA}]|[ \t]*$)       # before another one or the end of the line
    """,
    flags=regex.MULTILINE,
    matches=["中国,美国", "他说:我们", "结束."],
    leaves_alone=["中国\uff0c美国", "版本2.0", "中国...", "ChatGPT, Sora", "\uc911\uc774\ub2e4."],
)

REVERSED_OPENING_QUOTE = trigger(
    "punctuation.flag_reversed_opening_quote",
    "A closing quote that opens Chinese text.",
    rf"""
    \u201d                                          # a closing quote ...
    (?<=(?:^|[\s:\uff1a,\uff0c(\uff08])\u201d)      # ... at an opening position ...
    (?=[{HAN_KANA}])                                # ... that opens Chinese text
    """,
    flags=regex.MULTILINE,
    matches=["报道在倒数第三段中写道:\u201d中国最后领导人"],
    leaves_alone=["写道:\u201c中国", "sa \u201dHej\u201d"],
)

#: Every entry of this table, in the order the stage applies them.
PUNCTUATION_PATTERNS: tuple[Entry, ...] = (
    DOUBLED_PERIOD,
    DOUBLED_COMMA,
    COMMA_BEFORE_PERIOD,
    FULLWIDTH_MARK,
    DOUBLE_APOSTROPHE,
    QUOTE_PAIR,
    SPACED_QUOTE,
    SPACE_BEFORE_CLOSING_QUOTE,
    SPACE_BEFORE_PUNCT,
    MISSING_SPACE,
    DUPLICATE_ATTRIBUTION,
    DISPLACED_ATTRIBUTION,
    COMMA_CAPITAL,
    PERIOD_LOWERCASE,
    ASCII_IN_CHINESE,
    REVERSED_OPENING_QUOTE,
)
