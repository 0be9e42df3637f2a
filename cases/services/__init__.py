"""Writes to cases. Every transition is one service: it checks permission, moves the state by
compare-and-set, records the event, and logs decisions to the transparency ledger."""

from __future__ import annotations

import time
import uuid
from typing import Any

import jsonschema
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import can_act_for_enterprise
from accounts.services import notify
from core.errors import Conflict, Forbidden, InvalidInput, NotFound, require
from core.uploads import CheckedUpload, check_upload
from core.workdays import add_working_days, working_days_between
from directory.models import Window
from directory.selectors import authority_list
from ledger.services import ledger_append, ledger_append_many
from licenses.selectors import license_types_issued_by
from licenses.services import consent_grant, license_fetch, license_issue
from ratings.services import event_close

from .. import instant, workflow
from ..fees import fees_load, form_schema  # noqa: F401  (fees_load: part of the write API)
from ..models import (
    Case,
    CaseEvent,
    CaseMaterial,
    Channel,
    Delivery,
    InstantDecision,
    InstantOutcome,
    MaterialSource,
    OrderStatus,
    Status,
    WorkItem,
    WorkItemStatus,
)
from ..permissions import (
    STEP_ROLES,
    can_add_material,
    can_take_in_at,
    can_take_in_at_outlet,
    can_work_on,
)
from ..receipts import receipt_number
from ..timelimits import (  # noqa: F401  (re-exported: part of the app's write API)
    alert_level,
    cases_check_deadlines,
    deadlines,
    demo_case_backdate,
)
from . import charges

# Channels where the applicant applies through their own account (a kiosk: signed in with
# an ID card at a self-service machine in a hall — one visit).
SELF_SERVICE = {Channel.ONLINE, Channel.MOBILE, Channel.KIOSK}
OUTCOMES: dict[str, dict[str, Any]] = {
    "accept": {"accepted": (True, False)},
    "review": {"supplement": (True, False)},
    "inspect": {},
    "decide": {"decision": ("approve", "reject")},
    "deliver": {},
}
TEXTS = {  # free-text answers a step takes, with their length limits
    "accept": {"reasons": 2000},
    "decide": {"reasons": 2000, "issued": 300},
    "deliver": {"tracking_no": 40},
}
APPLICANT_STEPS = {"supplement"}


def form_validate(*, item, data: dict) -> dict:
    """Check form data against the item's JSON Schema; InvalidInput names the field."""
    if not isinstance(data, dict):
        raise InvalidInput(_("The form must be an object."), field="form")
    validator = jsonschema.Draft202012Validator(form_schema(item))
    error = next(iter(sorted(validator.iter_errors(data), key=lambda e: list(e.path))), None)
    if error is not None:
        if error.validator == "required":
            name = error.message.split("'")[1]
            raise InvalidInput(_("This field is required."), field=f"form.{name}")
        name = ".".join(str(p) for p in error.path) or "form"
        raise InvalidInput(_("This value is not valid here."), field=f"form.{name}" if
                           error.path else "form")  # fmt: skip
    return data


def _responsible_authority(item):
    authority = authority_list(department=item.department.code).filter(region__level="city").first()
    if authority is None:
        raise InvalidInput(_("No authority handles this item yet."), field="item")
    return authority


