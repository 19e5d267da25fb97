"""Real processes for the tests that need them: `python -m app serve` and the fake WeChat on free
ports, each started with its own environment and stopped (terminate, then kill) afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveProcess:
    """One started process of the app's command line, answering HTTP on ``base``."""

    name: str
    base: str
    proc: subprocess.Popen[bytes]
    stderr_path: Path
    env: dict[str, str] = field(repr=False)

    def wait_ready(self, path: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.stderr()}")
            try:
                if httpx.get(f"{self.base}{path}", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not become ready:\n{self.stderr()}")

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start(name: str, args: list[str], env: Mapping[str, str], logs: Path) -> LiveProcess:
    """Start ``python -m app <args> --port <free port>``; stderr goes to ``logs/<name>.err``."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    stderr_path = logs / f"{name}.err"
    full_env = {**os.environ, **env}
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", *args, "--port", str(port)],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    return LiveProcess(name, f"http://127.0.0.1:{port}", proc, stderr_path, full_env)
