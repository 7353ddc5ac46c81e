"""Blocks from ordinary HTML: the tag set, link rules and text rendering."""

from __future__ import annotations

from babelwire.extract.blocks import render_html, render_text
from babelwire.extract.convert import blocks_from_html

BASE = "https://noticiaslevante.example/valencia/plan"


def test_tag_set_links_and_text() -> None:
    fragment = (
        '<div class="x"><h1>Título</h1><p style="c">Según <a href="/otra" onclick="x()">otra '
        'nota</a>, <b>mucho</b> y <i>poco</i> <span>más</span>.</p>'
        '<p><a href="javascript:alert(1)">malo</a> y <a href="mailto:a@b.es">correo</a></p>'
        '<ul><li>uno</li><li><a href="https://x.org/">dos</a></li></ul>'
        '<figure><img data-src="/img/a.jpg" alt="Foto"><figcaption>Pie <em>de</em> foto'
        '</figcaption></figure><script>var x = 1;</script>loose text<h5>Cinco</h5></div>'
    )
    blocks = blocks_from_html(fragment, BASE)
    assert [b.kind for b in blocks] == ["h2", "p", "p", "ul", "figure", "p", "h4"]
    html = render_html(blocks)
    assert '<a href="https://noticiaslevante.example/otra">otra nota</a>' in html
    assert "<strong>mucho</strong>" in html and "<em>poco</em>" in html
    assert "javascript" not in html and "onclick" not in html and "style" not in html
    assert '<a href="mailto:a@b.es">correo</a>' in html
    assert ('<figure><img src="https://noticiaslevante.example/img/a.jpg" alt="Foto">'
            "<figcaption>Pie <em>de</em> foto</figcaption></figure>") in html
    assert "var x" not in html
    text = render_text(blocks)
    assert text.splitlines() == ["Título", "Según otra nota, mucho y poco más.", "malo y correo",
                                 "uno", "dos", "loose text", "Cinco"]


def test_link_density() -> None:
    blocks = blocks_from_html('<p><a href="/a">Leer también: otra nota</a></p><p>Texto</p>', BASE)
    assert blocks[0].link_density == 1.0 and blocks[1].link_density == 0.0
