"""Every engine setting read in one place and turned into plain data (``EngineConfig``).

The settings themselves, with their defaults and help, are declared in ``babelwire.settings``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babelwire.exceptions import ConfigError
from babelwire.settings import Settings

HTTP_ENGINES = ("libretranslate", "openai", "deepl")

_DEFAULT_CONCURRENCY = {"openai": 4, "deepl": 4, "libretranslate": 4}
_PAIR = re.compile(r"^\s*([a-z]{2,3})\s*[-_>]\s*([a-z]{2,3})\s*$")


@dataclass(frozen=True)
class HttpOptions:
    """Timeouts, retries, backoff and rate of one HTTP engine."""

    timeout: float = 60.0
    retries: int = 3
    backoff: float = 1.0
    rate: float = 0.0               # requests per second; 0 = unlimited


@dataclass(frozen=True)
class NeuralOptions:
    """Where CTranslate2 models are and how to run them."""

    models_dirs: tuple[Path, ...] = ()
    device: str = "cpu"
    threads: int = 0
    beam_size: int = 4
    max_batch: int = 64
    batch_wait: float = 0.01
    max_length: int = 256


@dataclass(frozen=True)
class EngineConfig:
    """Engine settings as plain data, built once from ``Settings``."""

    engines: tuple[str, ...] = ("apertium",)
    routes: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    memory: bool = True
    route_choice: bool = True
    cooldown: float = 60.0
    apertium_modes_dir: str = "/usr/share/apertium/modes"
    neural: NeuralOptions = NeuralOptions()
    libretranslate_url: str = ""
    libretranslate_key: str = ""
    openai_url: str = ""
    openai_key: str = ""
    openai_model: str = ""
    openai_languages: tuple[str, ...] = ()
    openai_batch: int = 16
    deepl_key: str = ""
    deepl_url: str = ""
    http: Mapping[str, HttpOptions] = field(default_factory=dict)
    concurrency: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings) -> EngineConfig:
        """The engine configuration of ``settings`` (missing names take their defaults)."""
        return cls(
            engines=tuple(settings.engines), routes=parse_routes(settings.routes),
            memory=bool(settings.translation_memory),
            route_choice=bool(settings.route_choice),
            cooldown=float(settings.engine_cooldown),
            apertium_modes_dir=settings.apertium_modes_dir,
            neural=_neural(settings),
            libretranslate_url=str(settings.libretranslate_url),
            libretranslate_key=str(settings.libretranslate_api_key),
            openai_url=str(settings.openai_url),
            openai_key=str(settings.openai_api_key),
            openai_model=str(settings.openai_model),
            openai_languages=tuple(settings.openai_languages),
            openai_batch=int(settings.openai_batch),
            deepl_key=str(settings.deepl_api_key),
            deepl_url=str(settings.deepl_url),
            http=_http(settings), concurrency=_concurrency(settings))

    def http_options(self, engine: str) -> HttpOptions:
        """The HTTP options of one engine."""
        return self.http.get(engine, HttpOptions())

    def order_for(self, src: str, tgt: str) -> tuple[str, ...]:
        """Engine names to try for a pair: its route if one is set, else the global order."""
        return self.routes.get((src, tgt), self.engines)

    def wanted_engines(self) -> tuple[str, ...]:
        """Every engine named in the global order or in a route, global order first."""
        names = list(self.engines)
        for order in self.routes.values():
            names.extend(n for n in order if n not in names)
        return tuple(names)


def _neural(settings: Settings) -> NeuralOptions:
    own = str(settings.ctranslate2_models_dir) or str(settings.home / "models")
    return NeuralOptions(
        models_dirs=(Path(own).expanduser(), argos_packages_dir(settings)),
        device=str(settings.ctranslate2_device),
        threads=int(settings.ctranslate2_threads),
        beam_size=int(settings.ctranslate2_beam_size),
        max_batch=int(settings.ctranslate2_max_batch),
        batch_wait=float(settings.ctranslate2_batch_wait),
        max_length=int(settings.ctranslate2_max_length))


def argos_packages_dir(settings: Settings) -> Path:
    """The directory Argos Translate's own tools install packages into."""
    configured = str(settings.argos_packages_dir) or os.environ.get(
        "ARGOS_PACKAGES_DIR", "")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".local" / "share" / "argos-translate" / "packages"


def _http(settings: Settings) -> dict[str, HttpOptions]:
    rates = parse_numbers(settings.engine_rate, "engine_rate")
    return {name: HttpOptions(timeout=float(settings.engine_timeout),
                              retries=int(settings.engine_retries),
                              backoff=float(settings.engine_backoff),
                              rate=rates.get(name, 0.0))
            for name in HTTP_ENGINES}


def _concurrency(settings: Settings) -> dict[str, int]:
    given = parse_numbers(settings.engine_concurrency, "engine_concurrency")
    merged: dict[str, float] = {**_DEFAULT_CONCURRENCY, **given}
    return {name: max(1, int(value)) for name, value in merged.items()}


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
