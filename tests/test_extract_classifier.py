"""The block model: segments and labels, the JSON trees, training, combining, the shipped file."""

from __future__ import annotations

import gzip
import json
import math
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from lxml import html as lxml_html

from babelwire.exceptions import ConfigError, ExtractError
from babelwire.extract import InMemoryFurniture, extract_articles
from babelwire.extract.blocks import Block
from babelwire.extract.classifier import (
    MODEL_FILE,
    MODEL_VERSION,
    model_from_dict,
    shipped_model,
)
from babelwire.extract.combine import combine
from babelwire.extract.features import FEATURES, page_features, segments
from babelwire.extract.training import (
    ADD_CANDIDATES,
    DROP_CANDIDATES,
    SEED,
    SPLITS,
    PageRows,
    Truth,
    choose_thresholds,
    export,
    fit,
    labels,
    load_split,
    page_rows,
    train,
)

DATA = Path(__file__).resolve().parent / "data" / "extract" / "benchmark"
PAGES = Path(__file__).resolve().parent / "data" / "extract" / "pages"
LONG = "The council approved the budget on Tuesday after a long debate about schools."
MISSED = "Its members also agreed to review the transport plan before the end of the year."


@pytest.fixture(scope="module")
def rows() -> list[PageRows]:
    return page_rows([p for split in SPLITS for p in load_split(DATA, split)])


def test_every_fixture_page_gives_labelled_rows(rows: list[PageRows]) -> None:
    assert {r.split for r in rows} == set(SPLITS)
    assert all(len(r.rows) == len(r.labels) == len(r.weights) for r in rows)
    assert all(len(row) == len(FEATURES) for r in rows for row in r.rows)
    assert {0, 1} <= {m for r in rows for m in r.labels}


def test_json_trees_predict_like_scikit_learn(rows: list[PageRows]) -> None:
    fitted = fit(rows)
    model = model_from_dict(export(fitted, MODEL_VERSION, {}))
    x = [row for r in rows for row in r.rows]
    assert model.predict(x) == pytest.approx(fitted.predict_proba(np.array(x))[:, 1], abs=1e-6)


def test_training_is_reproducible(rows: list[PageRows]) -> None:
    assert export(fit(rows), 1, {}) == export(fit(rows), 1, {})


def test_shipped_model_records_its_training() -> None:
    model = shipped_model()
    assert (model.version, model.features) == (MODEL_VERSION, FEATURES)
    assert model.info["seed"] == SEED
    trained = model.info["trained_on"]
    assert len(trained["scrapinghub"]) == 127 and len(trained["multilingual_extra"]) == 12
    assert len(trained["trafilatura"]) >= 680
    path = resources.files("babelwire.extract") / "models" / MODEL_FILE
    assert len(path.read_bytes()) < 200_000


def test_a_model_for_other_features_is_refused() -> None:
    path = resources.files("babelwire.extract") / "models" / MODEL_FILE
    data = json.loads(gzip.decompress(path.read_bytes()))
    data["features"] = data["features"][:-1]
    with pytest.raises(ConfigError, match="retrain"):
        model_from_dict(data)


def _page(*paragraphs: str) -> list:  # type: ignore[type-arg]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return segments(lxml_html.document_fromstring(f"<html><body><div>{body}</div></body></html>"))


def test_labels_from_full_text_and_from_snippets() -> None:
    segs = _page(LONG, "Subscribe to our newsletter", MISSED)
    assert labels(segs, Truth(text=f"{LONG}\n\n{MISSED}")) == [1, 0, 1]
    assert labels(segs, Truth(with_=("after a long debate",), without=("Subscribe",))) \
        == [1, 0, None]


def test_combine_drops_what_the_model_rejects_and_adds_what_trafilatura_missed() -> None:
    segs = _page(LONG, "Subscribe to our newsletter", MISSED)
    box = "Subscribe to our newsletter"
    blocks = [Block("p", LONG, LONG), Block("p", box, box)]
    result = combine(blocks, segs, [0.9, 0.05, 0.95], "https://example.org/a")
    assert [b.text for b in result] == [LONG, MISSED]
    assert combine(blocks, segs, [0.9, 0.5, 0.5], "https://example.org/a") == blocks
    # the thresholds are the model's: a cautious model neither drops nor adds these
    assert combine(blocks, segs, [0.9, 0.05, 0.95], "https://example.org/a",
                   drop_below=0.01, add_above=0.99) == blocks


