"""Boilerplate end markers: the headers that close an article (comments, related, share…).

Enters: nothing at run time. Leaves: :data:`COMMENT_MARKER_TABLE`, :data:`END_MARKER_TABLE`
(whole-line entries the classifier cuts at) and :data:`END_MARKER_BANDS` (the same entries
as one alternation per length band).

Sources: ../shared/PATTERNS.md sections A (Chinese licence lines), B (English footers and
chrome), C (German chrome); the seeds (../shared/SEEDS.md). Every example is real text
from those sources.
"""

from __future__ import annotations

from cleaners.core.safety import SafePattern, safe_compile
from cleaners.rules import Entry, compile_pattern, table

# -- end-of-article markers -------------------------------------------------------------------

_END_DESCRIPTION = (
    "Drop the page tail that a related / comments / share / tags / author header opens "
    "once the article is over."
)
_DIGITS = tuple("0123456789")

#: Headers that close an article: what follows them is other stories, the comment thread,
#: share and tag rows, the author box or a newsletter box. They are only *candidates*:
#: the classifier (:func:`cleaners.stages.boilerplate.classify.region.end_cut`) cuts at one
#: only when most of the article's prose lies above it, so a share row under the byline or
#: a "Related" box in the middle of a long article does not end it. Comment-thread headers (``34 Comments``,
#: ``Leave a Reply``) also cut when dated posts follow them, however long the thread.
COMMENT_MARKER_TABLE: tuple[Entry, ...] = table(
    Entry(
        id="boilerplate.drop_after_end_marker",
        description=_END_DESCRIPTION,
        category="end_marker",
        source="comment sections of blogs and news sites; PATTERNS.md B5",
        starts=(*_DIGITS, "[", "comment", "respons", "repl", "komment", "commentaire", "comentario",
                "leave", "post ", "add ", "write", "submit", "join", "show", "view", "load",
                "read ", "see ", "top ", "most", "newest", "oldest", "best", "what do", "评论",
                "网友", "发表", "我要"),
        max_chars=160,
        regex=compile_pattern(
            r"""
            \[? \s* (?: (?: \d+ \s* )? (?: comments | responses | replies | kommentare | commentaires
                                         | comentarios )
                     | \d+ \s* (?: comment | response | reply | kommentar | commentaire | comentario ) )
              (?: \s* [(\[] \s* \d+ \s* [)\]] )? \s* \]? \s* :?
            | (?: \d+ | one | two | three | no ) \s+ (?: comments? | responses? | replies | thoughts )
              \s+ (?:to|on) \s+ ["“”'‘’«] .{1,150}                    # 36 responses to “Title”
            | (?:leave|post|add|write|submit|join) \s+ (?:a\s+|your\s+|the\s+)?
              (?:reply|comment|response|discussion|conversation)
              (?: \s+ to \s+ \S[^.!?]{0,60}? )? (?: \s+ cancel \s+ reply )? \s* (?:\.\.\.|…|[:!.])?
            | comments \s+ are \s+ closed \.? | (?:show|view|load|read|see) \s+ (?:all\s+)? (?:\d+\s+)? comments \b .{0,12}
            | (?:top|most|newest|oldest|best) \s+ (?:rated\s+|recent\s+)? comments
            | what \s+ do \s+ you \s+ think \s* \?
            | kommentar \s+ schreiben | (?:网友)?评论 (?:\s*[(（]?\d+[)）]?)? | 发表评论 | 我要评论
            """,
            ignore_case=True,
        ),
        matches=("34 Comments", "[ 167 comments ]", "Leave a Reply", "Comments (12)",
                 "36 responses to “Anthony Lynn: We needed to win this game”", "Join the discussion",
                 "Leave a Reply Cancel reply", "2 thoughts on “How to bake bread”",
                 "Kommentare", "网友评论"),  # fmt: skip
        leaves_alone=(
            "Comments from readers poured in after the article ran.",
            "Leave the reply card on the table, the usher said.",
            "Responses to the survey were mostly positive.",
            "Response",
        ),
    ),
)
#: All end markers: comment-thread headers first, then related / share / tags / author /
#: newsletter headers.
END_MARKER_TABLE: tuple[Entry, ...] = COMMENT_MARKER_TABLE + table(
    Entry(
        id="boilerplate.drop_after_end_marker",
        description=_END_DESCRIPTION,
        category="end_marker",
        source="related-stories boxes of news sites and blogs; PATTERNS.md B4, C3",
        starts=("related", "more", "latest", "recent", "popular", "trending", "top ", "featured",
                "recommended", "similar", "you may", "you might", "you will", "don", "up next",
                "next up", "what to read", "sponsored", "promoted", "partner", "around the web",
                "from our", "by our", "mehr zum", "das könnte", "weitere", "lesen sie", "meistgelesen",
                "article", "à lire", "sur le", "artículo", "articulo", "noticias", "te puede",
                "相关", "推荐", "热门", "延伸", "猜你"),
        max_chars=80,
        regex=compile_pattern(
            r"""
            related (?:\s+(?:articles?|posts?|stories|content|coverage|topics|links|insights|reading
                          |videos|products|news|guides|resources|searches))? \s* :?
            | (?:more|latest|recent|popular|trending|top|featured|recommended|similar)
              \s+ (?:[\w'’-]+\s+){0,2}? (?:stories|articles|news|posts|reads|videos) \s* :?
            | more \s+ (?:from|on|in|about|by) \s+ \S.{0,50}
            | (?-i: More \s+ \p{Lu}[\w'’&.-]* (?:\s+\p{Lu}[\w'’&.-]*){0,3} )     # More Washington Examiner
            | you \s+ (?:may|might|will) \s+ (?:also\s+)? (?:like|enjoy|be\s+interested\s+in) .{0,20}
            | recommended (?:\s+for\s+you)? \s* :?
            | most \s+ (?:popular|read|viewed|shared|commented|emailed)
            | trending (?:\s+now)? | don['’]?t \s+ miss | up \s+ next | next \s+ up \b .{0,40}
            | what \s+ to \s+ read \s+ next
            | (?:sponsored|promoted|partner) \s+ (?:content|links|stories|posts)
            | around \s+ the \s+ web | (?:from|by) \s+ our \s+ partners
            | mehr \s+ zum \s+ thema .{0,40} | das \s+ könnte \s+ sie \s+ auch \s+ interessieren
            | weitere \s+ (?:artikel|beiträge|nachrichten) | lesen \s+ sie \s+ auch .{0,40} | meistgelesen
            | articles? \s+ similaires | à \s+ lire \s+ aussi | sur \s+ le \s+ même \s+ sujet
            | art[íi]culos \s+ relacionados | noticias \s+ relacionadas | te \s+ puede \s+ interesar
            | 相关(?:新闻|阅读|文章|推荐|报道) | 推荐阅读 | 热门(?:推荐|文章|新闻) | 延伸阅读 | 猜你喜欢
            """,
            ignore_case=True,
        ),
        matches=("Related Posts", "More Stories", "More from Science", "More Washington Examiner", "You may also like",
                 "Most Popular", "Mehr zum Thema", "Articles similaires", "相关阅读"),  # fmt: skip
        leaves_alone=(
            "Related work on this topic began in 2019.",
            "More than 40 stories were submitted to the contest.",
            "More recipes like this one",
            "You may also like the second recipe better.",
        ),
    ),
    Entry(
        id="boilerplate.drop_after_end_marker",
        description=_END_DESCRIPTION,
        category="end_marker",
        source="share / tag / author / post-navigation rows under blog posts; PATTERNS.md B6",
        starts=("share", "tag", "filed", "categor", "topics", "themen", "schlagw", "标签", "about the",
                "über d", "à propos", "sobre", "作者", "written by", "post navigation", "previous",
                "prev", "next", "上一篇", "下一篇", "was this", "is this", "did you"),
        max_chars=220,
        regex=compile_pattern(
            r"""
            share \s+ (?:this|the) (?:\s+(?:article|post|story|entry|page))? (?:\s+(?:on|via))? \s* :?
            | (?:tags? | tagged (?:\s+with)? | filed \s+ under | categories | category | topics | themen
              | schlagw[öo]rter | 标签) \s* [:：] .{0,200}
            | tags | tagged
            | about \s+ the \s+ authors? | über \s+ (?:den|die) \s+ autor(?:in)? | à \s+ propos \s+ de \s+ l['’]auteur
            | sobre \s+ el \s+ autor | 作者简介
            | written \s+ by \s+ \S.{0,60}
            | post \s+ navigation | (?:previous|next|prev) \s+ (?:post|article|story|entry) \b .{0,80}
            | 上一篇 .{0,80} | 下一篇 .{0,80}
            | (?:was|is|did) \s+ (?:this|you\s+find\s+this) (?:\s+(?:article|page|post|answer|information))?
              \s+ (?:helpful|useful) \s* \?? .{0,20}
            """,
            ignore_case=True,
        ),
        matches=("Share this article", "Share this:", "Tags: climate, energy", "Filed Under: Health",
                 "About the author", "Post navigation", "Previous article", "Was this article helpful?",
                 "上一篇：两会观察"),  # fmt: skip
        leaves_alone=(
            "Share prices fell 3 percent on Tuesday.",
            "Tags are attached to every parcel before it leaves the depot.",
            "Previous articles in this series covered the budget.",
            "Next, the dough rests for an hour.",
        ),
    ),
    Entry(
        id="boilerplate.drop_after_end_marker",
        description=_END_DESCRIPTION,
        category="end_marker",
        source="newsletter boxes under articles; PATTERNS.md B6",
        contains=("newsletter",),
        max_chars=140,
        regex=compile_pattern(
            r"""
            (?:sign \s+ up|subscribe) \s+ (?:for|to) \s+ (?:our|the) \s+ .{0,30} newsletters? .{0,60}
            | (?:get|join) \s+ (?:our|the) \s+ .{0,20} newsletter .{0,60}
            | (?:jetzt\s+)? newsletter \s+ (?:abonnieren|anmelden|bestellen) \s* !?
            """,
            ignore_case=True,
        ),
        matches=("Sign up for our daily newsletter", "Subscribe to our newsletter",
                 "Newsletter abonnieren"),  # fmt: skip
        leaves_alone=("The company said its newsletter had 2 million subscribers.",),
    ),
)