@transaction.atomic
def case_submit(
    *,
    actor,
    item,
    form_data: dict,
    channel: str = Channel.ONLINE,
    enterprise=None,
    idempotency_key: str | None = None,
    uploads=(),
    delivery: str = Delivery.ELECTRONIC,
    delivery_address: str = "",
    consents=(),
) -> Case:
    """Apply online, by mobile or at a kiosk. Needs: a signed-in person (acting for
    ``enterprise`` if given). Every upload is checked before anything is written; the same
    idempotency key returns the same case. ``consents``: catalog materials whose e-license
    the applicant agrees the department fetch (免证办) instead of an upload.
    Records: submitted, material.added, material.fetched."""
    require(getattr(actor, "is_authenticated", False) and actor.is_person)
    if idempotency_key:
        existing = Case.objects.filter(applicant=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.item_id != item.pk:
                raise Conflict(_("This idempotency key was used for another application."))
            return existing
    _check_submission(actor, item, channel, enterprise)
    form_validate(item=item, data=form_data)
    delivery_fields = _delivery(delivery, delivery_address)
    checked = _check_uploads(item, uploads)
    run = workflow.start(workflow.process_for(item.kind))
    try:
        with transaction.atomic():
            case = _case_create(
                item=item, run=run, applicant=actor, enterprise=enterprise, channel=channel,
                form_data=form_data, idempotency_key=idempotency_key or "",
                visits=1 if channel == Channel.KIOSK else 0,
                is_demo=getattr(actor, "is_demo", False), **delivery_fields,
            )  # fmt: skip
    except IntegrityError:  # the same key, submitted concurrently: the first one wins
        if not idempotency_key:
            raise
        return Case.objects.get(applicant=actor, idempotency_key=idempotency_key)
    _open_work_items(case, run)
    CaseEvent.objects.create(case=case, actor=actor, action="submitted")
    _store_uploads(case, checked, actor)
    fetched = _fetch_licenses(case, actor, consents)
    if item.instant and instant.enabled():
        types = {m.material.license_type.code for m in fetched
                 if m.material is not None and m.material.license_type is not None}  # fmt: skip
        case = _instant(case, actor, types)
    return case


def _instant(case: Case, actor, fetched_types: set[str]) -> Case:
    """秒批: evaluate the item's decision table on the platform's own data; if every rule
    holds, the system accepts, reviews and approves in this transaction; otherwise the case
    waits for people as any other, with the explanation kept. Records: instant.approved or
    instant.referred; the decision and the inputs' hashes go to the ledger."""
    table = instant.table_for(case.item.code)
    if table is None:
        return case
    started = time.perf_counter()
    person = getattr(actor, "person", None)
    facts = instant.facts_for(person=person, fetched_types=fetched_types, table=table)
    lines = instant.evaluate(table, facts)
    approve = bool(lines) and all(line["passed"] is True for line in lines)
    outcome = InstantOutcome.APPROVED if approve else InstantOutcome.REFERRED
    decision = InstantDecision.objects.create(
        case=case, table=table.decision_id, version=table.version, rules=lines,
        inputs_sha256=instant.facts_digest(facts), outcome=outcome,
    )  # fmt: skip
    logged = ("case.instant_decision", case, {
        "receipt_no": case.receipt_no, "table": table.decision_id, "version": table.version,
        "outcome": outcome, "inputs_sha256": decision.inputs_sha256,
        "rules": [f"{line['rule']}={line['passed']}" for line in lines],
    })  # fmt: skip
    if not approve:
        ledger_append(actor=None, action=logged[0], subject=case, payload=logged[2])
        # Which rules did not hold is in the InstantDecision (shown as the explanation).
        CaseEvent.objects.create(case=case, action="instant.referred")
        return case
    case = _instant_approve(case, logged)
    InstantDecision.objects.filter(pk=decision.pk).update(
        decided_in_ms=int((time.perf_counter() - started) * 1000)
    )
    return case


INSTANT_STEPS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("accept", {"accepted": True}),
    ("review", {"supplement": False}),
    ("inspect", {}),
    ("decide", {"decision": "approve"}),
    ("deliver", {"tracking_no": ""}),
)


def _instant_approve(case: Case, logged: tuple) -> Case:
    """The system runs every step of the process in memory (accept, review, [inspect],
    decide, and electronic delivery), then saves the case once by compare-and-set, with one
    done work item and one history entry per step."""
    run = workflow.load(case.workflow_state)
    now = timezone.now()
    done: list[tuple[str, str]] = []
    changes: dict[str, Any] = {}
    order = charges.order_open(case)  # accepted by the system: the fees are due now
    unpaid = order is not None and order.status == OrderStatus.OPEN
    for step, answer in INSTANT_STEPS:
        if step == "deliver" and (case.delivery_method != Delivery.ELECTRONIC or unpaid):
            break
        ready = [task for task, name in workflow.ready_steps(run) if name == step]
        if not ready:
            continue
        workflow.complete(run, ready[0], answer)
        step_changes = _status_after(case, step, answer, workflow.end_state(run))
        for key, value in step_changes.items():
            setattr(case, key, value)
        changes.update(step_changes)
        done.append((ready[0], step))
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(
        workflow_state=workflow.dump(run), version=case.version + 1, **changes
    )
    if updated != 1:
        raise Conflict(_("This case moved on meanwhile; reload it."))
    WorkItem.objects.filter(case=case, status=WorkItemStatus.OPEN).update(
        status=WorkItemStatus.DONE, completed_at=now
    )
    existing = set(WorkItem.objects.filter(case=case).values_list("task_id", flat=True))
    WorkItem.objects.bulk_create([
        WorkItem(case=case, task_id=task, step=step, authority=case.authority,
                 role=STEP_ROLES[step], status=WorkItemStatus.DONE, completed_at=now)
        for task, step in done if task not in existing
    ])  # fmt: skip
    note = _("Instant approval")
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=case, action=f"{step}.done", note=note) for _task, step in done]
        + [CaseEvent(case=case, action="instant.approved")]
    )
    case = Case.objects.select_related("item", "authority").get(pk=case.pk)
    _open_work_items(case, run)  # a pickup or post delivery waits for a clerk
    _decided(case, None, also_log=[logged])
    if case.delivered_at is not None:  # delivered in memory with the other steps
        _invite_rating(case)
    return case