def test_an_unmatched_block_is_judged_by_the_segments_inside_it() -> None:
    """A block trafilatura assembled across elements matches no segment; it goes when the page's
    segments inside it make up most of it and the model rejects each of them."""
    menu = [f"Menu item {i}" for i in range(40)]
    segs = _page(*menu, LONG)
    whole = Block("p", " ".join(menu), " ".join(menu))
    low = [0.05] * len(menu) + [0.9]
    assert combine([whole], segs, low, "https://example.org/a") == []
    # one item the model likes among forty does not save it; fifteen of them do, as does a
    # cautious model
    assert combine([whole], segs, [0.05] * 39 + [0.99, 0.9], "https://example.org/a") == []
    assert combine([whole], segs, [0.05] * 25 + [0.99] * 15 + [0.9],
                   "https://example.org/a") == [whole]
    assert combine([whole], segs, low, "https://example.org/a", drop_below=0.01) == [whole]
    # text that is mostly not the page's segments (a bare text node) stays, as do short blocks
    text = " ".join([LONG, MISSED, *menu[:5]])
    prose = Block("p", text, text)
    assert combine([prose], _page(*menu[:5]), [0.05] * 5, "https://example.org/a") == [prose]
    short = Block("p", " ".join(menu[:3]), " ".join(menu[:3]))
    assert combine([short], segs, low, "https://example.org/a") == []


def test_a_short_block_that_is_part_of_a_segment_or_made_of_segments_takes_their_score() -> None:
    """trafilatura cut a newsletter box's last sentence (its link) and joined a table row's
    cells with "|": neither block is a segment's whole text, yet each is most of one segment or
    made of segments, and the model's score of those decides. A short block that is mostly
    other text, and a block of running text, stay unmatched and stay."""
    box = ("Lust auf mehr? Lass dir die besten Storys von Refinery29 Deutschland jede Woche in "
           "deinen Posteingang liefern.")
    cells = "Die folgenden Hotel Links öffnen als extra Fenster"
    segs = _page(LONG, f"{box} Melde dich hier für unseren Newsletter an!", cells)
    cut, row = Block("p", box, box), Block("p", f"| | {cells} | | |", f"| | {cells} | | |")
    body = Block("p", LONG, LONG)
    assert combine([body, cut, row], segs, [0.9, 0.05, 0.15], "https://example.org/a") == [body]
    assert combine([body, cut, row], segs, [0.9, 0.8, 0.8], "https://example.org/a") \
        == [body, cut, row]
    mixed = f"Anreise mit Bus und Bahn, Parkplätze am Hotel, Check-in ab 15 Uhr. {cells}"
    other = Block("p", mixed, mixed)
    assert combine([body, other], segs, [0.9, 0.05, 0.05], "https://example.org/a") \
        == [body, other]


def test_thresholds_are_chosen_on_the_training_pages_and_travel_with_the_model(
        rows: list[PageRows]) -> None:
    drop_below, add_above = choose_thresholds(rows)
    assert drop_below in DROP_CANDIDATES and add_above in ADD_CANDIDATES
    assert choose_thresholds(rows) == (drop_below, add_above)
    data = train(rows, MODEL_VERSION, {})
    assert (data["drop_below"], data["add_above"]) == (drop_below, add_above)
    model = model_from_dict(data)
    assert (model.drop_below, model.add_above) == (drop_below, add_above)
    shipped = shipped_model()
    assert shipped.drop_below in DROP_CANDIDATES and shipped.add_above in ADD_CANDIDATES


def test_a_listing_page_keeps_its_teasers(rows: list[PageRows]) -> None:
    """A section front page (no one article: trafilatura finds a line, the model no body) by a
    model that never saw it: the page's running text, not one teaser or nothing."""
    page = gzip.decompress((PAGES / "es-nytimes-section" / "source.html.gz").read_bytes())
    model = model_from_dict(train(rows, MODEL_VERSION, {}))
    (article,) = extract_articles([(page, "https://www.nytimes.com/es/")], InMemoryFurniture(),
                                  model=model)
    assert not isinstance(article, ExtractError)
    teasers = ("Estaba obsesionado con el cuarteto de Liverpool",
               "Las compañías tecnológicas creen que los videojuegos",
               "Hay un nuevo mercado de bebidas que prometen beneficios",
               "Los corredores de esquí de fondo son menos propensos")
    assert all(teaser in article.text for teaser in teasers)


def test_features_place_a_segment_against_trafilaturas_body() -> None:
    """A paragraph trafilatura skipped between two it kept, in their container, reads as such;
    a box after the body, in another container, does not; the description's words count."""
    page = (f"<html><body><div><p>{LONG}</p><p>{MISSED}</p><p>{LONG} Again.</p></div>"
            "<div><p>Subscribe to our newsletter</p></div></body></html>")
    segs = segments(lxml_html.document_fromstring(page))
    kept = [Block("p", LONG, LONG), Block("p", f"{LONG} Again.", f"{LONG} Again.")]
    rows = page_features(segs, kept, "Budget approved", description="Transport plan review")
    column = {name: FEATURES.index(name) for name in FEATURES}

    def read(row: list[float], *names: str) -> list[float]:
        return [row[column[name]] for name in names]

    names = ("cluster_side", "between_kept", "container_share_1")
    assert read(rows[1], *names) == [0.0, 1.0, 1.0]
    assert read(rows[3], *names) == [1.0, 0.0, 0.0]
    assert read(rows[1], "cluster_distance") == [pytest.approx(math.log1p(1))]
    assert read(rows[1], "description_overlap")[0] > 0 == read(rows[0], "description_overlap")[0]
    assert read(page_features(segs, kept, "")[1], "description_overlap") == [-1.0]
