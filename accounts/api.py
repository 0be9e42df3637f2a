"""Accounts API: registration, the signed-in user, enterprises and agents, person lookup."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import login
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from core.errors import NotFound
from core.ids import IdType
from core.problems import with_problems

from . import selectors, services
from .models import EnterpriseAgent
from .permissions import access_enterprise

router = Router(tags=["accounts"])


class RegisterIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    id_type: IdType
    id_number: str = Field(..., min_length=1, max_length=30)
    phone: str = Field(..., min_length=1, max_length=20)
    password: str = Field(..., min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    preferred_language: str = Field("zh-hans", pattern=r"^(zh-hans|zh-hant|en|pt)$")


class MeOut(Schema):
    id: int
    display_name: str
    kind: str
    preferred_language: str
    elderly_mode: bool
    id_type: str | None = None
    masked_id: str | None = None
    masked_phone: str | None = None


class PreferencesIn(Schema):
    preferred_language: str | None = Field(None, pattern=r"^(zh-hans|zh-hant|en|pt)$")
    elderly_mode: bool | None = None


class EnterpriseIn(Schema):
    uscc: str = Field(..., min_length=1, max_length=30)
    name: str = Field(..., min_length=1, max_length=200)


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    legal_representative: str


class AgentIn(Schema):
    id_type: IdType
    id_number: str = Field(..., min_length=1, max_length=30)


class AgentOut(Schema):
    id: int
    enterprise_id: int
    person_name: str
    masked_id: str
    granted_at: datetime
    revoked_at: datetime | None


class LookupIn(Schema):
    id_type: IdType
    id_number: str = Field(..., min_length=1, max_length=30)
    purpose: str = Field(..., min_length=1, max_length=300)


class PersonOut(Schema):
    id: int
    name: str
    id_type: str
    masked_id: str
    masked_phone: str


class DataAccessOut(Schema):
    at: datetime
    staff: str | None
    purpose: str
    authority: str | None
    kind: str
    subject: str
    case_ref: str


def _me(user) -> MeOut:
    person = getattr(user, "person", None) if user.is_person else None
    return MeOut(
        id=user.pk,
        display_name=user.display_name,
        kind=user.kind,
        preferred_language=user.preferred_language,
        elderly_mode=user.elderly_mode,
        id_type=person.id_type if person else None,
        masked_id=person.masked_id if person else None,
        masked_phone=person.masked_phone if person else None,
    )


def _enterprise(e) -> EnterpriseOut:
    return EnterpriseOut(
        id=e.pk, uscc=e.uscc, name=e.name, legal_representative=e.legal_representative.name
    )


def _agent(a: EnterpriseAgent) -> AgentOut:
    return AgentOut(
        id=a.pk,
        enterprise_id=a.enterprise_id,
        person_name=a.person.name,
        masked_id=a.person.masked_id,
        granted_at=a.granted_at,
        revoked_at=a.revoked_at,
    )


@router.post(
    "/register", response=with_problems({201: MeOut}, 409), summary="Register a natural person"
)
def register(request, payload: RegisterIn):
    user = services.person_register(**payload.dict())
    login(request, user, backend="accounts.backends.IdentifierBackend")
    return Status(201, _me(user))


@router.get(
    "/me", response=with_problems(MeOut, 401, 403), auth=django_auth, summary="The signed-in user"
)
def me(request):
    return _me(request.auth)


@router.patch("/me/preferences", response=with_problems(MeOut, 401, 403), auth=django_auth)
def set_preferences(request, payload: PreferencesIn):
    return _me(services.user_set_preferences(actor=request.auth, **payload.dict()))


@router.get(
    "/me/enterprises", response=with_problems(list[EnterpriseOut], 401, 403), auth=django_auth
)
def my_enterprises(request):
    qs = selectors.enterprise_list(actor=request.auth).select_related("legal_representative")
    return [_enterprise(e) for e in qs]


@router.get(
    "/me/data-access",
    response=with_problems(list[DataAccessOut], 401, 403),
    auth=django_auth,
    summary="Who looked at my data, and why",
)
def my_data_access(request):
    return [
        DataAccessOut(
            at=a.at,
            staff=a.staff.display_name if a.staff else None,
            purpose=a.purpose,
            authority=a.authority.name if a.authority else None,
            kind=a.kind,
            subject=a.subject,
            case_ref=a.case_ref,
        )
        for a in selectors.data_access_list(actor=request.auth)[:500]
    ]


@router.post(
    "/enterprises", response=with_problems({201: EnterpriseOut}, 401, 403, 409), auth=django_auth
)
def register_enterprise(request, payload: EnterpriseIn):
    return Status(
        201, _enterprise(services.enterprise_register(actor=request.auth, **payload.dict()))
    )


@router.get(
    "/enterprises/{enterprise_id}",
    response=with_problems(EnterpriseOut, 401, 403, 404),
    auth=django_auth,
)
def get_enterprise(request, enterprise_id: int):
    return _enterprise(access_enterprise(request.auth, enterprise_id))


@router.post(
    "/enterprises/{enterprise_id}/agents",
    response=with_problems({201: AgentOut}, 401, 403, 404, 409),
    auth=django_auth,
)
def add_agent(request, enterprise_id: int, payload: AgentIn):
    enterprise = access_enterprise(request.auth, enterprise_id)
    agent = services.enterprise_agent_add(
        actor=request.auth,
        enterprise=enterprise,
        id_type=payload.id_type,
        id_number=payload.id_number,
    )
    return Status(201, _agent(agent))


@router.delete(
    "/enterprises/{enterprise_id}/agents/{agent_id}",
    response=with_problems(AgentOut, 401, 403, 404, 409),
    auth=django_auth,
)
def revoke_agent(request, enterprise_id: int, agent_id: int):
    enterprise = access_enterprise(request.auth, enterprise_id)
    agent = enterprise.agents.select_related("person", "enterprise").filter(pk=agent_id).first()
    if agent is None:
        raise NotFound()
    return _agent(services.enterprise_agent_revoke(actor=request.auth, agent=agent))


@router.post(
    "/persons/lookup",
    response=with_problems(PersonOut, 401, 403, 404),
    auth=django_auth,
    summary="Find a person for a stated purpose (staff; logged)",
)
def lookup_person(request, payload: LookupIn):
    person = services.person_lookup(actor=request.auth, **payload.dict())
    return PersonOut(
        id=person.pk,
        name=person.name,
        id_type=person.id_type,
        masked_id=person.masked_id,
        masked_phone=person.masked_phone,
    )
