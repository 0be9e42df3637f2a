"""Shared personas, made through the real services: citizen, enterprise, agent, clerk,
reviewer, dispatcher, outsider. Reference data (regions, departments) loads once per run."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from accounts.models import Role
from accounts.services import (
    enterprise_agent_add,
    enterprise_register,
    person_register,
    staff_assign,
    staff_create,
)
from core.ids import IdType, resident_id_check_char, uscc_check_char

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = "Correct-Horse-2026"


def make_resident_id(area: str = "440703", birth: str = "19800101", seq: int = 123) -> str:
    body = f"{area}{birth}{seq:03d}"
    return body + resident_id_check_char(body)


def make_uscc(serial: int = 1, area: str = "440703") -> str:
    body = f"91{area}MA{serial:07d}"[:17]
    return body + uscc_check_char(body)


def _flushes(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


def pytest_collection_modifyitems(config, items):
    """Tests that flush the database (live server, concurrent writers) run last, browser
    tests at the very end: the flush removes the reference data loaded for the session."""
    items.sort(key=lambda item: (item.get_closest_marker("browser") is not None, _flushes(item)))


@pytest.fixture(autouse=True)
def _english():
    """Unit tests read messages in English; page tests choose their language per request."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference()


def load_reference():
    """Regions, departments, city authorities and the catalog (again after a flush)."""
    from directory.models import Department, Region
    from directory.services import authority_ensure, departments_load, regions_load

    regions_load()
    departments_load()
    city = Region.objects.get(level="city")
    pengjiang = Region.objects.get(code="440703")
    for dept in Department.objects.all():
        authority_ensure(department=dept, region=city)
    authority_ensure(department=Department.objects.get(code="SAMR"), region=pengjiang)
    load_catalog()


def load_catalog():
    """The bundled catalog and its search index (also used after a flush)."""
    from catalog.services import catalog_load
    from licenses.services import license_types_load

    license_types_load()
    catalog_load()


def _person(name: str, seq: int, phone: str, **extra):
    return person_register(
        id_type=IdType.RESIDENT_ID,
        id_number=make_resident_id(seq=seq),
        name=name,
        phone=phone,
        password=PASSWORD,
        **extra,
    )


@pytest.fixture
def citizen(db):
    return _person("陈美玲", 101, "13800000101")


@pytest.fixture
def outsider(db):
    return _person("路人甲", 102, "13800000102")


@pytest.fixture
def enterprise(db):
    """An enterprise; its legal representative is ``enterprise.legal_representative.user``."""
    owner = _person("黄国栋", 103, "13800000103")
    return enterprise_register(actor=owner, uscc=make_uscc(1), name="江门市测试餐饮有限公司")


@pytest.fixture
def agent(enterprise):
    user = _person("何志强", 104, "13800000104")
    enterprise_agent_add(
        actor=enterprise.legal_representative.user,
        enterprise=enterprise,
        id_type=IdType.RESIDENT_ID,
        id_number=make_resident_id(seq=104),
    )
    return user


def _staff(username: str, role: str, department: str = "SAMR"):
    from directory.models import Authority

    user = staff_create(actor=None, username=username, display_name=username, password=PASSWORD)
    authority = Authority.objects.get(department__code=department, region__level="city")
    staff_assign(actor=None, user=user, authority=authority, role=role)
    return user


@pytest.fixture
def clerk(db):
    return _staff("clerk", Role.CLERK)


@pytest.fixture
def reviewer(db):
    return _staff("reviewer", Role.REVIEWER)


@pytest.fixture
def dispatcher(db):
    return _staff("dispatcher", Role.DISPATCHER, "GSDMB")


@pytest.fixture
def login():
    """``login(user)`` → a test client signed in as that user (None: anonymous)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user, backend="accounts.backends.IdentifierBackend")
        return client

    return make
