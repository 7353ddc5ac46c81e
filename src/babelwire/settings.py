"""Settings: one table of names, defaults and help, merged from four places in one function.

Order of precedence (later wins): the defaults in ``SETTINGS``, the data directory's
``babelwire.toml``, ``BABELWIRE_*`` environment variables, then options given on the command line.
The data directory itself comes from ``BABELWIRE_HOME``, else ``~/.local/share/babelwire``.

In ``babelwire.toml`` a setting is written by its name (``per_host_delay = 2``) or inside a table
named by its prefix (``[apertium]`` then ``modes_dir = "..."`` for ``apertium_modes_dir``).
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babelwire import __version__
from babelwire.exceptions import ConfigError

ENV_PREFIX = "BABELWIRE_"
SETTINGS_FILE = "babelwire.toml"
_PAIR = re.compile(r"^\s*([a-z]{2,3})\s*[-_>]\s*([a-z]{2,3})\s*$")


def default_home() -> Path:
    """The data directory: ``$BABELWIRE_HOME`` or ``~/.local/share/babelwire``."""
    env = os.environ.get("BABELWIRE_HOME")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".local" / "share" / "babelwire"


def _meta(help_text: str) -> dict[str, str]:
    return {"help": help_text}


@dataclass(frozen=True)
class Settings:
    """Every setting babelwire reads, with its default. See ``describe()`` for the help of each."""

    home: Path = field(default_factory=default_home, metadata=_meta(
        "Data directory: store, settings file, logs and caches."))
    database_url: str = field(default="", metadata=_meta(
        "SQLAlchemy URL of the store; empty means SQLite (WAL) at HOME/babelwire.db."))
    user_agent: str = field(default=f"babelwire/{__version__} (+https://babelwire.invalid/bot)",
                            metadata=_meta("User-Agent sent with every request."))
    connect_timeout: float = field(default=10.0, metadata=_meta(
        "Seconds to wait for a connection."))
    read_timeout: float = field(default=30.0, metadata=_meta("Seconds to wait for response data."))
    total_timeout: float = field(default=0.0, metadata=_meta(
        "Seconds allowed for one whole request, body included (0: connect + 2 x read timeout)."))
    max_response_bytes: int = field(default=10_000_000, metadata=_meta(
        "Largest response body accepted, after decompression."))
    per_host_delay: float = field(default=1.0, metadata=_meta(
        "Seconds between two requests to the same host (robots.txt Crawl-delay can raise it)."))
    respect_robots: bool = field(default=True, metadata=_meta("Obey robots.txt."))
    allowed_hosts: tuple[str, ...] = field(default=(), metadata=_meta(
        "Hosts allowed even though they resolve to loopback or private addresses."))
    poll_interval: float = field(default=900.0, metadata=_meta(
        "Seconds between two polls of the same source."))
    max_items_per_poll: int = field(default=50, metadata=_meta(
        "Newest items taken from a feed at each poll."))
    max_attempts: int = field(default=4, metadata=_meta(
        "Attempts at a retryable failure before an item is marked failed."))
    workers: int = field(default=2, metadata=_meta(
        "Threads working items in `babelwire run`, and tasks a `babelwire worker` runs at once "
        "(its threads; `--concurrency` overrides)."))
    lease_seconds: float = field(default=600.0, metadata=_meta(
        "How long a runner owns an item it claimed before another runner may take it."))
    engines: tuple[str, ...] = field(default=("apertium",), metadata=_meta(
        "Translation engines in order of preference."))
    apertium_modes_dir: str = field(default="/usr/share/apertium/modes", metadata=_meta(
        "Directory holding Apertium's installed .mode files."))
    routes: tuple[str, ...] = field(default=(), metadata=_meta(
        'Engines per language pair, best first, e.g. "en-es: ctranslate2 apertium"; pairs not '
        'listed use the `engines` order.'))
    translation_memory: bool = field(default=True, metadata=_meta(
        'Reuse every sentence already translated (by engine, model, pair and glossary).'))
    route_choice: bool = field(default=True, metadata=_meta(
        'Where a sentence comes back with words no target dictionary knows, translate it again '
        'through the other routes of the same engine (other pivot languages) and keep the '
        'output with the fewest such words.'))
    learn_names: bool = field(default=True, metadata=_meta(
        'Give the names that published translations of a source kept as evidence to its next '
        'articles ("Target" kept once is a name when a later title starts with it). The wording '
        'of an article then depends on what was published before it.'))
    max_foreign_share: float = field(default=0.02, metadata=_meta(
        'Largest share of a translation\'s words left in the source or pivot language before it '
        'is held for review.'))
    engine_cooldown: float = field(default=60.0, metadata=_meta(
        'Seconds an engine that failed is skipped before it is tried again.'))
    ctranslate2_models_dir: str = field(default='', metadata=_meta(
        'Directory of CTranslate2 models and unpacked Argos packages (empty: HOME/models).'))
    argos_packages_dir: str = field(default='', metadata=_meta(
        "Where Argos Translate's own tools install packages (empty: its default, "
        '~/.local/share/argos-translate/packages, or $ARGOS_PACKAGES_DIR).'))
    ctranslate2_device: str = field(default='cpu', metadata=_meta(
        'cpu or cuda.'))
    ctranslate2_threads: int = field(default=0, metadata=_meta(
        'CPU threads per translation (0: CTranslate2 decides).'))
    ctranslate2_beam_size: int = field(default=4, metadata=_meta(
        'Beam size (1 = greedy, fastest).'))
    ctranslate2_max_batch: int = field(default=64, metadata=_meta(
        'Most sentences decoded in one batch.'))
    ctranslate2_batch_wait: float = field(default=0.01, metadata=_meta(
        'Seconds the batcher waits for sentences from other articles before decoding.'))
    ctranslate2_max_length: int = field(default=256, metadata=_meta(
        'Longest translation, in tokens.'))
    libretranslate_url: str = field(default='', metadata=_meta(
        'LibreTranslate server, e.g. http://127.0.0.1:5000.'))
    libretranslate_api_key: str = field(default='', metadata=_meta(
        'LibreTranslate API key, if the server wants one.'))
    openai_url: str = field(default='', metadata=_meta(
        'OpenAI-compatible API base, e.g. http://127.0.0.1:11434/v1 (Ollama).'))
    openai_api_key: str = field(default='', metadata=_meta(
        'Bearer key for the OpenAI-compatible API (local: empty).'))
    openai_model: str = field(default='', metadata=_meta(
        'Model name the chat API serves.'))
    openai_languages: tuple[str, ...] = field(
        default=("en", "es", "fr", "de", "it", "pt", "ca", "nl"), metadata=_meta(
        'Languages the LLM is trusted with (every pair among them is served).'))
    openai_batch: int = field(default=16, metadata=_meta(
        'Segments sent in one chat request.'))
    deepl_api_key: str = field(default='', metadata=_meta(
        'DeepL API key (keys ending in :fx use the free API).'))
    deepl_url: str = field(default='', metadata=_meta(
        'DeepL API base (empty: chosen from the key).'))
    engine_timeout: float = field(default=60.0, metadata=_meta(
        'Seconds one HTTP engine request may take (a request that times out is not retried: '
        'the router falls back).'))
    engine_deadline: float = field(default=0.0, metadata=_meta(
        'Seconds the router waits for one engine call, whatever the engine\'s own timeouts, '
        'before it gives up on it, cools the engine down and falls back (0: twice '
        '`engine_timeout`).'))
    engine_retries: int = field(default=3, metadata=_meta(
        'Retries of an HTTP engine request after 429, 5xx or timeout.'))
    engine_backoff: float = field(default=1.0, metadata=_meta(
        'First wait before a retry, in seconds; doubled at each retry (Retry-After wins).'))
    engine_rate: tuple[str, ...] = field(default=(), metadata=_meta(
        'Requests per second per engine, e.g. "deepl=5, openai=2" (unlisted: no limit).'))
    engine_concurrency: tuple[str, ...] = field(default=(), metadata=_meta(
        'Calls in flight per engine, e.g. "openai=2" (defaults: 4 per HTTP engine).'))
    dedupe_threshold: float = field(default=0.4, metadata=_meta(
        "Jaccard similarity of two texts' word 3-shingles (MinHash estimate) from which an "
        "article is a copy of an earlier one and reuses its translations."))
    dedupe_window_hours: float = field(default=168.0, metadata=_meta(
        "Hours back an article's copies are looked for."))
    copy_wait_seconds: float = field(default=120.0, metadata=_meta(
        "Seconds a copy waits for its original while another worker translates it, to reuse "
        "its translations rather than translate the same text again."))
    story_window_hours: float = field(default=72.0, metadata=_meta(
        "Hours back the articles a new article may share a story with are looked for."))
    story_lang: str = field(default="en", metadata=_meta(
        "The common language articles are compared in to group them into stories (their "
        "translation into it where they have one)."))
    story_candidates: int = field(default=50, metadata=_meta(
        "Articles at most, found through the index, that a new article is compared with."))
    template_window: int = field(default=50, metadata=_meta(
        "Pages per site remembered for learning the site's template (furniture)."))
    template_min_share: float = field(default=0.5, metadata=_meta(
        "Share of a site's remembered stories a block must appear in to count as furniture."))
    front_page_stories: bool = field(default=False, metadata=_meta(
        "Front pages show each story once (its newest article, with the other sources that ran "
        "it and a link to the story's page) instead of every article."))
    serve_threads: int = field(default=2, metadata=_meta(
        "Threads of each `babelwire serve` process that run page handlers and store reads. Few "
        "is faster: Python threads contend for one lock (SQLite lets it go at every row), and "
        "8 concurrent requests on 40 threads cost a front page 2.7 times its CPU; more than "
        "2 only help when the store is far (a remote PostgreSQL)."))
    page_cache_ttl: float = field(default=60.0, metadata=_meta(
        "Seconds a rendered public page is reused by `babelwire serve` (0: no page cache)."))
    api_rate: float = field(default=10.0, metadata=_meta(
        "Public API requests per second allowed per client."))
    api_burst: int = field(default=60, metadata=_meta(
        "Public API requests a client may make at once before the rate applies."))
    session_hours: float = field(default=12.0, metadata=_meta(
        "Hours an editor's sign-in lasts."))
    login_rate: float = field(default=1 / 60, metadata=_meta(
        "Failed sign-ins per second allowed per client, after the burst."))
    login_burst: int = field(default=5, metadata=_meta(
        "Failed sign-ins a client may make at once before being slowed down."))
    visibility_timeout: float = field(default=0.0, metadata=_meta(
        "Seconds before Redis redelivers an unacknowledged task (0: 1.5 x lease_seconds)."))
    scheduler_tick: float = field(default=30.0, metadata=_meta(
        "Seconds between two looks for due sources and stranded items by `babelwire scheduler` "
        "(or `worker --beat`); items whose lease ran out are looked for more often when the "
        "visibility timeout needs it."))
    retry_backoff: float = field(default=60.0, metadata=_meta(
        "Seconds before the first retry of a retryable failure; doubled at each attempt."))
    target_timeout: float = field(default=30.0, metadata=_meta(
        "Seconds to wait for a publishing target (WordPress) to answer one request."))
    target_retries: int = field(default=3, metadata=_meta(
        "Times a request to a publishing target is tried again at once after a timeout, a lost "
        "connection or a 5xx answer (waiting target_backoff, doubled each time)."))
    target_backoff: float = field(default=0.5, metadata=_meta(
        "Seconds before the first immediate retry of a request to a publishing target."))
    non_commercial_site: bool = field(default=False, metadata=_meta(
        "The operator declares the site non-commercial (no advertising, no fees): pages under "
        "Creative Commons NC licences are then republished in full, not as excerpts."))
    republish_private: bool = field(default=False, metadata=_meta(
        "Private use: translate the articles of sources declared `none` too, for the review "
        "queue and the translation memory; nothing of them is published."))
    site_title: str = field(default="babelwire", metadata=_meta("Name of the published site."))
    site_url: str = field(default="http://127.0.0.1:8000", metadata=_meta(
        "Public base URL of the site, used for absolute links in feeds."))
    host: str = field(default="127.0.0.1", metadata=_meta("Address `babelwire serve` binds to."))
    port: int = field(default=8000, metadata=_meta("Port `babelwire serve` listens on."))
    broker_url: str = field(default="redis://127.0.0.1:6379/0", metadata=_meta(
        "Celery broker URL for `babelwire worker` and `babelwire scheduler`."))
    log_level: str = field(default="INFO", metadata=_meta(
        "Log level of `babelwire worker` and `babelwire scheduler` (Celery's --loglevel)."))

    @property
    def db_url(self) -> str:
        """The effective SQLAlchemy URL."""
        return self.database_url or f"sqlite:///{self.sqlite_file}"

    @property
    def sqlite_file(self) -> Path:
        """Where the default SQLite store lives (used when ``database_url`` is empty)."""
        return self.home / "babelwire.db"

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (values are coerced like any other source)."""
        return dataclasses.replace(self, **_coerce_all(changes))

    def pair_routes(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """``routes`` by language pair."""
        return parse_routes(self.routes)

    def wanted_engines(self) -> tuple[str, ...]:
        """Every engine named in ``engines`` or in a route, ``engines`` order first."""
        names = list(self.engines)
        for order in self.pair_routes().values():
            names.extend(n for n in order if n not in names)
        return tuple(names)


def describe() -> list[tuple[str, Any, str]]:
    """(name, default, help) for every setting, in declaration order."""
    out = []
    for f in dataclasses.fields(Settings):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        out.append((f.name, default, f.metadata.get("help", "")))
    return out


def load(overrides: Mapping[str, Any] | None = None, *, home: Path | None = None,
         environ: Mapping[str, str] | None = None) -> Settings:
    """Merge defaults, ``HOME/babelwire.toml``, ``BABELWIRE_*`` variables and ``overrides``."""
    environ = os.environ if environ is None else environ
    if home is None:
        home = Path(environ["BABELWIRE_HOME"]).expanduser() if environ.get("BABELWIRE_HOME") \
            else default_home()
    path = home / SETTINGS_FILE
    values: dict[str, Any] = {}
    values.update(_coerce_all(_from_file(path), origin=str(path)))
    values.update(_coerce_all(_from_env(environ), origin="environment"))
    values.update(_coerce_all({k: v for k, v in (overrides or {}).items() if v is not None},
                              origin="command line"))
    values["home"] = home
    return Settings(**values)


_FIELDS = {f.name: f for f in dataclasses.fields(Settings)}


def _from_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read settings: {exc}", subject=str(path)) from exc
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and key not in _FIELDS:
            for sub, subvalue in value.items():
                flat[f"{key}_{sub}"] = subvalue
        else:
            flat[key] = value
    unknown = sorted(set(flat) - set(_FIELDS))
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}", subject=str(path))
    return flat


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _FIELDS:
        key = ENV_PREFIX + name.upper()
        if key in environ and name != "home":
            out[name] = environ[key]
    return out


