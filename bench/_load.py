"""Shared by the load benches: citizens signed in through sessions, and the production
server (gunicorn) started on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

from _setup import ROOT, load_city_catalog


def prepare(clients: int, *, with_users: bool = False) -> list:
    """Reference data, one authority per department, ``clients`` citizens with sessions."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from accounts.services import person_register
    from cases.models import Case
    from core.ids import IdType, resident_id_check_char
    from directory.models import Department, Region
    from directory.services import authority_ensure

    load_city_catalog()
    city = Region.objects.get(level="city")
    for department in Department.objects.all():
        authority_ensure(department=department, region=city)
    Case.objects.all().delete()
    cookies = []
    for n in range(clients):
        body = f"44070319800101{n:03d}"[:17]
        number = body + resident_id_check_char(body)
        user = User.objects.filter(username=f"bench-{n}").first()
        if user is None:
            user = person_register(id_type=IdType.RESIDENT_ID, id_number=number,
                                   name=f"压测{n}", phone=f"137{n:08d}", password=None)  # fmt: skip
            User.objects.filter(pk=user.pk).update(username=f"bench-{n}")
            user.refresh_from_db()
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "accounts.backends.IdentifierBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append((user, session.session_key) if with_users else session.session_key)
    return cookies


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers))
    log = open(os.environ["ONESTOP_VAR_DIR"] + "/server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "onestop.cli", "serve"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    import requests

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")
