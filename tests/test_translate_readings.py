"""The rules on Apertium's analysed stream before its tagger
(``translate/engines/apertium/readings.py``), on streams the English analyser wrote for real
sentences (the analyses are lt-proc's for eng-spa, with a word-bound blank as babelwire sends
one)."""

from __future__ import annotations

from babelwire.translate.engines.apertium.readings import english, rules_for

# "He spoke on Twitter" (a link on "Twitter"), "impact on the turn-out", "Later on.",
# "on how it works", "focus on extracting", "on his Mac"
SPOKE = (b"^He/Prpers<prn><subj><p3><m><sg>$ ^spoke/speak<vblex><past>$ ^on/on<adv>/on<pr>$ "
         b"[[t:b:x]]^Twitter/Twitter<np><al><sg>$")
LATER = b"^later/later<adv>/late<adj><sint><comp>$ ^on/on<adv>/on<pr>$^./.<sent>$"
HOW = b"^on/on<adv>/on<pr>$ ^how/how<preadv>/how<adv><itg>$"
FOCUS = (b"^focus/focus<n><sg>$ ^on/on<adv>/on<pr>$ "
         b"^extracting/extract<vblex><ger>/extract<vblex><pprs>/extract<vblex><subs>$")
MAC = b"^On/On<adv>/On<pr>$ ^his/his<adj><pos>/his<det><pos><sp>$ ^Mac/*Mac$"
AND = b"^on/on<adv>/on<pr>$ ^and/and<cnjcoo>$ ^on/on<adv>/on<pr>$^./.<sent>$"


def test_on_before_a_noun_phrase_loses_its_adverb_reading() -> None:
    assert english(SPOKE) == SPOKE.replace(b"/on<adv>", b"")
    assert english(HOW) == HOW.replace(b"/on<adv>", b"")
    assert english(FOCUS) == FOCUS.replace(b"/on<adv>", b"")
    assert english(MAC) == MAC.replace(b"/On<adv>", b"")


def test_on_before_punctuation_or_a_conjunction_keeps_it() -> None:
    assert english(LATER) == LATER
    assert english(AND) == AND


def test_only_english_has_rules() -> None:
    assert rules_for("en") is english
    assert rules_for("es") is None and rules_for("fr") is None


# newstest2013 en 1478 (a development document): "my dream as a boy - I always liked James Bond"
DASH_I = (b"^boy/boy<n><sg>$ ^-/-<guio>$ ^I/I<num><mf><sg>/prpers<prn><subj><p1><mf><sg>$ "
          b"^always/always<adv>$")
WAR_I = (b"^War/War<n><sg>$ ^I/I<num><mf><sg>/prpers<prn><subj><p1><mf><sg>$ "
         b"^ended/end<vblex><past>$")


def test_i_after_a_dash_is_the_pronoun() -> None:
    assert english(DASH_I) == DASH_I.replace(b"/I<num><mf><sg>", b"")
    em_dash = DASH_I.replace(b"^-/-<guio>$ ", "— ".encode())
    assert english(em_dash) == em_dash.replace(b"/I<num><mf><sg>", b"")
    assert english(WAR_I) == WAR_I          # "World War I" keeps its numeral


# newstest2013 en 228 ("... to Union Montréal, Mayor Gérald Tremblay's party") and a surname
# after a first name ("The economist Mervyn King spoke.")
MAYOR = ("^Montréal/*Montréal$^,/,<cm>$ ^Mayor/mayor<n><sg>/Mayor<np><cog><sg>$ "
         "^Gérald/Gérald<np><ant><m><sg>$ ^Tremblay/*Tremblay$ ^'s/'s<gen>/be<vbser><pri><p3><sg>$"
         " ^party/party<n><sg>$^./.<sent>$").encode()
KING = (b"^The/the<det><def><sp>$ ^economist/economist<n><sg>$ ^Mervyn/*Mervyn$ "
        b"^King/king<n><sg>/King<np><cog><sg>$ ^spoke/speak<vblex><past>$^./.<sent>$")


def test_a_post_before_a_name_is_no_surname() -> None:
    assert english(MAYOR) == MAYOR.replace(b"/Mayor<np><cog><sg>", b"")
    assert english(KING) == KING


def test_initials_after_a_post_are_no_name() -> None:
    # a list of references on an extraction page ("10. King JC Jr, ...")
    refs = b"^10/10<num>$^./.<sent>$ ^King/king<n><sg>/King<np><cog><sg>$ ^JC/*JC$ ^Jr/*Jr$"
    assert english(refs) == refs
