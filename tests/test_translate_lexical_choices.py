"""babelwire's lexical choices for English news (translate/engines/apertium/lexical.py).

Real sentences: newstest2013 (``../shared/data/mt/newstest2013``, the WMT 2013 test set; line
numbers with each). Apertium's pairs chose "fiesta" for every party ("apoyan la Fiesta
Democrática", "la Fête Démocratique" through Spanish) where the human translators wrote
"partido" and "parti"; English -> Catalan wrote a court as a cut ("el Tall Suprem"). The
celebrations below are written for the test: newstest2013 holds none with a word that says so.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence

import pytest

from babelwire.run.translation import translate_lines
from babelwire.translate.engines.apertium import lexical
from babelwire.translate.engines.apertium.engine import ApertiumEngine
from babelwire.translate.engines.base import Job
from babelwire.translate.router import Router

# newstest2013 en 31, 2434, 2621
PARTIES = (
    "However, it appears that two out of three Hispanic voters favour the Democratic party.",
    "Hatred of the Conservative Party was at its most febrile.",
    "Increased immigration is also seen as one of the reasons why, last year, the Singapore "
    "ruling party experienced its worst election result since independence.",
)
# newstest2013 en 879 and 1374: the human translators wrote "encuesta" ("urna", a ballot box,
# was the pair's default)
POLLS = ("In 2000, there was a poll in the press, for the People of Our City prize.",
         "The www.bankovnipoplatky.com server, which issues a poll every year on the most absurd "
         "bank charge, has now decided to announce a competition.")
# newstest2013 en 936: a people, no contest
OUR_RACE = ("To save humanity, the question is how to propagate our race in conditions of "
            "weightlessness or on that replacement planet?")


def _lines(router: Router, lines: tuple[str, ...], tgt: str) -> list[str]:
    return translate_lines(list(lines), "en", tgt, router).text.split("\n")


@pytest.mark.parametrize(("tgt", "party", "feast"), [("es", "partido", "fiesta"),
                                                     ("fr", "parti", "fête")])
def test_a_party_in_the_news_is_a_political_party(router: Router, tgt: str, party: str,
                                                  feast: str) -> None:
    for line in _lines(router, PARTIES, tgt):
        assert re.search(rf"\b{party}\b", line, re.IGNORECASE), line
        assert feast not in line.lower(), line


def test_a_poll_is_a_survey(router: Router) -> None:
    for line in _lines(router, POLLS, "es"):
        assert "encuesta" in line and "urna" not in line, line


def test_the_words_around_keep_the_other_sense(router: Router) -> None:
    out = _lines(router, ("They held a birthday party for the mayor at his house.",
                          "The company posted a loss in the third quarter.",
                          "He lives in the French quarter of the city.",
                          "He entered the race for mayor last year.", OUR_RACE,
                          "The cabinet met on Tuesday to discuss the budget.",
                          "She keeps the pills in the kitchen cabinet."), "es")
    assert "fiesta" in out[0] and "partido" not in out[0], out[0]
    assert "trimestre" in out[1], out[1]
    assert "barrio" in out[2], out[2]
    assert "carrera" in out[3], out[3]
    assert "raza" in out[4], out[4]
    assert "gabinete" in out[5] and "armario" in out[6], out[5:]


def test_the_pairs_default_without_the_choices() -> None:
    # the bench's baseline (bench/lexical_choices.py), and what a machine without lrx-comp
    # publishes: the choices are babelwire's, not Apertium's
    router = Router([ApertiumEngine(lexical_choices=False)])
    try:
        out = _lines(router, PARTIES[:1], "es")
    finally:
        router.close()
    assert "Fiesta" in out[0] or "fiesta" in out[0], out[0]


def test_the_choices_run_before_the_pairs_own() -> None:
    command = ("lt-proc -z -b '/x/eng-spa.autobil.bin' | lrx-proc -z -m '/x/eng-spa.autolex.bin'"
               " | apertium-transfer -z -b '/x/t1x' '/x/t1x.bin'")
    with_choices = lexical.with_choices(command, "en", "es")
    binary = lexical.compiled("en", "es")
    assert binary is not None and binary.exists()
    stages = [s.strip() for s in with_choices.split(" | ")]
    at = stages.index(f"lrx-proc -z -m {binary}")
    assert stages[at + 1].endswith("autolex.bin'"), stages
    # no choices for other pairs: their pipeline is the pair's
    assert lexical.with_choices(command, "es", "ca") == command
    # and the memory keeps the answers of other choices apart
    engine = ApertiumEngine()
    assert engine.pairs()[("en", "es")] != ApertiumEngine(lexical_choices=False).pairs()[
        ("en", "es")]
    engine.close()


def test_the_ruleset_holds_each_pairs_own_choices() -> None:
    text = lexical.ruleset("en", "es")
    assert '<select lemma="partido"/>' in text and '<select lemma="fiesta"/>' in text
    assert "tribunal" not in text        # Spanish keeps "corte", which French takes as "cour"
    assert "tribunal" in lexical.ruleset("en", "ca")


def test_catalan_parties_into_french_are_parties_unless_a_game_is_played(router: Router) -> None:
    # through Catalan, "Six opposition parties" (NBC News, en-nbcnews-korea) came out "Six
    # matchs d'opposition": Catalan "partits" is a match by the pair's default
    out = router.translate(["Sis partits d'oposició van votar.",
                            "El partit de futbol va acabar amb un gol."], "ca", "fr").texts
    assert "partis" in out[0] and "match" not in out[0], out[0]
    assert "match" in out[1], out[1]


def test_to_fire_people_is_to_dismiss_them(router: Router) -> None:
    # ScrapingHub's benchmark (ground truth bodies): Slate's "many of her clients fired her"
    # came out "le dispararon" ("shot her"); The Guardian's police "fired round after round of
    # teargas" still shoot
    out = _lines(router, (
        "He became more and more intermittent with phone calls and correspondence, and many of "
        "her clients fired her.",
        "Hong Kong Polytechnic University was besieged by police, who fired round after round "
        "of teargas at protesters."), "es")
    assert "despidieron" in out[0] and "dispar" not in out[0], out[0]
    assert "disparó" in out[1] and "despid" not in out[1], out[1]


# newstest2013 es 5, 357, 933 and 994 (the human translators wrote "le taux de participation",
# "la Banque centrale européenne", "La Terre", "l'enfant aussi a besoin"), and 65 in English
SPANISH = (
    "Una cosa es cierta: esas nuevas disposiciones afectarán negativamente a la tasa de "
    "participación.",
    "Sin embargo, el Banco Central Europeo (BCE) se interesó por él en un informe sobre las "
    "monedas virtuales publicado en octubre.",
    "La Tierra está en peligro.",
    "Por otra parte, el niño también necesita gravedad artificial.",
)
NEEDS = ("The patient really needs to be made to understand the degree of risk of his cancer, "
         "by offering him the options available.",)


def test_spanish_banks_rates_earth_and_needs_keep_their_sense_in_french(router: Router) -> None:
    # the es-fr dictionary knows only "banc", "taxe", "terroir" and "préciser"
    out = translate_lines(list(SPANISH), "es", "fr", router).text.split("\n")
    assert "taux de participation" in out[0], out[0]
    assert "la Banque Centrale" in out[1], out[1]
    assert out[2].startswith("La Terre "), out[2]
    assert "a besoin de" in out[3] or "a besoin d'" in out[3], out[3]
    assert not re.search(r"\b(?:[Bb]anc|taxe|[Tt]erroir|précise)\b", " ".join(out)), out
    # English into French goes through Spanish, and needs the same
    (line,) = _lines(router, NEEDS, "fr")
    assert "besoin" in line and "précise" not in line, line


def test_the_other_sense_stays_where_the_words_around_say_so(router: Router) -> None:
    # written for the test: newstest2013 has no bench, and no fee
    out = translate_lines(["Messi empezó el partido en el banco de suplentes.",
                           "Un banco de peces pasó cerca de la costa.",
                           "Los turistas pagan la tasa al llegar.",
                           "Necesito que vengas mañana."], "es", "fr", router).text.split("\n")
    assert "banc de" in out[0] and "banc de" in out[1], out
    assert "la taxe" in out[2], out[2]
    assert "besoin que" in out[3], out[3]


def test_the_offers_run_before_the_choices() -> None:
    command = ("lt-proc -z -b '/x/es-fr.autobil.bin' | lrx-proc -z -m '/x/es-fr.autolex.bin'"
               " | apertium-transfer -z -b '/x/t1x' '/x/t1x.bin'")
    stages = [s.strip() for s in lexical.with_choices(command, "es", "fr").split(" | ")]
    script = lexical.offers_file("es", "fr")
    assert stages[1] == lexical.possessors_stage("es", "fr")
    assert script is not None and stages[2] == f"stdbuf -o0 sed -z -f {script}"
    assert stages[3].startswith("lrx-proc -z -m ") and stages[4].endswith("autolex.bin'")
    # the bank is offered first, in the case the dictionary wrote; a word the dictionary also
    # makes "banc" ("banquillo", the bench of a team) is not offered one
    stream = "^Banco<n><m><sg>/Banc<n><m><sg>$ ^banquillo<n><m><sg>/banc<n><m><sg>$\0"
    offered = subprocess.run(["sed", "-z", "-f", str(script)], input=stream.encode(),
                             capture_output=True, check=True).stdout.decode()
    assert offered == ("^Banco<n><m><sg>/Banque<n><f><sg>/Banc<n><m><sg>$ "
                       "^banquillo<n><m><sg>/banc<n><m><sg>$\0"), offered
    assert lexical.offers("es", "ca") == ""


# newstest2013 fr 18, 434 and 173 (the human translators wrote "Es importante", "ningún sistema
# importante", "los cuidados del cuerpo")
FRENCH = (
    "Il est important de noter que, contrairement au Québec, les citoyens américains ne "
    "disposent pas de carte d'identité universelle comme la carte de l'assurance maladie.",
    "Aucune industrie n'a été remise en route, aucun barrage n'est en état, aucun système "
    "important d'irrigation n'est réparé.",
    "À Victor-Gadbois, on prodigue, avec un groupe de bénévoles, les soins du corps et l'aide à "
    "l'alimentation.",
)


def test_french_words_the_dictionary_gives_another_sense_are_offered_theirs(
        router: Router) -> None:
    # the fr-es dictionary has "important" only as "de entidad", "soin" as "cura"
    out = translate_lines(list(FRENCH), "fr", "es", router).text.split("\n")
    assert "importante" in out[0] and "importante" in out[1], out
    assert "cuidados" in out[2], out[2]
    assert not re.search(r"\b(?:de entidad|curas)\b", " ".join(out)), out
    # and a regime that is what one eats is still a diet (written for the test)
    (line,) = translate_lines(["Il suit un régime alimentaire strict, dit le régime syrien."],
                              "fr", "es", router).text.split("\n")
    assert "dieta" in line and "régimen sirio" in line, line


# newstest2013 en 89, 120, 570, 16 and 251 (the human translators wrote "Las
# investigaciones", "esta crónica", "mercados", "las autoridades", "Esta temporada")
ENGLISH = (
    "\"Research shows that the regular practice of physical activity throughout your life "
    "protects against colon cancer\" it is also said.",
    "In fact, if you can read this article, it is thanks to an extraordinarily banal boson: the "
    "photon, or the \"light particle\" which is the \"messenger\" of the electromagnetic force.",
    "Between Friday evening and the sunset on Saturday, markets, stores, and public "
    "transportation stop working.",
    "The Republican authorities were quick to extend this practice to other States.",
    "This season, you have taken on a new stature with PSG.",
)


def test_english_words_get_the_sense_news_means_where_the_pairs_rules_left_it_open(
        router: Router) -> None:
    # the en-es rules left the first sense: "búsqueda", "prenda", "lonjas", "potestades",
    # "estación"
    out = translate_lines(list(ENGLISH), "en", "es", router).text.split("\n")
    for line, word in zip(out, ("investigación", "artículo", "mercados", "autoridades",
                                "temporada"), strict=True):
        assert word in line.lower(), (word, line)
    assert not re.search(r"\b(?:búsqueda|prenda|lonjas?|potestades|estación)\b",
                         " ".join(out).lower()), out
    # where the pair's own rules chose by the words around, their choice stands ("work of
    # art"), and a goal that is scored is a goal (written for the test)
    out = translate_lines(["The work of art was sold.", "Messi scored the winning goal."],
                          "en", "es", router).text.split("\n")
    assert "obra de arte" in out[0] and "gol" in out[1], out


def test_the_defaults_run_after_the_pairs_own_rules() -> None:
    command = ("lt-proc -z -b '/x/eng-spa.autobil.bin' | lrx-proc -z -m '/x/eng-spa.autolex.bin'"
               " | apertium-transfer -z -b '/x/t1x' '/x/t1x.bin'")
    stages = [s.strip() for s in lexical.with_choices(command, "en", "es").split(" | ")]
    defaults = lexical.compiled("en", "es", after=True)
    assert defaults is not None and stages[3].endswith("autolex.bin'")
    assert stages[4] == f"lrx-proc -z -m {defaults}", stages
    assert lexical.compiled("es", "fr", after=True) is None


# written for the test: "considerar que" was "envisager que", "lograr" always "remporter"
# (bench/lexical_choices.py --source es measures both on newstest2013)
def test_spanish_verbs_the_dictionary_gives_one_sense_into_french(router: Router) -> None:
    out = translate_lines(["El gobierno considera que la empresa debe pagar.",
                           "Lograron un acuerdo y el equipo logró el título."], "es", "fr",
                          router).text.split("\n")
    assert "estime que" in out[0] and "envisage" not in out[0], out[0]
    assert "obtenu un accord" in out[1] and "remporté le titre" in out[1], out[1]


# newstest2013 es 2, 42, 454 (0-based line numbers 1, 41, 453) and 1053: the human translators
# wrote "their policy", "their supporters", "its final text", "its application"; the es-en
# dictionary knows "su" only as "his", the es-fr one only as "son/sa/ses"
POSSESSIVES = (
    "Los dirigentes republicanos justificaron su política por la necesidad de luchar contra el "
    "fraude electoral.",
    "Por supuesto, los legisladores demócratas y sus partidarios se han opuesto fervientemente "
    "a la adopción de leyes que restrinjan el registro de electores.",
    "Cogió a todo el mundo por sorpresa el miércoles, cuando anunció que la Asamblea "
    "Constituyente votaría su texto final al día siguiente.",
    "La ley nunca será perfecta, pero su aplicación debe ser correcta.",
)


def test_spanish_su_of_a_plural_or_of_a_thing_is_their_leur_and_its(router: Router) -> None:
    out = translate_lines(list(POSSESSIVES), "es", "en", router).text.split("\n")
    assert "justified their" in out[0] and "their adherents" in out[1], out
    assert "its final text" in out[2] and "its application" in out[3], out
    assert not re.search(r"\bhis\b", " ".join(out)), out
    out = translate_lines(list(POSSESSIVES[:2]), "es", "fr", router).text.split("\n")
    assert "leur politique" in out[0] and "leurs partisans" in out[1], out
    # French "leur" goes through Spanish "su" into English, English "their" into French
    (line,) = translate_lines(["Les dirigeants républicains justifièrent leur politique par la "
                               "nécessité de lutter contre la fraude électorale."], "fr", "en",
                              router).text.split("\n")
    assert "their politics" in line, line
    (line,) = _lines(router, ("Republican leaders justified their policy by the need to combat "
                              "electoral fraud.",), "fr")
    assert "leur" in line and not re.search(r"\b(?:sa|son)\b", line), line


def test_a_man_s_su_stays_his_and_a_woman_s_is_her(router: Router) -> None:
    # newstest2013 es 187 (the human translation: "his last meeting"), and written for the
    # test: a person heads the subject, or a proper noun filed as a person's name
    out = translate_lines([
        "Al lado de un hombre de 94 años que saborea su última reunión familiar en el patio.",
        "El presidente presentó su plan.", "Obama presentó su plan.",
        "El líder del partido presentó su plan."], "es", "en", router).text.split("\n")
    assert "his last" in out[0], out[0]
    assert all("his plan" in line for line in out[1:]), out
    # a woman: her given name, a noun of people in the feminine or after "la"
    out = translate_lines(["Angela Merkel presentó su plan.", "La ministra anunció su dimisión.",
                           "La periodista publicó su reportaje."], "es", "en",
                          router).text.split("\n")
    assert all(" her " in line and " his " not in line for line in out), out


def test_the_possessors_filter_reads_the_bilingual_dictionarys_stream() -> None:
    stage = lexical.possessors_stage("es", "en")
    assert stage is not None and lexical.possessors_stage("en", "es") is None
    stream = ("^Los<det><def><m><pl>/The<det><def><m><pl>$ ^dirigente<n><mf><pl>/leader<n><pl>$ "
              "^justificar<vblex><ifi><p3><pl>/justify<vblex><ifi><p3><pl>$ "
              "^suyo<det><pos><mf><sg>/his<det><pos><mf><sg>$ ^.<sent>/.<sent>$ "
              "^Suyo<det><pos><mf><pl>/His<det><pos><mf><pl>$ "
              "^Google<np><al><m><sg>/Google<np><al><m><sg>$ "
              "^presentar<vblex><ifi><p3><sg>/present<vblex><ifi><p3><sg>$ "
              "^suyo<det><pos><mf><sg>/his<det><pos><mf><sg>$\0")
    out = subprocess.run(stage, shell=True, input=stream.encode(), capture_output=True,
                         check=True).stdout.decode()
    # a plural verb before it; none before it in its sentence (kept, in its case); a
    # singular verb whose subject is a firm
    assert out == stream.replace("/his<det><pos><mf><sg>$ ^.", "/their<det><pos><mf><sg>$ ^.") \
        .replace("/his<det><pos><mf><sg>$\0", "/its<det><pos><mf><sg>$\0"), out
    # French "leur" is the same in both genders: the gender transfer would give it goes
    french = lexical.possessors_stage("es", "fr")
    assert french is not None
    stream = ("^justificar<vblex><ifi><p3><pl>/justifier<vblex><ifi><p3><pl>$ "
              "^suyo<det><pos><mf><sg>/son<det><pos><GD><sg>$\0")
    out = subprocess.run(french, shell=True, input=stream.encode(), capture_output=True,
                         check=True).stdout.decode()
    assert out.endswith("/leur<det><pos><mf><sg>$\0"), out


# newstest2013 fr 44 and 322 (the human translations: "intervino", "Ha venido"): fr-es's
# transfer wrote French compound tenses with "être" as "estar" and the participle
ETRE = ("L'avocat général des États-Unis est intervenu pour suspendre les lois les plus "
        "controversées.",
        "Il est venu pour ça et il prouve qu'il est la star de la Ligue 1.")


def test_french_compound_tenses_with_etre_are_haber_in_spanish(router: Router) -> None:
    out = translate_lines(list(ETRE), "fr", "es", router).text.split("\n")
    assert "ha intervenido" in out[0] and out[1].startswith("Ha venido"), out
    assert not re.search(r"\b[Ee]st(?:á|án|aba) (?:intervenido|venido)", " ".join(out)), out
    # and through Spanish into English; a passive stays one (written for the test)
    (line,) = translate_lines([ETRE[1]], "fr", "en", router).text.split("\n")
    assert "has come" in line, line
    (line,) = translate_lines(["La lettre est signée."], "fr", "es", router).text.split("\n")
    assert "está firmada" in line, line


def test_the_script_before_the_generator_runs_right_before_it() -> None:
    command = ("lt-proc -z -b '/x/fr-es.autobil.bin' | lrx-proc -z -m '/x/fr-es.autolex.bin'"
               " | apertium-postchunk -z '/x/t3x' '/x/t3x.bin' | lt-proc -z $1 '/x/gen.bin'"
               " | lt-proc -z -p '/x/pgen.bin'")
    stages = [s.strip() for s in lexical.with_choices(command, "fr", "es").split(" | ")]
    script = lexical.before_generator_file("fr", "es")
    assert script is not None and stages[-3] == f"stdbuf -o0 sed -z -E -f {script}", stages
    assert stages[-2].startswith("lt-proc -z $1") and stages[-4].startswith("apertium-postchunk")
    assert lexical.before_generator_file("en", "es") is None


# newstest2013 es 354, 365 and 367 (the human translations: "as donations", "thereby
# ensuring", "So the network can verify"): the es-en dictionary knows "como" only as "like"
# and "así" only as "like this"
AS_THUS = ("Y cerca de unos mil sitios web aceptan los bitcoins como donaciones o como forma de "
           "pago.",
           "Un usuario puede elegir una dirección diferente para cada pago, garantizando así el "
           "anonimato.",
           "La red puede así verificar la autenticidad de la transacción.")


def test_spanish_como_before_a_noun_is_as_and_asi_before_a_verb_thus(router: Router) -> None:
    out = translate_lines(list(AS_THUS), "es", "en", router).text.split("\n")
    assert "as donations" in out[0] and "like" not in out[0], out[0]
    assert "guaranteeing thus" in out[1] and "can thus verify" in out[2], out
    # before an article, and before "ser", as they were (written for the test)
    out = translate_lines(["Juega como un niño.", "Así es la vida."], "es", "en",
                          router).text.split("\n")
    assert "like a child" in out[0] and "Thus" not in out[1], out


# newstest2013 en 21 and 292 (the human translations: "más de cien dólares", "como la temporada
# pasada"): "over" before a number was "encima", and en-es's tagger read "like" after a comma
# as the verb ("gusta última temporada")
LIKE_OVER = ("And it often costs over a hundred dollars to obtain the required identity card.",
             "In Ligue 1, would not winning the title, like last season, be a big failure?")


def test_like_after_a_noun_or_a_comma_is_como_and_over_a_number_mas_de(router: Router) -> None:
    out = _lines(router, LIKE_OVER, "es")
    assert "más de cien" in out[0] and "encima" not in out[0], out[0]
    assert "como última" in out[1] and "gusta" not in out[1], out[1]
    # after a plural noun "like" may be the verb; "around" a number (written for the test)
    out = _lines(router, ("Children like candy.", "Around 60 people came."), "es")
    assert "gusta" in out[0] and out[1].startswith("Alrededor de 60"), out


# newstest2013 fr 91 and 385 (the human translations: "El organismo recomienda, igualmente,"
# once in 43 lines; "también" elsewhere): fr-es knows "également" only as "igualmente"
ALSO = ("L'organisme recommande également de limiter sa consommation de viande rouge.",
        "Mais le cash possède également ce défaut.")


def test_french_egalement_is_tambien_and_also(router: Router) -> None:
    out = translate_lines(list(ALSO), "fr", "es", router).text.split("\n")
    assert all("también" in line and "igualmente" not in line for line in out), out
    out = translate_lines(list(ALSO), "fr", "en", router).text.split("\n")
    assert all(" also " in line and "equally" not in line for line in out), out
    # before an adjective it may be "equally" (written for the test)
    (line,) = translate_lines(["La richesse est également importante."], "fr", "es",
                              router).text.split("\n")
    assert "igualmente importante" in line, line


def _french(router: Router, lines: Sequence[str]) -> list[str]:
    """Spanish ``lines`` in French, one each."""
    return translate_lines(list(lines), "es", "fr", router).text.split("\n")


# newstest2013 es 539 and 558, en 120 (the human translations: "Vous y entrez", "si vous touchez
# les murs ... votre signe, le destin vous sourira", "si vous parvenez à lire"): es-fr kept
# Spanish "tú" as "tu", and English "you" reached French as "tu" through Spanish (en-es writes
# "tú") and through Catalan
YOU_ES = ("Entras en él y te encuentras en absoluta oscuridad.",
          "Dicen que si tocas las paredes en la calle de tu \"mismo\" símbolo, la fortuna te será "
          "favorable.")
YOU_EN = ("In fact, if you can read this article, it is thanks to an extraordinarily banal boson.",)


def test_the_french_reader_is_vous(router: Router) -> None:
    out = _french(router, YOU_ES)
    assert out[0].startswith("Vous entrez") and "vous vous trouvez" in out[0], out[0]
    assert "si vous touchez" in out[1] and "votre" in out[1] and "vous sera" in out[1], out[1]
    (english,) = _lines(router, YOU_EN, "fr")
    assert "si vous pouvez lire" in english, english
    for line in [*out, english]:
        assert not re.search(r"\b(tu|te|ton|ta|tes|toi)\b", line, re.IGNORECASE), line
    # imperatives, stressed pronouns and "à toi" (written for the test)
    (line,) = _french(router, ["Dime si lo hago para ti. Tu casa es tuya. Vete."])
    assert line.startswith("Dites-moi") and "pour vous" in line and "à vous" in line, line
    assert "Votre maison" in line and "Allez-vous" in line, line


def test_vous_reaches_french_through_catalan_too() -> None:
    # route choice's other pivot into French; the same script before ca-fr's generator
    engine = ApertiumEngine()
    try:
        (line,) = engine.run(Job(("Si vols, pots venir amb els teus amics. Et dic.",), "ca",
                                 "fr")).texts
    finally:
        engine.close()
    # (ca-fr gives the second verb no subject: the subjects' filter does, below)
    assert "Si vous voulez, vous pouvez venir avec vos amis" in line, line
    assert "Je vous dis" in line, line


# newstest2013 es 61 and 393 (the human translations: "Je recommande donc le test", "et peut
# donc être anonyme"): es-fr knows "por lo tanto" but not "por tanto", which en-es writes for
# "therefore" (the English line, shortened: newstest2013 en 61 whole goes through Catalan)
THEREFORE_ES = ("Recomiendo, por tanto, el test a partir de los 50 años, o a partir de los 40 "
                "años si tu padre ha sufrido cáncer de próstata.",
                "El portador, además, gestiona su identidad y puede, por tanto, permanecer en el "
                "anonimato.")
THEREFORE_EN = ("I therefore recommend the test from age 50.",)


def test_therefore_is_donc(router: Router) -> None:
    out = _french(router, THEREFORE_ES)
    (english,) = _lines(router, THEREFORE_EN, "fr")
    for line in [*out, english]:
        assert "donc" in line.lower(), line
        assert not re.search(r"\b(tellement|autant)\b", line), line
    assert english.startswith("Donc je recommande"), english


# newstest2013 es 119, 137, 154 and 304 (the human translations: "qu'on pourrait le croire",
# "on aurait tort", "on ne peut pas être préparé", "au vu de ce qui a été investi"): es-fr left
# the verb of the first person without its subject after "que", "pero", a comma or "si"
SUBJECTS = ("Estos bosones, cabría subrayar aquí, no son los bichos exóticos que podríamos creer.",
            "Las repercusiones de dichas investigaciones en nuestro día a día son difíciles de "
            "predecir, pero no creemos que nos equivoquemos al decir que no tendrá ninguna.",
            "\"Pero siempre es un shock, no podemos estar preparados para esto\", continúa.",
            "Es normal que esperen mucho de nosotros si pensamos en lo que se ha invertido en los "
            "jugadores que tenemos.")


def test_a_french_verb_of_the_first_or_second_person_has_its_subject(router: Router) -> None:
    out = _french(router, SUBJECTS)
    assert "que nous pourrions croire" in out[0], out[0]
    assert "mais nous ne croyons pas" in out[1], out[1]
    assert "nous ne pouvons pas être" in out[2], out[2]
    assert "si nous pensons" in out[3], out[3]
    # at a sentence's start the pronoun takes the capital; a conjunction stays before it;
    # after a preposition a "verb" is a word the tagger misread (written for the test)
    # (es-fr reads "Porto" as "portar": "de Porte" without the filter, "de je porte" with
    # a filter that did not look at the word before)
    (line,) = _french(router, ["Recomiendo la prueba. Por eso recomiendo la prueba. Estamos "
                               "a la cabeza de Porto."])
    assert line.startswith("Je recommande") and "pourquoi je recommande" in line, line
    assert "de Porte" in line and "je porte" not in line.lower(), line


def _subjects(stream: str) -> str:
    """``stream`` (one segment of the transfer's output) through the subjects' filter."""
    return subprocess.run(["perl", "-p", str(lexical.SUBJECTS_PL)], input=f"{stream}\0".encode(),
                          capture_output=True, check=True).stdout.decode().rstrip("\0")


def test_the_subjects_filter_keeps_inline_markup_on_the_verb() -> None:
    # a blank holding markup before the verb: the pronoun goes before the blank, outside
    # the element (the stream as the pair's transfer writes it, written for the test)
    out = _subjects("^Et<cnjcoo>$ [<b>]^recommander<vblex><pri><p1><sg>$[</b>]^.<sent>$")
    assert out == ("^Et<cnjcoo>$ ^je<prn><tn><p1><mf><sg>$ [<b>]^recommander<vblex><pri><p1>"
                   "<sg>$[</b>]^.<sent>$"), out
    # a capital at a sentence's start moves to the pronoun, letters beyond ASCII too
    out = _subjects("^.<sent>$ ^Éviter<vblex><pri><p1><pl>$")
    assert out == "^.<sent>$ ^Nous<prn><tn><p1><mf><pl>$ ^éviter<vblex><pri><p1><pl>$", out


# newstest2013 es 275 and 539 (the human translations: "avec lui", "Vous y entrez"): es-fr wrote
# the pronoun after a preposition as the subject's ("avec il"); and es-fr's tagger read
# "junto con" as the verb "juntar" (es 683: "Le groupe The Tap Tap, joins avec autres")
def test_after_a_preposition_the_pronoun_is_stressed_and_junto_con_is_avec(
        router: Router) -> None:
    out = _french(router, ["En enero tuve una conversación muy reconfortante con él.",
                           "Habló de ellos y, según él, para ellos era bueno.",
                           "El grupo The Tap Tap, junto con otros intérpretes, cantó también."])
    assert "avec lui" in out[0] and "avec il" not in out[0], out[0]
    assert "d'eux" in out[1] and "selon lui" in out[1] and "pour eux" in out[1], out[1]
    assert "Tap Tap, avec" in out[2] and "joins" not in out[2], out[2]


# newstest2013 es 16 and 100 (the human translations: "se sont empressées", "on a constaté"):
# es-fr wrote a pronominal verb's preterite with "avoir" ("les autorités républicaines s'ont
# hâtés", "s'a constaté")
REFLEXIVE = ("Por ello, las autoridades republicanas se apresuraron a extender esa práctica a "
             "otros estados.",
             "Mientras que en uno de ellos se constató una disminución de los riesgos de cáncer "
             "de próstata, en otro lo que se observó fue, más bien, un aumento.")


def test_a_pronominal_verb_s_compound_tense_takes_etre(router: Router) -> None:
    out = _french(router, REFLEXIVE)
    assert "se sont hâtés" in out[0], out[0]
    assert "s'est constaté" in out[1] and "s'est remarqué" in out[1], out[1]
    for line in out:
        assert not re.search(r"\bs'(a|ont)\b", line), line
    # each person's own reflexive; an object pronoun of another person keeps "avoir" (written
    # for the test)
    (line,) = _french(router, ["Me di cuenta. Te equivocaste. No se apresuraron. Nos lo dijo."])
    assert "Je me suis rendu compte" in line and "Vous vous êtes trompé" in line, line
    assert "ne se sont pas" in line and "Il nous l'a dit" in line, line


# newstest2013 es 154 and 10, en 155 (the human translations: "on ne peut pas être préparé à ça",
# "au cours de l'année 2011", "La maladie fait son œuvre"): es-fr wrote "esto" as "ceci", "el año"
# as "l'an", and Spanish "estar" with a gerund as "être en train de"
THIS_YEAR = ("\"Pero siempre es un shock, no podemos estar preparados para esto\", continúa.",
             "En consecuencia, durante el año 2011 se introdujeron 180 proyectos de ley que "
             "restringían el ejercicio del derecho de voto en 41 estados.")
DOING = ("The disease is doing its work: huge weakness which prevents him going to the toilet "
         "alone, and even eating alone.",)


def test_esto_is_cela_el_ano_l_annee_and_estar_with_a_gerund_the_simple_tense(
        router: Router) -> None:
    out = _french(router, THIS_YEAR)
    assert "pour cela" in out[0] and "ceci" not in out[0], out[0]
    assert "l'année 2011" in out[1] and "l'an " not in out[1], out[1]
    (line,) = _lines(router, DOING, "fr")
    assert line.startswith("La maladie fait son travail") and "en train" not in line, line
    # after a number or "un", a year stays "an"; the plural; an adverb and an object pronoun
    # around the simple tense (written for the test)
    (line,) = _french(router, ["Hace dos años. Un año después. Los últimos años. Lo está "
                               "haciendo. Estamos siempre trabajando."])
    assert "deux ans" in line and "Un an après" in line and "dernières années" in line, line
    assert "le fait" in line and "Nous travaillons toujours" in line, line


# newstest2013 es 353, 38, 125 and 207 (the human translations: "Around 200,000
# transactions", "who accounted however for only 13%", "it is necessary to achieve", "We can no
# longer pretend"): es-en wrote "near of 200,000", "these last did not represent", "it does
# lacking to arrive", "We can not feign"
NEAR_LATTER_NEEDED = (
    "Se han registrado cerca de 200.000 transacciones gracias a 15.000 ordenadores de la red.",
    "Por ejemplo, en las elecciones de 2008 en Florida, un 33% de los electores que votaron por "
    "adelantado eran afroamericanos, mientras que estos últimos no representaban más que un 13% "
    "de los electores del estado.",
    "Para activarlo hace falta llegar a energías extremadamente elevadas.",
    "No podemos fingir que no entendemos esa parte del sufrimiento.")


def test_spanish_cerca_de_estos_ultimos_hacer_falta_and_no_poder_into_english(
        router: Router) -> None:
    out = translate_lines(list(NEAR_LATTER_NEEDED), "es", "en", router).text.split("\n")
    assert "nearly 200,000" in out[0] and "near of" not in out[0], out[0]
    assert "the latter did not" in out[1] and "these last" not in out[1], out[1]
    assert "is necessary to arrive" in out[2] and "lacking" not in out[2], out[2]
    assert "We cannot" in out[3], out[3]
    # a place and a pronoun after "cerca de", "estos últimos" before a noun, "hacer falta"
    # before a noun, "can not only" (written for the test)
    out = translate_lines(["Vive cerca del parlamento y cerca de nosotros.",
                           "Estos últimos días fueron duros.", "Hacía falta dinero.",
                           "Puede no solo votar sino también hablar."], "es", "en",
                          router).text.split("\n")
    assert "near the parliament" in out[0] and "near to us" in out[0], out[0]
    assert "These last days" in out[1] and "lacking" in out[2], out
    assert "cannot" not in out[3], out[3]


# newstest2013 fr 326, 388 and 719 (the human translations: "What he has done", "almost 80% of
# bitcoins", "The wait time is a month"): fr-es's tagger read "ce qu'il" as "este que", and
# "près de" and "il faudra" came into English through Spanish as "near of" and "will do lacking"
WHAT_NEAR_NEEDED = (
    "Ce qu'il a fait est vraiment exceptionnel.",
    "Récemment, Adi Shamir et Dorit Ron, de l'Institut Weizmann en Israël, ont analysé le livre "
    "de comptes et montré que près de 80% des bitcoins ne circulent pas.",
    "Il faudra attendre environ un mois et demi.")


def test_french_ce_que_is_lo_que_and_pres_de_and_il_faudra_into_english(router: Router) -> None:
    out = translate_lines(list(WHAT_NEAR_NEEDED), "fr", "es", router).text.split("\n")
    assert out[0].startswith("Lo que ha hecho") and "ste que" not in out[0], out[0]
    out = translate_lines(list(WHAT_NEAR_NEEDED), "fr", "en", router).text.split("\n")
    assert out[0].startswith("What") and "This that" not in out[0], out[0]
    assert "nearly 80%" in out[1] and "near of" not in out[1], out[1]
    assert "will be necessary to" in out[2] and "lacking" not in out[2], out[2]


# newstest2013 en 155 and 326 (the human translations: "una gran debilidad que le impide",
# "Lo que ha hecho"): en-es wrote "which" before a verb and "what" standing for a noun as
# interrogatives, "debilidad enorme qué le impide", "Qué ha hecho"; and en 140 through Spanish
# into French "un physicien qui est-ce qui a travaillé" (the pivot's "quién")
WHICH_WHAT_WHO = (
    "The disease is doing its work: huge weakness which prevents him going to the toilet "
    "alone, and even eating alone.",
    "What he has done is truly exceptional.",
    "In fact, the late Willard Boyle - a physicist who worked at Bell Labs, where the laser was "
    "invented in 1960, told us that initially the laser was rather seen as a curiosity.")


def test_english_which_what_and_who_are_relatives_in_spanish_and_through_it(
        router: Router) -> None:
    out = translate_lines(list(WHICH_WHAT_WHO[:2]), "en", "es", router).text.split("\n")
    assert "que le impide" in out[0] and "qué" not in out[0], out[0]
    assert out[1].startswith("Lo que ha hecho"), out[1]
    # a question, "which" before a noun and "what" as a determiner stay (written for the test)
    out = translate_lines(["What do you want?", "In which cities do they live?",
                           "To what extent are they right?"], "en", "es",
                          router).text.split("\n")
    assert out[0].startswith("¿Qué") and "qué ciudades" in out[1] and "qué" in out[2], out
    (line,) = translate_lines([WHICH_WHAT_WHO[2]], "en", "fr", router).text.split("\n")
    assert "un physicien qui a travaillé" in line and "est-ce" not in line, line


# newstest2013 es 209, 406 and 1302 (the human translations: "Les malades qui ne sont pas
# soulagés", "des paysans qui rejettent", "une époque qui concentre"): es-fr wrote the subject
# relative "que" before its verb
SUBJECT_RELATIVES = (
    "Los enfermos que no son aliviados dicen todos lo mismo: \"Me quiero morir\".",
    "Los talibanes cuentan con extremistas extranjeros y antiguos jefes refugiados en Pakistán, "
    "pero a menudo también con campesinos que rechazan la presencia del ejército extranjero.",
    "Debemos aceptar que vivimos en una época que concentra la riqueza del mundo en las manos "
    "de unos pocos individuos.")


def test_a_spanish_subject_relative_is_qui_in_french(router: Router) -> None:
    out = _french(router, SUBJECT_RELATIVES)
    assert "malades qui ne sont pas" in out[0], out[0]
    assert "paysans qui rejettent" in out[1] and "époque qui concentre" in out[2], out
    # after "être" and an adjective, and after a preposition, the conjunction stays (written
    # for the test)
    out = _french(router, ("Es importante que hable con su médico.",))
    assert "important que" in out[0] and "qui" not in out[0], out[0]


# newstest2013 es 126, 532 and 1019 (the human translations: "un immense accélérateur de
# particules comme celui du CERN", the painters listed, "si le seuil était resté plus haut"):
# es-fr writes "como" "aussi bien que", "tan ... como" "tellement ... aussi bien que"
AS_LIKE = (
    "Por ello hace falta un inmenso acelerador de partículas como el de la CERN para alcanzar "
    "tales niveles de energía.",
    "En su exposición de pinturas cuenta con lienzos de impresionistas y expresionistas tales "
    "como Monet, Pissarro, Renoir, Cézanne, Sisley, Matisse, Modigliani, Chagall o Picasso.",
    "Aquellos que quieren buscar fallos en el sistema podrán hacerlo más fácilmente que si los "
    "límites se mantuvieran tan altos como ahora.")


def test_spanish_como_is_comme_and_tan_como_aussi_que_in_french(router: Router) -> None:
    out = _french(router, AS_LIKE)
    assert "particules comme" in out[0] and "aussi bien" not in " ".join(out), out
    assert "telles que Monet" in out[1] and "aussi hauts que maintenant" in out[2], out
    # "Como" opening a sentence, and "así como" (written for the test)
    out = _french(router, ("Como dijo el presidente, no hay dinero.",
                           "Los votantes así como los candidatos."))
    assert out[0].startswith("Comme") and "Côme" not in out[0], out[0]
    assert "ainsi que les candidats" in out[1], out[1]


# newstest2013 es 639, 528, 32, 81, 508 and 322 (the human translations: "legal weapons",
# "located close to Knesset", "In addition, they limited", "It is also a risk factor", "is in
# Jerusalem", "a world star"): es-en wrote "arms", "situated", "Besides", "besides", "finds" and
# "world-wide"
SPANISH_INTO_ENGLISH = (
    "El porcentaje de delitos cometidos con armas registradas es bastante reducido",
    "Entre ellos está el Museo de Israel, situado cerca de la Knesset (Parlamento israelí).",
    "Además, limitaron el derecho de las personas y los grupos a crear un servicio de ayuda a "
    "los electores que quisieran inscribirse.",
    "Constituye, además, un factor de riesgo para otros tipos de cánceres.",
    "Pero la mayor cantidad de lugares santos se encuentra en Jerusalén.",
    "Y ha demostrado en todos los equipos por los que ha pasado que es un gran jugador, una "
    "estrella mundial.")


def test_spanish_armas_ademas_se_encuentra_and_mundial_into_english(router: Router) -> None:
    out = translate_lines(list(SPANISH_INTO_ENGLISH), "es", "en", router).text.split("\n")
    assert "weapons" in out[0] and "arms" not in out[0], out[0]
    assert "located near" in out[1] and "situated" not in out[1], out[1]
    assert out[2].startswith("In addition, they limited"), out[2]
    assert " also" in out[3] and "besides" not in out[3].lower(), out[3]
    assert "places is in Jerus" in out[4] and "finds" not in out[4], out[4]
    assert "world star" in out[5] and "world-wide" not in out[5], out[5]
    # "después" and "luego" alone; "se encontró con" (met) and "se encuentra" before a noun
    # phrase (found) keep the dictionary's verb (written for the test)
    out = translate_lines(["Dos años después, se fue. Luego volvió.",
                           "Ella se encontró con su madre.",
                           "Una vez que se encuentra ese número, el resto es fácil."], "es", "en",
                          router).text.split("\n")
    assert "Two years later" in out[0] and "Then" in out[0] and "fterwards" not in out[0], out[0]
    assert " is " not in f" {out[1]} " and " was " not in f" {out[1]} ", out[1]
    assert "is that number" not in out[2], out[2]


# newstest2013 fr 1399 and 161 (the human translations: "is further away from a port", "for some
# people"): through Spanish "se trouve loin" was "finds far", and "personnes" "persons" (through
# Catalan)
def test_french_se_trouve_and_personnes_into_english(router: Router) -> None:
    out = translate_lines([
        "Selon Palas, l'UE aurait dû nous verser des millions d'euros, parce que la République "
        "tchèque se trouve loin des ports.",
        "Régresser au stade de l'enfant, pour certaines personnes, est une humiliation "
        "inacceptable."], "fr", "en", router).text.split("\n")
    assert "is far" in out[0] and "finds" not in out[0], out[0]
    assert "people" in out[1] and "persons" not in out[1], out[1]


# newstest2013 es 271, 104 and 189 (the human translations: "masses of experience", "quite a
# stir", "access to palliative care"): es-en wrote "a big experience", "a big shock" and
# "palliative cares"
def test_spanish_gran_is_great_and_cuidados_care_in_english(router: Router) -> None:
    out = translate_lines(["Tiene una gran experiencia y ha ganado numerosos títulos con los "
                           "mejores clubs.",
                           "El anuncio del probable descubrimiento del bosón de Higgs generó una "
                           "gran conmoción el verano pasado, y con razón.",
                           "Problema del acceso a cuidados paliativos"], "es", "en",
                          router).text.split("\n")
    assert "great experience" in out[0] and "big" not in out[0], out[0]
    assert "great shock" in out[1] and "big" not in out[1], out[1]
    assert "palliative care" in out[2] and "cares" not in out[2], out[2]
    # "gran parte", and "grande" after its noun (written for the test)
    line = translate_lines(["Gran parte de la casa es grande."], "es", "en", router).text
    assert line.startswith("Large part") and line.endswith("is big."), line


# newstest2013 en 31 and 38 (the human translation of the first: "Parece ser que dos de cada
# tres electores..."; "Sin embargo" opens 57 of its Spanish lines, "Aun así" none): en-es's
# dictionary gives "however" as "aun así" (even so) only
def test_english_however_is_sin_embargo(router: Router) -> None:
    out = translate_lines([
        "However, it appears that two out of three Hispanic voters favour the Democratic party.",
        "For example, during the 2008 general election in Florida, 33% of early voters were "
        "African-Americans, who accounted however for only 13% of voters in the State."],
        "en", "es", router).text.split("\n")
    assert out[0].startswith("Sin embargo,"), out[0]
    assert "sin embargo" in out[1] and "aun así" not in out[1].lower(), out[1]


# newstest2013 en 24 and 306 ("And that's not all.", "..., that's definitely a bit
# frustrating"): en-es wrote "Y aquello no es todo", "aquello es sin duda"
def test_english_that_standing_alone_is_eso(router: Router) -> None:
    out = translate_lines([
        "And that's not all.",
        "After we won 4-0 at home against Troyes and they still found things to blame us for, "
        "that's definitely a bit frustrating.",
        "That man came."], "en", "es", router).text.split("\n")
    assert out[0].startswith("Y eso no es"), out[0]
    assert "eso es" in out[1] and "aquello" not in out[1], out[1]
    # "that" before a noun stays "aquel" (written for the test)
    assert out[2].startswith("Aquel hombre"), out[2]
