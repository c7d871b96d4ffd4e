"""Boilerplate tables B/C: whole-line chrome (rights lines, navigation, prompts, stamps).

Enters: nothing at run time. Leaves: :data:`LINE_TABLE`, entries that match the *stripped*
line with ``fullmatch`` and a length limit, so a sentence that merely mentions a phrase
(``…concerns about ethics, copyright protection…``) is never taken; and :data:`TAIL_TABLE`,
the same chrome glued to the end of a metadata line.

Sources: ../shared/PATTERNS.md sections A (Chinese licence lines), B (English footers and
chrome), C (German chrome); the seeds (../shared/SEEDS.md). Every example is real text
from those sources.
"""

from __future__ import annotations

from cleaners.rules import Entry, alt, compile_pattern, table

# -- B/C. Whole-line entries --------------------------------------------------------------------

#: Labels of related / popular / more blocks (PATTERNS.md B4, C3). They are block headers on
#: their own and may come glued to each other (``MoreTop news``).
BLOCK_LABELS = (
    "Related news", "Related articles", "Related stories", "Related posts", "Related content",
    "Related coverage", "Related links", "Related reading", "Related", "Read more", "Read also",
    "Read next", "Also read", "More news", "More stories", "More from", "Most popular",
    "Most read", "Most viewed", "Most shared", "Most commented", "Top news", "Top stories",
    "Latest news", "Latest stories", "Trending", "Trending now", "Recommended",
    "Recommended for you", "You may also like", "You might also like", "Editor's picks",
    "Editors' picks", "Don't miss", "Mehr zum Thema", "Lesen Sie auch", "Lesen Sie mehr zum Thema",
    "Weitere Beiträge", "Weitere Artikel", "Das könnte Sie auch interessieren", "Meistgelesen",
    "Top-Themen", "Mehr von der SZ", "Partnerangebote", "Unsere Kernprodukte",
    "相关新闻", "相关阅读", "相关文章", "热门推荐", "推荐阅读", "延伸阅读", "热点新闻", "最新新闻",
)  # fmt: skip
_BLOCK_LABELS = alt(*BLOCK_LABELS)

#: Labels of site navigation links (PATTERNS.md B3): a line made only of them is a nav bar.
NAV_LABELS = (
    "About Us", "About", "Jobs", "Careers", "Contact Us", "Contact", "Privacy Policy", "Privacy",
    "Terms of Use", "Terms of Service", "Terms", "Sitemap", "Site Map", "Advertise",
    "Advertise with us", "Home", "Homepage", "Help", "FAQ", "Subscribe", "Newsletter", "RSS",
    "Cookie Policy", "Cookies", "Accessibility", "Impressum", "Datenschutz", "Datenschutzerklärung",
    "Kontakt", "AGB", "Nutzungsbedingungen", "Barrierefreiheit", "Mediadaten", "Startseite",
    "关于我们", "联系我们", "网站地图", "广告服务", "隐私政策", "首页",
)  # fmt: skip
_NAV_LABELS = alt(*NAV_LABELS)

BACK_TO_TOP = (
    "Back to top", "Back to blog", "Back to home", "Back to homepage", "Back to news",
    "Back to overview", "Back to articles", "Back to all posts", "Back to all articles",
    "Zurück zur Übersicht", "Zurück zur Startseite", "Back to the top", "Go to top", "To top", "Top of page", "Top of the page",
    "Zum Seitenanfang", "Nach oben", "返回顶部", "回到顶部",
)  # fmt: skip
_BACK_TO_TOP = alt(*BACK_TO_TOP)
SOCIAL_NETWORKS = (
    "Facebook", "Twitter", "LinkedIn", "WhatsApp", "WeChat", "Weibo", "Email", "E-Mail",
    "Telegram", "Reddit", "Pinterest", "Instagram", "Xing", "Flipboard",
)  # fmt: skip
_SOCIAL = alt(*SOCIAL_NETWORKS)
#: Languages PressReader files newspapers under ("Newspapers in English").
LANGUAGES = (
    "English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch", "Russian",
    "Chinese", "Japanese", "Korean", "Arabic", "Hebrew", "Turkish", "Polish", "Swedish",
    "Norwegian", "Danish", "Finnish", "Greek", "Czech", "Hungarian", "Romanian", "Croatian",
    "Serbian", "Slovak", "Slovenian", "Ukrainian", "Hindi", "Malay", "Indonesian", "Thai",
    "Vietnamese", "Afrikaans", "Catalan", "Icelandic", "Estonian", "Latvian", "Lithuanian",
)  # fmt: skip
_LANGUAGE = alt(*LANGUAGES)


