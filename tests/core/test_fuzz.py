"""schemathesis over every operation of the OpenAPI document, against a real running server.

Fails on any 5xx and on any response that does not match its declared schema. The number of
examples is bounded (FUZZ_EXAMPLES, default 25) so CI stays fast.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import database

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    name = f"dsjobs_fuzz_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    url = database.recreate_database(admin_url, name)
    port = _free_port()
    var = tmp_path_factory.mktemp("fuzzvar")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "VAR_DIR": str(var),
        "STORAGE_ROOT": str(var / "files"),
        "LOG_LEVEL": "WARNING",
        "ENVIRONMENT": "test",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "serve exited")
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            raise RuntimeError("server did not become ready")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        database.drop(admin_url, name)


@pytest.mark.slow
def test_schemathesis_finds_no_server_errors_or_schema_violations(live_server: str) -> None:
    examples = os.environ.get("FUZZ_EXAMPLES", "25")
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        f"{live_server}/openapi.json",
        "--checks",
        "not_a_server_error,response_schema_conformance,content_type_conformance,"
        "status_code_conformance",
        "--max-examples",
        examples,
        "--seed",
        "20261126",
        "--phases",
        "examples,coverage,fuzzing",
        "--request-timeout",
        "10",
        "--no-color",
        "--suppress-health-check",
        "all",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
