"""`python -m app create-staff`: the first admin (and any staff) from the command line."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
from typing import Any

from app.core.config import get_settings


def _run(args: argparse.Namespace) -> int:
    from app.core import migrate
    from app.core.db import create_engine, create_sessionmaker, resolve_database_url
    from app.identity.schemas import StaffCreate
    from app.identity.staff import create_staff

    password = args.password or os.environ.get("STAFF_PASSWORD") or getpass.getpass("密码: ")
    body = StaffCreate(
        username=args.username,
        display_name=args.display_name or args.username,
        password=password,
        roles=args.roles,
        unit=args.unit,
    )
    url, _server = resolve_database_url(get_settings())
    migrate.upgrade(url)

    async def create() -> str:
        engine = create_engine(get_settings(), url)
        try:
            async with create_sessionmaker(engine)() as session:
                staff = await create_staff(session, body, actor=None)
                await session.commit()
                return str(staff.id)
        finally:
            await engine.dispose()

    print(f"created staff {body.username} ({', '.join(body.roles)}): {asyncio.run(create())}")
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("create-staff", help="create a staff account (argon2id password)")
    parser.add_argument("username")
    parser.add_argument("--display-name")
    parser.add_argument(
        "--roles", nargs="+", default=["admin"], choices=["admin", "reviewer", "station", "liaison"]
    )
    parser.add_argument("--unit", help="the liaison's unit, e.g. 区人社局")
    parser.add_argument("--password", help="prefer STAFF_PASSWORD or the prompt")
    parser.set_defaults(func=_run)
