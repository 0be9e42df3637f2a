import pytest
from django.core.management import call_command

from accounts.models import Enterprise, Person, StaffAssignment, User
from cases.models import Case, PaymentOrder
from directory.models import BankOutlet, Hall, Window
from portal.demo import demo_city_load

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "halls": sorted(Hall.objects.values_list("code", "latitude", "longitude")),
        "windows": Window.objects.count(),
        "outlets": sorted(BankOutlet.objects.values_list("code", "bank_zh", "latitude")),
        "persons": sorted(Person.objects.values_list("id_digest", "name")),
        "users": sorted(User.objects.values_list("username", "kind")),
        "enterprises": sorted(Enterprise.objects.values_list("uscc", "name")),
        "assignments": StaffAssignment.objects.count(),
        "cases": sorted(Case.objects.values_list("receipt_no", "item__code", "status")),
        "orders": sorted(
            PaymentOrder.objects.values_list(
                "case__receipt_no", "status", "amount_due", "amount_paid"
            )
        ),
    }


def test_demo_city_is_deterministic_idempotent_and_labelled():
    logins = demo_city_load()
    first = snapshot()
    assert [login.persona for login in logins] == [
        "citizen",
        "Macao resident",
        "enterprise agent",
        "clerk",
        "reviewer",
        "dispatcher",
        "bank teller",
        "administrator",
        "cashier",
        "supervisor",
        "department handler",
    ]
    demo_city_load()
    assert snapshot() == first
    assert len(first["halls"]) == 41 and len(first["outlets"]) == 28
    assert not Hall.objects.filter(is_demo=False).exists()
    assert not Person.objects.filter(is_demo=False).exists()


def test_demo_logins_work(client):
    demo_city_load()
    for login in demo_city_load():
        assert client.login(username=login.login, password=login.password), login.persona
        client.logout()


def test_load_demo_command_prints_the_logins(capsys):
    call_command("load_demo", verbosity=0)
    out = capsys.readouterr().out
    assert "DEMO-ONLY" in out and "M12345678" in out


def test_demo_refuses_production(settings):
    settings.ONESTOP_ENV = "production"
    with pytest.raises(RuntimeError):
        demo_city_load()


def test_demo_city_logs_the_agent_grant_once():
    from ledger.models import Entry

    demo_city_load()
    demo_city_load()
    actions = list(Entry.objects.values_list("action", flat=True))
    assert actions.count("enterprise.agent_granted") == 1
    # …and each decision of the demo applications once.
    decided = Case.objects.filter(status__in=["approved", "rejected"]).count()
    from licenses.models import License

    assert actions.count("license.issued") == License.objects.count() >= 7
    from cases.models import InstantDecision

    instant = InstantDecision.objects.count()
    assert actions.count("case.instant_decision") == instant
    assert len(actions) == 1 + decided + License.objects.count() + instant
