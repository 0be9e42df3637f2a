import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Person, User
from conftest import PASSWORD, make_resident_id

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "name": "梁嘉欣",
        "id_type": "resident_id",
        "id_number": make_resident_id(seq=401),
        "phone": "13900000401",
        "password": PASSWORD,
        "email": "",
    }
    data.update(overrides)
    return data


def test_register_page_creates_and_signs_in():
    client = Client()
    response = client.post("/accounts/register/", form())
    assert response.status_code == 302
    assert Person.objects.get().name == "梁嘉欣"
    assert client.get("/api/v1/accounts/me").status_code == 200


def test_register_page_wrong_check_digit_in_traditional_chinese_saves_nothing():
    good = make_resident_id(seq=401)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    response = Client(headers={"accept-language": "zh-hant"}).post(
        "/accounts/register/", form(id_number=bad)
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_id_number_error"' in html
    assert "校驗位（最後一位）不正確，請檢查是否輸錯。" in html
    assert 'aria-invalid="true"' in html
    assert User.objects.count() == 0


def test_sign_in_with_phone_sets_the_preferred_language(citizen):
    citizen.preferred_language = "pt"
    citizen.save()
    client = Client()
    response = client.post("/accounts/login/", {"identifier": "13800000101", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["onestop_language"].value == "pt"


def test_sign_in_is_throttled_after_five_failures(citizen):
    client = Client()
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"identifier": "13800000101", "password": "wrong-password"}
        )
        assert response.status_code == 401
    response = client.post("/accounts/login/", {"identifier": "13800000101", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_open_redirect_is_refused(citizen):
    response = Client().post(
        "/accounts/login/?next=https://evil.example/",
        {"identifier": "13800000101", "password": PASSWORD},
    )
    assert response["location"] == "/"


@override_settings(STAFF_OTP_REQUIRED=True)
def test_staff_must_enrol_and_confirm_totp_when_required(clerk):
    client = Client()
    response = client.post("/accounts/login/", {"identifier": "clerk", "password": PASSWORD})
    assert response["location"].startswith("/accounts/2fa/")
    assert client.get("/workbench/")["location"] == "/accounts/2fa/"
    assert client.get("/api/v1/accounts/me").status_code == 403
    page = client.get("/accounts/2fa/")
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=clerk)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert client.post("/accounts/2fa/", {"code": wrong}).status_code == 422
    assert not TOTPDevice.objects.get(user=clerk).confirmed
    # django-otp throttles after a failure: even the right code waits out the back-off.
    assert client.post("/accounts/2fa/", {"code": code}).status_code == 422
    TOTPDevice.objects.get(user=clerk).throttle_reset()
    response = client.post("/accounts/2fa/", {"code": code})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/workbench/").status_code == 200


def test_workbench_is_for_staff_only(login, citizen, clerk):
    assert login(None).get("/workbench/").status_code == 302
    assert login(citizen).get("/workbench/").status_code == 404
    page = login(clerk).get("/workbench/", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Clerk (window intake)" in page.content.decode()


def test_my_data_page_lists_lookups(login, clerk, citizen):
    from accounts.services import person_lookup

    person_lookup(
        actor=clerk,
        id_type="resident_id",
        id_number=make_resident_id(seq=101),
        purpose="窗口受理：核验申请人身份",
    )
    page = login(citizen).get("/accounts/my-data/")
    assert "窗口受理：核验申请人身份" in page.content.decode()
