"""Creative Commons licence URLs in the forms real pages write them, and the republishing mode
that follows from a page's rights or the operator's declaration."""

from __future__ import annotations

import pytest

from babelwire.models import Access, Mode, Rights
from babelwire.rights.licences import parse_licence
from babelwire.rights.policy import PER_PAGE, decide, parse_mode, source_mode

CC = "https://creativecommons.org/licenses/"


# The forms pages of the shared data write (trafilatura's evaluation set), and old spellings.
@pytest.mark.parametrize(("url", "canonical", "name"), [
    ("https://creativecommons.org/licenses/by/4.0/", CC + "by/4.0/", "CC BY 4.0"),
    ("//creativecommons.org/licenses/by-sa/3.0/", CC + "by-sa/3.0/", "CC BY-SA 3.0"),
    ("http://creativecommons.org/licenses/by-sa/2.0/deed.de", CC + "by-sa/2.0/", "CC BY-SA 2.0"),
    ("https://creativecommons.org/licenses/by-nc-nd/3.0/de/deed.en", CC + "by-nc-nd/3.0/de/",
     "CC BY-NC-ND 3.0 DE"),
    ("https://creativecommons.org/licenses/by/4.0/legalcode.de", CC + "by/4.0/", "CC BY 4.0"),
    ("http://creativecommons.org/licenses/by-nc-sa/3.0/deed.en_US", CC + "by-nc-sa/3.0/",
     "CC BY-NC-SA 3.0"),
    ("creativecommons.org/licenses/by-sa/2.5/ch/", CC + "by-sa/2.5/ch/", "CC BY-SA 2.5 CH"),
    ("https://creativecommons.org/licenses/by-sa/4.0", CC + "by-sa/4.0/", "CC BY-SA 4.0"),
    ("http://creativecommons.org/licenses/by-nc-sa/2.5/cn", CC + "by-nc-sa/2.5/cn/",
     "CC BY-NC-SA 2.5 CN"),
    ("https://creativecommons.org/licenses/by-nc-nd/4.0/legalcode", CC + "by-nc-nd/4.0/",
     "CC BY-NC-ND 4.0"),
    ("https://www.creativecommons.org/licences/by-nd-nc/1.0/", CC + "by-nc-nd/1.0/",
     "CC BY-NC-ND 1.0"),
    ("https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
     "https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0"),
])
def test_licence_url_forms(url: str, canonical: str, name: str) -> None:
    licence = parse_licence(url)
    assert licence is not None and (licence.url, licence.name) == (canonical, name)


@pytest.mark.parametrize("url", [
    "https://creativecommons.org/licenses/",               # the list of licences
    "https://creativecommons.org/about/",
    "https://en.wikipedia.org/wiki/Wikipedia:Text_of_Creative_Commons_Attribution-ShareAlike_3.0_Unported_License",
    "https://web.archive.org/web/2014/http://creativecommons.org/licenses/by-sa/3.0/",
    "https://creativecommons.org/licenses/by-sa/3.0/de/nonsense/more",
    "ftp://creativecommons.org/licenses/by/4.0/",
])
def test_what_is_not_a_licence_url(url: str) -> None:
    assert parse_licence(url) is None


@pytest.mark.parametrize(("code", "derivatives", "commercial", "share_alike"), [
    ("by", True, True, False), ("by-sa", True, True, True), ("by-nd", False, True, False),
    ("by-nc", True, False, False), ("by-nc-sa", True, False, True),
    ("by-nc-nd", False, False, False),
])
def test_what_each_licence_allows(code: str, derivatives: bool, commercial: bool,
                                  share_alike: bool) -> None:
    licence = parse_licence(f"{CC}{code}/4.0/")
    assert licence is not None
    assert (licence.derivatives, licence.commercial, licence.share_alike) == (
        derivatives, commercial, share_alike)


