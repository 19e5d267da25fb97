"""``python -m app fake-wechat --port N``: the fake WeChat server as a real HTTP server."""

from __future__ import annotations

import argparse
import os
from typing import Any

from app.integrations.wechat.fake.state import DEMO_APPID, DEMO_SECRET, FakeWeChatState


def cmd_fake_wechat(args: argparse.Namespace) -> int:
    import uvicorn

    from app.integrations.wechat.fake.server import create_fake_app

    state = FakeWeChatState(appid=args.appid, secret=args.secret, latency_ms=args.latency_ms)
    app = create_fake_app(state)
    base = f"http://{args.host}:{args.port}"
    latency = f" ({args.latency_ms} ms latency)" if args.latency_ms else ""
    print(
        f"fake WeChat on {base}{latency}\n"
        f"  point the service at it: WECHAT_APPID={args.appid} WECHAT_SECRET={args.secret} "
        f"WECHAT_API_BASE={base}\n"
        f"  mint a login code:       curl -s -XPOST {base}/_fake/jscode "
        '-H "content-type: application/json" -d \'{"openid": "demo-user"}\'',
        flush=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("fake-wechat", help="run the fake WeChat server (tests, demos, load)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    # The same variables the service reads, so one environment points both at each other.
    parser.add_argument("--appid", default=os.environ.get("WECHAT_APPID") or DEMO_APPID)
    parser.add_argument("--secret", default=os.environ.get("WECHAT_SECRET") or DEMO_SECRET)
    parser.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="delay every WeChat API answer by this many milliseconds (load tests)",
    )
    parser.set_defaults(func=cmd_fake_wechat)