def _coerce_all(values: Mapping[str, Any], origin: str | None = None) -> dict[str, Any]:
    return {name: _coerce(name, value, origin) for name, value in values.items()}


def _coerce(name: str, value: Any, origin: str | None = None) -> Any:
    if name not in _FIELDS:
        raise ConfigError(f"unknown setting: {name}", subject=origin)
    kind = str(_FIELDS[name].type)
    try:
        if kind == "Path":
            return Path(value).expanduser()
        if kind == "bool":
            return _to_bool(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind.startswith("tuple"):
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(i).strip() for i in items if str(i).strip())
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name}: cannot use {value!r} ({exc})",
                          subject=origin) from exc


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("expected true or false")


def parse_routes(value: Any) -> dict[tuple[str, str], tuple[str, ...]]:
    """Routes from ``"en-es: ctranslate2 apertium"`` items or from a mapping of pair to names."""
    items: list[tuple[str, Any]]
    if isinstance(value, Mapping):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, str):
        items = [_split_route(part) for part in value.split(";") if part.strip()]
    else:
        items = [_split_route(str(part)) for part in value or () if str(part).strip()]
    routes: dict[tuple[str, str], tuple[str, ...]] = {}
    for pair_text, engines in items:
        match = _PAIR.match(pair_text)
        if not match:
            raise ConfigError(f"routes: {pair_text!r} is not a language pair like en-es",
                              subject="routes")
        names = engines.split() if isinstance(engines, str) else [str(e) for e in engines]
        names = [n for part in names for n in re.split(r"[\s>|+,]+", part) if n]
        if not names:
            raise ConfigError(f"routes: no engine for {pair_text}", subject="routes")
        routes[(match.group(1), match.group(2))] = tuple(names)
    return routes


def _split_route(text: str) -> tuple[str, str]:
    pair, sep, engines = text.partition(":") if ":" in text else text.partition("=")
    if not sep:
        raise ConfigError(f"routes: {text!r} should look like 'en-es: ctranslate2 apertium'",
                          subject="routes")
    return pair, engines


def parse_numbers(value: Any, setting: str) -> dict[str, float]:
    """``{"deepl": 5.0}`` from ``"deepl=5"`` items (or a mapping)."""
    if isinstance(value, Mapping):
        pairs = [(str(k), v) for k, v in value.items()]
    else:
        parts = value.split(",") if isinstance(value, str) else list(value or ())
        pairs = [tuple(str(p).split("=", 1)) for p in parts if str(p).strip()]  # type: ignore[misc]
    out: dict[str, float] = {}
    for pair in pairs:
        if len(pair) != 2:
            raise ConfigError(f"{setting}: expected NAME=NUMBER, got {pair[0]!r}",
                              subject=setting)
        try:
            out[str(pair[0]).strip()] = float(pair[1])
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{setting}: {pair[1]!r} is not a number",
                              subject=setting) from exc
    return out