def _end_marker_bands(entries: tuple[Entry, ...]) -> tuple[tuple[int, SafePattern], ...]:
    """One pattern per length band: the alternation of the entries whose ``max_chars``
    admits lines of that band, as ``(band's longest line, pattern)``, shortest band first.

    A fullmatch of ``(?:a)|(?:b)`` succeeds exactly when ``a`` or ``b`` fullmatches, so
    :func:`cleaners.stages.boilerplate.classify.markers.is_end_marker` makes one regex call a
    line instead of one per entry. Like the entries, the bands only ever fullmatch one short line.
    """
    flags = {e.regex.flags for e in entries}
    if len(flags) != 1:
        raise ValueError("END_MARKER_TABLE entries must share their regex flags")
    (flag,) = flags
    out = []
    for top in sorted({e.max_chars for e in entries}):
        alts = [e.regex.pattern for e in entries if e.max_chars >= top]
        # newlines around each: a verbose pattern's trailing comment ends on its own line
        out.append((top, safe_compile("(?:\n" + "\n)|(?:\n".join(alts) + "\n)", flag)))
    return tuple(out)


#: :data:`END_MARKER_TABLE` as one alternation per length band (see :func:`_end_marker_bands`).
END_MARKER_BANDS = _end_marker_bands(END_MARKER_TABLE)
