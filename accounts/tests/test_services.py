import pytest
from django.db import connection
from django.test import override_settings

from accounts import services
from accounts.backends import user_for_identifier
from accounts.models import DataAccess, EnterpriseAgent, Person, User
from conftest import PASSWORD, make_resident_id, make_uscc
from core.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.ids import IdType

pytestmark = pytest.mark.django_db


def register(**overrides):
    data = {
        "id_type": IdType.RESIDENT_ID,
        "id_number": make_resident_id(seq=201),
        "name": "张三",
        "phone": "13900000201",
        "password": PASSWORD,
    }
    data.update(overrides)
    return services.person_register(**data)


def test_register_stores_numbers_encrypted_and_finds_them_by_digest():
    user = register()
    number = make_resident_id(seq=201)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM accounts_person WHERE user_id = %s", [user.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert number not in raw_id and raw_id.startswith("v1:t2:")
    assert "13900000201" not in raw_phone
    person = Person.objects.get(user=user)
    assert person.id_number == number
    assert person.masked_id == number[:6] + "********" + number[-4:]
    assert services.person_find(id_type="resident_id", id_number=number.lower()) == person


def test_wrong_check_digit_names_the_field_and_saves_nothing():
    bad = make_resident_id(seq=201)[:-1] + ("0" if make_resident_id(seq=201)[-1] != "0" else "1")
    with pytest.raises(InvalidInput) as err:
        register(id_number=bad)
    assert err.value.field == "id_number"
    assert User.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"phone": "12345"}, "phone"),
        ({"password": "12345678901"}, "password"),
    ],
)
def test_other_bad_fields_are_named(overrides, field):
    with pytest.raises(InvalidInput) as err:
        register(**overrides)
    assert err.value.field == field
    assert User.objects.count() == 0


def test_duplicate_number_and_phone_conflict():
    register()
    with pytest.raises(Conflict) as err:
        register(phone="13900000202")
    assert err.value.field == "id_number"
    with pytest.raises(Conflict) as err:
        register(id_number=make_resident_id(seq=202))
    assert err.value.field == "phone"
    assert Person.objects.count() == 1


def test_walk_in_person_without_password_cannot_sign_in():
    user = register(password=None)
    assert not user.has_usable_password()


def test_sign_in_identifiers_resolve_to_the_user():
    user = register()
    assert user_for_identifier(make_resident_id(seq=201)) == user
    assert user_for_identifier("139 0000 0201") == user
    assert user_for_identifier(user.username) == user
    assert user_for_identifier("13900000999") is None


def test_macao_resident_registers_with_travel_permit():
    user = register(id_type=IdType.HKMO_PERMIT, id_number="m12345678", phone="+85361234567")
    assert user.person.id_number == "M12345678"
    assert user.person.is_cross_border
    assert user_for_identifier("M12345678") == user


def test_agents_are_granted_and_revoked_by_the_legal_representative(enterprise, outsider):
    owner = enterprise.legal_representative.user
    agent = services.enterprise_agent_add(
        actor=owner,
        enterprise=enterprise,
        id_type="resident_id",
        id_number=make_resident_id(seq=102),
    )
    assert agent.person == outsider.person and agent.is_active
    with pytest.raises(Conflict):
        services.enterprise_agent_add(
            actor=owner,
            enterprise=enterprise,
            id_type="resident_id",
            id_number=make_resident_id(seq=102),
        )
    revoked = services.enterprise_agent_revoke(actor=owner, agent=agent)
    assert revoked.revoked_at is not None
    with pytest.raises(Conflict):
        services.enterprise_agent_revoke(actor=owner, agent=agent)


def test_only_the_legal_representative_grants_agents(enterprise, agent, outsider):
    for actor in (agent, outsider):
        with pytest.raises(Forbidden):
            services.enterprise_agent_add(
                actor=actor,
                enterprise=enterprise,
                id_type="resident_id",
                id_number=make_resident_id(seq=102),
            )
    assert EnterpriseAgent.objects.count() == 1


def test_enterprise_needs_a_valid_credit_code(citizen):
    good = make_uscc(5)
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
    with pytest.raises(InvalidInput) as err:
        services.enterprise_register(actor=citizen, uscc=wrong, name="X")
    assert err.value.field == "uscc"
    assert services.enterprise_register(actor=citizen, uscc=good, name="X").uscc == good


def test_person_lookup_is_logged_for_the_person(clerk, citizen):
    person = services.person_lookup(
        actor=clerk,
        id_type="resident_id",
        id_number=make_resident_id(seq=101),
        purpose="窗口受理：核验申请人身份",
    )
    assert person == citizen.person
    access = DataAccess.objects.get()
    assert (access.staff, access.person, access.purpose) == (
        clerk,
        person,
        "窗口受理：核验申请人身份",
    )
    assert access.authority.department.code == "SAMR"


def test_person_lookup_needs_a_role_and_a_purpose(dispatcher, clerk, citizen):
    with pytest.raises(Forbidden):
        services.person_lookup(
            actor=dispatcher,
            id_type="resident_id",
            id_number=make_resident_id(seq=101),
            purpose="核验身份信息",
        )
    with pytest.raises(InvalidInput) as err:
        services.person_lookup(
            actor=clerk, id_type="resident_id", id_number=make_resident_id(seq=101), purpose=" "
        )
    assert err.value.field == "purpose"
    with pytest.raises(NotFound):
        services.person_lookup(
            actor=clerk,
            id_type="resident_id",
            id_number=make_resident_id(seq=999),
            purpose="核验身份信息",
        )
    assert DataAccess.objects.count() == 0


def test_key_rotation_re_encrypts_under_the_new_primary_key(settings):
    from conftest import make_resident_id as rid

    old_keys = list(settings.PII_ENCRYPTION_KEYS)
    with override_settings(PII_ENCRYPTION_KEYS=[old_keys[1]]):
        user = register()
        assert services.pii_rotate() == 0
    assert services._raw_column(user.person.pk).startswith("v1:t1:")
    assert services.pii_rotate() == 1
    assert services._raw_column(user.person.pk).startswith("v1:t2:")
    assert Person.objects.get(pk=user.person.pk).id_number == rid(seq=201)
    assert services.pii_rotate() == 0


def test_factory_makes_distinct_valid_people():
    from accounts.tests.factories import PersonUserFactory

    users = PersonUserFactory.create_batch(30)
    assert len({u.person.id_digest for u in users}) == 30
    assert Person.objects.count() == 30
