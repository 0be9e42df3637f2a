"""Writes to cases. Every transition is one service: it checks permission, moves the state by
compare-and-set, records the event, and logs decisions to the transparency ledger."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import jsonschema
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can_act_for_enterprise
from catalog.selectors import item_form_schema
from core.errors import Conflict, Forbidden, InvalidInput, require
from core.workdays import add_working_days, working_days_between
from directory.selectors import authority_list
from ledger.services import ledger_append

from . import workflow
from .models import Case, CaseEvent, Channel, Status, WorkItem, WorkItemStatus
from .permissions import STEP_ROLES, can_take_in_at, can_work_on
from .receipts import receipt_number

SELF_SERVICE = {Channel.ONLINE, Channel.MOBILE}
OUTCOMES: dict[str, dict[str, Any]] = {
    "accept": {"accepted": (True, False)},
    "review": {"supplement": (True, False)},
    "decide": {"decision": ("approve", "reject")},
}
APPLICANT_STEPS = {"supplement"}


def form_validate(*, item, data: dict) -> dict:
    """Check form data against the item's JSON Schema; InvalidInput names the field."""
    if not isinstance(data, dict):
        raise InvalidInput(_("The form must be an object."), field="form")
    validator = jsonschema.Draft202012Validator(item_form_schema(item=item))
    error = next(iter(sorted(validator.iter_errors(data), key=lambda e: list(e.path))), None)
    if error is not None:
        if error.validator == "required":
            name = error.message.split("'")[1]
            raise InvalidInput(_("This field is required."), field=f"form.{name}")
        name = ".".join(str(p) for p in error.path) or "form"
        raise InvalidInput(_("This value is not valid here."), field=f"form.{name}" if
                           error.path else "form")  # fmt: skip
    return data


def deadlines(*, item, accepted_on: dt.date) -> tuple[dt.date | None, dt.date]:
    """Legal and promised deadlines in working days from the day of acceptance."""
    legal = (
        add_working_days(accepted_on, item.legal_limit_days)
        if item.legal_limit_days is not None
        else None
    )
    return legal, add_working_days(accepted_on, item.promised_limit_days)


def _responsible_authority(item):
    authority = authority_list(department=item.department.code).filter(region__level="city").first()
    if authority is None:
        raise InvalidInput(_("No authority handles this item yet."), field="item")
    return authority