def _fetch_licenses(case: Case, actor, consents) -> list[CaseMaterial]:
    """Certificate-free processing: record the consent for this application and fetch each
    license from the registry for the responsible authority (logged for the holder)."""
    materials = {m.pk: m for m in case.item.materials.select_related("license_type")}
    rows = []
    for index, material in enumerate(consents):
        known = materials.get(getattr(material, "pk", -1))
        if known is None or known.license_type is None:
            raise InvalidInput(_("This material cannot be fetched from the e-license registry."),
                               field=f"consents.{index}")  # fmt: skip
        license_type = known.license_type
        holder = ({"holder_enterprise": case.enterprise} if license_type.holder_kind ==
                  "enterprise" else {"holder_person": getattr(actor, "person", None)})  # fmt: skip
        if None in holder.values():
            raise InvalidInput(_("You hold no e-license of this kind: upload it instead."),
                               field=f"consents.{index}")  # fmt: skip
        consent_grant(actor=actor, license_type=license_type, authority=case.authority,
                      case_ref=case.receipt_no)  # fmt: skip
        try:
            license = license_fetch(
                actor=None, authority=case.authority, license_type=license_type,
                case_ref=case.receipt_no, purpose=_("Application %s") % case.receipt_no,
                **holder,
            )  # fmt: skip
        except NotFound:
            raise InvalidInput(_("You hold no valid e-license of this kind: upload it instead."),
                               field=f"consents.{index}") from None  # fmt: skip
        rows.append(CaseMaterial.objects.create(
            case=case, material=known, name=known.name_zh[:300], source=MaterialSource.FETCHED,
            license_number=license.number, added_by=actor,
        ))  # fmt: skip
    if rows:
        CaseEvent.objects.create(case=case, actor=actor, action="material.fetched",
                                 note=", ".join(r.name for r in rows)[:1000])  # fmt: skip
    return rows


def _delivery(method: str, address: str) -> dict[str, str]:
    if method not in Delivery.values:
        raise InvalidInput(_("Choose how you want to receive the result."), field="delivery")
    address = (address or "").strip()
    if method == Delivery.POST and len(address) < 5:
        raise InvalidInput(_("Give the postal address for delivery by post."),
                           field="delivery_address")  # fmt: skip
    return {"delivery_method": method, "delivery_address": address[:300]}


def _check_uploads(item, uploads, field: str = "materials") -> list[tuple[Any, CheckedUpload]]:
    """Check every upload (content, type, size) before anything is written; errors name
    ``<field>.<index>`` (or ``field`` itself for a single upload named so)."""
    materials = {m.pk: m for m in item.materials.all()}
    checked = []
    for index, (material, upload) in enumerate(uploads):
        name = f"{field}.{index}" if field == "materials" else field
        if material is not None and materials.get(getattr(material, "pk", None)) is None:
            raise InvalidInput(_("This material does not belong to the service."), field=name)
        checked.append((material, check_upload(upload, field=name)))
    return checked


def _store_uploads(case: Case, checked, actor) -> list[CaseMaterial]:
    rows = []
    for material, upload in checked:
        row = CaseMaterial(
            case=case, material=material, source=MaterialSource.UPLOADED, added_by=actor,
            name=(material.name_zh if material is not None else upload.label)[:300],
            content_type=upload.content_type, suffix=upload.suffix, size=upload.size,
            sha256=upload.sha256,
        )  # fmt: skip
        row.file.save("upload", upload.file, save=False)
        row.save()
        rows.append(row)
    if rows:
        CaseEvent.objects.create(case=case, actor=actor, action="material.added",
                                 note=", ".join(r.name for r in rows)[:1000])  # fmt: skip
    return rows


