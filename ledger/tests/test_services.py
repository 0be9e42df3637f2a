import pytest
from django.db import transaction

from accounts.models import EnterpriseAgent
from conftest import make_resident_id
from ledger import merkle, selectors
from ledger.canonical import canonical_json, leaf_data, payload_sha256
from ledger.keys import log_signer
from ledger.models import Entry, LogState
from ledger.note import open_checkpoint
from ledger.services import actor_pseudonym, checkpoint_publish, ledger_append, ledger_append_many
from ledger.witnesses import collect_cosignatures

pytestmark = pytest.mark.django_db


def test_append_assigns_gapless_indexes_and_keeps_the_tree(citizen):
    entries = [
        ledger_append(actor=citizen, action="test.event", subject=f"x:{i}", payload={"i": i})
        for i in range(7)
    ]
    assert [e.index for e in entries] == list(range(7))
    tree = merkle.MemoryTree(bytes.fromhex(e.leaf_hash) for e in entries)
    assert selectors.db_root(7) == tree.root()
    assert selectors.db_root(5) == tree.root(5)
    state = LogState.objects.get(pk=1)
    assert state.size == 7


def test_entry_holds_hashes_and_a_pseudonym_not_personal_data(citizen):
    entry = ledger_append(
        actor=citizen,
        action="test.event",
        subject="x:1",
        payload={"id_number": make_resident_id(seq=101)},
    )
    row = Entry.objects.filter(index=entry.index).values().get()
    text = str(row)
    assert make_resident_id(seq=101) not in text and "陈美玲" not in text
    assert row["actor"] == actor_pseudonym(citizen) and row["actor"].startswith("u:")
    assert row["payload_sha256"] == payload_sha256({"id_number": make_resident_id(seq=101)})
    expected_leaf = merkle.leaf_hash(
        leaf_data(
            index=entry.index,
            at_us=entry.at_us,
            action="test.event",
            subject="x:1",
            actor=row["actor"],
            payload_sha256=row["payload_sha256"],
        )
    )
    assert row["leaf_hash"] == expected_leaf.hex()


def test_the_entry_rolls_back_with_the_business_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger_append(actor=None, action="test.event", subject="x:1", payload={})
        raise RuntimeError("the business change failed")
    assert Entry.objects.count() == 0
    assert selectors.log_size() == 0
    assert ledger_append(actor=None, action="test.event", subject="x:2", payload={}).index == 0


def test_payloads_are_canonical_and_refuse_floats():
    assert canonical_json({"b": 1, "a": "中"}) == '{"a":"中","b":1}'.encode()
    with pytest.raises(TypeError):
        payload_sha256({"fee": 1.5})


def test_agent_grant_and_revoke_are_logged(enterprise, agent):
    owner = enterprise.legal_representative.user
    record = EnterpriseAgent.objects.get(person=agent.person)
    assert [e.action for e in Entry.objects.all()] == ["enterprise.agent_granted"]
    from accounts.services import enterprise_agent_revoke

    enterprise_agent_revoke(actor=owner, agent=record)
    assert [(e.action, e.subject) for e in Entry.objects.all()] == [
        ("enterprise.agent_granted", f"accounts.enterpriseagent:{record.pk}"),
        ("enterprise.agent_revoked", f"accounts.enterpriseagent:{record.pk}"),
    ]


def test_checkpoint_is_signed_and_idempotent():
    ledger_append_many(actor=None, events=[("test.event", f"x:{i}", {"i": i}) for i in range(5)])
    first = checkpoint_publish()
    assert checkpoint_publish().pk == first.pk
    parsed = open_checkpoint(first.note, log_signer().verifier)
    assert (parsed.origin, parsed.size, parsed.root) == (
        "test.onestop.invalid/ledger",
        5,
        selectors.db_root(5),
    )


def test_demo_witness_cosigns_only_consistent_checkpoints():
    ledger_append_many(actor=None, events=[("test.event", f"x:{i}", {}) for i in range(3)])
    cp1 = checkpoint_publish()
    assert collect_cosignatures(cp1) == 1
    ledger_append_many(actor=None, events=[("test.event", f"y:{i}", {}) for i in range(4)])
    cp2 = checkpoint_publish()
    assert collect_cosignatures(cp2) == 1
    note = selectors.checkpoint_note_with_cosignatures(cp2)
    assert note.count("\n\u2014 ") == 2  # the log's signature and the witness's
