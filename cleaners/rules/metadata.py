"""Metadata tables: datelines, bylines, editors, photo credits, publication names, site
signatures.

Enters: nothing at run time. Leaves: :class:`~cleaners.rules.Entry` tables the
``metadata`` stage lifts fields with, and :data:`SITE_SIGNATURES` (entries with a ``site``
and ``needles``) that the ``boilerplate`` and ``user`` stages read.

Sources: ../shared/PATTERNS.md B7 (credits), B8 (bylines, datelines, source stamps), B9
(PressReader layout), A9 (Chinese source/date lines); ../shared/SEEDS.md (seeds 000, 002,
003, 004). Datelines are glued in real pages (``12:59:31China Daily``, ``AM © IMAGO``), so
no pattern relies on white space between a date and what follows it.
"""

from __future__ import annotations

from cleaners.rules import Entry, alt, compile_pattern, table

# -- shared pieces -------------------------------------------------------------------------

_MONTHS_EN = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTHS_DE = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}  # fmt: skip


_FULL_MONTHS_EN = frozenset(
    "january february march april may june july august september october november december".split()
)


def month_number(name: str) -> int | None:
    """The month number of an English or German month name (full or abbreviated).

    >>> month_number("March"), month_number("Sept."), month_number("März"), month_number("Foo")
    (3, 9, 3, None)
    """
    key = name.lower().rstrip(".")
    if key in _MONTHS_DE:
        return _MONTHS_DE[key]
    if key in _FULL_MONTHS_EN or key == "sept" or (len(key) == 3 and key in _MONTHS_EN):
        return _MONTHS_EN[key[:3]]
    return None


_MONTH_EN = alt(
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec",
)  # fmt: skip
_MONTH_DE = alt(
    "Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
    "September", "Oktober", "November", "Dezember",
)  # fmt: skip

#: A date, with named groups for the parts; ISO, English, German, Chinese and dotted forms.
_DATE = rf"""
(?: (?P<y1>(?:19|20)\d{{2}}) [-/.] (?P<m1>\d{{1,2}}) [-/.] (?P<d1>\d{{1,2}})      # 2024-03-06
  | (?P<mn2>{_MONTH_EN})\.? \s+ (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,? \s+ (?P<y2>(?:19|20)\d{{2}})
  | (?P<d3>\d{{1,2}})(?:st|nd|rd|th)? \s+ (?P<mn3>{_MONTH_EN})\.?,? \s+ (?P<y3>(?:19|20)\d{{2}})
  | (?P<d4>\d{{1,2}})\.\s* (?P<mn4>{_MONTH_DE}) \s+ (?P<y4>(?:19|20)\d{{2}})          # 6. März 2024
  | (?P<d5>\d{{1,2}})\.(?P<m5>\d{{1,2}})\.(?P<y5>(?:19|20)\d{{2}})                    # 06.03.2024
  | (?P<y6>(?:19|20)\d{{2}})\s*年\s*(?P<m6>\d{{1,2}})\s*月\s*(?P<d6>\d{{1,2}})\s*日      # 2024年3月6日
)
"""
#: A time after the date: separators seen are none (glued), ',', 'um', 'at', '|', '-'.
_TIME = r"""
(?: \s* (?:,|um|at|\||-|–|/)? \s*
    (?P<hh>\d{1,2}) : (?P<mi>\d{2}) (?: : (?P<ss>\d{2}) )?
    (?: \s* (?P<ampm>[AaPp])\.?[Mm]\.? )?
    (?: \s* Uhr )?
    (?: \s* (?:UTC|GMT) \s* (?P<tzh>[+-]\d{1,2}) (?::?(?P<tzm>\d{2}))?
      | \s+ (?P<tzname>CET|CEST|MEZ|MESZ|EST|EDT|PST|PDT|BST|JST|HKT|UTC|GMT) \b )?
)?
"""
_WEEKDAY = r"""
(?: (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day | Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun
  | Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag
  | Mo|Di|Mi|Do|Fr|Sa|So|星期[一二三四五六日天]|周[一二三四五六日] ) \.?,? \s*
"""
_DATE_LABEL = r"""
(?: (?i:date|datum|published|posted|updated|last\ updated|veröffentlicht(?:\ am)?|aktualisiert(?:\ am)?|stand)
    \s* [:：]? \s*
  | (?:发布时间|时间|日期|发表于) \s* [:：]? \s* )
"""

