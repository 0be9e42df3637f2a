"""The ``onestop`` command: demo, serve, worker, and every manage.py command.

onestop demo      migrate, load the demo city, serve on :8000 with a worker (Ctrl-C stops)
onestop serve     the production server (gunicorn; static files through whitenoise)
onestop worker    the background task worker (django-tasks-db)
onestop <cmd>     any Django management command (migrate, createsuperuser, ledger …)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

DEFAULT_SETTINGS = "onestop.settings.demo"
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def django_main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "onestop.cli", *args], check=True)


def serve_command(bind: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "onestop.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        "4",
        # The access log leaves out query strings: they may carry personal data.
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        "--graceful-timeout",
        "10",
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "onestop.cli", "db_worker", "--interval", "1"]


def demo(bind: str = "127.0.0.1:8000") -> int:
    """Prepare everything and run the web server and the worker until Ctrl-C."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    _manage("migrate", "--no-input", "-v", "0")
    _manage("createcachetable")
    _manage("collectstatic", "--no-input", "-v", "0")
    _manage("load_demo")
    _manage("ledger", "checkpoint")
    _manage("ledger", "schedule")
    _manage("cases", "schedule")
    _manage("ratings", "schedule")
    _manage("hotline", "schedule")
    procs = [subprocess.Popen(serve_command(bind, 2)), subprocess.Popen(worker_command())]
    print(f"\nOneStop demo city: http://{bind}/   (Ctrl-C stops)\n", flush=True)
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command in {"help", "-h", "--help"}:
        print(__doc__)
        return 0
    if command == "demo":
        if os.environ.get("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS).endswith("production"):
            print("onestop demo refuses to run with production settings.", file=sys.stderr)
            return 2
        return demo(argv[1] if len(argv) > 1 else "127.0.0.1:8000")
    if command == "serve":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
        bind = os.environ.get("BIND", "127.0.0.1:8000")
        workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
        os.execv(sys.executable, serve_command(bind, workers))  # noqa: S606
    if command == "worker":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
        os.execv(sys.executable, worker_command())  # noqa: S606
    django_main(["onestop", *argv])
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in {"demo", "serve", "worker", "help"}:
        sys.exit(main())
    django_main(sys.argv)
