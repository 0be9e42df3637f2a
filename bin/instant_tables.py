"""Write cases/decisions/<item>.dmn for every instant-eligible item of the bundled catalog.

Each table checks, for a person's application, that the applicant is an adult and lives in
the city; for an enterprise's, that the enterprise holds a valid business licence; and for
every required material an e-license can replace, that the applicant holds it (fetched with
consent). Tables are plain DMN 1.3: open them in bpmn.io's DMN editor, edit,
and bump the version at the end of the decision's name ("… v2"); this script only writes
tables that do not exist yet, so edited ones are kept. Usage: python bin/instant_tables.py
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "cases" / "decisions"
NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"
OWN = "https://onestop.invalid/dmn/instant"


def rules_for(item: dict) -> list[tuple[str, str, str, str, str]]:
    """(rule id, input name, type, passing entry, failing entry)."""
    rules = []
    if item["applicant"] in ("person", "both"):
        rules.append(("adult", "age", "number", ">= 18", "< 18"))
        rules.append(("in_city", "in_city", "boolean", "True", "False"))
    if item["applicant"] == "enterprise":
        rules.append(("license_business_license", "has_business_license", "boolean", "True",
                      "False"))  # fmt: skip
    for material in item["materials"]:
        code = material.get("e_license")
        if code and material.get("required", True):
            rules.append((f"license_{code}", f"has_{code}", "boolean", "True", "False"))
    return list(dict.fromkeys(rules))


def table(item: dict) -> str:
    code = item["code"]
    ident = code.replace("-", "_")
    rules = rules_for(item)
    inputs = "\n".join(
        f'      <input id="in_{n}" label="{escape(name)}"><inputExpression id="ie_{n}" '
        f'typeRef="{kind}"><text>{escape(name)}</text></inputExpression></input>'
        for n, (_rule, name, kind, _ok, _no) in enumerate(rules)
    )
    rows = []
    for n, (rule, _name, _kind, ok, no) in enumerate(rules):
        for suffix, entry, passed in (("ok", ok, "True"), ("no", no, "False")):
            cells = "".join(
                f'<inputEntry id="r{n}{suffix}_{m}"><text>{escape(entry) if m == n else ""}'
                f"</text></inputEntry>"
                for m in range(len(rules))
            )
            rows.append(
                f'      <rule id="r{n}_{suffix}">{cells}'
                f'<outputEntry id="r{n}{suffix}_rule"><text>"{rule}"</text></outputEntry>'
                f'<outputEntry id="r{n}{suffix}_passed"><text>{passed}</text></outputEntry></rule>'
            )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="{NS}" id="defs_{ident}" name="{code} instant approval" namespace="{OWN}">
  <decision id="instant_{ident}" name="{escape(item["name_zh"])} 秒批 v1">
    <decisionTable id="table_{ident}" hitPolicy="COLLECT">
{inputs}
      <output id="out_rule" name="rule" typeRef="string"/>
      <output id="out_passed" name="passed" typeRef="boolean"/>
{chr(10).join(rows)}
    </decisionTable>
  </decision>
</definitions>
"""


def main() -> None:
    items = json.loads((ROOT / "catalog" / "data" / "catalog.json").read_text("utf-8"))["items"]
    OUT.mkdir(exist_ok=True)
    written = 0
    for item in items:
        if not item.get("instant"):
            continue
        path = OUT / f"{item['code']}.dmn"
        if path.exists():
            continue
        path.write_text(table(item), encoding="utf-8")
        written += 1
    print(f"{written} table(s) written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