@transaction.atomic
def case_material_add(*, actor, case: Case, upload, material=None) -> CaseMaterial:
    """Add one uploaded material to a case (the applicant while it waits for acceptance or
    supplementation; the staff working on it). Records: material.added."""
    require(can_add_material(actor, case))
    ((material, checked),) = _check_uploads(case.item, [(material, upload)], field="file")
    return _store_uploads(case, [(material, checked)], actor)[0]


def _case_create(*, item, run, **fields) -> Case:
    """Insert a case for ``item`` with its running workflow; the receipt number comes from
    the new row's id, so it is set right after the insert."""
    case = Case.objects.create(
        receipt_no=uuid.uuid4().hex[:18], item=item, authority=_responsible_authority(item),
        process=workflow.process_for(item.kind), workflow_state=workflow.dump(run),
        fee_cny=item.fee_cny, **fields,
    )  # fmt: skip
    case.receipt_no = receipt_number(timezone.localdate(), case.pk)
    case.save(update_fields=["receipt_no"])
    return case


def _accepted_today(item) -> dict[str, Any]:
    """The fields acceptance sets: status, the day, and the deadlines counted from it."""
    today = timezone.localdate()
    legal, promised = deadlines(item=item, accepted_on=today)
    return {"status": Status.UNDER_REVIEW, "accepted_on": today, "legal_due_on": legal,
            "promised_due_on": promised}  # fmt: skip


def _check_submission(actor, item, channel, enterprise) -> None:
    if not item.is_active:
        raise InvalidInput(_("This service is not offered."), field="item")
    if channel not in SELF_SERVICE or channel not in item.channels:
        raise InvalidInput(_("This service cannot be applied for on this channel."),
                           field="channel")  # fmt: skip
    if enterprise is not None:
        if not can_act_for_enterprise(actor, enterprise):
            raise Forbidden()
        if item.applicant == "person":
            raise InvalidInput(_("Only individuals apply for this service."), field="enterprise")
    elif item.applicant == "enterprise":
        raise InvalidInput(_("An enterprise applies for this service: choose which one."),
                           field="enterprise")  # fmt: skip


def _open_work_items(case: Case, run) -> None:
    for task_id, step in workflow.ready_steps(run):
        if step in APPLICANT_STEPS:
            continue
        WorkItem.objects.get_or_create(
            case=case, task_id=task_id,
            defaults={"step": step, "authority": case.authority, "role": STEP_ROLES[step]},
        )  # fmt: skip


@transaction.atomic
def work_item_claim(*, actor, work_item: WorkItem) -> WorkItem:
    """Take a work item from the inbox. Needs: the step's role at its authority. Exactly one
    claimant wins (compare-and-set)."""
    require(can_work_on(actor, work_item))
    moved = WorkItem.objects.filter(pk=work_item.pk, status=WorkItemStatus.OPEN).update(
        status=WorkItemStatus.CLAIMED, claimed_by=actor
    )
    if moved != 1:
        raise Conflict(_("Someone else has already taken this task."))
    CaseEvent.objects.create(
        case_id=work_item.case_id, actor=actor, action=f"{work_item.step}.claimed"
    )
    return WorkItem.objects.get(pk=work_item.pk)


@transaction.atomic
def work_item_release(*, actor, work_item: WorkItem) -> WorkItem:
    """Put a claimed work item back in the inbox. Needs: being its claimant."""
    moved = WorkItem.objects.filter(
        pk=work_item.pk, status=WorkItemStatus.CLAIMED, claimed_by=actor
    ).update(status=WorkItemStatus.OPEN, claimed_by=None)
    if moved != 1:
        raise Conflict(_("Only the person who took this task can give it back."))
    return WorkItem.objects.get(pk=work_item.pk)


def _allowed(allowed: dict[str, Any], outcome: dict) -> dict:
    for key in outcome:
        if key not in allowed:
            raise InvalidInput(_("This step does not take that answer."), field=f"outcome.{key}")
    for key, values in allowed.items():
        if outcome.get(key) not in values:
            raise InvalidInput(_("Choose one of the allowed answers."), field=f"outcome.{key}")
    return outcome