#: One token of a person's name: capitalised (also all caps, initials, McX, O’X), or a
#: lower-case particle before a capitalised token.
_NAME_TOKEN = r"(?:\p{Lu}[\p{L}'’-]*\.?|(?:van|von|de|der|den|da|di|du|le|la|al|bin)(?=\s+\p{Lu}))"
NAME = rf"(?:{_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN}){{0,3}}|\p{{Han}}{{2,4}})"
#: Several names: 'A', 'A and B', 'A, B and C', 'A und B'.
NAMES = rf"{NAME}(?:\s*(?:,|\band\b|\bund\b|&|、|和)\s*{NAME})*"
#: Words that never belong to a publication name in a dateline: they open the next field.
_FIELD_WORDS = alt("Editor", "Edited", "By", "Von", "Source", "Quelle", "Photo", "Foto", "Credit")
#: A publication name: 1-6 capitalised words, connectors allowed inside.
PUBLICATION = rf"""
(?:(?!{_FIELD_WORDS}\b)\p{{Lu}}[\p{{L}}\d.&'’-]*)
(?:[ \t]+(?:(?!{_FIELD_WORDS}\b)\p{{Lu}}[\p{{L}}\d.&'’-]*|of|the|and|&|für|der|die|das|am|im|de|du)){{0,5}}
"""

#: A dateline: a date (maybe labelled) at the start of a line, then maybe a time.
DATELINE_TABLE: tuple[Entry, ...] = table(
    Entry(
        id="metadata.lift_date",
        description="Lift the publication date at the start of a header line into metadata.date.",
        category="date",
        source="PATTERNS.md B8, A9; seeds 000:3, 002:1, 003:6",
        kind="search",
        regex=compile_pattern(
            rf"""
            ^ (?P<lead> \s* (?: (?P<pre>[^|\n]{{2,40}}?) \s* \| \s* )? {_DATE_LABEL}? (?:{_WEEKDAY})? )
            (?P<date> {_DATE} {_TIME} )
            """
        ),
        matches=(
            " date 2024-03-11 ",
            "2024-03-06 12:59:31China Daily Editor : Li Yan ECNS App Download",
            "March 6, 2024 um 06:00 AM © IMAGO / Bihlmayerfotografie",
            "people.com.cn | Updated: 2010-10-13 16:59",
            "Updated: March 6, 2024",
            "Friday, November 14, 2025",
        ),
        leaves_alone=(
            "The scale of China's core computing power industry reached 1.8 trillion yuan ($250.1 billion) in 2022, said the China Academy of Information and Communications Technology, a think tank.",
            "Jun 2024 will be remembered.",
        ),
    ),
)

EDITOR_TABLE: tuple[Entry, ...] = table(
    Entry(
        id="metadata.lift_editor",
        description="Lift an 'Editor: Name' field of a dateline into metadata.editor.",
        category="editor",
        source="PATTERNS.md B8; seed 000:3",
        kind="search",
        regex=compile_pattern(
            rf"""
            (?: (?<![\p{{L}}'’]) (?:Editor|Edited\ by|Redakteur(?:in)?|Redaktion)
                (?!['’]s) \s* [:：]? \s*
              | (?:责任编辑|责编|编辑) \s* [:：] \s* )
            (?P<editor> {NAME} )
            """
        ),
        matches=("2024-03-06 12:59:31China Daily Editor : Li Yan ECNS App Download", "责任编辑：李岩"),
        leaves_alone=("Editor's Note: This article was first published in 2019.",),
    ),
)

