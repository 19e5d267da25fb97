"""Security headers of every /console response (pages, static files, the 404 of a wrong path).

Only /console: the API's headers stay as they are. The policy allows no inline script or style
(the console's own files only), frames and images from the service itself (material previews use
the signed file links, which may live on ``PUBLIC_BASE_URL``), and no framing of the console.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/console"


def policy(file_origin: str = "") -> str:
    files = f" {file_origin}" if file_origin else ""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data:{files}; frame-src 'self'{files}; object-src 'self'{files}; "
        "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


class ConsoleHeaders:
    def __init__(self, app: ASGIApp, file_origin: str = "") -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", policy(file_origin).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return
        static = path.startswith(PREFIX + "/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in self.headers if h[0] not in present]
                if not static and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