def _texts(step: str, outcome: dict) -> tuple[dict, dict]:
    """Split the free-text answers (reasons, what is issued, tracking number) from the rest."""
    answer, texts = dict(outcome), {}
    for key, limit in TEXTS.get(step, {}).items():
        value = answer.pop(key, "")
        if not isinstance(value, str) or len(value) > limit:
            raise InvalidInput(_("This value is not valid here."), field=f"outcome.{key}")
        texts[key] = value.strip()
    return answer, texts


def _outcome(step: str, outcome: dict, case: Case) -> dict:
    """Check a step's answer. A refusal or rejection states its reasons; a review asking for
    supplementation lists everything missing; delivery by post carries its tracking number."""
    allowed = OUTCOMES.get(step, {})
    if step != "review":
        answer, texts = _texts(step, outcome)
        _allowed(allowed, answer)
        says_no = answer.get("accepted") is False or answer.get("decision") == "reject"
        if says_no and not texts.get("reasons"):
            raise InvalidInput(_("Give the reasons, so the applicant knows why."),
                               field="outcome.reasons")  # fmt: skip
        if step == "deliver" and case.delivery_method == Delivery.POST and not texts["tracking_no"]:
            raise InvalidInput(_("Give the tracking number of the post."),
                               field="outcome.tracking_no")  # fmt: skip
        return {**answer, **texts}
    answer = {"supplement": False, **outcome}
    missing = answer.pop("missing", None)
    _allowed(allowed, answer)
    if not answer["supplement"]:
        return answer
    if (
        not isinstance(missing, list)
        or not missing
        or not all(isinstance(m, str) and m.strip() for m in missing)
    ):
        raise InvalidInput(_("List everything that is missing, at once."), field="outcome.missing")
    return {**answer, "missing": [m.strip()[:200] for m in missing][:50]}


@transaction.atomic
def work_item_complete(*, actor, work_item: WorkItem, outcome: dict, note: str = "") -> Case:
    """Finish a claimed step (accept, review, inspect, decide) and move the case on.
    Needs: being the claimant. Records: <step>.done; logs decisions to the ledger."""
    case = Case.objects.select_related("item").get(pk=work_item.case_id)
    data = _outcome(work_item.step, outcome, case)
    if work_item.step == "deliver" and not charges.order_settled(case):
        raise Conflict(_("The fees are not paid yet: the result waits for the payment."))
    moved = WorkItem.objects.filter(
        pk=work_item.pk, status=WorkItemStatus.CLAIMED, claimed_by=actor
    ).update(status=WorkItemStatus.DONE, completed_at=timezone.now())
    if moved != 1:
        raise Conflict(_("Take the task before finishing it, or it was finished already."))
    was_final = case.is_final
    case = _advance(case, actor, work_item.task_id, work_item.step, data, note)
    if case.is_final and not was_final:
        _decided(case, actor)
    return case


def _advance(case: Case, actor, task_id: str, step: str, data: dict, note: str) -> Case:
    """Complete one workflow task and save the case by compare-and-set on its version."""
    run = workflow.load(case.workflow_state)
    workflow.complete(run, task_id, data)
    changes = _status_after(case, step, data, workflow.end_state(run))
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(
        workflow_state=workflow.dump(run), version=case.version + 1, **changes
    )
    if updated != 1:
        raise Conflict(_("This case moved on meanwhile; reload it."))
    case.refresh_from_db()
    _open_work_items(case, run)
    CaseEvent.objects.create(case=case, actor=actor, action=f"{step}.done", note=note)
    if step == "accept" and data.get("accepted"):
        charges.order_open(case)
    if step == "review" and data.get("supplement"):
        notify(user=case.applicant, url=f"/cases/{case.receipt_no}/", sms=True,
               subject=gettext_lazy("%(receipt)s: please supply the missing materials"),
               body=gettext_lazy("The department has listed everything it still needs. The "
                                 "time limit is paused until you supply it."),
               params={"receipt": case.receipt_no})  # fmt: skip
    if step == "deliver":
        notify(user=case.applicant, url=f"/cases/{case.receipt_no}/",
               subject=gettext_lazy("%(receipt)s: the result has been delivered"),
               params={"receipt": case.receipt_no})  # fmt: skip
        _invite_rating(case)
    return case


