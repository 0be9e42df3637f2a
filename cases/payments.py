"""Online payment providers behind one interface, and the built-in sandbox.

A provider takes the payer away to pay (``start`` returns the address to redirect to), later
tells us asynchronously that the payment succeeded in a signed notification (``verify`` checks
the signature and reads it, or raises ``BadNotice``), refunds, and lists what it settled on a
day (``statement``, for reconciliation). A real provider (WeChat Pay, Alipay, UnionPay, a
bank's aggregated QR) is one more class named in ``PAYMENT_PROVIDERS``.

The sandbox follows the same flow in test mode: its own pay page, its own books
(``SandboxTransaction``), notifications signed with Ed25519 over timestamp, nonce and body
(the shape of WeChat Pay API v3), a five-minute replay window."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import SandboxTransaction

REPLAY_SECONDS = 300


class BadNotice(Exception):
    """A notification that must not be believed; ``reason`` says why (it is logged)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Notice:
    txn: str
    order_code: str
    amount: Decimal
    paid_at: dt.datetime


@dataclass(frozen=True)
class Settled:
    txn: str
    order_code: str
    amount: Decimal
    refunded: Decimal


class PaymentProvider:
    name = ""
    label = ""
    test_mode = False

    def start(self, *, order_code: str, amount: Decimal, return_url: str) -> str:
        raise NotImplementedError

    def verify(self, body: bytes, headers: Mapping[str, str]) -> Notice:
        raise NotImplementedError

    def refund(self, *, txn: str, amount: Decimal, refund_id: str) -> str:
        raise NotImplementedError

    def statement(self, day: dt.date) -> list[Settled]:
        raise NotImplementedError


def providers() -> dict[str, PaymentProvider]:
    return {name: import_string(path)() for name, path in settings.PAYMENT_PROVIDERS.items()}


def provider(name: str) -> PaymentProvider | None:
    path = settings.PAYMENT_PROVIDERS.get(name)
    return import_string(path)() if path else None


class SandboxProvider(PaymentProvider):
    name = "sandbox"
    label = "Sandbox (test mode)"
    test_mode = True

    # Keys: PAYMENTS_SANDBOX_KEY (an Ed25519 private key, PEM) or one derived from SECRET_KEY.
    @staticmethod
    def private_key() -> Ed25519PrivateKey:
        pem = getattr(settings, "PAYMENTS_SANDBOX_KEY", "")
        if pem:
            key = serialization.load_pem_private_key(pem.encode(), password=None)
            assert isinstance(key, Ed25519PrivateKey)
            return key
        kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"payments sandbox")
        seed = kdf.derive(settings.SECRET_KEY.encode())
        return Ed25519PrivateKey.from_private_bytes(seed)

    def public_key(self) -> Ed25519PublicKey:
        return self.private_key().public_key()

    def start(self, *, order_code: str, amount: Decimal, return_url: str) -> str:
        row = SandboxTransaction.objects.create(
            txn="SBX" + secrets.token_hex(12).upper(), order_code=order_code, amount=amount,
            return_url=return_url,
        )  # fmt: skip
        return reverse("cases:sandbox_pay", args=[row.txn])

    def notification(self, txn: SandboxTransaction) -> tuple[bytes, dict[str, str]]:
        """What the sandbox POSTs to the notify address when a payment succeeds."""
        body = json.dumps({
            "event": "TRANSACTION.SUCCESS", "txn": txn.txn, "order_code": txn.order_code,
            "amount": str(txn.amount), "paid_at": (txn.paid_at or timezone.now()).isoformat(),
        }, separators=(",", ":")).encode()  # fmt: skip
        return body, self.sign(body)

    def sign(self, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = secrets.token_hex(16)
        message = stamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
        signature = base64.b64encode(self.private_key().sign(message)).decode()
        return {"Sandbox-Timestamp": stamp, "Sandbox-Nonce": nonce,
                "Sandbox-Signature": signature}  # fmt: skip

    def verify(self, body: bytes, headers: Mapping[str, str]) -> Notice:
        stamp, nonce = headers.get("Sandbox-Timestamp", ""), headers.get("Sandbox-Nonce", "")
        signature = headers.get("Sandbox-Signature", "")
        if not (stamp.isdigit() and nonce and signature):
            raise BadNotice("signature headers missing")
        if abs(time.time() - int(stamp)) > REPLAY_SECONDS:
            raise BadNotice("timestamp outside the replay window")
        message = stamp.encode() + b"\n" + nonce.encode() + b"\n" + body + b"\n"
        try:
            self.public_key().verify(base64.b64decode(signature, validate=True), message)
        except (InvalidSignature, ValueError):
            raise BadNotice("bad signature") from None
        try:
            data = json.loads(body)
            if data.get("event") != "TRANSACTION.SUCCESS":
                raise BadNotice("not a payment success")
            return Notice(txn=str(data["txn"])[:64], order_code=str(data["order_code"])[:20],
                          amount=Decimal(str(data["amount"])),
                          paid_at=dt.datetime.fromisoformat(data["paid_at"]))  # fmt: skip
        except (ValueError, KeyError, TypeError, InvalidOperation):
            raise BadNotice("malformed body") from None

    def refund(self, *, txn: str, amount: Decimal, refund_id: str) -> str:
        from django.db.models import F

        updated = SandboxTransaction.objects.filter(
            txn=txn, status="paid", amount__gte=F("refunded") + amount
        ).update(refunded=F("refunded") + amount)
        if updated != 1:
            raise BadNotice("the provider refused the refund")
        return f"SBXR{refund_id}"

    def statement(self, day: dt.date) -> list[Settled]:
        rows = SandboxTransaction.objects.filter(status="paid", paid_at__date=day)
        return [Settled(txn=r.txn, order_code=r.order_code, amount=r.amount,
                        refunded=r.refunded) for r in rows.order_by("pk")]  # fmt: skip
