"""What the benchmark (`bench_site`) and the load test (`load_test`) share: gunicorn started
the way production runs it, on PostgreSQL, and wrk over loopback."""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

WRK = "/usr/bin/wrk"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def check_tools(connection) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    if not Path(WRK).exists():
        raise CommandError("wrk is missing: apt-get install wrk")


@contextmanager
def gunicorn(*, page_cache: str, redis_url: str, workers: int, port: int = 0,
             database_url: str = "", collect_static: bool = True,
             extra_env: dict | None = None):  # fmt: skip
    """gunicorn with production settings, plus devtools for /_bench/fixed/ (settings/bench.py),
    on `port` (else a free one) of the loopback, on `database_url` (else DATABASE_URL); yields
    its base URL; `extra_env` adds to its environment. Its Redis database is emptied first, so no
    cached page or fragment is left from an earlier run."""
    port = port or free_port()
    if port_in_use(port):
        raise CommandError(f"Port {port} is taken: stop what listens there first.")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.bench",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url or os.environ["DATABASE_URL"],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "PAGE_CACHE": page_cache,
        "REDIS_URL": redis_url,
        "SERVE_MEDIA": "true",
        "DB_CONN_MAX_AGE": "60",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LOG_LEVEL": "ERROR",
        **(extra_env or {}),
    }
    if collect_static:
        subprocess.run(  # as the production image does
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=env, cwd=settings.BASE_DIR, check=True,
        )  # fmt: skip
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "newsroom.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "sync", "--log-level", "warning"],
        env=env, cwd=settings.BASE_DIR,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise CommandError("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_wrk(url: str, *, script: str, connections: int, seconds: int, threads: int = 0,
              timeout: int = 2) -> subprocess.Popen:  # fmt: skip
    """wrk running `script` (Lua) against `url`; read its stdout when it ends."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    process = subprocess.Popen(
        [WRK, f"-t{threads or min(2, connections)}", f"-c{connections}", f"-d{seconds}s",
         f"--timeout={timeout}s", "-s", file.name, url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    process.script_path = file.name
    return process


def wrk_output(process: subprocess.Popen, seconds: int) -> str:
    """Waits for a wrk started by start_wrk and returns what it printed."""
    try:
        out, err = process.communicate(timeout=seconds + 60)
    finally:
        os.unlink(process.script_path)
    return out + err


def run_wrk(url: str, *, script: str, connections: int, seconds: int) -> str:
    return wrk_output(
        start_wrk(url, script=script, connections=connections, seconds=seconds), seconds
    )