def _invite_rating(case: Case) -> None:
    """好差评: a closed case is a service event its applicant is invited to rate; the hall,
    window and staff member who served are recorded with it (the intake clerk at a window,
    else whoever decided)."""
    window = (Window.objects.select_related("hall").filter(pk=case.window_id).first()
              if case.window_id else None)  # fmt: skip
    staff = case.intake_by_id or (WorkItem.objects.filter(case=case, step="decide")
                                  .values_list("claimed_by", flat=True).first())  # fmt: skip
    event_close(
        kind="case", ref=case.receipt_no, person=case.applicant, service_name=case.item.name_zh,
        authority=case.authority, channel="hall" if case.window_id or case.outlet_id else "online",
        hall=window.hall if window else None, window=window, staff_id=staff, is_demo=case.is_demo,
    )  # fmt: skip


def _decided(case: Case, actor, also_log: list | None = None) -> None:
    """A decision was made: tell the applicant, deliver at once when the result goes to the
    applicant's account, and log it to the ledger (with ``also_log``, under one lock) as the
    last write, so the ledger's lock is held as briefly as possible before the commit."""
    decision = (f"case.{case.status}", case, {
        "receipt_no": case.receipt_no, "item": case.item.code, "authority": case.authority_id,
        "status": case.status})  # fmt: skip
    notify(user=case.applicant, url=f"/cases/{case.receipt_no}/", sms=True,
           subject=gettext_lazy("%(receipt)s: decision made — %(status)s"),
           params={"receipt": case.receipt_no, "status": case.get_status_display()})  # fmt: skip
    if case.status == Status.APPROVED:
        _issue_licenses(case, actor)
        _deliver_electronically(case, actor)
    else:
        charges.order_close_for_case(case)
        if case.status in (Status.REJECTED, Status.REFUSED):
            _invite_rating(case)  # a refusal is a service too, and rated
    ledger_append_many(actor=actor, events=[*(also_log or []), decision])


def _deliver_electronically(case: Case, actor) -> None:
    """Deliver an approved result to the applicant's account — once its fees are settled."""
    if case.delivery_method != Delivery.ELECTRONIC or not charges.order_settled(case):
        return
    run = workflow.load(case.workflow_state)
    ready = [task for task, step in workflow.ready_steps(run) if step == "deliver"]
    if ready:
        WorkItem.objects.filter(case=case, task_id=ready[0]).update(
            status=WorkItemStatus.DONE, completed_at=timezone.now(), claimed_by=actor
        )
        _advance(case, actor, ready[0], "deliver", {"tracking_no": ""},
                 _("Delivered to the applicant's account."))  # fmt: skip


def deliver_when_paid(case: Case) -> None:
    """The fees of ``case`` were just settled: a result waiting for them goes out."""
    case = Case.objects.select_related("item", "authority").get(pk=case.pk)
    if case.status == Status.APPROVED and case.delivered_at is None:
        _deliver_electronically(case, None)


def _status_after(case: Case, step: str, data: dict, end: str | None) -> dict:
    changes: dict[str, Any] = {}
    if step == "review" and data.get("supplement"):
        changes.update(status=Status.SUPPLEMENTATION, missing=data["missing"],
                       paused_on=timezone.localdate())  # fmt: skip
    if step == "accept":
        if data["accepted"]:
            changes.update(_accepted_today(case.item))
        else:
            changes.update(status=Status.REFUSED, decided_at=timezone.now(),
                           decision_reasons=data["reasons"])  # fmt: skip
    if step == "decide":
        approved = data["decision"] == "approve"
        changes.update(
            status=Status.APPROVED if approved else Status.REJECTED, decided_at=timezone.now(),
            decision_reasons=data.get("reasons", ""), issued=data.get("issued", "") if approved
            else "", alert="", working_days_used=_working_days_used(case),
        )  # fmt: skip
    if step == "deliver":
        changes.update(delivered_at=timezone.now(), tracking_no=data.get("tracking_no", ""))
        if case.delivery_method == Delivery.PICKUP:
            changes["visits"] = F("visits") + 1  # collecting the result is a visit
    if end is not None and "status" not in changes and not case.is_final:
        changes.update(status=Status(end), decided_at=timezone.now())
    return changes


