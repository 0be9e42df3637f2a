"""Test helpers every app uses: the permission matrix of an endpoint.

    permission_matrix(
        call=lambda client: client.post(url, body, content_type="application/json"),
        clients={"anonymous": Client(), "outsider": as_outsider, "owner": as_owner},
        expect={"anonymous": 401, "outsider": 404, "owner": 201},
        snapshot=lambda: list(Agent.objects.values_list("id", "revoked_at")),
    )

Denied personas run first; after each denial the snapshot must be unchanged (nothing was
written). The permitted personas run last, in the order given. Returns the responses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def permission_matrix(
    *,
    call: Callable[[Any], Any],
    clients: dict[str, Any],
    expect: dict[str, int],
    snapshot: Callable[[], Any],
) -> dict[str, Any]:
    missing = set(expect) - set(clients)
    assert not missing, f"no client for personas {sorted(missing)}"
    assert any(code >= 400 for code in expect.values()), "a matrix needs at least one denial"
    assert any(code < 400 for code in expect.values()), "a matrix needs at least one success"
    responses: dict[str, Any] = {}
    ordered = sorted(expect.items(), key=lambda item: item[1] < 400)
    for persona, status in ordered:
        before = snapshot()
        response = call(clients[persona])
        responses[persona] = response
        assert response.status_code == status, (
            f"{persona}: expected {status}, got {response.status_code}: "
            f"{getattr(response, 'content', b'')[:300]!r}"
        )
        if status >= 400:
            assert snapshot() == before, f"{persona} was denied but something changed"
    return responses


def api_operations(prefix: str) -> set[tuple[str, str]]:
    """Every (method, path) of the OpenAPI schema under ``prefix`` (the path without it):
    a permission matrix built from this fails when an endpoint has no row."""
    from onestop.api import api

    paths = api.get_openapi_schema()["paths"]
    return {(method, path.removeprefix(prefix)) for path, methods in paths.items()
            if path.startswith(prefix + "/") for method in methods}  # fmt: skip


def run_together(
    count: int, work: Callable[[int], Any], expected: tuple[type[BaseException], ...] = ()
) -> list[Any]:
    """Run ``work(0) … work(count - 1)`` in ``count`` threads released at the same moment
    (a barrier), each on its own database connection; returns what each returned, or the
    ``expected`` exception it raised (anything else fails the test). For race tests."""
    import threading

    from django.db import connection

    results: list[Any] = []
    failures: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(count)

    def run(n: int) -> None:
        barrier.wait()
        try:
            outcome = work(n)
        except expected as error:
            outcome = error
        except BaseException as error:
            with lock:
                failures.append(error)
            return
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, f"unexpected errors in threads: {failures[:3]!r}"
    return results
