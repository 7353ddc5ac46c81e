"""``babelwire worker`` and ``babelwire scheduler``: the pipeline on Celery, Redis and PostgreSQL.

Both build the Celery app from settings (``broker_url``, ``database_url``: from babelwire.toml, the
``BABELWIRE_BROKER_URL`` / ``BABELWIRE_DATABASE_URL`` environment variables or ``--set``) and hand
over to Celery's own worker and beat. docs/scaling.md says which to run where.
"""

from __future__ import annotations

import os

import click

from babelwire.cli.common import app_context, echo_err
from babelwire.run.stage_table import WORKER_QUEUES
from babelwire.settings import Settings

LOG_LEVELS = click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False)
# threads first: one worker process with the embedded runner's shape (see ``worker_concurrency``)
POOLS = ("threads", "prefork", "solo")
DEFAULT_POOL = "threads"


def worker_concurrency(settings: Settings, pool: str, concurrency: int | None) -> int | None:
    """Tasks a worker runs at once: ``concurrency`` if given; for the threads pool the
    ``workers`` setting, the threads of ``babelwire run``; otherwise Celery's own default (None:
    one prefork process per CPU).

    A stage waits on the engines' processes most of the time (70-80 % of a translation waits
    for Apertium), so one process of two threads keeps both busy while it waits, as the
    embedded runner does, with one start-up and one set of engines (docs/scaling.md).
    """
    if concurrency is not None:
        return concurrency
    if pool == "threads":
        return max(1, settings.workers)
    return None


def split_queues(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """Validate a comma-separated list of stage queues."""
    queues = tuple(dict.fromkeys(q.strip().lower() for q in value.split(",") if q.strip()))
    bad = [q for q in queues if q not in WORKER_QUEUES]
    if bad or not queues:
        raise click.BadParameter(f"unknown queue: {', '.join(bad) or value!r} "
                                 f"(choose among {', '.join(WORKER_QUEUES)})")
    return queues


def prepare_store(settings: Settings) -> None:
    """Migrate the store once, before worker processes start, and warn about SQLite."""
    from babelwire.store import Store

    if settings.db_url.startswith("sqlite"):
        echo_err(f"note: the store is SQLite ({settings.db_url}): fine for workers on this "
                 "machine; workers on several machines need PostgreSQL (database_url)")
    Store(settings.db_url).close()
    settings.home.mkdir(parents=True, exist_ok=True)


_tick_option = click.option("--tick", type=click.FloatRange(0.1), default=None,
                            help="Seconds between two looks for due sources and stranded items "
                                 "(default: the scheduler_tick setting).")
_loglevel_option = click.option("--loglevel", "-l", type=LOG_LEVELS, default=None,
                                help="Celery's log level (default: the log_level setting).")


def command_settings(tick: float | None, loglevel: str | None) -> Settings:
    """This command's settings, with ``--tick`` and ``--loglevel`` given precedence."""
    settings = app_context().settings
    changes = {"scheduler_tick": tick, "log_level": loglevel}
    settings = settings.replace(**{k: v for k, v in changes.items() if v is not None})
    prepare_store(settings)
    return settings


@click.command()
@click.option("--queues", "-Q", default=",".join(WORKER_QUEUES), show_default=True,
              callback=split_queues, metavar="QUEUE[,QUEUE...]",
              help="Stage queues to serve; e.g. `-Q translate` on a GPU machine.")
@click.option("--concurrency", "-c", type=click.IntRange(1), default=None,
              help="Tasks at once: threads of the process (default: the `workers` setting, "
                   "2, as in `babelwire run`), or with `--pool prefork` pool processes "
                   "(default: one per CPU).")
@click.option("--pool", type=click.Choice(POOLS), default=DEFAULT_POOL, show_default=True,
              help="Celery execution pool: `threads` (one process whose tasks share its "
                   "engines and overlap their waits for them), `prefork` (a process per "
                   "task slot) or `solo`.")
@click.option("--name", "-n", default=None,
              help="Node name, unique per worker (default: babelwire-PID@HOST).")
@click.option("--beat", is_flag=True,
              help="Run the scheduler inside this worker (one machine, one worker only).")
@_tick_option
@_loglevel_option
def worker(queues: tuple[str, ...], concurrency: int | None, pool: str, name: str | None,
           beat: bool, tick: float | None, loglevel: str | None) -> None:
    """Work pipeline stages taken from the broker (Celery worker).

    Start as many as the machines allow; each serves the queues it is given. By default one
    worker is one process working `workers` (2) tasks at once in threads, like `babelwire run`.
    """
    from babelwire.run.celery_app import make_celery

    settings = command_settings(tick, loglevel)
    app = make_celery(settings)
    argv = ["worker", "--queues", ",".join(queues), "--pool", pool,
            "--loglevel", settings.log_level,
            "--hostname", name or f"babelwire-{os.getpid()}@%h",
            # no revoking or worker events are used: skip the start-up handshakes they need
            "--without-mingle", "--without-gossip"]
    slots = worker_concurrency(settings, pool, concurrency)
    if slots is not None:
        argv += ["--concurrency", str(slots)]
    if beat:
        argv += ["--beat"]          # its schedule file: celery_config's beat_schedule_filename
    app.worker_main(argv=argv)


@click.command()
@_tick_option
@_loglevel_option
def scheduler(tick: float | None, loglevel: str | None) -> None:
    """Enqueue polls of due sources, on their schedules (Celery beat). Run exactly one."""
    from babelwire.run.celery_app import make_celery

    settings = command_settings(tick, loglevel)
    app = make_celery(settings)
    app.start(argv=["beat", "--loglevel", settings.log_level])
