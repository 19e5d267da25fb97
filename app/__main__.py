"""Command line: ``python -m app <command>`` (also installed as ``dongsheng-jobs``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.config import ensure_startable, get_settings
from app.core.db import resolve_database_url

OPENAPI_PATH = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"


def cmd_migrate(args: argparse.Namespace) -> int:
    from app.core import migrate

    url, _server = resolve_database_url(get_settings())
    if args.downgrade:
        migrate.downgrade(url, args.downgrade)
    else:
        migrate.upgrade(url, args.revision)
    print(f"migrations applied ({args.downgrade or args.revision})")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from app.core import migrate
    from app.demo.seed import seed_demo

    settings = get_settings()
    if not settings.demo_mode:
        print(
            "seed-demo: demo data is loaded only in demo mode (empty WECHAT_APPID, "
            "ENVIRONMENT other than production)",
            file=sys.stderr,
        )
        return 2
    url, _server = resolve_database_url(settings)
    migrate.upgrade(url)
    counts = asyncio.run(seed_demo(url, only_if_empty=False))
    print(json.dumps(counts, ensure_ascii=False))
    return 0


async def _purge(url: str) -> dict[str, int]:
    """What the worker's periodic tasks purge, at once (cron-free deployments need not run it)."""
    from app.core.clock import system_clock
    from app.core.db import create_engine, create_sessionmaker
    from app.core.idempotency import purge_expired
    from app.identity.repository import delete_expired_refresh_tokens

    engine = create_engine(get_settings(), url)
    totals = {"idempotency_records": 0, "refresh_tokens": 0}
    try:
        maker = create_sessionmaker(engine)
        while True:  # small batches, each its own transaction: no long locks
            async with maker() as session, session.begin():
                records = await purge_expired(session, system_clock(), limit=1000)
                tokens = await delete_expired_refresh_tokens(session, system_clock(), 1000)
            totals["idempotency_records"] += records
            totals["refresh_tokens"] += tokens
            if records == 0 and tokens == 0:
                return totals
    finally:
        await engine.dispose()


def cmd_purge(args: argparse.Namespace) -> int:
    url, _server = resolve_database_url(get_settings())
    print(json.dumps(asyncio.run(_purge(url))))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from app.core import migrate
    from app.core.logging import configure_logging
    from app.worker import run_worker

    settings = get_settings()
    configure_logging(settings.log_level)
    # procrastinate logs every job start and end at INFO: keep its warnings and errors only.
    logging.getLogger("procrastinate").setLevel(max(logging.WARNING, logging.root.level))
    url, _server = resolve_database_url(settings)
    migrate.upgrade(url)
    # procrastinate handles SIGTERM/SIGINT itself: running jobs finish, then the worker exits.
    asyncio.run(
        run_worker(
            settings,
            url,
            concurrency=args.concurrency,
            queues=args.queue or None,
            wait=not args.until_empty,
        )
    )
    return 0


def render_openapi() -> str:
    from app.main import create_app

    schema = create_app(get_settings()).openapi()
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def cmd_export_openapi(args: argparse.Namespace) -> int:
    text = render_openapi()
    target = Path(args.output)
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is stale: run `python -m app export-openapi`", file=sys.stderr)
            return 1
        print(f"{target} is current")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def cmd_serve(args: argparse.Namespace) -> int:

    from app.core import migrate
    from app.demo.seed import seed_demo

    settings = get_settings()
    url, _server = resolve_database_url(settings)
    migrate.upgrade(url)
    if settings.seeds_demo_data and not args.no_demo:
        counts = asyncio.run(seed_demo(url, only_if_empty=True))
        if counts:
            print(f"demo data loaded: {json.dumps(counts, ensure_ascii=False)}")
    if args.workers > 1:
        metrics_dir = Path(settings.var_dir) / "prometheus"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir.resolve())
    # uvicorn re-raises SIGTERM after its graceful shutdown; exiting through SystemExit instead
    # of dying by the signal lets atexit stop the embedded PostgreSQL this process started.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    worker = _start_worker() if args.with_worker else None
    try:
        _run_uvicorn(args)
    finally:
        if worker is not None:
            _stop_worker(worker)
    return 0


def _start_worker() -> subprocess.Popen[bytes]:
    """``python -m app worker`` as a child: it inherits DATABASE_URL (the embedded server's too)
    and is stopped before this process stops the embedded server."""
    print("worker started beside the service (python -m app worker)", flush=True)
    return subprocess.Popen([sys.executable, "-m", "app", "worker"], env=os.environ.copy())


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)  # running jobs finish first
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _run_uvicorn(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        access_log=False,
        # X-Forwarded-* are applied by create_app from FORWARDED_ALLOW_IPS (testable in-process);
        # uvicorn's own handling would trust 127.0.0.1 whatever the setting says.
        proxy_headers=False,
        timeout_graceful_shutdown=10,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="东胜就业 backend")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="migrate, load demo data if empty, run uvicorn")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    serve.add_argument("--no-demo", action="store_true", help="do not load demo data")
    serve.add_argument(
        "--with-worker",
        action="store_true",
        help="also run `python -m app worker` as a child process, stopped with the service",
    )
    serve.set_defaults(func=cmd_serve)

    mig = sub.add_parser("migrate", help="apply database migrations")
    mig.add_argument("--revision", default="head")
    mig.add_argument("--downgrade", metavar="REVISION", help="downgrade to REVISION instead")
    mig.set_defaults(func=cmd_migrate)

    seed = sub.add_parser("seed-demo", help="load the demo data set (idempotent)")
    seed.set_defaults(func=cmd_seed_demo)

    purge = sub.add_parser(
        "purge",
        help="delete expired idempotency records and refresh tokens now (the worker does it "
        "periodically)",
    )
    purge.set_defaults(func=cmd_purge)

    worker = sub.add_parser("worker", help="run background tasks (notifications, periodic work)")
    worker.add_argument(
        "--concurrency", type=int, default=int(os.environ.get("WORKER_CONCURRENCY", "8"))
    )
    worker.add_argument("--queue", action="append", help="only these queues (repeatable)")
    worker.add_argument(
        "--until-empty", action="store_true", help="run the jobs due now, then exit"
    )
    worker.set_defaults(func=cmd_worker)

    exp = sub.add_parser("export-openapi", help="write openapi/openapi.json")
    exp.add_argument("--output", default=str(OPENAPI_PATH))
    exp.add_argument("--check", action="store_true", help="fail if the file is stale")
    exp.set_defaults(func=cmd_export_openapi)

    for register in _extra_commands():
        register(sub)
    return parser


def _extra_commands() -> list[Callable[[Any], None]]:
    """Commands contributed by domains (fake-wechat, create-staff, worker…)."""
    from app.identity import cli as identity_cli
    from app.integrations.wechat.fake import cli as fake_wechat_cli

    return [identity_cli.register, fake_wechat_cli.register]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Every command refuses unsafe settings before touching anything: one line, no traceback.
    ensure_startable(get_settings())
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
