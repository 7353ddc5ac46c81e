"""Target-language typography (translate/typography.py) and the attribution
(translate/attribution.py)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from babelwire.extract.article import extract_article
from babelwire.models import Article
from babelwire.run.translation import translate_article
from babelwire.translate.attribution import attribution_for
from babelwire.translate.router import Router
from babelwire.translate.typography import TAG, clean_atoms, clean_text, pivot_text

FIDELITY = Path(__file__).parent / "data" / "fidelity"


@pytest.mark.parametrize(("text", "src", "tgt", "expected"), [
    ("Dijo  que  vale .", "en", "es", "Dijo que vale."),
    ("Il a dit : \"oui\" ? Non !", "en", "fr",
     "Il a dit\u00a0: «\u00a0oui\u00a0»\u00a0? Non\u00a0!"),
    ("À 10:30 sur http://x.fr/a?b", "es", "fr", "À 10:30 sur http://x.fr/a?b"),
    ("« la loi » dit-il ; bien", "fr", "es", "«la loi» dit-il; bien"),
    ("of « the law », he said", "fr", "en", "of “the law”, he said"),
    ("20.000 houses and 3,5 % more", "es", "en", "20,000 houses and 3.5% more"),
    ("1.500,25 euros, 3,5 points", "es", "en", "1,500.25 euros, 3.5 points"),
    ("20,000 dólares y 3.5 puntos", "en", "es", "20.000 dólares y 3,5 puntos"),
    ("20,000 dollars", "en", "fr", "20\u00a0000 dollars"),
    ("20\u00a0000 euros", "fr", "es", "20.000 euros"),
    ("20.000 euros", "es", "fr", "20\u00a0000 euros"),
    ("in 2012, 3 of 10", "es", "en", "in 2012, 3 of 10"),
    ('Dijo: "Qué pasa?" Nada. "No es el FC Barcelona!"', "fr", "es",
     'Dijo: "¿Qué pasa?" Nada. "¡No es el FC Barcelona!"'),
    ("¿Quién? Él lo sabe, no?", "en", "es", "¿Quién? ¿Él lo sabe, no?"),
    # an English post before a name takes its article and a small letter (The New York Times
    # and the BBC in the fidelity bench's pages: "In 1997, President Bill Clinton imposed")
    ("En 1997, Presidente Bill Clinton impuso un embargo.", "en", "es",
     "En 1997, el presidente Bill Clinton impuso un embargo."),
    ("Presidente Obama también dijo: la carta de Presidente Obama", "en", "es",
     "El presidente Obama también dijo: la carta del presidente Obama"),
    ("Dans 1997, Président Bill Clinton a imposé, à Président Obama", "en", "fr",
     "Dans 1997, le président Bill Clinton a imposé, au président Obama"),
    ("Dijo que el Presidente Obama vino.", "en", "es", "Dijo que el presidente Obama vino."),
    # not inside a name, nor a post whose form does not tell its article, nor from Spanish
    ("Trust Director Ejecutivo Javier Betancourt", "en", "es",
     "Trust Director Ejecutivo Javier Betancourt"),
    ("pour Ministre Agnès Buzyn", "en", "fr", "pour Ministre Agnès Buzyn"),
    ("para Presidente Hayes", "es", "en", "para Presidente Hayes"),
])
def test_typography(text: str, src: str, tgt: str, expected: str) -> None:
    assert clean_text(text, src, tgt) == expected


def test_tags_stay_in_place_and_attributes_are_untouched() -> None:
    atoms = [(False, "Selon "), (True, '<a href="https://x.fr/?a=1:2">'), (False, "Le Monde"),
             (True, "</a>"), (False, " : oui")]
    out = clean_atoms(atoms, "fr", "fr")
    assert out[1] == (True, '<a href="https://x.fr/?a=1:2">')
    assert out[-1] == (False, "\u00a0: oui")
    assert TAG not in "".join(t for _, t in out)


def test_attribution_falls_back_to_the_host() -> None:
    article = Article(url="https://news.example/a?x=1", title="", html="", text="", lang="es")
    att = attribution_for(article, "n")
    assert att.site_name == "news.example" and att.url == "https://news.example/a?x=1"


def test_protected_terms_keep_their_numbers_and_quotes() -> None:
    # From a photo credit of theplanetarypress.com (trafilatura's evaluation pages), translated
    # by Apertium into Spanish: the licence is a protected anchor, the other number is not.
    atoms = [(False, "Crédito: Tomas Munita/CIFOR (3.5 km) ("),
             (True, '<a href="https://creativecommons.org/licenses/by-nc-nd/2.0/">'),
             (False, "CC BY-NC-ND 2.0"), (True, "</a>"), (False, ") y CC BY-NC-ND 2.0.")]
    out = "".join(t for _, t in clean_atoms(atoms, "en", "es", keep={"CC BY-NC-ND 2.0"}))
    assert out == ("Crédito: Tomas Munita/CIFOR (3,5 km) (<a href=\"https://creativecommons.org"
                   "/licenses/by-nc-nd/2.0/\">CC BY-NC-ND 2.0</a>) y CC BY-NC-ND 2.0.")
    plain = "".join(t for _, t in clean_atoms(atoms, "en", "es"))
    assert "CC BY-NC-ND 2,0" in plain           # without the term, it is a number like others
    quoted = clean_atoms([(False, 'Lo dijo "The Information" : sí')], "en", "fr",
                         keep={'"The Information"'})
    assert quoted == [(False, 'Lo dijo "The Information"\u00a0: sí')]


def test_private_use_characters_of_the_page_are_not_taken_for_kept_terms() -> None:
    # Icon fonts (Font Awesome) put private-use characters in the text.
    atoms = [(False, "\uf09a Síguenos, 3.5 y Le Monde")]
    out = clean_atoms(atoms, "en", "es", keep={"Le Monde"})
    assert out == [(False, "\uf09a Síguenos, 3,5 y Le Monde")]


def test_a_post_after_a_kept_name_is_left_alone() -> None:
    # The Washington Post (fidelity bench's pages): "Tunisian Prime Minister Habib Essid" came
    # out with the people's word kept; it is part of the post's phrase, not a clause's start
    atoms = [(False, "Tunis centrique. Tunisian Premier ministre Habib Essid a dit.")]
    out = clean_atoms(atoms, "en", "fr", keep=["Tunisian", "Habib Essid"])
    assert out == atoms


def test_an_english_post_before_a_name_gets_its_article(router: Router) -> None:
    # NBC News (tests/data/fidelity/en-nbcnews-korea): "The only way for President Yoon Suk
    # Yeol to mean his apology" came out "para Presidente Yoon Suk Yeol" and "pour Président
    # Yoon Suk Yeol"
    case = json.loads((FIDELITY / "en-nbcnews-korea" / "case.json").read_text("utf-8"))
    page = gzip.decompress((FIDELITY / "en-nbcnews-korea" / "page.html.gz").read_bytes())
    article = extract_article(page, str(case["url"]))
    assert "for President Yoon Suk Yeol" in article.text
    for lang, right, wrong in (("es", "el presidente Yoon", r"(?<!\. )Presidente Yoon"),
                               ("fr", "le président Yoon", r"(?<!\. )Président Yoon")):
        text = translate_article(article, lang, router).text
        assert right in text and not re.search(wrong, text), text


# newstest2013 es 160, 206 and 460 (Spanish leaves the subject pronoun out, and transfer into
# French wrote one between the subject and its verb: "l'équipe il a trouvé", "les médecins ils
# ont l'habitude", "Le vendeur et l'acheteur ils ont l'habitude"); 682 and 724 hold an
# impersonal "il" after a complement, which French writes so
SUBJECTS = ("Unas horas más tarde, el equipo encontró remedio a ese mal.",
            "Al final de la vida, los médicos suelen recurrir a la sedación paliativa, que sirve "
            "para dormir al paciente hasta el momento de su defunción.",
            "El vendedor y el comprador suelen encontrarse a través de conocidos.")
IMPERSONAL = ("En los próximos 15 días debería organizarse un referéndum.",
              "En los últimos días, en los Estados Unidos se ha iniciado una ola de protestas.")


def _translated(router: Router, line: str, src: str, tgt: str) -> str:
    """The published text of one newstest2013 line translated as a one-paragraph article."""
    return translate_article(Article(url=f"https://newstest.invalid/{src}", title="", lang=src,
                                     html=f"<p>{line}</p>", text=line), tgt, router).text


def test_no_pronoun_between_a_subject_and_its_verb_in_french(router: Router) -> None:
    for line in SUBJECTS:
        text = _translated(router, line, "es", "fr")
        assert not re.search(r"\b(?:équipe|médecins|acheteur) (?:il|ils)\b", text), text
    for line in IMPERSONAL:
        text = _translated(router, line, "es", "fr")
        assert re.search(r"\bil (?:devrait|s'est|s’est)\b", text), text
    # the rule alone: a clause's own subject pronoun stays ("et ils ajoutent", "qu'ils
    # attendent", after a comma)
    for text in ("Les ordinateurs prennent la transaction et ils ajoutent un nombre.",
                 "Il est normal qu'ils attendent beaucoup.",
                 "Quand le président arrive, il parle.",
                 "Le Parlement il y a deux ans."):
        assert clean_text(text, "es", "fr") == text
    assert clean_text("les médecins ils ont", "fr", "fr") == "les médecins ils ont"


# newstest2013 en 199, 343 and 564: English "when" opening a clause came out as the
# interrogative "cuándo" (every one of the first half's 41), which the human translations
# write "cuando"
WHEN = ("Hélène Richard's survival hopes were already minimal when she ended her gruelling "
        "chemotherapy.",
        "When you go to Israel, don't worry about your bad English knowledge: approximately 30% "
        "of the country's population speaks Russian.",
        "Blanc had achieved his goal when we qualified for the Euro.")


# newstest2013 en 40, 180 and 183: the relative "who" came out "quién" (104 times in the first
# half), which the human translations write "que" or "quien"
WHO = ("These represented only 11% of voters, but 24% of citizens who voted early.",
       "A person who is dying will accept being helped to drink brandy or Pepsi, whatever is "
       "their tipple.",
       "Yesterday evening, a beer was served to Mr X, who died during the night.")


def test_when_opening_a_clause_is_no_question_in_spanish(router: Router) -> None:
    for line in WHEN:
        text = _translated(router, line, "en", "es")
        assert re.search(r"\b[Cc]uando\b", text) and "uándo" not in text, text
    # a question, and a verb that asks or tells when, keep the accent
    assert clean_text("¿Cuándo llega el tren?", "en", "es") == "¿Cuándo llega el tren?"
    assert clean_text("No sabe cuándo llegará.", "en", "es") == "No sabe cuándo llegará."


def test_who_opening_a_relative_clause_is_no_question_in_spanish(router: Router) -> None:
    texts = [_translated(router, line, "en", "es") for line in WHO]
    assert not any(re.search(r"\b[Qq]uién", t) for t in texts), texts
    assert re.search(r"ciudadanos que ", texts[0]) and re.search(r"persona que ", texts[1]), texts
    assert re.search(r", quien ", texts[2]), texts[2]
    # a question, and a word that asks who, keep the accent
    assert clean_text("¿Quién vino?", "en", "es") == "¿Quién vino?"
    assert clean_text("Hay que decidir quién tiene que hacerlo.", "en", "es") == \
        "Hay que decidir quién tiene que hacerlo."


# newstest2013 en 473 and 512: "which" after a comma came out "el cual" whatever its
# antecedent's gender and number (80 times in the first half, "los cuales" 19; the human
# translations: 2 and 0), and through Spanish "lequel" in French (69; they wrote "qui")
WHICH = ("The text, which was still being voted on yesterday evening, has 234 articles.",
         "This is also the location of the symbolic Christian omphalos, which symbolizes the "
         "salvation of mankind.")


def test_which_after_a_comma_is_que_and_qui(router: Router) -> None:
    for tgt, wrong, right in (("es", r"\b(?:el|la|los|las) cual", r", que "),
                              ("fr", r"\b(?:lequel|laquelle|lesquels|lesquelles)\b",
                               r", qui ")):
        for line in WHICH:
            text = _translated(router, line, "en", tgt)
            assert re.search(right, text) and not re.search(wrong, text), text
    # before a name the relative is the verb's object (written for the test)
    assert clean_text("La loi, lequel Marc a signé, a changé.", "en", "fr") == \
        "La loi, que Marc a signé, a changé."
    assert clean_text("La loi, laquelle Ana a signée, a changé.", "en", "fr") == \
        "La loi, qu'Ana a signée, a changé."
    # after a preposition, before an object pronoun or a determiner (subject and object
    # left open), and "lo cual" (a clause's antecedent): as they were
    for text, tgt in (("El texto, del cual habló, es largo.", "es"),
                      ("Dejó la base, lo cual significa que se va.", "es"),
                      ("Le texte, par lequel il a commencé, est long.", "fr"),
                      ("Les enfants, lesquels les parents aiment, jouent.", "fr"),
                      ("Le texte, lequel il a lu, est long.", "fr")):
        assert clean_text(text, "en", tgt) == text
    # Spanish and French text is not translated into its own language: left alone
    assert clean_text("El texto, el cual es largo.", "es", "es") == "El texto, el cual es largo."


# newstest2013 en 443 and 505: "was" before a past participle came out "estuvo" (36 times in
# the first half, "estuvieron" 10; the human translations: 3 and 0), a state where English
# says an event
PASSIVES = ("The departure of French combat troops was completed on 20 November.",
            "It is worth visiting the River Jordan where Jesus was baptized.")


def test_an_english_passive_in_the_past_is_ser_in_spanish(router: Router) -> None:
    for line, passive in zip(PASSIVES, ("fue completada", "fue bautizado"), strict=True):
        text = _translated(router, line, "en", "es")
        assert passive in text and "estuv" not in text, text
    # a participle that names a state, a place, and French into Spanish: as they were
    for text, src in (("Estuvo cansado toda la semana.", "en"),
                      ("Estuvieron preocupados por el precio.", "en"),
                      ("Estuvo en Madrid.", "en"), ("El museo estuvo cerrado.", "fr")):
        assert clean_text(text, src, "es") == text


# newstest2013 en 358, 1162 and 1294: "as" before a noun phrase and "so far" came out "tan"
# and "tan lejos" ("describe bitcoin tan «la moneda virtual»", "Tan lejos hay sólo casos
# excepcionales", "tan siempre")
AS_SO_FAR = ('It describes bitcoin as "the most successful virtual currency," "in competition '
             'with the dollar or the euro" and "similar to conventional currencies."',
             "So far there are only exceptional cases, people who are strong-willed.",
             "The latest wave of violence between Israel and the Gaza strip, as always, has "
             "sparked a lot of reaction.")


def test_as_before_a_noun_phrase_is_como_and_so_far_hasta_ahora(router: Router) -> None:
    for line, right in zip(AS_SO_FAR, ("bitcoin como ", "Hasta ahora ", "como siempre"),
                           strict=True):
        text = _translated(router, line, "en", "es")
        assert right in text and not re.search(r"\b[Tt]an\b", text), text
    # before an adjective, "tan ... como", far from, and "qué tan lejos": as they were
    for text in ("Es tan atractivo para los investigadores.", "Llegó tan lejos como pudo.",
                 "Está tan lejos de casa.", "¿Qué tan lejos está?"):
        assert clean_text(text, "en", "es") == text


# newstest2013 es 66 and 394: Spanish "no ... ni" came out "not ... neither" ("is not
# aggressive neither comports a risk", "do not have to install new terminal neither softwares")
NOR = ("Hoy en día muchos hombres a los que se les ha detectado un cáncer no son tratados, "
       "puesto que dicho cáncer no es agresivo ni entraña un riesgo para su vida.",
       "El sistema es fácil de poner en marcha en los comercios, que no tienen que instalar "
       "nuevos terminales ni softwares.")


def test_ni_after_a_negation_is_or_in_english(router: Router) -> None:
    for line in NOR:
        text = _translated(router, line, "es", "en")
        assert " or " in text and "neither" not in text, text
    # right after the negation it goes; with nothing negative before it, it stays; English
    # text is not rewritten (written for the test)
    assert clean_text("I am not neither a genius neither an intellectual.", "es", "en") == \
        "I am not a genius or an intellectual."
    for text, src in (("Neither the president can prevent it.", "es"),
                      ("It is not big, neither is it small.", "en")):
        assert clean_text(text, src, "en") == text


# newstest2013 es 59 and 132: Spanish "entre" of two came out "among" ("among the patients that
# had made the detection and those that no"; the human translations: "between")
BETWEEN = ("Por su parte, el estudio europeo mostró cierta diferencia de mortalidad entre los "
           "pacientes que se habían realizado la detección y los que no.",
           "Para la ciencia, esto sirve para verificar la validez del modelo estándar (MS), y "
           "permite, además, que los físicos escrutinen las diferencias entre las observaciones "
           "y las predicciones del MS.")


def test_entre_of_two_is_between_in_english(router: Router) -> None:
    for line in BETWEEN:
        text = _translated(router, line, "es", "en")
        assert "between the" in text and "among" not in text, text
    # a list of more, a verb after "and", and English text: as they were (written for the test)
    for text, src in (("It is popular among students, teachers and parents.", "es"),
                      ("The talks among the leaders continued and ended.", "es"),
                      ("It is shared among the winners and the losers.", "en")):
        assert clean_text(text, src, "en") == text


# newstest2013 es 106 (the human translation: "the mass of everything in the Universe"): Spanish
# "todo lo que" came out "all what exists"; and "no poder" "can not" (16 lines of the first
# half from Spanish, the human translations never)
def test_can_not_is_cannot_and_all_what_all_that_in_english(router: Router) -> None:
    text = _translated(router, "Se cree, en efecto, que este bosón es partícipe del mecanismo "
                       "responsable de la masa de todo lo que existe en el universo.", "es", "en")
    assert "all that exists" in text and "all what" not in text, text
    assert clean_text("Can not be done; we can not  wait.", "fr", "en") == \
        "Cannot be done; we cannot wait."
    # "can not only", and English text, as they were (written for the test)
    for text, src in (("It can not only fly but also swim.", "es"),
                      ("You can not go, if you like.", "en")):
        assert clean_text(text, src, "en") == text


def test_a_spanish_pivots_relatives_are_mended_between_the_legs() -> None:
    # en-es's answer for "a physicist who worked at Bell Labs", markup kept in place
    segment = 'Un físico <g id="1">quién</g> trabajó en <k id="2">Bell Labs</k>.'
    assert pivot_text(segment, "es") == \
        'Un físico <g id="1">que</g> trabajó en <k id="2">Bell Labs</k>.'
    assert pivot_text("Un físico quién trabajó.", "es") == "Un físico que trabajó."
    # a question, after a word that asks, and another pivot language: as they were
    for text, lang in (("¿Quién trabajó?", "es"), ("No sabe quién trabajó.", "es"),
                       ("Un físico quién trabajó.", "ca")):
        assert pivot_text(text, lang) == text


def test_french_que_is_elided_before_a_pronoun_or_an_article() -> None:
    # es-fr's answers for "comparado a lo que eran", "dijo que ellos ..." (newstest2013)
    assert clean_text("réduit comparé à ce que ils étaient, que il a dit, que une loi", "es",
                      "fr") == "réduit comparé à ce qu'ils étaient, qu'il a dit, qu'une loi"
    for text in ("que onze élus", "Quelle idée", "quelque une"):
        assert clean_text(text, "es", "fr") == text


def test_french_en_takes_no_article() -> None:
    # es-fr's answers for "tiene mucha fe en el potencial", "en contratos", "en los lugares"
    # (newstest2013)
    assert clean_text("Il a foi en le potentiel, en des contrats et en les lieux publics.", "es",
                      "fr") == \
        "Il a foi dans le potentiel, dans des contrats et dans les lieux publics."
    # the object of a gerund, and French text: as they were (written for the test)
    assert clean_text("En le faisant, il part.", "es", "fr") == "En le faisant, il part."
    assert clean_text("Il a foi en le potentiel.", "fr", "fr") == "Il a foi en le potentiel."


def test_world_wide_is_world_before_its_noun_and_persons_people_in_english() -> None:
    # es-en's answers for "la segunda guerra mundial", "una estrella mundial", "a nivel
    # mundial", and a pivot's "persons" (newstest2013)
    assert clean_text("Before the second world-wide war, a star world-wide, at the world-wide "
                      "level; some persons.", "es", "en") == \
        "Before the second world war, a star worldwide, at the world level; some people."
    assert clean_text("World-wide trade grew world-wide and fast.", "fr", "en") == \
        "World trade grew worldwide and fast."
    # English text as it was (written for the test)
    for text in ("A world-wide web of persons.",):
        assert clean_text(text, "en", "en") == text
