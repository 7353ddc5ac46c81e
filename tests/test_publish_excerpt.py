"""The excerpt a reader is shown under robots' max-snippet (publish.excerpt.cut_body).

tests/test_publish_rights.py checks the same on a published page through every stage; its page's
first paragraph depends on the extractor, so the cut itself is checked here on fixed HTML.
"""

from __future__ import annotations

from babelwire.models import Mode, Policy
from babelwire.publish.excerpt import ELLIPSIS, cut_body

LONG = ("La crise sanitaire est devenue un terrain fertile pour les informations non vérifiées, "
        "ou carrément fausses, qui ont submergé le public pendant des mois, des réseaux sociaux "
        "jusqu'aux plateaux de télévision, et certaines ont fini par être reprises par des "
        "responsables politiques, des médecins et des journalistes avant d'être démenties.")
SHORT = "Voici ce que l'on peut apprendre du voyage de l'une d'entre elles."


def test_a_first_paragraph_longer_than_max_snippet_is_cut_at_a_word() -> None:
    html = f"<p>{LONG}</p><p>{SHORT}</p>"
    cut = cut_body(html, Policy(Mode.EXCERPT, "robots", max_chars=300))
    text = cut.removeprefix("<p>").removesuffix("</p>")
    assert len(LONG) > 300 and len(text) <= 300 and text.endswith(ELLIPSIS)
    assert LONG.startswith(text.removesuffix(ELLIPSIS)) and SHORT not in cut
    assert LONG[len(text) - 1] in " ,"  # the cut falls between words


def test_a_first_paragraph_within_max_snippet_is_shown_whole_and_alone() -> None:
    html = f"<p>{SHORT}</p><p>{LONG}</p>"
    assert cut_body(html, Policy(Mode.EXCERPT, "robots", max_chars=300)) == f"<p>{SHORT}</p>"
    assert cut_body(html, Policy(Mode.FULL, "licence")) == html
    assert cut_body(html, Policy(Mode.HEADLINE, "robots")) == ""