BYLINE_TABLE: tuple[Entry, ...] = table(
    Entry(
        id="metadata.lift_byline",
        description="Lift a byline line (- By Name, Von Name, Author: Name) into metadata.authors.",
        category="byline",
        source="PATTERNS.md B8, B9; seed 004:5",
        max_chars=120,
        regex=compile_pattern(
            rf"""
            [-–•*]? \s*
            (?: By | BY | Von | VON | Written\ by | (?:Text|Autor(?:in)?|Author|Reporter) \s*: | 作者\s*[:：] | 记者 )
            \s* (?P<names> {NAMES} )
            (?: \s+ (?:in|aus) \s+ (?P<place> \p{{Lu}}[\p{{L}}-]+ (?:\s+\p{{Lu}}[\p{{L}}-]+)? ) )?
            (?: \s* [|,/] \s* (?P<outlet> {PUBLICATION} ) )?
            """
        ),
        matches=("- By Cheng Yu", "- By Patrick M. Dennis", "By CHENG YU in Hong Kong", "Von Max Mustermann und Erika Musterfrau"),
        leaves_alone=("By the time the plan was released, prices had risen.", "Byline"),
    ),
)

#: Picture agencies and outlets seen in ``Name/Outlet`` credits (PATTERNS.md B7). A bare
#: ``Word Word/Word`` line is far more often a menu item (``Medicare/Medicaid``,
#: ``Downtown/Film Row``) than a credit, so the bare form needs one of these.
OUTLETS = (
    "China Daily", "chinadaily.com.cn", "Xinhua", "AFP", "Reuters", "AP", "Associated Press",
    "Getty Images", "Getty", "dpa", "IMAGO", "EPA", "EFE", "VCG", "Visual China Group", "IC",
    "CNS", "China News Service", "ECNS", "China.org.cn", "CGTN", "Global Times",
    "People's Daily", "Bloomberg", "Shutterstock", "iStock", "Alamy", "Keystone",
    "picture alliance", "Sipa", "ANSA", "Kyodo", "Yonhap", "TASS", "Agencies", "For China Daily",
)  # fmt: skip
_OUTLET = alt(*OUTLETS)

CREDIT_TABLE: tuple[Entry, ...] = table(
    Entry(
        id="metadata.lift_credit",
        description="Lift photo credit lines (Name/Outlet, © Agency / Photographer, [Photo/Agencies]).",
        category="credit",
        source="PATTERNS.md B7; seeds 002:5, 003:6",
        max_chars=120,
        starts=("[", "(", "©", "photo", "foto", "bild", "image", "credit", "illustration",
                "grafik", "新华社", "中新社", "记者"),
        ends=("摄", "]", ")", "|", *(o.lower() for o in OUTLETS)),
        regex=compile_pattern(
            rf"""
            [\[(] \s* (?:Photo|Photos|Foto|Image|Xinhua|Agencies|AFP|Reuters|AP|IC|VCG|CFP|
                        China\ Daily|Chinanews|China\.org\.cn) \s* / \s* [^\])\n]{{1,40}} [\])] \s* \|?
            | \(? (?:Photo|Foto)\ by \s+ [^()\n]{{2,60}} \)?                     # (Photo by X/Xinhua)
            | (?:Photo|Photos|Foto|Fotos|Bild|Image|Credit|Illustration|Grafik) \s* : \s* \S.{{1,80}}
            | © \s* \p{{Lu}}[\w.&'’ -]{{1,40}}? (?: \s* / \s* [\w.&'’ -]{{1,40}}? )+   # © IMAGO / X
            | {NAME} \s* / \s* {_OUTLET}                                     # Ma Xuejing/China Daily
            | (?:新华社|中新社)?记者? \s* \p{{Han}}{{2,4}} \s* 摄
            """
        ),
        matches=(
            "Ma Xuejing/China Daily",
            "© IMAGO / Bihlmayerfotografie",
            "[Photo/Agencies]",
            "(Xinhua/Chen Zeguo)",
            "Foto: Hendrik Schmidt/dpa-Zentralbild/dpa +++ dpa-Bildfunk +++",
            "新华社记者 陈晔华摄",
        ),
        leaves_alone=(
            "Input/output costs rose.",
            "Medicare/Medicaid",
            "Downtown/Film Row",
            "Copyright ©1999-2024 All rights reserved.",
            "The photo by the river was taken in May, she said, and later sold.",
        ),
    ),
)

