import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_batch_search_writes_top_ten_codes_per_query(tmp_path):
    source = tmp_path / "in.jsonl"
    rows = [{"id": "a", "query": "开饭馆"}, {"id": 7, "query": "😀"}, {"id": "c", "query": ""},
            {"id": "d", "query": "长" * 5000}]  # fmt: skip
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    target = tmp_path / "out.jsonl"
    call_command("catalog_search", input=str(source), output=str(target), stderr=io.StringIO())
    out = [json.loads(line) for line in target.read_text().splitlines()]
    assert [o["id"] for o in out] == ["a", 7, "c", "d"]
    assert out[0]["codes"][0] == "SAMR-0008" and len(out[0]["codes"]) == 10
    assert out[1]["codes"] == [] and out[2]["codes"] == []


def test_batch_search_names_a_bad_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"query": "x"}\n')
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="line 1"):
        call_command("catalog_search", input=str(source), output=str(tmp_path / "o"),
                     stderr=io.StringIO())  # fmt: skip


def test_load_catalog_command_is_idempotent():
    out = io.StringIO()
    call_command("load_catalog", stdout=out)
    assert "235 items" in out.getvalue()
    call_command("load_catalog", "--reindex-only", stdout=out)
    assert "rebuilt: 235" in out.getvalue()
