"""秒批: instant approval by DMN decision tables (cases/decisions/<item>.dmn, drawn in or
readable by bpmn.io's DMN editor), evaluated by SpiffWorkflow's DMN engine over facts the
platform gathers itself: the applicant's age from the identity number, residence from the
account, e-licenses fetched from the registry with the applicant's consent.

Each table has hit policy COLLECT and two rows per rule (it holds / it does not); the
outputs are the rule's id and whether it passed. Every rule of the table must pass for an
approval; a failing rule, or one that could not be checked (missing data), sends the case to
a human reviewer — never an automatic refusal.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser

from core.ids import IdType, birth_date_of

from .workflow import ENGINE

DECISIONS = Path(__file__).parent / "decisions"
CITY_PREFIX = "4407"  # Jiangmen's area code prefix (GB/T 2260)


@dataclass(frozen=True)
class Rule:
    label: object
    source: object


RULES: dict[str, Rule] = {
    "adult": Rule(_("The applicant is 18 or older"),
                  _("Date of birth in the applicant's identity number")),
    "in_city": Rule(_("The applicant lives in the city"),
                    _("Region of residence in the applicant's account, else the area code of "
                      "the identity number")),
}  # fmt: skip


def license_rule(code: str) -> str:
    return f"license_{code}"


def rule_label(rule_id: str, license_names: dict[str, str]) -> tuple[str, str]:
    """(what was checked, which source answered) in the reader's language."""
    if rule_id in RULES:
        return str(RULES[rule_id].label), str(RULES[rule_id].source)
    code = rule_id.removeprefix("license_")
    return (str(_("Holds a valid “%(name)s”")) % {"name": license_names.get(code, code)},
            str(_("E-license registry, with the applicant's consent")))  # fmt: skip


@dataclass(frozen=True)
class Table:
    item: str
    decision_id: str
    name: str
    version: str
    rules: tuple[str, ...]
    table: Any  # SpiffWorkflow's DecisionTable


@cache
def table_for(item_code: str) -> Table | None:
    path = DECISIONS / f"{item_code}.dmn"
    if not path.exists():
        return None
    parser = BpmnDmnParser()
    parser.add_dmn_file(str(path))
    ((decision_id, dmn),) = parser.dmn_parsers.items()
    dmn.parse()
    table = dmn.decision.decisionTables[0]
    rules = tuple(dict.fromkeys(
        json.loads(rule.outputEntries[0].text.strip()) for rule in table.rules))  # fmt: skip
    version = re.search(r"v(\d+)$", dmn.decision.name or "")
    return Table(
        item=item_code,
        decision_id=decision_id,
        name=dmn.decision.name,
        version=version.group(1) if version else "1",
        rules=rules,
        table=table,
    )


def evaluate(table: Table, facts: dict) -> list[dict]:
    """One line per rule of the table: passed True/False, or None when it could not be
    checked (its input was missing)."""
    import copy

    # Rows that test an input the platform could not establish are left out: their rule then
    # has no outcome ("not checked"), which sends the case to a person.
    runnable = copy.copy(table.table)
    runnable.rules = [
        rule for rule in table.table.rules
        if all(entry.input.expression in facts for entry in rule.inputEntries
               if any(lhs not in (None, "") for lhs in entry.lhs))
    ]  # fmt: skip
    task = SimpleNamespace(data=dict(facts), workflow=SimpleNamespace(script_engine=ENGINE))
    result = DMNEngine(runnable).result(task)
    outcome = dict(zip(result.get("rule", []), result.get("passed", []), strict=True))
    return [{"rule": rule, "passed": outcome.get(rule)} for rule in table.rules]


def age_of(person) -> int | None:
    """Age today from the date of birth in a resident ID number (None if not known)."""
    if person is None or person.id_type != IdType.RESIDENT_ID:
        return None
    born = birth_date_of(person.id_number)
    if born is None:
        return None
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def facts_for(*, person, fetched_types: set[str], table: Table) -> dict:
    """The inputs the table asks for, gathered from the platform's own records. A fact the
    platform cannot establish is left out, so its rule cannot pass."""
    facts: dict = {}
    if "adult" in table.rules:
        age = age_of(person)
        if age is not None:
            facts["age"] = age
    if "in_city" in table.rules and person is not None:
        if person.region_id is not None:
            facts["in_city"] = person.region.code.startswith(CITY_PREFIX)
        elif person.id_type == IdType.RESIDENT_ID:
            facts["in_city"] = person.id_number.startswith(CITY_PREFIX)
    for rule in table.rules:
        if rule.startswith("license_"):
            code = rule.removeprefix("license_")
            if code in fetched_types:
                facts[f"has_{code}"] = True
    return facts


def facts_digest(facts: dict) -> dict[str, str]:
    """SHA-256 of each input (for the ledger: what was decided on, without the data)."""
    return {key: hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()
            for key, value in sorted(facts.items())}  # fmt: skip


def enabled() -> bool:
    return getattr(settings, "CASES_INSTANT", True)
