"""Writes about people and organisations. Each service is one transaction."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import crypto
from core.errors import Conflict, Forbidden, InvalidInput, NotFound, require
from core.ids import check_mainland_mobile, check_person_id, check_uscc
from ledger.services import ledger_append

from .models import (
    DataAccess,
    Enterprise,
    EnterpriseAgent,
    Notification,
    Person,
    Role,
    StaffAssignment,
    User,
    UserKind,
)
from .permissions import can_lookup_person, can_manage_enterprise_agents, can_manage_staff


def _id_digest(id_type: str, value: str) -> str:
    return crypto.pii_digest(f"id:{id_type}", value)


def _phone_digest(value: str) -> str:
    return crypto.pii_digest("phone", value)


def normalised_person_id(*, id_type: str, id_number: str, field: str = "id_number") -> str:
    """The validated, normalised number, or InvalidInput naming ``field``."""
    checked = check_person_id(id_type, id_number)
    if not checked.ok:
        raise InvalidInput(checked.error, field=field)
    return checked.value


def _person_by_number(id_type: str, number: str) -> Person | None:
    return Person.objects.filter(id_digest=_id_digest(id_type, number)).first()


def person_find(*, id_type: str, id_number: str) -> Person | None:
    """Find a person by document number through its keyed hash (nothing is decrypted)."""
    checked = check_person_id(id_type, id_number)
    if not checked.ok:
        return None
    return _person_by_number(id_type, checked.value)


@transaction.atomic
def person_register(
    *,
    id_type: str,
    id_number: str,
    name: str,
    phone: str,
    password: str | None,
    preferred_language: str = "zh-hans",
    email: str = "",
    is_demo: bool = False,
) -> User:
    """Register a natural person. Anyone may. Enqueues: welcome notice.

    ``password=None`` records a walk-in applicant who has no online account yet.
    """
    name = name.strip()
    if not name:
        raise InvalidInput(_("Enter your name as on your identity document."), field="name")
    number = normalised_person_id(id_type=id_type, id_number=id_number)
    phone_check = check_mainland_mobile(phone)
    if not phone_check.ok:
        raise InvalidInput(phone_check.error, field="phone")
    user = User(
        username=f"p-{_id_digest(id_type, number)[:16]}",
        display_name=name,
        email=email,
        kind=UserKind.PERSON,
        preferred_language=preferred_language,
        is_demo=is_demo,
    )
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="password") from exc
    if _person_by_number(id_type, number) is not None:
        raise Conflict(_("This identity number is already registered."), field="id_number")
    if Person.objects.filter(phone_digest=_phone_digest(phone_check.value)).exists():
        raise Conflict(_("This mobile number is already registered."), field="phone")
    user.set_password(password)  # None sets an unusable password
    try:
        with transaction.atomic():
            user.save()
            Person.objects.create(
                user=user,
                name=name,
                id_type=id_type,
                id_number=number,
                id_digest=_id_digest(id_type, number),
                phone=phone_check.value,
                phone_digest=_phone_digest(phone_check.value),
                is_demo=is_demo,
            )
    except IntegrityError as exc:  # a concurrent registration of the same number
        raise Conflict(_("This identity number is already registered."), field="id_number") from exc
    if email:
        from .tasks import send_welcome_task

        transaction.on_commit(lambda: send_welcome_task.enqueue(user_id=user.pk))
    return user


def user_set_preferences(
    *, actor: User, preferred_language: str | None = None, elderly_mode: bool | None = None
) -> User:
    """Save the signed-in user's own language and elderly-mode choice."""
    from django.conf import settings

    fields = []
    if preferred_language is not None:
        if preferred_language not in dict(settings.LANGUAGES):
            raise InvalidInput(_("Unknown language."), field="preferred_language")
        actor.preferred_language = preferred_language
        fields.append("preferred_language")
    if elderly_mode is not None:
        actor.elderly_mode = elderly_mode
        fields.append("elderly_mode")
    if fields:
        User.objects.filter(pk=actor.pk).update(**{f: getattr(actor, f) for f in fields})
    return actor