@pytest.mark.parametrize(("rights", "non_commercial", "mode"), [
    (Rights(license=CC + "by/4.0/"), False, Mode.FULL),
    (Rights(license=CC + "by-sa/4.0/"), False, Mode.FULL),
    (Rights(license="https://creativecommons.org/publicdomain/mark/1.0/"), False, Mode.FULL),
    (Rights(license=CC + "by-nd/4.0/"), False, Mode.HEADLINE),
    (Rights(license=CC + "by-nc/4.0/"), False, Mode.EXCERPT),
    (Rights(license=CC + "by-nc/4.0/"), True, Mode.FULL),
    (Rights(license=CC + "by-nc-nd/4.0/"), True, Mode.HEADLINE),
    (Rights(), False, Mode.EXCERPT),
    (Rights(access=Access.FREE), False, Mode.EXCERPT),          # free to read is not a licence
    (Rights(license=CC + "by/4.0/", access=Access.PAYWALLED), False, Mode.EXCERPT),
    (Rights(license=CC + "by/4.0/", robots=("noarchive",)), False, Mode.EXCERPT),
    (Rights(license=CC + "by/4.0/", robots=("max-snippet:50",)), False, Mode.EXCERPT),
    (Rights(license=CC + "by/4.0/", robots=("max-snippet:0",)), False, Mode.HEADLINE),
    (Rights(license=CC + "by/4.0/", robots=("noindex",)), False, Mode.HEADLINE),
    (Rights(access=Access.PAYWALLED, robots=("nosnippet",)), False, Mode.HEADLINE),
    (Rights(robots=("nofollow", "notranslate")), False, Mode.EXCERPT),
])
def test_the_strictest_signal_decides(rights: Rights, non_commercial: bool, mode: Mode) -> None:
    assert decide(rights, non_commercial=non_commercial).mode == mode


def test_the_reason_names_every_signal_of_the_mode() -> None:
    policy = decide(Rights(access=Access.PAYWALLED, robots=("noarchive", "max-snippet:120")))
    assert policy.reason == ("no licence found: all rights reserved; the page is behind a "
                             "paywall; robots: noarchive; robots: max-snippet:120")
    assert policy.max_chars == 120 and not policy.declared


def test_a_declared_mode_replaces_the_page_s_rights_and_keeps_its_reason() -> None:
    nd = Rights(license=CC + "by-nd/4.0/", robots=("noindex",))
    policy = decide(nd, declared="full",
                    declared_reason="permission from the publisher, 2026-12-01")
    assert policy.mode == Mode.FULL and policy.declared
    assert policy.reason == ("declared by the operator: permission from the publisher, "
                             "2026-12-01")
    assert policy.license_name == "CC BY-ND 4.0"      # the licence is still shown
    assert decide(nd, declared="none", declared_reason="asked to stop").mode == Mode.NONE
    assert decide(nd, declared="auto").mode == Mode.HEADLINE


def test_unknown_modes_are_refused() -> None:
    assert parse_mode("auto") is None and parse_mode(" Excerpt ") == Mode.EXCERPT
    with pytest.raises(ValueError, match="unknown republishing mode"):
        parse_mode("summary")


def test_modes_order_from_the_most_to_the_least() -> None:
    assert [m.strictness for m in (Mode.FULL, Mode.EXCERPT, Mode.HEADLINE, Mode.NONE)] == [
        0, 1, 2, 3]


def test_a_source_s_mode_sums_its_pages() -> None:
    by, nd = Rights(license=CC + "by/4.0/"), Rights(license=CC + "by-nd/4.0/")
    assert source_mode("", "", []) == (PER_PAGE, "each page's rights decide (no page read yet)")
    assert source_mode("", "", [(by, 3)]) == ("full", "CC BY 4.0 allows translation with "
                                                        "attribution")
    mode, why = source_mode("", "", [(by, 3), (nd, 1)])
    assert mode == PER_PAGE
    assert why == ("3 full: CC BY 4.0 allows translation with attribution; "
                   "1 headline: CC BY-ND 4.0 forbids derivatives, and a translation is one")
    assert source_mode("headline", "asked by the publisher", [(by, 3)]) == (
        "headline", "declared by the operator: asked by the publisher")
