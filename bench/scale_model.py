"""The throughput model of docs/scaling.md: articles per second from measured per-article costs.

An article needs ``wall`` seconds of one worker slot (a thread of the embedded runner, a Celery
pool process) when nothing else runs: its stages one after the other, their store transactions,
and, on Celery, its tasks' broker round trips. It needs ``cpu`` seconds of CPU in all (babelwire's
process, the engine's processes, PostgreSQL, Redis), of which ``python`` seconds are in
babelwire's own process, under its interpreter lock, and ``engine`` seconds in the engine's
calls, which a process makes one at a time for one language pair (one pipeline per pair and
process, behind a lock). So ``slots`` slots in ``processes`` processes on ``cores`` free cores
finish at most

    X = min(slots / wall, cores / cpu, processes / python, processes / engine)   articles a second

(every slot busy; every core busy; every interpreter busy; every process's pipeline busy. The
embedded runner's two threads share one interpreter and one pipeline per pair; the last term
assumes concurrent articles need the same pair, as in the benchmark, where a source's articles
are claimed together). The model is a bound: near the point where two
terms meet the measured rate sits somewhat below it.

A short run also pays each process's start-up (its engines and name dictionaries, ``Startup``)
once per process. A run of A articles takes at least all its CPU over the free cores, and at
least one start-up plus the articles at the rate of the other three terms (``X'``):

    seconds(A) = max((A × cpu + processes × startup.cpu) / cores, startup.wall + A / X')
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleCost:
    """What one article costs, from measurements (seconds per article)."""

    wall: float     # of one slot, unloaded: stages + transactions + broker round trips
    cpu: float      # of all processes: babelwire, engines, database, broker
    python: float   # of babelwire's own process (its interpreter lock)
    engine: float   # inside the engine's calls (one pipeline per pair and process)

    def with_tasks(self, tasks: float, round_trip: float, client_cpu: float,
                   broker_cpu: float) -> ArticleCost:
        """The cost with ``tasks`` broker tasks per article, each ``round_trip`` seconds of a
        slot's time (enqueue, delivery, acknowledgement), ``client_cpu`` seconds of CPU in
        babelwire's process and ``broker_cpu`` in the broker's."""
        return ArticleCost(self.wall + tasks * round_trip,
                           self.cpu + tasks * (client_cpu + broker_cpu),
                           self.python + tasks * client_cpu, self.engine)


@dataclass(frozen=True)
class Startup:
    """What a process pays once, before its first article goes at full speed (seconds)."""

    wall: float
    cpu: float


@dataclass(frozen=True)
class Prediction:
    """The model's rate for one configuration, and which term limits it."""

    per_second: float
    limit: str      # "slots", "cores", "interpreter" or "engine"

    @property
    def per_minute(self) -> float:
        """Articles per minute."""
        return 60 * self.per_second


def predict(cost: ArticleCost, *, slots: int, processes: int, cores: float) -> Prediction:
    """Articles per second for ``slots`` worker slots in ``processes`` processes on ``cores``."""
    if min(cost.wall, cost.cpu, cost.python) <= 0 or min(slots, processes) < 1 or cores <= 0:
        raise ValueError("costs, slots, processes and cores must be positive")
    terms = {"slots": slots / cost.wall, "cores": cores / cost.cpu,
             "interpreter": processes / cost.python}
    if cost.engine > 0:
        terms["engine"] = processes / cost.engine
    limit = min(terms, key=lambda name: terms[name])
    return Prediction(terms[limit], limit)


def run_seconds(cost: ArticleCost, startup: Startup, articles: int, *, slots: int,
                processes: int, cores: float) -> float:
    """Seconds for a run of ``articles`` articles, each process starting from cold."""
    if cores <= 0:
        raise ValueError("cores must be positive")
    on_cpu = (articles * cost.cpu + processes * startup.cpu) / cores
    rate = predict(cost, slots=slots, processes=processes, cores=math.inf).per_second
    return max(on_cpu, startup.wall + articles / rate)


def processes_needed(per_second: float, cost: ArticleCost, *, cores_per_process: float) -> float:
    """Worker processes (each with ``cores_per_process`` cores of its own) for ``per_second``
    articles a second: each finishes ``min(1 / wall, cores_per_process / cpu)`` a second."""
    rate = min(1 / cost.wall, cores_per_process / cost.cpu)
    return per_second / rate
