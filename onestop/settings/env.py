"""Reading configuration from the environment; the demo keeps generated secrets under var/."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ONESTOP_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def required(name: str) -> str:
    value = env_str(name)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} is required in production.")
    return value


def generated_secret(
    name: str, *, nbytes: int = 32, urlsafe_b64: bool = False, raw_b64: bool = False
) -> str:
    """A secret made once and kept in var/ (demo and development only, never production)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / f"{name}.secret"
    if path.exists():
        return path.read_text().strip()
    raw = secrets.token_bytes(nbytes)
    if raw_b64:
        value = base64.b64encode(raw).decode()
    elif urlsafe_b64:
        value = base64.urlsafe_b64encode(raw).decode()
    else:
        value = secrets.token_urlsafe(nbytes)
    # Create with 0600 so the secret is not world-readable.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value