#: Trailing credit glued to a dateline (``… 06:00 AM © IMAGO / Bihlmayerfotografie``).
CREDIT_TAIL_RE = compile_pattern(
    r"""
    (?: © | \(c\) | (?:Photo|Foto|Bild|Credit) \s* : ) \s* \S .*
    """
)

SOURCE_TABLE: tuple[Entry, ...] = table(
    Entry(
        id="metadata.lift_source",
        description="Lift the publication name (masthead line or dateline field) into metadata.source.",
        category="source",
        source="PATTERNS.md B8, B9; seeds 000:3, 004:1",
        max_chars=60,
        regex=compile_pattern(
            rf"""
            (?: (?:Source|Quelle) \s* : \s* | 来源 \s* [:：] \s* )? (?P<source> {PUBLICATION} )
            """
        ),
        matches=("China Daily", "Source: Xinhua", "The Globe and Mail"),
        leaves_alone=("the economy grew", "China Daily reported on Monday that prices rose."),
    ),
)


# -- site signatures ---------------------------------------------------------------------------


#: A signature takes a line of any length (the pattern alone decides).
SIGNATURE_MAX_CHARS = 1_000_000


#: Footer / prompt signatures -> host (SEEDS.md cross-seed observation 1: the footer tells
#: the syndication site, the body does not).
SITE_SIGNATURES: tuple[Entry, ...] = (
    Entry(
        id="ecns_app_prompt",
        description="The ECNS app prompt of ecns.cn pages.",
        max_chars=SIGNATURE_MAX_CHARS,
        regex=compile_pattern(r"ECNS \s+ App \s+ Download"),
        site="ecns.cn",
        needles=("ECNS",),
        matches=("ECNS App Download",),
        leaves_alone=("Download the China Daily app",),
        source="seed 000:3 (ECNS template)",
    ),
    Entry(
        id="china_org_comment_widget",
        description="The comment widget of china.org.cn pages.",
        max_chars=SIGNATURE_MAX_CHARS,
        regex=compile_pattern(
            r"""
            Go\ to\ Forum \s* >> \s* \d+ \s* Comments? (?:\(s\))? .{0,20}
            | \d+ \s* Comment\(s\) (?:\s*Print)? (?:\s*E-?mail)?
            """
        ),
        site="china.org.cn",
        needles=("Comment",),
        matches=("Go to Forum >>0 Comment(s)", "0 Comment(s)Print E-mail"),
        leaves_alone=("12 Comments",),
        source="PATTERNS.md B5; seed 001:16",
    ),
    Entry(
        id="pressreader_stamp",
        description="The PressReader stamp of pressreader.com pages.",
        max_chars=SIGNATURE_MAX_CHARS,
        regex=compile_pattern(
            r"""
            Newspapers\ in\ (?:English|German|French|Spanish|Chinese|Italian|Russian|Arabic|Japanese|Portuguese)
            | Newspapers\ from\ \p{Lu}.{1,40}
            | (?:Printed\ and\ distributed\ by\ )?PressReader(?:\.com)?.{0,60}
            """
        ),
        site="pressreader.com",
        needles=("Newspapers", "PressReader"),
        matches=("Newspapers in English", "Newspapers from Hong Kong"),
        leaves_alone=("Newspapers in english and bengali", "Newspapers in Education"),
        source="PATTERNS.md B9; seed 004:39, 41",
    ),
)