@transaction.atomic
def enterprise_register(*, actor: User, uscc: str, name: str, is_demo: bool = False) -> Enterprise:
    """Record an enterprise with the signed-in person as its legal representative."""
    person = getattr(actor, "person", None) if actor.is_person else None
    if person is None:
        raise Forbidden(_("Only a natural person can represent an enterprise."))
    checked = check_uscc(uscc)
    if not checked.ok:
        raise InvalidInput(checked.error, field="uscc")
    if not name.strip():
        raise InvalidInput(_("Enter the enterprise's registered name."), field="name")
    if Enterprise.objects.filter(uscc=checked.value).exists():
        raise Conflict(_("This credit code is already registered."), field="uscc")
    return Enterprise.objects.create(
        uscc=checked.value, name=name.strip(), legal_representative=person, is_demo=is_demo
    )


@transaction.atomic
def enterprise_agent_add(
    *, actor: User, enterprise: Enterprise, id_type: str, id_number: str
) -> EnterpriseAgent:
    """Authorise a registered person to act for the enterprise. Needs: legal representative."""
    require(can_manage_enterprise_agents(actor, enterprise))
    person = _person_by_number(id_type, normalised_person_id(id_type=id_type, id_number=id_number))
    if person is None:
        raise InvalidInput(_("No registered person has this identity number."), field="id_number")
    if person.pk == enterprise.legal_representative_id:
        raise Conflict(
            _("The legal representative already acts for the enterprise."), field="id_number"
        )
    if enterprise.agents.filter(person=person, revoked_at__isnull=True).exists():
        raise Conflict(_("This person is already an agent."), field="id_number")
    agent = EnterpriseAgent.objects.create(enterprise=enterprise, person=person, granted_by=actor)
    ledger_append(
        actor=actor,
        action="enterprise.agent_granted",
        subject=agent,
        payload=agent_granted_payload(agent),
    )
    return agent


@transaction.atomic
def enterprise_agent_revoke(*, actor: User, agent: EnterpriseAgent) -> EnterpriseAgent:
    """Withdraw an agent's authority. Needs: legal representative."""
    require(can_manage_enterprise_agents(actor, agent.enterprise))
    moved = EnterpriseAgent.objects.filter(pk=agent.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if moved != 1:
        raise Conflict(_("This agent's authority was already withdrawn."))
    agent.refresh_from_db()
    ledger_append(
        actor=actor,
        action="enterprise.agent_revoked",
        subject=agent,
        payload=agent_revoked_payload(agent),
    )
    return agent


def agent_granted_payload(agent: EnterpriseAgent) -> dict:
    """What the ledger commits to when an agent is authorised (ids only, no personal data)."""
    return {
        "enterprise": agent.enterprise.uscc,
        "agent": agent.pk,
        "person": agent.person_id,
        "granted_by": agent.granted_by_id,
        "granted_at": agent.granted_at.isoformat(),
    }


def agent_revoked_payload(agent: EnterpriseAgent) -> dict:
    if agent.revoked_at is None:
        raise ValueError("the agent's authority has not been withdrawn")
    return {**agent_granted_payload(agent), "revoked_at": agent.revoked_at.isoformat()}


def _agent_payload(build):
    def recompute(pk: str) -> dict | None:
        agent = EnterpriseAgent.objects.select_related("enterprise").filter(pk=pk).first()
        if agent is None or (build is agent_revoked_payload and agent.revoked_at is None):
            return None
        return build(agent)

    return recompute


def register_ledger_payloads() -> None:
    """Tell the ledger how to recompute what these services logged (for `ledger verify`)."""
    from ledger.registry import register_payload

    register_payload("enterprise.agent_granted", _agent_payload(agent_granted_payload))
    register_payload("enterprise.agent_revoked", _agent_payload(agent_revoked_payload))


@transaction.atomic
def person_lookup(*, actor: User, id_type: str, id_number: str, purpose: str) -> Person:
    """A clerk finds a person for a stated purpose; the look is logged and shown to them."""
    require(can_lookup_person(actor))
    if len(purpose.strip()) < 4:
        raise InvalidInput(_("State why you need this person's data."), field="purpose")
    person = _person_by_number(id_type, normalised_person_id(id_type=id_type, id_number=id_number))
    if person is None:
        raise NotFound()
    assignment = actor.assignments.select_related("authority").first()
    DataAccess.objects.create(
        person=person,
        staff=actor,
        purpose=purpose.strip(),
        authority=assignment.authority if assignment else None,
    )
    return person


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    username: str,
    display_name: str,
    password: str,
    email: str = "",
    is_superuser: bool = False,
    is_demo: bool = False,
) -> User:
    """Create a staff account. Needs: administrator (``actor=None`` only for set-up commands)."""
    if actor is not None:
        require(can_manage_staff(actor))
    if User.objects.filter(username=username).exists():
        raise Conflict(_("This user name is taken."), field="username")
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        kind=UserKind.STAFF,
        is_staff=is_superuser,
        is_superuser=is_superuser,
        is_demo=is_demo,
    )
    user.set_password(password)
    user.save()
    return user


