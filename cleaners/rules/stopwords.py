"""Stop-word lists: the function words that make running prose, per language.

A line of article prose is full of them (*the*, *of*, *und*, *的*); a menu, a tag list or a
product grid has almost none. The line classifier of the ``boilerplate`` stage
(:mod:`cleaners.stages.boilerplate.classify`) counts them per line (jusText's
stop-word density, STYLE.md §4). The lists are short on purpose: the most frequent function
words of each language (articles, pronouns, prepositions, conjunctions, auxiliaries), written
from general grammar knowledge, lower case. A language without a list is classified on
structure alone, never on an empty list.

Chinese has no spaces between words: :data:`STOP_CHARS_ZH` holds single function characters
that are counted per character.
"""

from __future__ import annotations

from types import MappingProxyType


def _words(text: str) -> frozenset[str]:
    words = frozenset(text.split())
    if not words:
        raise ValueError("empty stop-word list")
    return words


STOP_WORDS = MappingProxyType(
    {
        "en": _words(
            """
            a about above after again against all also am an and any are as at be because been
            before being below between both but by can could did do does doing down during each
            even few for from further had has have having he her here hers herself him himself
            his how i if in into is it its itself just me more most my myself no nor not now of
            off on once only or other our ours ourselves out over own same she should so some
            such than that the their theirs them themselves then there these they this those
            through to too under until up us very was we were what when where which while who
            whom why will with would you your yours yourself yourselves i'm it's don't that's
            there's can't isn't we're they're you're doesn't didn't won't
            """
        ),
        "de": _words(
            """
            aber alle allem allen aller alles als also am an ander andere anderen auch auf aus
            bei bin bis bist da damit dann das dass dein deine dem den denn der des dich die dies
            diese diesem diesen dieser dieses doch dort du durch ein eine einem einen einer eines
            er es etwas euch euer für gegen gewesen hab habe haben hat hatte hier hin hinter ich
            ihm ihn ihnen ihr ihre im in indem ins ist jede jedem jeden jeder jedes jetzt kann
            kein keine können könnte man manche mein meine mich mir mit muss nach nicht nichts
            noch nun nur ob oder ohne schon sehr sein seine sich sie sind so solche soll sondern
            um und uns unser unter viel vom von vor war waren warum was weil welche wenn wer
            werde werden wie wieder will wir wird wo wurde wurden zu zum zur zwar zwischen über
            """
        ),
        "fr": _words(
            """
            a au aux avec avait c ce ces cet cette ceux comme d dans de des du elle elles en est
            et été être eu il ils j je l la le les leur leurs lui m ma mais me même mes moi mon
            n ne nos notre nous on ont ou où par pas peu plus pour qu que qui s sa sans se ses
            si son sont sur ta te tes toi ton tous tout toute très tu un une vos votre vous y à
            ça était sont aussi bien entre fait faire
            """
        ),
        "es": _words(
            """
            a al algo algunos ante antes como con contra cual cuando de del desde donde dos el
            ella ellas ellos en entre era es esa esas ese eso esos esta estaba estas este esto
            estos está fue fueron ha habia han hasta hay la las le les lo los más me mi mis muy
            nada ni no nos nosotros o otra otro para pero poco por porque que quien se sea ser
            si sin sobre son su sus también tanto te tiene todo todos tu tus un una uno unos y
            ya yo él ésta
            """
        ),
        "it": _words(
            """
            a ad al alla alle anche che chi ci come con cui da dal dalla dei del della delle di
            e ed era essere gli ha hanno i il in io la le lei lo loro lui ma mi ne nei nel nella
            non o per perché più questa questo se si sia sono su sua sue suo suoi tra un una uno
            è anche molto tutto
            """
        ),
        "pt": _words(
            """
            a ao aos as até com como da das de dela dele do dos e ela ele eles em entre era essa
            esse esta este eu foi for há isso isto já lhe mais mas me mesmo meu minha muito na
            nas nem no nos não o os ou para pela pelo por quando que se sem ser seu sua são só
            também te tem um uma você à é
            """
        ),
        "nl": _words(
            """
            aan al alles als bij dan dat de der deze die dit doch door een en er geen had heb
            hebben heeft het hier hij hoe ik in is je kan maar me met mij na naar niet nog nu of
            om ons ook op over te tot u uit van voor want was wat we wel werd wie wij worden zal
            ze zich zij zijn zo zou
            """
        ),
        "ru": _words(
            """
            а без более бы был была были было быть в вам вас во вот все всего всех вы где да
            для до его ее если есть еще же за и из или им их к как когда кто ли либо мне может
            мы на над надо не него нее нет ни них но ну о об однако он она они оно от по под
            при с со так также такой там те тем то того тоже только том ты у уже хотя чем что
            чтобы эта эти это этого этой я
            """
        ),
    }
)

#: Chinese function characters (particles, pronouns, copulas, prepositions, conjunctions),
#: counted one per character occurrence.
STOP_CHARS_ZH = frozenset("的了是在和有我他她它们这那也就都而及与着或不为之以于其所从对把被将但并且中上个到说要会能让")

#: Every listed word, with the languages it belongs to (one dictionary lookup per word).
LANGUAGES_BY_WORD = MappingProxyType(
    {
        w: tuple(sorted(lang for lang, words in STOP_WORDS.items() if w in words))
        for w in frozenset().union(*STOP_WORDS.values())
    }
)
