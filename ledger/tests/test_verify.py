"""`onestop ledger verify` finds every kind of tampering and names it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import EnterpriseAgent
from ledger import merkle
from ledger.keys import log_signer
from ledger.models import Checkpoint, Entry
from ledger.note import Checkpoint as CheckpointText
from ledger.services import checkpoint_publish, ledger_append_many

pytestmark = pytest.mark.django_db


def verify() -> tuple[bool, str]:
    out = StringIO()
    try:
        call_command("ledger", "verify", stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


@pytest.fixture
def logged(enterprise, agent):
    """A log of 1 agent grant + 6 other events, with a checkpoint at 7."""
    ledger_append_many(actor=None, events=[("test.event", f"x:{i}", {"i": i}) for i in range(6)])
    checkpoint_publish()
    return EnterpriseAgent.objects.get(person=agent.person)


def test_an_untouched_log_verifies(logged):
    ok, out = verify()
    assert ok, out
    assert "7 entries, 1 checkpoints, 1 payloads checked" in out


def test_direct_update_of_a_logged_row_is_found(logged):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_enterpriseagent SET granted_at = %s WHERE id = %s",
            ["2020-01-01 00:00:00+00:00", logged.pk],
        )
    ok, out = verify()
    assert not ok
    assert (
        f"PROBLEM: entry 0 (enterprise.agent_granted, accounts.enterpriseagent:{logged.pk})"
        ": the row no longer matches what was logged"
    ) in out


def test_deleted_logged_row_is_found(logged):
    EnterpriseAgent.objects.filter(pk=logged.pk).delete()
    ok, out = verify()
    assert not ok and "the logged row no longer exists" in out


def test_changed_entry_is_found(logged):
    Entry.objects.filter(index=3).update(action="test.other")
    ok, out = verify()
    assert not ok and "PROBLEM: entry 3: its fields no longer match its leaf hash" in out


def test_changed_entry_with_a_recomputed_leaf_hash_breaks_the_checkpoint(logged):
    from ledger.canonical import leaf_data

    e = Entry.objects.get(index=3)
    leaf = merkle.leaf_hash(
        leaf_data(
            index=3,
            at_us=e.at_us,
            action="test.other",
            subject=e.subject,
            actor=e.actor,
            payload_sha256=e.payload_sha256,
        )
    )
    Entry.objects.filter(index=3).update(action="test.other", leaf_hash=leaf.hex())
    ok, out = verify()
    assert not ok and "checkpoint at size 7 does not match the entries" in out


def test_deleted_entry_is_found(logged):
    Entry.objects.filter(index=4).delete()
    ok, out = verify()
    assert not ok and "PROBLEM: entry 4 is missing (next entry is 5)" in out


def test_deleted_last_entry_is_found(logged):
    Entry.objects.filter(index=6).delete()
    ok, out = verify()
    assert not ok
    assert "checkpoint at size 7 is beyond the 6 entries found" in out


def test_reordered_entries_are_found(logged):
    a, b = Entry.objects.get(index=2), Entry.objects.get(index=5)
    Entry.objects.filter(index=2).update(
        subject=b.subject, payload_sha256=b.payload_sha256, leaf_hash=b.leaf_hash
    )
    Entry.objects.filter(index=5).update(
        subject=a.subject, payload_sha256=a.payload_sha256, leaf_hash=a.leaf_hash
    )
    ok, out = verify()
    assert not ok
    assert "PROBLEM: entry 2: its fields no longer match its leaf hash" in out
    assert "PROBLEM: entry 5: its fields no longer match its leaf hash" in out


def test_a_re_signed_forked_checkpoint_is_found(logged):
    fork = merkle.MemoryTree(merkle.leaf_hash(bytes([i])) for i in range(7))
    body = CheckpointText(log_signer().name, 7, fork.root()).text()
    Checkpoint.objects.filter(size=7).update(
        root=fork.root().hex(), note=body + "\n" + log_signer().sign_note(body)
    )
    ok, out = verify()
    assert not ok and "checkpoint at size 7 does not match the entries (a fork" in out


def test_a_checkpoint_with_a_bad_signature_is_found(logged):
    cp = Checkpoint.objects.get(size=7)
    Checkpoint.objects.filter(pk=cp.pk).update(note=cp.note.replace("\n7\n", "\n8\n", 1))
    ok, out = verify()
    assert not ok and "PROBLEM: checkpoint at size 7: the signature of" in out