def staff_assign(
    *, actor: User | None, user: User, authority, role: str, hall=None, outlet=None
) -> StaffAssignment:
    """Give a staff member a role at an authority (and hall, or bank outlet entrusted by the
    authority). Needs: administrator."""
    if actor is not None:
        require(can_manage_staff(actor))
    if not user.is_staff_member:
        raise InvalidInput(_("Only staff accounts take roles."), field="user")
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."), field="role")
    assignment, _created = StaffAssignment.objects.get_or_create(
        user=user, authority=authority, hall=hall, role=role, outlet=outlet
    )
    return assignment


def pii_rotate(*, batch: int = 500) -> int:
    """Re-encrypt every person's data under the primary key and refresh the digests."""
    count = 0
    primary = crypto.primary_key_id()
    for person in Person.objects.order_by("pk").iterator(chunk_size=batch):
        # Rows already under the primary key with a current digest are skipped.
        stored = _raw_column(person.pk)
        if crypto.key_id_of(stored) == primary and person.id_digest == _id_digest(
            person.id_type, person.id_number
        ):
            continue
        person.id_digest = _id_digest(person.id_type, person.id_number)
        person.phone_digest = _phone_digest(person.phone) if person.phone else None
        person.save(update_fields=["id_number", "id_digest", "phone", "phone_digest"])
        count += 1
    return count


def _raw_column(pk: int) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id_number FROM {Person._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def notify(*, user: User, subject, body="", url: str = "", params: dict | None = None,
           sms: bool = False) -> Notification:  # fmt: skip
    """Tell ``user`` something: a notice in the site, a copy by e-mail when they have an
    address, and by SMS when ``sms`` and they have a phone. ``subject`` and ``body`` are
    (lazy) translatable strings rendered in the user's language with ``params``."""
    with translation.override(user.preferred_language or None):
        subject_text = str(subject) % (params or {}) if params else str(subject)
        body_text = str(body) % (params or {}) if params and body else str(body)
    notification = Notification.objects.create(
        user=user, subject=subject_text[:200], body=body_text, url=url[:300]
    )
    from .tasks import send_notification_task

    transaction.on_commit(
        lambda: send_notification_task.enqueue(notification_id=notification.pk, sms=sms)
    )
    return notification


def notifications_mark_read(*, actor: User) -> int:
    """Mark all of the actor's notices read."""
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def data_access_record(*, person: Person, staff: User | None, authority, kind: str,
                       purpose: str, subject: str = "", case_ref: str = "",
                       enterprise: Enterprise | None = None) -> DataAccess:  # fmt: skip
    """Write one entry of the holder's "who used my data" log (append-only)."""
    return DataAccess.objects.create(
        person=person, enterprise=enterprise, staff=staff, authority=authority, kind=kind,
        purpose=purpose[:300], subject=subject[:200], case_ref=case_ref[:40],
    )  # fmt: skip


def enterprise_find(*, uscc: str) -> Enterprise | None:
    """The enterprise with this unified social credit code (public register data)."""
    return Enterprise.objects.filter(uscc=(uscc or "").strip().upper()).first()
