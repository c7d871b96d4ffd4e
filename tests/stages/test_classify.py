"""The line classifier (cleaners/classify.py) and its rules in the boilerplate stage.

Pages here are constructed for these tests (no bench text): a navigation menu, an article
of a few paragraphs, and the usual tail (related stories, comments, footer links). Each
rule the classifier drops under has a case that fires it and look-alike article lines that
must survive it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaners import Config, clean, replay
from cleaners.stages.boilerplate import classify as C
from cleaners.stages.boilerplate.classify import BlockClass
from cleaners.rules.boilerplate import END_MARKER_TABLE

CASE_DIR = Path(__file__).resolve().parent.parent / "cases" / "boilerplate"
STAGE = "boilerplate."

NAV = ["Skip to content", "Home", "News", "Sport", "Business", "Culture", "Travel", "Weather",
       "Sign In", "Subscribe"]  # fmt: skip
FOOTER = ["About Us", "Careers", "Contact", "Privacy Policy", "Terms and Conditions",
          "Cookie Settings", "Advertise"]  # fmt: skip
ARTICLE = [
    "The city council voted on Tuesday to replace the old river bridge, which engineers have "
    "described as unsafe for heavy traffic since a survey last spring found cracks in two of its supports.",
    "Work is expected to begin in the autumn and to last about two years, the mayor said, adding "
    "that a ferry service would run between the two banks while the bridge is closed to cars.",
    "\u201cWe cannot keep patching a structure that was built for horse carts,\u201d she told "
    "reporters after the vote, which passed by nine votes to two.",
    "Residents who live near the river have asked for the construction traffic to be kept away "
    "from the primary school, and the council agreed to study a second access road before the work starts.",
    "The new bridge will have a cycle lane on each side and a wider footpath, and its design was "
    "chosen after a public consultation in which more than three thousand people took part.",
]


def page(*parts: list[str] | str) -> str:
    lines: list[str] = []
    for p in parts:
        lines.extend([p] if isinstance(p, str) else p)
    return "\n".join(lines)


def body_of(text: str) -> list[str]:
    return [s for s in text.split("\n") if s.strip()]


def dropped(r, rule_id: str) -> list[str]:
    return [e.before.strip() for e in r.edits if e.rule == rule_id]


# -- the end-marker table ----------------------------------------------------------------------


@pytest.mark.parametrize("example", [x for e in END_MARKER_TABLE for x in e.matches])
def test_end_marker_examples_match(example):
    assert C.is_end_marker(example)


@pytest.mark.parametrize("example", [x for e in END_MARKER_TABLE for x in e.leaves_alone])
def test_end_marker_look_alikes_are_no_markers(example):
    assert not C.is_end_marker(example)
    assert all(e.hit(example) is None for e in END_MARKER_TABLE)


# -- first pass: the ladder --------------------------------------------------------------------

LONG_PROSE = (
    "The committee met on Tuesday and agreed that the plan should go ahead, although several "
    "members said that the cost of the work had not been explained to them in enough detail "
    "and asked for a second report."
)


@pytest.mark.parametrize(
    "line,cls,reason",
    [
        ("Home | About | Contact | Privacy Policy", BlockClass.BOILERPLATE, C.SEPARATED_MENU),
        ("https://example.com/news/2024/03/bridge", BlockClass.BOILERPLATE, C.LINK_LINE),
        ("Sign In", BlockClass.SHORT, C.NAV_LABEL),
        ("Preheat the oven to 200 degrees.", BlockClass.SHORT, C.SHORT_SENTENCE),
        ("- Mix the flour and the water", BlockClass.SHORT, C.SHORT_LIST_ITEM),
        ("result = compute(a, b)", BlockClass.SHORT, C.SHORT_CODE),
        ("and it was one of the reasons why the team had to", BlockClass.SHORT, C.SHORT_FRAGMENT),
        ("Photos of the new bridge design", BlockClass.SHORT, C.SHORT_PHRASE),
        ("Weekend deals 2024", BlockClass.SHORT, C.SHORT_LINE),
        (LONG_PROSE, BlockClass.CONTENT, C.PROSE),
        (LONG_PROSE[:120] + ".", BlockClass.UNSURE, C.SOME_PROSE),
        ("Canon Nikon Sony Fujifilm Panasonic Olympus Leica Sigma Tamron Pentax Ricoh Zeiss Laowa",
         BlockClass.BOILERPLATE, C.WORDLIST_LINE),
        ("<p class=\"lead\">The bridge will close in May and reopen in 2027.</p><p>More soon.</p>",
         BlockClass.UNSURE, C.CODE),
    ],
)
def test_ladder(line, cls, reason):
    (f,) = C.compute_features([line], "en")
    assert C.classify_line(f) == (cls, reason)


def test_ladder_repeated_and_stamps_need_the_page():
    lines = ["Reply", "Reply", "March 3, 2024 at 9:14 am", "March 4, 2024 at 10:02 pm",
             "April 1, 2024 at 7:00 am", "Reply in the thread below."]  # fmt: skip
    feats = C.compute_features(lines, "en")
    assert C.classify_line(feats[0]) == (BlockClass.SHORT, C.REPEATED_LINE)
    assert [C.classify_line(f)[1] for f in feats[2:5]] == [C.RECORD_STAMP] * 3
    assert C.classify_line(feats[5]) == (BlockClass.SHORT, C.SHORT_SENTENCE)
    # one date is a date, not a record
    (single,) = C.compute_features(["March 3, 2024 at 9:14 am"], "en")
    assert C.classify_line(single)[1] != C.RECORD_STAMP


def test_ladder_thresholds():
    prose = "the plan is on the table and it will go ahead " * 30
    for n, cls in [
        (C.LENGTH_LOW_DEFAULT - 1, BlockClass.SHORT),
        (C.LENGTH_LOW_DEFAULT, BlockClass.UNSURE),
        (C.DEFAULT_PARAMS.prose_min_chars - 1, BlockClass.UNSURE),
        (C.DEFAULT_PARAMS.prose_min_chars, BlockClass.CONTENT),
    ]:
        line = prose[:n].rstrip()
        line = line + "x" * (n - len(line))
        (f,) = C.compute_features([line], "en")
        assert f.length == n and C.classify_line(f)[0] is cls, n


def test_ladder_without_a_stop_list_uses_shape():
    line = "Fáilte go dtí an leathanach seo, áit a bhfaighidh tú eolas faoin droichead nua. " * 3
    (f,) = C.compute_features([line.strip()], "ga")  # no Irish list: structure decides
    assert f.stop_ratio is None
    assert C.classify_line(f) == (BlockClass.CONTENT, C.PROSE_SHAPE)


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es", "ru", "zh"])
def test_page_language(lang):
    lines = ARTICLE if lang == "en" else LANG_PAGES[lang][1]
    assert C.page_language(lines) == lang


# -- context: region, end marker, revision -----------------------------------------------------


def _priors(lines):
    feats = C.compute_features(lines)
    return feats, [C.PRIOR_DEFAULT[C.classify_line(f)[1]] if f else 0.0 for f in feats]


def test_region_is_the_article_between_menus():
    lines = NAV + ARTICLE + FOOTER
    feats, priors = _priors(lines)
    region = C.article_region(feats, priors)
    assert sorted(region) == list(range(len(NAV), len(NAV) + len(ARTICLE)))


def test_region_keeps_headings_and_steps_between_paragraphs():
    lines = NAV + [ARTICLE[0], "How the vote went", ARTICLE[1], "- first, the survey",
                   "- then, the vote", ARTICLE[2], ARTICLE[3]] + FOOTER  # fmt: skip
    feats, priors = _priors(lines)
    region = C.article_region(feats, priors)
    assert sorted(region) == list(range(len(NAV), len(NAV) + 7))


def test_region_spans_a_short_ad_block_but_not_a_long_menu():
    ad = ["Advertisement", "Shop now", "Deals"]
    lines = NAV + ARTICLE[:3] + ad + ARTICLE[3:] + FOOTER
    feats, priors = _priors(lines)
    assert set(range(len(NAV), len(NAV) + len(ARTICLE) + len(ad))) <= C.article_region(feats, priors)


def test_end_cut_after_the_article_not_under_the_byline():
    comments = ["3 Comments", "jane_d says:", "March 3, 2024 at 9:14 am",
                "About time, the old bridge has been a danger for years.", "tom says:",
                "March 3, 2024 at 9:20 am", "Agreed.", "sam says:", "March 4, 2024 at 8:00 am",
                "Who pays for the ferry?"]  # fmt: skip
    lines = NAV + ["Share this article"] + ARTICLE + comments + FOOTER
    verdicts = C.classify_page(lines)
    share = len(NAV)
    marker = len(NAV) + 1 + len(ARTICLE)
    assert verdicts[share].reason != C.AFTER_END  # a share row under the byline does not end it
    assert all(not verdicts[i].drop for i in range(share + 1, marker))
    assert [v.reason for v in verdicts[marker : marker + len(comments)]] == [C.AFTER_END] * len(comments)


def test_verdict_keeps_both_passes():
    verdicts = C.classify_page(NAV + ARTICLE + FOOTER)
    v = verdicts[len(NAV) + 2]  # the one-line quote: short prose, revised by its context
    assert (v.cf_class, v.cls, v.reason) == (BlockClass.UNSURE, BlockClass.CONTENT, C.IN_ARTICLE)
    home = verdicts[1]
    assert (home.cf_class, home.cf_reason, home.cls) == (BlockClass.SHORT, C.NAV_LABEL, BlockClass.BOILERPLATE)
    assert home.drop and not v.drop


def test_prose_outside_the_region_is_kept_and_flagged():
    teaser_block = [f"Label {i}" for i in range(30)]
    stray = ("Residents wanting to follow the reconstruction can subscribe to monthly updates from "
             "the council, which will publish progress reports until the replacement bridge finally "
             "opens to all commercial traffic.")  # fmt: skip
    assert len(stray) >= C.DEFAULT_PARAMS.prose_min_chars
    lines = NAV + ARTICLE + teaser_block + [stray] + FOOTER
    verdicts = C.classify_page(lines)
    v = verdicts[lines.index(stray)]
    assert v.flag and not v.drop and v.reason == C.PROSE_OUTSIDE


def test_page_without_article_keeps_all_but_sure_chrome():
    grid = [f"Walking boot model {i}, waterproof, size 38 to 46, $129.99" for i in range(12)]
    lines = NAV + ["Home | Men | Women | Kids | Sale"] + grid + FOOTER
    verdicts = C.classify_page(lines)
    kept = [lines[v.index] for v in verdicts if v is not None and not v.drop]
    assert kept[: len(grid)] == grid or set(grid) <= set(kept)
    assert "Home | Men | Women | Kids | Sale" not in kept and "Sign In" not in kept
    assert {v.reason for v in verdicts if v is not None and not v.drop} == {C.NO_ARTICLE}


def test_a_snippet_is_left_alone():
    lines = ["Home", "Contact", "Opening hours: 9 to 5."]
    assert all(not v.drop for v in C.classify_page(lines) if v is not None)


def test_sure_lines_count_as_chrome_and_get_no_verdict():
    lines = NAV + ARTICLE + FOOTER
    sure = {0, 1, 2}
    verdicts = C.classify_page(lines, sure=sure)
    assert all(verdicts[i] is None for i in sure)


@pytest.mark.parametrize("text", ["", "\n", "|||", "©", "x" * 5000, "\u00a0\n\u00a0", "a\n" * 300])
def test_classifier_is_total(text):
    C.classify_page([s.strip() for s in text.split("\n")])


# -- through the pipeline ----------------------------------------------------------------------

RELATED = ["Related Posts", "Parking fees to rise in the city centre", "New cycle lanes open on the east side",
           "Library hours extended for the summer"]  # fmt: skip
COMMENTS = ["3 Comments", "jane_d says:", "March 3, 2024 at 9:14 am",
            "About time, the old bridge has been a danger for years and everyone here knows it.",
            "Reply", "tom_h says:", "March 3, 2024 at 9:20 am", "Who is going to pay for the ferry?",
            "Reply", "Leave a Reply"]  # fmt: skip


def test_news_page_comes_out_as_its_article():
    text = page(NAV, ARTICLE, RELATED, COMMENTS, FOOTER)
    r = clean(text)
    assert body_of(r.text) == ARTICLE
    rules = {e.rule for e in r.edits}
    assert {"boilerplate.drop_nav_label", "boilerplate.drop_after_end_marker"} <= rules
    assert replay(text, r.edits) == r.text
    assert clean(r.text).text == r.text


def test_disabled_classifier_rule_keeps_its_lines():
    text = page(NAV, ARTICLE, FOOTER)
    cfg = Config(disabled=frozenset({"boilerplate.drop_nav_label"}))
    out = body_of(clean(text, config=cfg).text)
    assert "Home" in out and "Sport" in out


LANG_PAGES = {
    "fr": (["Accueil", "Actualités", "Sport", "Économie", "Culture", "Connexion", "S'abonner", "Rechercher"],
           ["Le conseil municipal a voté mardi le remplacement du vieux pont sur la rivière, que les ingénieurs jugent dangereux pour les poids lourds depuis qu\u2019une inspection a révélé des fissures dans deux de ses piles.",
            "Les travaux devraient commencer à l\u2019automne et durer environ deux ans, a précisé la maire, qui a promis un service de bac entre les deux rives pendant la fermeture du pont.",
            "Les riverains ont demandé que les camions du chantier ne passent pas devant l\u2019école primaire, et le conseil a accepté d\u2019étudier une seconde route d\u2019accès avant le début des travaux.",
            "Le nouveau pont aura une piste cyclable de chaque côté et un trottoir plus large, et son dessin a été choisi après une consultation à laquelle plus de trois mille habitants ont participé."]),
    "es": (["Inicio", "Noticias", "Deportes", "Economía", "Cultura", "Acceder", "Suscríbete", "Buscar"],
           ["El ayuntamiento aprobó el martes la sustitución del viejo puente sobre el río, que los ingenieros consideran peligroso para el tráfico pesado desde que una inspección encontró grietas en dos de sus pilares.",
            "Las obras empezarán en otoño y durarán unos dos años, según la alcaldesa, que prometió un servicio de barca entre las dos orillas mientras el puente esté cerrado al tráfico.",
            "Los vecinos pidieron que los camiones de la obra no pasen por delante de la escuela, y el pleno aceptó estudiar una segunda vía de acceso antes de que empiecen los trabajos.",
            "El nuevo puente tendrá un carril bici a cada lado y una acera más ancha, y su diseño se eligió tras una consulta pública en la que participaron más de tres mil personas."]),
    "ru": (["Главная", "Новости", "Спорт", "Экономика", "Культура", "Войти", "Подписка", "Поиск"],
           ["Городской совет во вторник проголосовал за замену старого моста через реку, который инженеры считают опасным для грузовиков с тех пор, как весенняя проверка обнаружила трещины в двух его опорах.",
            "Работы должны начаться осенью и продлиться около двух лет, сообщила мэр, добавив, что пока мост будет закрыт, между берегами будет ходить паром.",
            "Жители прибрежных улиц попросили, чтобы строительная техника не ездила мимо начальной школы, и совет согласился изучить вариант второй подъездной дороги.",
            "У нового моста будет велосипедная дорожка с каждой стороны и более широкий тротуар, а его проект выбрали после общественного обсуждения, в котором участвовали более трёх тысяч человек."]),
    "zh": (["首页", "新闻", "财经", "体育", "娱乐", "科技", "登录", "注册"],
           ["市议会周二投票决定拆除并重建河上的旧桥。工程师在去年春天的检查中发现两个桥墩出现裂缝，此后一直认为这座桥不适合重型车辆通行。",
            "市长表示，工程预计将于秋季开工，工期约为两年。在大桥封闭期间，两岸之间将开通渡轮服务，方便居民出行。",
            "住在河边的居民要求施工车辆不要经过小学门口，议会同意在开工之前研究修建第二条进场道路的方案。",
            "新桥两侧都将设置自行车道，人行道也会加宽。设计方案是在三千多名市民参加的公开征求意见之后选定的。"]),
    "de": (["Startseite", "Politik", "Wirtschaft", "Sport", "Kultur", "Reise", "Anmelden", "Abo", "Suche"],
           ["Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss zu ersetzen, die Ingenieure seit einer Prüfung im vergangenen Frühjahr wegen Rissen in zwei Pfeilern für unsicher halten.",
            "Die Arbeiten sollen im Herbst beginnen und etwa zwei Jahre dauern, sagte die Bürgermeisterin, und während der Sperrung werde eine Fähre zwischen den beiden Ufern verkehren.",
            "Anwohner hatten gefordert, dass die Baufahrzeuge nicht an der Grundschule vorbeifahren, und der Rat will vor Baubeginn eine zweite Zufahrt prüfen.",
            "Die neue Brücke bekommt auf beiden Seiten einen Radweg und einen breiteren Gehweg, und ihr Entwurf wurde nach einer Bürgerbeteiligung mit mehr als dreitausend Teilnehmern ausgewählt."]),
}  # fmt: skip


@pytest.mark.parametrize("lang", sorted(LANG_PAGES))
def test_other_languages_keep_their_article(lang):
    nav, article = LANG_PAGES[lang]
    r = clean(page(nav, article, nav[:5]))
    out = body_of(r.text)
    assert out == article, lang  # every paragraph, in order, nothing else
    assert clean(r.text).text == r.text


def test_article_alone_is_untouched_in_every_language():
    for lang, (_nav, article) in sorted(LANG_PAGES.items()):
        r = clean("\n\n".join(article))
        assert not [e for e in r.edits if e.rule.startswith(STAGE)], lang


# -- look-alike content lines that must survive -------------------------------------------------

COPYRIGHT_ARTICLE = [
    "Copyright law gives the author of a work the exclusive right to copy it, and in most countries "
    "that right lasts for seventy years after the author's death.",
    "A notice such as \u201cAll rights reserved\u201d no longer changes anything in law, the lecturer "
    "explained, but publishers still print it out of habit.",
    "Students asked whether a photo posted online is free to use, and the answer was no: the "
    "copyright belongs to the photographer unless a licence says otherwise.",
]
HOWTO = [
    "Making bread at home takes time, but it needs very little equipment, and the steps below work "
    "for most ovens and most kinds of flour that you can buy in a supermarket.",
    "Mix the flour, water, salt and yeast in a large bowl.",
    "Knead the dough for ten minutes.",
    "Leave it to rise for an hour.",
    "Shape the loaf and bake it at 220 degrees for 35 minutes.",
    "If the crust browns too fast, cover the loaf with foil for the last ten minutes, and let it cool "
    "on a rack before you cut it, or the crumb will be gummy and heavy.",
]
SHORT_PARAGRAPH = [
    ARTICLE[0],
    "It was the third vote in a year.",
    ARTICLE[1],
    ARTICLE[3],
]
QUOTE = [
    ARTICLE[0],
    "\u201cIt is about time,\u201d said one resident.",
    ARTICLE[1],
    ARTICLE[3],
]


@pytest.mark.parametrize(
    "name,article",
    [("copyright", COPYRIGHT_ARTICLE), ("howto_steps", HOWTO), ("short_paragraph", SHORT_PARAGRAPH),
     ("one_line_quote", QUOTE)],  # fmt: skip
)
def test_look_alike_lines_inside_a_page_survive(name, article):
    r = clean(page(NAV, article, RELATED, FOOTER))
    assert body_of(r.text) == article, name


@pytest.mark.parametrize(
    "name,article",
    [("copyright", COPYRIGHT_ARTICLE), ("howto_steps", HOWTO), ("short_paragraph", SHORT_PARAGRAPH),
     ("one_line_quote", QUOTE)],  # fmt: skip
)
def test_look_alike_articles_alone_get_no_classifier_edit(name, article):
    r = clean("\n\n".join(article))
    assert not [e for e in r.edits if e.rule.startswith(STAGE)], name


# -- case files (tests/cases/boilerplate/classifier*.json) --------------------------------------


def _case_files():
    for path in sorted(CASE_DIR.glob("classifier*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            yield pytest.param(path.stem, case, id=f"{path.stem}:{case['label']}")


@pytest.mark.parametrize("kind,case", list(_case_files()))
def test_classifier_case_rules_and_keeps(kind, case):
    """Beyond the shared runner (text, replay, idempotency): every line listed in ``keep``
    survives, and for ``classifier_keep`` no classifier rule fires at all."""
    r = clean(case["original"])
    for line in case.get("keep", ()):
        assert line in r.text, line
    if kind == "classifier_keep":
        fired = {e.rule for e in r.edits} & set(C_RULES)
        assert not fired, fired


C_RULES = (C.NAV_LABEL, C.SEPARATED_MENU, C.LINK_LINE, C.RECORD_STAMP, C.REPEATED_LINE,
           C.WORDLIST_LINE, C.SHORT_LINE, C.BLURB_LINE, C.AFTER_END, C.RECORD_LIST)  # fmt: skip


@pytest.mark.parametrize("rule_id", C_RULES)
def test_every_classifier_rule_has_a_firing_case(rule_id):
    fired = set()
    for path in sorted(CASE_DIR.glob("classifier.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            fired |= {e.rule for e in clean(case["original"]).edits}
    assert rule_id in fired


# -- records: dated comments and teasers --------------------------------------------------------


def _thread(n: int) -> list[str]:
    posts = []
    for k in range(n):
        posts += [f"reader{k} on March {k + 1}, 2024 at 9:{10 + k} am said:",
                  "I have crossed that bridge every day for twenty years and I never felt unsafe on "
                  "it, so I would like to see the survey before anyone spends this much money on a new one.",
                  "Reply"]  # fmt: skip
    return posts


def test_a_long_comment_thread_is_cut_when_dated_posts_follow_its_header():
    lines = NAV + ARTICLE + ["12 Comments"] + _thread(12) + FOOTER
    verdicts = C.classify_page(lines)
    marker = len(NAV) + len(ARTICLE)
    assert all(not verdicts[i].drop for i in range(len(NAV), marker))
    assert {verdicts[i].reason for i in range(marker, marker + 37)} == {C.AFTER_END}


def test_a_forum_thread_keeps_its_posts():
    # the first post is itself a dated record: the replies are the content, not comments
    lines = NAV + ["admin on March 1, 2024 at 8:00 am said:"] + ARTICLE + ["12 Replies"] + _thread(12) + FOOTER
    verdicts = C.classify_page(lines)
    first_reply = len(NAV) + 1 + len(ARTICLE) + 2
    assert verdicts[first_reply].reason != C.AFTER_END and not verdicts[first_reply].drop


def test_more_from_a_publication_closes_dated_teasers():
    teasers = []
    for k in range(6):
        teasers += [f"Headline number {k} about something else entirely", f"Reporter {k}",
                    f"Tuesday November {k + 10}, 2019",
                    "A first sentence of another story, which the page shows to make readers click on it."]  # fmt: skip
    lines = NAV + ARTICLE + ["More Example Gazette"] + teasers + FOOTER
    verdicts = C.classify_page(lines)
    marker = len(NAV) + len(ARTICLE)
    assert verdicts[marker].reason == C.AFTER_END
    assert all(verdicts[i].drop for i in range(marker, marker + len(teasers)))


def test_a_ticker_of_dated_headlines_ends_the_article_without_a_header():
    ticker = ["Live"] + [x for k in range(5) for x in (f"14:{40 - k * 7:02d}", f"Headline number {k} of the day")]
    lines = NAV + ARTICLE + ticker + FOOTER
    verdicts = C.classify_page(lines)
    start = len(NAV) + len(ARTICLE)
    assert all(not verdicts[i].drop for i in range(len(NAV), start))
    assert [verdicts[i].reason for i in range(start, start + len(ticker))] == [C.RECORD_LIST] * len(ticker)


def test_dated_lines_inside_a_long_article_do_not_end_it():
    # a timeline: dates recur, but more prose follows them than precedes them
    timeline = [x for k in range(4) for x in (f"March {k + 1}, 2024", ARTICLE[k % 5])]
    lines = NAV + ARTICLE[:2] + timeline + ARTICLE + FOOTER
    verdicts = C.classify_page(lines)
    assert not any(v.reason in (C.RECORD_LIST, C.AFTER_END) for v in verdicts if v is not None)


def test_html_input_keeps_what_the_extractor_chose():
    """From HTML the extractor picks the content by structure; the line classifier, which
    reads a table of names as menu labels, runs on text input only."""
    from cleaners.core.pipeline import clean

    para = (
        "<p>The council voted on Tuesday to close the old bridge, which has been in a poor "
        "state for years, and to build a new one by the end of the decade, after a long debate "
        "about the cost.</p>"
    )
    rows = [("Access Institute", "415-861-5449"), ("Bay Clinic", "415-555-0100"),
            ("City Center", "415-555-0199"), ("Harbor House", "415-555-0123")]  # fmt: skip
    table = "".join(f"<tr><td>{name}</td><td>{tel}</td></tr>" for name, tel in rows)
    html = (
        "<html><body><article><h1>Bridge to close</h1>"
        f"{para}{para.replace('council', 'board')}<table>{table}</table></article></body></html>"
    )
    from_html = clean(html, fmt="html")
    assert all(name in from_html.text for name, _ in rows)
    assert not any(e.rule == C.NAV_LABEL for e in from_html.edits)
    from_text = clean(from_html.source_text, fmt="text")  # the same lines as text: judged
    assert any(e.rule == C.NAV_LABEL for e in from_text.edits)
