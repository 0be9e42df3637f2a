"""Open311 GeoReport v2 with a client nobody here wrote (PyPI `georeport`), against the live
server: services, a service definition and requests listed unchanged; a request POSTed
form-encoded exactly as the spec shows, read back in JSON and XML; errors in the spec's shape."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import requests
from georeport import GeoReport

from hotline.models import WorkOrder
from hotline.services import open311_client_create

pytestmark = pytest.mark.django_db(transaction=True)
CODE = "UM.vendors"


@pytest.fixture
def world(live_server):
    from conftest import load_reference
    from directory.models import Region

    if not Region.objects.exists():
        load_reference()
    _client, key = open311_client_create(name="FixMyStreet (test)")
    return {"root": live_server.url + "/open311/v2", "key": key}


def post(root: str, **form):
    return requests.post(f"{root}/requests.json", data=form, timeout=30)


def test_the_georeport_client_reads_services_definitions_and_requests(world):
    root = world["root"]
    made = post(
        root,
        api_key=world["key"],
        jurisdiction_id="jiangmen.gov.cn",
        service_code=CODE,
        lat="22.578",
        long="113.081",
        address_string="江门市蓬江区建设路1号",
        description="路口每天晚上都有流动摊贩占道经营，油烟很大。",
        **{"attribute[request_type]": "complaint"},
    )
    assert made.status_code == 200, made.text
    (answer,) = made.json()
    request_id = answer["service_request_id"]
    client = GeoReport(root, jurisdiction="jiangmen.gov.cn")
    services = client.get_service_list()
    assert CODE in {s["service_code"] for s in services} and len(services) == 129
    definition = client.get_service_definition(CODE)
    assert definition["attributes"][0]["code"] == "request_type"
    listed = client.get_service_requests(status="open")
    assert request_id in {r["service_request_id"] for r in listed}
    one = client.get_service_request(request_id)
    assert one["status"] == "open" and one["service_code"] == CODE and one["lat"] == 22.578
    xml_client = GeoReport(root, jurisdiction="jiangmen.gov.cn", output_format="xml")
    assert xml_client.get_service_request(request_id)["service_request_id"] == request_id
    assert CODE in {s["service_code"] for s in xml_client.get_service_list()}
    order = WorkOrder.objects.get(receipt_no=request_id)
    assert order.channel == "open311" and order.citizen is None and order.category == CODE


def test_errors_in_the_spec_shape(world):
    root = world["root"]
    bad_key = post(
        root,
        api_key="nope",
        service_code=CODE,
        lat="22.5",
        long="113.0",
        description="摊贩占道经营很严重",
    )
    assert bad_key.status_code == 403
    assert bad_key.json()[0]["code"] == 403 and "api_key" in bad_key.json()[0]["description"]
    missing = requests.get(f"{root}/requests/NOPE.xml", timeout=30)
    assert missing.status_code == 404
    error = ET.fromstring(missing.content).find("error")
    assert error.find("code").text == "404"
    wrong_place = requests.get(f"{root}/services.json", {"jurisdiction_id": "x"}, timeout=30)
    assert wrong_place.status_code == 404
    out_of_range = post(
        root,
        api_key=world["key"],
        service_code=CODE,
        lat="222",
        long="113.0",
        description="摊贩占道经营很严重",
    )
    assert out_of_range.status_code == 400 and "lat" in out_of_range.json()[0]["description"]
    half = post(root, api_key=world["key"], service_code=CODE, lat="22.5", description="摊贩占道")
    assert half.status_code == 400 and half.json()[0]["description"].startswith("long:")
    assert not WorkOrder.objects.exists()


def test_the_requester_is_kept_encrypted_and_a_retry_makes_no_second_order(world):
    """first_name/last_name/email/phone as the spec names them are kept (encrypted; never
    shown to departments, Open311 carries no consent); a client that retries a POST with the
    same Idempotency-Key gets the same request id back."""
    from hotline.selectors import contact_for

    form = {
        "api_key": world["key"],
        "service_code": CODE,
        "lat": "22.578",
        "long": "113.081",
        "description": "路灯坏了一个多星期，晚上路口漆黑一片。",
        "first_name": "伯",
        "last_name": "李",
        "email": "li@example.com",
        "phone": "13900001234",
    }
    headers = {"Idempotency-Key": "retry-me-1"}
    first = requests.post(f"{world['root']}/requests.json", data=form, headers=headers, timeout=30)
    again = requests.post(f"{world['root']}/requests.json", data=form, headers=headers, timeout=30)
    assert first.status_code == again.status_code == 200
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert WorkOrder.objects.filter(channel="open311").count() == 1
    order = WorkOrder.objects.get()
    assert not order.contact_shared
    assert contact_for(actor=None, order=order) is None
    assert '"phone": "13900001234"' in order.contact  # decrypted in Python, encrypted at rest
    listed = requests.get(f"{world['root']}/requests/{order.receipt_no}.json", timeout=30).text
    assert "13900001234" not in listed and "li@example.com" not in listed
    bad = post(world["root"], **{**form, "phone": "12ab"})
    assert bad.status_code == 400 and "phone" in bad.json()[0]["description"]