@transaction.atomic
def case_submit(*, actor, item, form_data: dict, channel: str = Channel.ONLINE,
                enterprise=None, idempotency_key: str | None = None) -> Case:  # fmt: skip
    """Apply online or by mobile. Needs: a signed-in person (acting for ``enterprise`` if
    given). The same idempotency key returns the same case. Records: case.submitted."""
    require(getattr(actor, "is_authenticated", False) and actor.is_person)
    if idempotency_key:
        existing = Case.objects.filter(applicant=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.item_id != item.pk:
                raise Conflict(_("This idempotency key was used for another application."))
            return existing
    _check_submission(actor, item, channel, enterprise)
    form_validate(item=item, data=form_data)
    run = workflow.start(workflow.process_for(item.kind))
    try:
        with transaction.atomic():
            case = _case_create(
                item=item, run=run, applicant=actor, enterprise=enterprise, channel=channel,
                form_data=form_data, idempotency_key=idempotency_key or "",
                is_demo=getattr(actor, "is_demo", False),
            )  # fmt: skip
    except IntegrityError:  # the same key, submitted concurrently: the first one wins
        if not idempotency_key:
            raise
        return Case.objects.get(applicant=actor, idempotency_key=idempotency_key)
    _open_work_items(case, run)
    CaseEvent.objects.create(case=case, actor=actor, action="submitted")
    return case


def _case_create(*, item, run, **fields) -> Case:
    """Insert a case for ``item`` with its running workflow; the receipt number comes from
    the new row's id, so it is set right after the insert."""
    case = Case.objects.create(
        receipt_no=uuid.uuid4().hex[:18], item=item, authority=_responsible_authority(item),
        process=workflow.process_for(item.kind), workflow_state=workflow.dump(run), **fields,
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


def _outcome(step: str, outcome: dict) -> dict:
    """Check a step's answer; a review asking for supplementation lists what is missing."""
    allowed = OUTCOMES.get(step, {})
    if step != "review":
        return _allowed(allowed, outcome)
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
    data = _outcome(work_item.step, outcome)
    moved = WorkItem.objects.filter(
        pk=work_item.pk, status=WorkItemStatus.CLAIMED, claimed_by=actor
    ).update(status=WorkItemStatus.DONE, completed_at=timezone.now())
    if moved != 1:
        raise Conflict(_("Take the task before finishing it, or it was finished already."))
    case = Case.objects.select_related("item").get(pk=work_item.case_id)
    run = workflow.load(case.workflow_state)
    workflow.complete(run, work_item.task_id, data)
    changes = _status_after(case, work_item.step, data, workflow.end_state(run))
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(
        workflow_state=workflow.dump(run), version=case.version + 1, **changes
    )
    if updated != 1:
        raise Conflict(_("This case moved on meanwhile; reload it."))
    case.refresh_from_db()
    _open_work_items(case, run)
    CaseEvent.objects.create(case=case, actor=actor, action=f"{work_item.step}.done", note=note)
    if case.is_final:
        ledger_append(actor=actor, action=f"case.{case.status}", subject=case,
                      payload={"receipt_no": case.receipt_no, "item": case.item.code,
                               "authority": case.authority_id, "status": case.status})  # fmt: skip
    return case


def _status_after(case: Case, step: str, data: dict, end: str | None) -> dict:
    changes: dict[str, Any] = {}
    if step == "review" and data.get("supplement"):
        changes.update(status=Status.SUPPLEMENTATION, missing=data["missing"],
                       paused_on=timezone.localdate())  # fmt: skip
    if step == "accept" and data["accepted"]:
        changes.update(_accepted_today(case.item))
    if end is not None:
        changes.update(status=Status(end), decided_at=timezone.now())
    return changes


@transaction.atomic
def case_supplement(*, actor, case: Case, form_data: dict | None = None, note: str = "") -> Case:
    """补正: the applicant supplies what the one-time notice listed; the clock resumes, the
    deadlines move by the working days it stood still. Needs: being the applicant."""
    require(case.applicant_id == getattr(actor, "pk", None))
    if case.status != Status.SUPPLEMENTATION:
        raise Conflict(_("Nothing is waiting for supplementation on this case."))
    if form_data is not None:
        form_validate(item=case.item, data=form_data)
    run = workflow.load(case.workflow_state)
    ((task_id, _step),) = [r for r in workflow.ready_steps(run) if r[1] == "supplement"]
    workflow.complete(run, task_id, {"supplement": False})
    today = timezone.localdate()
    paused = working_days_between(case.paused_on or today, today)
    changes: dict[str, Any] = {
        "status": Status.UNDER_REVIEW, "paused_on": None, "missing": [],
        "workflow_state": workflow.dump(run), "version": case.version + 1,
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
    _open_work_items(case, run)
    CaseEvent.objects.create(case=case, actor=actor, action="supplemented", note=note)
    return case


@transaction.atomic
def case_intake_at_window(*, actor, window, item, applicant, form_data: dict) -> Case:
    """一窗受理: a clerk at a comprehensive intake window takes a walk-in's application for
    any department's item and accepts it on the spot; it goes on to that department's
    review inbox. Needs: can_take_in_at. Records: submitted, accept.done; one visit."""
    require(can_take_in_at(actor, window))
    if not item.is_active or Channel.HALL not in item.channels:
        raise InvalidInput(_("This service cannot be applied for on this channel."),
                           field="item")  # fmt: skip
    if item.applicant == "enterprise":
        raise InvalidInput(_("An enterprise applies for this service: choose which one."),
                           field="item")  # fmt: skip
    form_validate(item=item, data=form_data)
    run = workflow.start(workflow.process_for(item.kind))
    ((task_id, _step),) = workflow.ready_steps(run)
    workflow.complete(run, task_id, {"accepted": True})
    case = _case_create(
        item=item, run=run, applicant=applicant.user, channel=Channel.HALL, window=window,
        intake_by=actor, form_data=form_data, visits=1, is_demo=applicant.user.is_demo,
        **_accepted_today(item),
    )  # fmt: skip
    _open_work_items(case, run)
    CaseEvent.objects.bulk_create([
        CaseEvent(case=case, actor=actor, action="submitted", note=str(window)),
        CaseEvent(case=case, actor=actor, action="accept.done"),
    ])  # fmt: skip
    return case