def _issue_licenses(case: Case, actor) -> None:
    """An approval of an item that yields a license issues it, signed, into the holder's
    wallet (a person's license to the applicant, an enterprise's to the enterprise)."""
    numbers = []
    for license_type in license_types_issued_by(item_code=case.item.code):
        person = getattr(case.applicant, "person", None)
        holder: dict[str, Any]
        fields: dict[str, Any] = {}
        if license_type.holder_kind == "enterprise":
            if case.enterprise is None:
                continue
            holder = {"holder_enterprise": case.enterprise}
            fields = {"uscc": case.enterprise.uscc, "businessName": case.enterprise.name}
        else:
            holder = {"holder_person": person}
        for key in ("address", "business_scope"):
            if case.form_data.get(key):
                fields["scope" if key == "business_scope" else key] = case.form_data[key]
        license = license_issue(
            actor=actor,
            authority=case.authority,
            license_type=license_type,
            fields=fields,
            case_ref=case.receipt_no,
            is_demo=case.is_demo,
            **holder,
        )
        numbers.append(f"{license_type.name_zh} {license.number}")
    if numbers:
        issued = "; ".join([case.issued, *numbers] if case.issued else numbers)[:300]
        Case.objects.filter(pk=case.pk).update(issued=issued)
        case.issued = issued


def _working_days_used(case: Case) -> int | None:
    """Working days from acceptance to today, less the days the clock stood still."""
    if case.accepted_on is None:
        return None
    used = working_days_between(case.accepted_on, timezone.localdate()) - case.paused_days
    return max(used, 0)


@transaction.atomic
def case_supplement(*, actor, case: Case, form_data: dict | None = None, note: str = "",
                    uploads=()) -> Case:  # fmt: skip
    """补正: the applicant supplies what the one-time notice listed; the clock resumes, the
    deadlines move by the working days it stood still. Needs: being the applicant.
    Records: material.added, supplemented."""
    require(case.applicant_id == getattr(actor, "pk", None))
    if case.status != Status.SUPPLEMENTATION:
        raise Conflict(_("Nothing is waiting for supplementation on this case."))
    if form_data is not None:
        form_validate(item=case.item, data=form_data)
    checked = _check_uploads(case.item, uploads)
    run = workflow.load(case.workflow_state)
    ((task_id, _step),) = [r for r in workflow.ready_steps(run) if r[1] == "supplement"]
    workflow.complete(run, task_id, {"supplement": False})
    today = timezone.localdate()
    paused = working_days_between(case.paused_on or today, today)
    changes: dict[str, Any] = {
        "status": Status.UNDER_REVIEW, "paused_on": None, "missing": [],
        "workflow_state": workflow.dump(run), "version": case.version + 1,
        "paused_days": case.paused_days + paused,
    }  # fmt: skip
    if form_data is not None:
        changes["form_data"] = form_data
    if case.legal_due_on:
        changes["legal_due_on"] = add_working_days(case.legal_due_on, paused)
    if case.promised_due_on:
        changes["promised_due_on"] = add_working_days(case.promised_due_on, paused)
    moved = Case.objects.filter(
        pk=case.pk, version=case.version, status=Status.SUPPLEMENTATION
    ).update(**changes)
    if moved != 1:
        raise Conflict(_("This case moved on meanwhile; reload it."))
    case.refresh_from_db()
    _store_uploads(case, checked, actor)
    _open_work_items(case, run)
    CaseEvent.objects.create(case=case, actor=actor, action="supplemented", note=note)
    return case