def _first_words(labels: tuple[str, ...]) -> tuple[str, ...]:
    """Lower-case first words of labels: the prefilter for lines made of those labels."""
    return tuple(sorted({label.split()[0].lower() for label in labels}))

_APP_PROMPT_DESCRIPTION = (
    "Drop app-download prompts (ECNS App Download, Download the app, App herunterladen)."
)

#: One short navigation segment: at most four words, no sentence punctuation.
_SEGMENT = r"[^\s|•·.!?;:,\[\]{}()<>=]+(?:[ \t]+[^\s|•·.!?;:,\[\]{}()<>=]+){0,3}"

LINE_TABLE: tuple[Entry, ...] = table(
    Entry(
        id="boilerplate.drop_copyright_line",
        description="Drop copyright / all-rights-reserved lines (© or 'Copyright' + year or owner).",
        category="footer",
        source="PATTERNS.md B1, A8; seed 000:88",
        starts=("copyright", "©", "(c)", "&copy", "&#169"),
        ends=("all rights reserved", "all rights reserved.", "alle rechte vorbehalten",
              "alle rechte vorbehalten."),
        contains=("版权所有", "保留一切权利", "保留所有权利"),
        max_chars=300,
        regex=compile_pattern(
            r"""
            (?i: copyright \s* (?:©|\(c\)|&copy;?|&\#169;?)? | © | \(c\) | &copy;? | &\#169;? )
            \s*
            (?: (?:\d{2,5}\s*(?:[-–—]\s*\d{4})?)             # ©1999-2024, ©22006 - 2018
              | .{0,150}? (?i:all\ rights\ reserved|alle\ rechte\ vorbehalten|版权所有|保留一切权利)
            )
            .*                                                # owner, reserved, glued numbers
            | .{0,150}? (?:All\ [Rr]ights\ [Rr]eserved|ALL\ RIGHTS\ RESERVED|Alle\ Rechte\ vorbehalten)
              \.?                                            # a line that ends with the formula
            | .{0,80}? (?:版权所有|保留一切权利|保留所有权利) .{0,80}    # Chinese formula
            """,
        ),
        matches=(
            "Copyright ©1999-2024 All rights reserved.",
            "COPYRIGHT © 2010-2018 北京创锐文化传媒有限公司 JUMEI.COM 保留一切权利。 客服热线：400-123-8888",
            "Copyright &#169 2016 版权所有：中央军委后勤保障部",
            "©22006 - 2018 中国医药科技出版社 版权所有",
            "© 2024 Example Media GmbH. Alle Rechte vorbehalten.",
        ),
        leaves_alone=(
            "Meanwhile, the use of text-to-video AI models raises concerns about ethics, copyright protection, personal privacy leakage and data security.",
            'If none is present, treat the code as "all rights reserved" and ask the author before redistributing.',
            "Copyright protection was the main topic of the meeting.",
            "Die Verwendung von Text-zu-Video-KI-Modellen wirft indessen Bedenken hinsichtlich Ethik, Urheberrechtsschutz, Verletzung der Privatsphäre und Datensicherheit auf.",
            "© IMAGO / Bihlmayerfotografie",
        ),
    ),
    Entry(
        id="boilerplate.drop_reproduction_notice",
        description="Drop reproduction / redistribution prohibitions (footer legal notices).",
        category="footer",
        source="PATTERNS.md B2, A8; seed 000:89",
        starts=("reproduction", "republication", "redistribution", "reprinting", "reproducing",
                "copying", "any ", "this material", "this article", "this content", "this story",
                "nachdruck", "vervielfältigung", "未经"),
        max_chars=220,
        regex=compile_pattern(
            r"""
            (?: reproduction | republication | redistribution | reprinting | reproducing | copying
              | any\ (?:unauthori[sz]ed\ )?(?:use|reproduction) )
            \b .{0,80}? (?:without\ (?:the\ )?(?:prior\ )?(?:written\ )?(?:permission|consent)
                        |in\ whole\ or\ in\ part) .{0,60}?
            (?:prohibited|forbidden|not\ permitted|not\ allowed) \.?
            | this\ (?:material|article|content|story)\ may\ not\ be\ (?:published|reproduced|broadcast)
              [^.]{0,80}\.?
            | (?:nachdruck|vervielfältigung)\b .{0,60}? (?:genehmigung|gestattet|untersagt|verboten) .{0,40}
            | 未经 .{0,20}? (?:授权|许可|同意) .{0,20}? (?:禁止|不得|严禁) .{0,10}? (?:转载|复制|摘编|使用) .{0,60}
            """,
            ignore_case=True,
        ),
        matches=(
            "Reproduction in whole or in part without permission is prohibited.",
            "This material may not be published, broadcast, rewritten or redistributed.",
            "未经授权禁止转载",
            "Nachdruck nur mit Genehmigung des Verlags.",
        ),
        leaves_alone=(
            "Reproduction rates in captive pandas have improved, the zoo said.",
            "The court found that the reproduction of the photos without permission was prohibited under the 1998 law, and fined the site 20,000 yuan.",
        ),
    ),
    Entry(
        id="boilerplate.drop_back_to_top",
        description="Drop back-to-top and back-to-list links (Back to top, Zum Seitenanfang, 返回顶部).",
        category="navigation",
        source="PATTERNS.md B3, C4; seed 000:87",
        starts=("[", "↑", "⬆", "^", *(w.lower() for w in BACK_TO_TOP)),
        max_chars=60,
        regex=compile_pattern(
            rf"""
            \[? \s*+ [↑⬆^]? \s*+ {_BACK_TO_TOP} \s*+ [↑⬆]? \s*+ \]? (?:\(\#[^)]*\))?
            """,
            ignore_case=True,
        ),
        matches=("Back to top", "[↑ Zum Seitenanfang](#)", "Zum Seitenanfang", "返回顶部", "Back to blog"),
        leaves_alone=(
            "Position der Daten der Grenze relativ zum Seitenanfang",
            "The team went back to top form after the break.",
        ),
    ),
    Entry(
        id="boilerplate.drop_skip_link",
        description="Drop skip links for keyboard and screen-reader users (Skip to content, Zum Inhalt springen).",
        category="navigation",
        source="PATTERNS.md B3 (skip links)",
        starts=("skip", "jump", "zum inhalt", "direkt zum", "springe", "aller au", "passer au",
                "ir al", "saltar", "vai al", "salta al", "перейти", "跳到", "跳转到"),
        max_chars=60,
        regex=compile_pattern(
            r"""
            (?:skip|jump) \s+ to \s+ (?:the\s+)? (?:main\s+|primary\s+)?
              (?:content|navigation|menu|search|footer|article|text|results) (?:\s*[»›>])?
            | (?:zum\s+inhalt\s+springen|direkt\s+zum\s+inhalt|springe\s+zum\s+(?:inhalt|hauptinhalt))
            | (?:aller|passer)\s+au\s+contenu(?:\s+principal)? | (?:ir|saltar)\s+al\s+contenido(?:\s+principal)?
            | (?:vai|salta)\s+al\s+contenuto | перейти\s+к\s+(?:основному\s+)?содержанию | 跳(?:转)?到(?:主要)?内容
            """,
            ignore_case=True,
        ),
        matches=("Skip to content", "Skip to main content", "Zum Inhalt springen", "Aller au contenu",
                 "Saltar al contenido"),  # fmt: skip
        leaves_alone=(
            "Skip to the end if you only want the results, the author advises.",
            "Jump to conclusions at your own risk.",
        ),
    ),
    Entry(
        id="boilerplate.drop_nav_bar",
        description="Drop navigation bars: three or more short link labels separated by | or •.",
        category="navigation",
        source="PATTERNS.md B3; seed 000:87",
        contains=("|", "•", "·"),
        zone="edge",
        max_chars=300,
        regex=compile_pattern(
            rf"""
            (?:{_BACK_TO_TOP}\s*)?                              # 'Back to top About Us | Jobs …'
            {_SEGMENT} (?:\s*[|•·]\s*{_SEGMENT}){{2,}} \s*[|•·]?
            """,
            ignore_case=True,
        ),
        matches=(
            "Back to top About Us | Jobs | Contact Us | Privacy Policy",
            "Impressum | Datenschutz | Kontakt | AGB",
            "Home • News • Sport • Kultur",
        ),
        leaves_alone=(
            "people.com.cn | Updated: 2010-10-13 16:59",
            "Prices rose 3% | shares fell | the index closed lower, analysts said.",
            "[ { UNION | INTERSECT | EXCEPT } [ ALL | DISTINCT ] select ]",
        ),
    ),
    Entry(
        id="boilerplate.drop_nav_labels",
        description="Drop lines made only of site navigation labels (About Us, Contact, Impressum).",
        category="navigation",
        source="PATTERNS.md B3",
        starts=_first_words(NAV_LABELS),
        zone="edge",
        max_chars=120,
        regex=compile_pattern(
            rf"""
            {_NAV_LABELS} (?: \s*+[|/•·>]?\s*+ {_NAV_LABELS} )+   # two or more labels, maybe glued
            """,
            ignore_case=True,
        ),
        matches=("About UsContact UsPrivacy Policy", "Impressum Datenschutz", "关于我们 联系我们 网站地图"),
        leaves_alone=("About Us", "Contact us at the number below for help."),
    ),
    Entry(
        id="boilerplate.drop_related_block",
        description="Drop related / most-popular / more block headers (also glued: 'MoreTop news').",
        category="related",
        source="PATTERNS.md B4, C3; seed 000:79, 82, 84",
        starts=("more", *_first_words(BLOCK_LABELS)),
        max_chars=80,
        regex=compile_pattern(
            rf"""
            (?:More\s*)?                                        # 'MoreTop news'
            {_BLOCK_LABELS}
            (?: \s+ (?:in\ 24\ ?h(?:ours)?|today|this\ week|from\ \S+(?:\ \S+)?) )?   # 'in 24h'
            (?: \s*+[|/•·>]?\s*+ (?:More|{_BLOCK_LABELS}) )*
            \s* (?:[:：]|>>|»|›|\.\.\.|…)?
            """,
            ignore_case=True,
        ),
        matches=("Related news", "Most popular in 24h", "MoreTop news", "Mehr zum Thema", "相关新闻",
                 "Top-Themen:", "You may also like"),  # fmt: skip
        leaves_alone=(
            "Related news outlets have reported similar figures.",
            "More than 10 A-share companies disclosed their investments.",
            "Trending topics on Weibo included the two sessions.",
        ),
    ),
    Entry(
        id="boilerplate.drop_comment_counter",
        description="Drop comment counters and forum links (Go to Forum >>0 Comment(s), 12 Comments).",
        category="comments",
        source="PATTERNS.md B5; seed 001:16",
        contains=("comment", "forum", "kommentar", "评论"),
        max_chars=80,
        regex=compile_pattern(
            r"""
            (?:go\ to\ forum\s*>>\s*)? \d+ \s* comments? (?:\(s\))?
              (?:\s*(?:print|e-?mail|share))*                   # '0 Comment(s)Print E-mail'
            | go\ to\ forum \s* (?:>>|»)? .{0,20}
            | (?:view|show|read|load|add|post|leave|write) \s+ (?:a\s+|all\s+|more\s+|\d+\s+)?
              comments? (?:\s*\(\d+\))?
            | comments? \s* \(\d+\)
            | \d+ \s* kommentare? | kommentare? \s* \(\d+\) | kommentar\ schreiben
            | 评论 \s* [(（]? \d+ [)）]? | \d+ \s* 条评论
            """,
            ignore_case=True,
        ),
        matches=("Go to Forum >>0 Comment(s)", "0 Comment(s)Print E-mail", "Go to Forum >>0 Comments",
                 "12 Comments", "Kommentare (3)"),  # fmt: skip
        leaves_alone=(
            "The 12 comments submitted to the agency were mostly negative.",
            "Go to the forum and see for yourself, he said.",
        ),
    ),
    Entry(
        id="boilerplate.drop_print_email",
        description="Drop print / e-mail / font-size controls.",
        category="controls",
        source="PATTERNS.md B5",
        starts=("print", "e-mail", "email", "font", "text size", "schriftgr"),
        max_chars=50,
        regex=compile_pattern(
            r"""
            print (?:\s*+[|/]?\s*+ e-?mail)? | e-?mail (?:\s*+[|/]?\s*+ print)?
            | (?:print|e-?mail) \s+ this (?:\s+(?:article|story|page))?
            | font \s* size \s* [:：]? (?:\s*[ASML+\-])* | text\ size | schriftgr(?:ö|oe)(?:ß|ss)e
            """,
            ignore_case=True,
        ),
        matches=("Print E-mail", "Email this article", "Font size:", "Print"),
        leaves_alone=("Print editions fell 8 percent last year.", "E-mail him at the address below."),
    ),
    Entry(
        id="boilerplate.drop_app_prompt",
        description=_APP_PROMPT_DESCRIPTION,
        category="prompt",
        source="PATTERNS.md B6; seed 000:3",
        starts=("download", "get ", "install", "try ", "open in", "read in", "continue in",
                "jetzt", "die ", "unsere", "app ", "下载", "扫码下载"),
        ends=("app download", "herunterladen", "laden", "installieren", "herunterladen!",
              "laden!", "installieren!"),
        max_chars=80,
        regex=compile_pattern(
            r"""
            (?:download|get|install|try) \s+ (?:the\s+|our\s+)? (?:[\w.&'-]+\s+){0,3} app
              (?:\s+(?:now|for\s+free|today))? \s* [.!]?
            | [\w.&'-]+ (?:\s+[\w.&'-]+){0,2} \s+ app \s+ download     # 'ECNS App Download'
            | (?:open|read|continue) \s+ in \s+ (?:the\s+)? app
            | (?:jetzt\s+)? (?:die\s+|unsere\s+)? (?:[\w.-]+[\s-])? app \s+
              (?:herunterladen|laden|installieren) \s* !?
            | 下载 (?:客户端|APP|App|app) | 扫码下载 .{0,20}
            """,
            ignore_case=True,
        ),
        matches=("ECNS App Download", "Download the China Daily app", "Jetzt die App herunterladen",
                 "下载客户端"),  # fmt: skip
        leaves_alone=(
            "Download the app, he said, and you will see how it works.",
            "The ECNS app download figures rose sharply in March.",
        ),
    ),
    Entry(
        id="boilerplate.drop_share_prompt",
        description="Drop share / follow prompts and rows of social network names.",
        category="prompt",
        source="PATTERNS.md B6, C2",
        starts=("share", "teilen", "artikel teilen", "tweet", "pin it", "follow us", "folgen sie",
                "like us", "分享", "关注", *(w.lower() for w in SOCIAL_NETWORKS)),
        max_chars=100,
        regex=compile_pattern(
            rf"""
            (?: share (?:\s+(?:this|on|via))? (?:\s+(?:article|story|page|post))?
              | (?:artikel\s+)?teilen | tweet | pin\ it
              | follow\ us (?:\s+on\s+\S+)? | folgen\ sie\ uns (?:\s+auf\s+\S+)?
              | like\ us\ on\ facebook | 分享到? | 关注我们 | 关注微信公众号 )
            \s* [:：]?
            (?: \s* {alt("Facebook", "Twitter", "X", "LinkedIn", "WhatsApp", "WeChat", "Weibo",
                         "Email", "E-Mail", "Telegram", "Reddit", "Pinterest", "Instagram",
                         "Xing", "Flipboard", "微信", "微博")} )*
            | {alt("Facebook", "Twitter", "LinkedIn", "WhatsApp", "WeChat", "Weibo", "Email",
                   "E-Mail", "Telegram", "Reddit", "Pinterest", "Instagram", "Xing", "Flipboard")}
              (?: \s*+[|/•·]?\s*+ {alt("Facebook", "Twitter", "X", "LinkedIn", "WhatsApp", "WeChat",
                                     "Weibo", "Email", "E-Mail", "Telegram", "Reddit", "Pinterest",
                                     "Instagram", "Xing", "Flipboard")} ){{2,}}
            """,
            ignore_case=True,
        ),
        matches=("Share", "Share this article", "Artikel teilen", "Follow us on Twitter",
                 "Facebook Twitter LinkedIn WhatsApp", "关注微信公众号"),  # fmt: skip
        leaves_alone=(
            "Share prices rose 3 percent on Tuesday.",
            "Teilen Sie uns Ihre Meinung mit.",
            "Follow us, the guide said, and walked on.",
        ),
    ),
    Entry(
        id="boilerplate.drop_newsletter_prompt",
        description="Drop newsletter sign-up prompts.",
        category="prompt",
        source="PATTERNS.md B6",
        contains=("newsletter",),
        max_chars=140,
        regex=compile_pattern(
            r"""
            (?:sign\s+up|subscribe|register) \s+ (?:(?:to|for)\s+)? (?:our|the) \s+
              (?:[\w'-]+\s+){0,3} newsletters? (?:\s+[^.!?]{0,60})? [.!]?
            | (?:get|receive) \s+ (?:our|the) \s+ (?:[\w'-]+\s+){0,3} newsletter [^.!?]{0,60} [.!]?
            | (?:jetzt\s+)? (?:zum\s+)? newsletter (?:\s+(?:abonnieren|anmelden|bestellen))? \s* !?
            """,
            ignore_case=True,
        ),
        matches=("Sign up for our daily newsletter", "Newsletter abonnieren",
                 "Subscribe to our newsletter to get the latest news."),  # fmt: skip
        leaves_alone=("The company said its newsletter had 2 million subscribers.",),
    ),
    Entry(
        id="boilerplate.drop_reading_time",
        description="Drop reading-time and listen badges (Artikel anhören • 6 Minuten, 5 min read).",
        category="badge",
        source="PATTERNS.md B10, C2; seed 003:8",
        contains=("min", "分钟"),
        max_chars=60,
        regex=compile_pattern(
            r"""
            (?: (?:(?:artikel|beitrag)\s+)? (?:anhören|vorlesen|listen) \s* [•·|–-] \s* )?
            (?:ca\.\s*)? \d{1,3} \s* (?:min(?:ute)?s?|minuten|min\.) \s*
              (?:read|reading|lesezeit|lesen|listen)?
            | (?:reading\s+time|lesezeit|lesedauer) \s*+ [:：]? \s*+ (?:ca\.\s*)? \d{1,3} \s*
              (?:min(?:ute)?s?|minuten|min\.)
            | [A-Z][a-z]{2}\.?\s+\d{1,2},\s+\d{4} \s* [•·] \s* \d{1,3} \s* min   # 'Jun 14, 2023 • 35min'
            | 阅读(?:时间|时长)? \s*+ [:：]? \s*+ \d{1,3} \s* 分钟
            """,
            ignore_case=True,
        ),
        matches=("Artikel anhören • 6 Minuten", "5 min read", "Lesezeit: 4 Min.", "Jun 14, 2023 • 35min"),
        leaves_alone=("The walk takes 6 minutes.", "Sora can generate videos up to a minute long."),
    ),
    Entry(
        id="boilerplate.drop_article_control",
        description="Drop article controls (Artikel anhören/merken/drucken, Listen to this article).",
        category="controls",
        source="PATTERNS.md C2",
        starts=("diesen", "artikel", "anhören", "merken", "merkliste", "abspielen", "wiederholen",
                "link kopieren", "mehr laden", "antwort", "beitrag melden", "benachrichtigung",
                "pfeil", "listen", "save", "copy link", "load more"),
        max_chars=40,
        regex=compile_pattern(
            r"""
            (?:diesen\s+)? artikel \s+ (?:anhören|merken|drucken|vorlesen(?:\s+lassen)?|speichern)
            | anhören | merken | merkliste | abspielen | wiederholen | link\ kopieren | mehr\ laden
            | antwort\ schreiben | beitrag\ melden | benachrichtigung | pfeil\ nach\ (?:links|rechts)
            | listen\ to\ (?:this\ )?article | save\ (?:this\ )?article | copy\ link | load\ more
            """,
            ignore_case=True,
        ),
        matches=("Artikel anhören", "Artikel merken", "Diesen Artikel anhören", "Link kopieren",
                 "Listen to this article"),  # fmt: skip
        leaves_alone=("Merken Sie sich diesen Termin.", "Sie wollen den Artikel anhören? Klicken Sie hier."),
    ),
    Entry(
        id="boilerplate.drop_ad_label",
        description="Drop advertisement labels standing alone on a line (Anzeige, Advertisement).",
        category="ads",
        source="PATTERNS.md C1",
        starts=("anzeige", "weiter mit", "werbung", "advertisement", "sponsored", "ad", "广告"),
        max_chars=30,
        regex=compile_pattern(
            r"""
            Anzeige | ANZEIGE | Anzeigenlinks | Weiter\ mit\ Werbung | Werbung | WERBUNG
            | Advertisement | ADVERTISEMENT | Sponsored | SPONSORED | Ad | AD | 广告
            """
        ),
        matches=("Anzeige", "Advertisement", "Weiter mit Werbung"),
        leaves_alone=("Anzeige gegen Unbekannt erstattet.", "Die Anzeige wurde zurückgezogen."),
    ),
    Entry(
        id="boilerplate.drop_cookie_banner",
        description="Drop cookie-consent sentences and buttons (second person, about the website).",
        category="consent",
        source="PATTERNS.md C5",
        starts=("accept", "allow", "reject", "decline", "alle ", "akzeptieren", "einverstanden",
                "cookie", "manage", "i agree"),
        contains=("cookie",),
        max_chars=600,
        regex=compile_pattern(
            r"""
            (?=.*\b(?:website|webseite|web\ site|site|seite|browser)\b)
            (?: wir\ (?:verwenden|nutzen|setzen) | diese\ (?:web)?seite\ (?:verwendet|nutzt)
              | we\ (?:use|and\ our\ partners\ use) | this\ (?:web\ ?)?site\ uses
              | by\ (?:continuing|using|clicking) ) \b .{0,40}? cookies? .*
            | (?:accept|allow|reject|decline) (?:\s+all)? (?:\s+cookies)?
            | alle\ (?:akzeptieren|ablehnen|cookies\ akzeptieren) | akzeptieren | einverstanden
            | cookie[- ]?(?:einstellungen|settings|preferences) | manage\ cookies | i\ agree
            """,
            ignore_case=True,
        ),
        matches=(
            "Wir verwenden Cookies, um Inhalte und Anzeigen zu personalisieren, Funktionen für soziale Medien anbieten zu können und die Zugriffe auf unsere Website zu analysieren.",
            "Alle akzeptieren",
            "Cookie-Einstellungen",
        ),
        leaves_alone=(
            "Under the new rules, a site that says 'we use cookies' must also let users refuse them.",
            "We use cookies in the recipe below, baked the night before.",
        ),
    ),
    Entry(
        id="boilerplate.drop_aggregator_stamp",
        description="Drop aggregator stamps that stand alone on a line (PressReader: Newspapers in English).",
        category="aggregator",
        source="PATTERNS.md B9; seed 004:39, 41",
        starts=("newspapers", "printed and", "pressreader"),
        max_chars=80,
        regex=compile_pattern(
            rf"""
            Newspapers\ in\ {_LANGUAGE}                          # 'Newspapers in English'
            | Newspapers\ from\ [A-Z][\w.'’-]*(?:\ [A-Z][\w.'’-]*){{0,3}}   # '… from Hong Kong'
            | (?:Printed\ and\ distributed\ by\ )?PressReader(?:\.com)?(?:\ [-–|]\ .{{0,60}})?
            """
        ),
        matches=("Newspapers in English", "Newspapers from Hong Kong", "Newspapers from United States"),
        leaves_alone=(
            "Newspapers in Education",
            "…3–4 types of newspapers in english and bengali, several types of magazines…",
            "…a system that follows leading newspapers in English and German…",
            "Newspapers from the 1940s were scanned by volunteers.",
        ),
    ),
    Entry(
        id="boilerplate.drop_logo_alt",
        description="Drop logo alt text left by the extractor (China today logo).",
        category="header",
        source="PATTERNS.md C7; seed 003:1",
        ends=("logo",),
        zone="edge",
        max_chars=60,
        regex=compile_pattern(
            r"""
            [\w&'’.-]+ (?:\s+[\w&'’.-]+){0,5} \s+ logo | logo
            """,
            ignore_case=True,
        ),
        matches=("China today logo", "Logo"),
        leaves_alone=("The company unveiled its new logo on Monday.",),
    ),
    Entry(
        id="boilerplate.drop_breadcrumb",
        description="Drop breadcrumb trails (Home > News > …, 您当前位置：首页 > …).",
        category="navigation",
        source="PATTERNS.md A9, B3",
        starts=("you are here", "sie sind hier", "您当前", "当前位置", "home", "startseite", "首页"),
        max_chars=160,
        regex=compile_pattern(
            rf"""
            (?:you\ are\ here|sie\ sind\ hier|您当前(?:的)?位置|当前位置) \s* [:：]? .{{0,140}}
            | (?:home|startseite|首页) \s* (?:>>|>|»|›|/) \s* {_SEGMENT}
              (?: \s* (?:>>|>|»|›|/) \s* {_SEGMENT} )* \s* (?:>>|>|»|›)?
            """,
            ignore_case=True,
        ),
        matches=("您当前位置:首页  >  新闻中心  >  新要闻", "Home > World > Asia-Pacific"),
        leaves_alone=("Home sales rose 5 percent in March.",),
    ),
    Entry(
        id="boilerplate.drop_display_hint",
        description="Drop 'best viewed at 1024*768' hints.",
        category="footer",
        source="PATTERNS.md A8",
        starts=("best viewed",),
        contains=("分辨率",),
        max_chars=120,
        regex=compile_pattern(
            r"""
            .{0,20} 建议 .{0,20} 分辨率 .{0,20} \d{3,4}\s*[*×x]\s*\d{3,4} .{0,10}
            | best\ viewed\ (?:with|in|at) .{0,80}
            """,
            ignore_case=True,
        ),
        matches=("浏览本网主页，建议将电脑显示屏的分辨率调为1024*768",),
        leaves_alone=("The screen's resolution is 1024*768, the report said.",),
    ),
)

#: Chrome glued to the end of a metadata line (seed 000:3 ``… Editor : Li Yan ECNS App
#: Download``): the metadata stage lifts the part before it and leaves this part as a line
#: of its own, which the whole-line entry with the same id then drops.
TAIL_TABLE: tuple[Entry, ...] = table(
    Entry(
        id="boilerplate.drop_app_prompt",
        description=_APP_PROMPT_DESCRIPTION,
        category="prompt",
        source="PATTERNS.md B6; seed 000:3",
        kind="search",
        contains=("app",),
        regex=compile_pattern(
            r"""
            (?<=\s) [\w.&'-]+ \s+ App\s+Download \s* $            # 'ECNS App Download'
            | (?<=\s) Download\s+(?:the\s+|our\s+)?(?:[A-Z][\w.&'-]*\s+){0,2}[Aa]pp \s* $
            """
        ),
        matches=("2024-03-06 12:59:31China Daily Editor : Li Yan ECNS App Download",),
        leaves_alone=("2024-03-06 12:59:31China Daily Editor : Li Yan",),
    ),
)