@transaction.atomic
def case_intake(*, actor, item, applicant, form_data: dict, window=None, outlet=None,
                enterprise=None, shown=(), uploads=(), delivery: str = Delivery.PICKUP,
                delivery_address: str = "") -> Case:  # fmt: skip
    """Take a walk-in's application in person and accept it on the spot.

    一窗受理 at a hall: a clerk at a comprehensive intake ``window`` takes any department's
    item; the case goes on to that department's review inbox. At a bank ``outlet``: its staff
    take the items offered at bank outlets. ``shown`` lists the catalog materials whose
    originals were seen at the counter. Needs: can_take_in_at / can_take_in_at_outlet.
    Records: submitted, accept.done, material.added; one visit."""
    if (window is None) == (outlet is None):
        raise InvalidInput(_("Say where the application is taken: a window or an outlet."),
                           field="window")  # fmt: skip
    if window is not None:
        require(can_take_in_at(actor, window))
        channel = Channel.HALL
    else:
        require(can_take_in_at_outlet(actor, outlet))
        channel = Channel.BANK_OUTLET
    if not item.is_active or channel not in item.channels:
        raise InvalidInput(_("This service cannot be applied for on this channel."),
                           field="item")  # fmt: skip
    if enterprise is not None:
        if item.applicant == "person":
            raise InvalidInput(_("Only individuals apply for this service."), field="enterprise")
        if not can_act_for_enterprise(applicant.user, enterprise):
            raise InvalidInput(_("This person does not act for the enterprise."),
                               field="enterprise")  # fmt: skip
    elif item.applicant == "enterprise":
        raise InvalidInput(_("An enterprise applies for this service: choose which one."),
                           field="enterprise")  # fmt: skip
    form_validate(item=item, data=form_data)
    delivery_fields = _delivery(delivery, delivery_address)
    checked = _check_uploads(item, uploads)
    materials = {m.pk: m for m in item.materials.all()}
    shown = list(shown)
    for index, material in enumerate(shown):
        if materials.get(getattr(material, "pk", None)) is None:
            raise InvalidInput(_("This material does not belong to the service."),
                               field=f"shown.{index}")  # fmt: skip
    run = workflow.start(workflow.process_for(item.kind))
    ((task_id, _step),) = workflow.ready_steps(run)
    workflow.complete(run, task_id, {"accepted": True})
    case = _case_create(
        item=item, run=run, applicant=applicant.user, enterprise=enterprise, channel=channel,
        window=window, outlet=outlet, intake_by=actor, form_data=form_data, visits=1,
        is_demo=applicant.user.is_demo, **_accepted_today(item), **delivery_fields,
    )  # fmt: skip
    _open_work_items(case, run)
    CaseEvent.objects.bulk_create([
        CaseEvent(case=case, actor=actor, action="submitted", note=str(window or outlet)),
        CaseEvent(case=case, actor=actor, action="accept.done"),
    ])  # fmt: skip
    CaseMaterial.objects.bulk_create([
        CaseMaterial(case=case, material=m, name=m.name_zh[:300], source=MaterialSource.SHOWN,
                     added_by=actor) for m in shown
    ])  # fmt: skip
    _store_uploads(case, checked, actor)
    if window is not None:  # 一次一评: the visit itself is rated on the window's pad
        event_close(kind="hall_visit", ref=f"{case.receipt_no}-V", person=case.applicant,
                    service_name=item.name_zh, authority=case.authority, channel="hall",
                    hall=window.hall, window=window, staff=actor, notify=False,
                    is_demo=case.is_demo)  # fmt: skip
    return case


def case_intake_at_window(*, actor, window, item, applicant, form_data: dict, **more) -> Case:
    """一窗受理 at a hall's comprehensive intake window (see case_intake)."""
    return case_intake(actor=actor, window=window, item=item, applicant=applicant,
                       form_data=form_data, **more)  # fmt: skip


@transaction.atomic
def case_withdraw(*, actor, case: Case, reason: str = "") -> Case:
    """撤回: the applicant withdraws an application before it is decided. Needs: being the
    applicant. Open tasks close; fees paid are refunded in full, an unpaid order is cancelled.
    Records: withdrawn; the ledger gets case.withdrawn."""
    require(case.applicant_id == getattr(actor, "pk", None))
    if case.is_final:
        raise Conflict(_("This application has been decided and can no longer be withdrawn."))
    reason = (reason or "").strip()[:2000]
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(
        status=Status.WITHDRAWN, decided_at=timezone.now(), alert="", decision_reasons=reason,
        paused_on=None, version=case.version + 1,
    )  # fmt: skip
    if updated != 1:
        raise Conflict(_("This case moved on meanwhile; reload it."))
    WorkItem.objects.filter(case=case).exclude(status=WorkItemStatus.DONE).update(
        status=WorkItemStatus.DONE, completed_at=timezone.now()
    )
    CaseEvent.objects.create(case=case, actor=actor, action="withdrawn", note=reason)
    case.refresh_from_db()
    charges.order_close_for_case(case)
    ledger_append(actor=actor, action="case.withdrawn", subject=case, payload={
        "receipt_no": case.receipt_no, "item": case.item.code, "status": case.status})  # fmt: skip
    return case
