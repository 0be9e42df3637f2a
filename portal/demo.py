"""The demo city: Jiangmen's real regions and departments, generated halls, people and staff.

Deterministic from a seed and idempotent: a rerun finds everything in place and changes
nothing. Every generated row is marked ``is_demo``. Never loaded in production.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from accounts.models import Enterprise, Person, Role, User
from accounts.services import (
    enterprise_agent_add,
    enterprise_register,
    person_find,
    person_register,
    staff_assign,
    staff_create,
)
from catalog.services import catalog_load
from core.ids import IdType, resident_id_check_char, uscc_check_char
from directory.selectors import (
    authority_list,
    bank_outlet_list,
    department_list,
    hall_get,
    hall_list,
    region_get,
    region_list,
)
from directory.services import (
    authority_ensure,
    bank_outlet_upsert,
    departments_load,
    hall_upsert,
    regions_load,
    window_upsert,
)
from licenses.services import license_types_load

SEED = 20261123
# Department kinds with branches in every district (the busiest windows).
DISTRICT_BRANCHES = ["SAMR", "PSB", "HRSS", "TAX", "NR", "MEDINS"]
# Approximate centres (lat, lon) of the districts and county-level cities.
DISTRICT_CENTRES = {
    "440703": (22.5960, 113.0810),
    "440704": (22.5600, 113.1180),
    "440705": (22.4590, 113.0330),
    "440781": (22.2520, 112.7940),
    "440783": (22.3770, 112.6980),
    "440784": (22.7650, 112.9640),
    "440785": (22.1830, 112.3050),
}
BANKS = [
    ("中国工商银行", "ICBC"),
    ("中国农业银行", "Agricultural Bank of China"),
    ("中国银行", "Bank of China"),
    ("中国建设银行", "China Construction Bank"),
    ("中国邮政储蓄银行", "Postal Savings Bank of China"),
    ("江门农商银行", "Jiangmen Rural Commercial Bank"),
]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玲"
FAMILY = "陈李黄张梁林吴何刘周谭余邓关冯区甄司徒"


@dataclass(frozen=True)
class DemoLogin:
    persona: str
    login: str
    password: str
    note: str


def _jitter(rng: random.Random, centre: tuple[float, float], spread: float = 0.03):
    return (
        round(centre[0] + rng.uniform(-spread, spread), 6),
        round(centre[1] + rng.uniform(-spread, spread), 6),
    )


def resident_id(area: str, birth: str, seq: int) -> str:
    body = f"{area}{birth}{seq:03d}"
    return body + resident_id_check_char(body)


def demo_uscc(area: str, serial: int) -> str:
    body = f"91{area}MA{serial:07d}"[:17]
    return body + uscc_check_char(body)


def load_structure(rng: random.Random) -> None:
    regions_load()
    departments_load()
    city = region_list(level="city").get()
    departments = {d.code: d for d in department_list()}
    for dept in departments.values():
        authority_ensure(department=dept, region=city)
    for district in region_list(within=city.code).filter(depth=1):
        for code in DISTRICT_BRANCHES:
            authority_ensure(department=departments[code], region=district)


@transaction.atomic
def load_halls(rng: random.Random) -> None:
    city = region_list(level="city").get()
    centre = hall_upsert(
        code="JM-C000",
        name_zh="江门市行政服务中心",
        name_en="Jiangmen Administrative Service Centre",
        kind="centre",
        region=region_get(code="440703"),
        address_zh="江门市蓬江区迎宾大道中路（演示地址）",
        latitude=22.5885,
        longitude=113.0830,
        opening_hours="周一至周五 9:00-12:00, 14:00-17:30",
        is_demo=True,
    )
    for i in range(1, 9):
        window_upsert(hall=centre, number=f"A{i:02d}", kind="intake", is_demo=True)
    for i in range(1, 3):
        window_upsert(hall=centre, number=f"C{i:02d}", kind="charge", is_demo=True)
    window_upsert(hall=centre, number="G01", kind="green", is_demo=True)
    window_upsert(hall=centre, number="Z01", kind="consultation", is_demo=True)
    window_upsert(hall=centre, number="S01", kind="delivery", is_demo=True)
    for i, authority in enumerate(
        authority_list(region=city.code).order_by("department__code"), start=1
    ):
        window_upsert(
            hall=centre,
            number=f"D{i:02d}",
            kind="department",
            authorities=[authority],
            is_demo=True,
        )
    for district in region_list(within=city.code).filter(depth=1).order_by("code"):
        lat, lon = _jitter(rng, DISTRICT_CENTRES[district.code], 0.005)
        hall = hall_upsert(
            code=f"JM-D{district.code}",
            name_zh=f"{district.name_zh}政务服务中心",
            name_en=f"{district.name_en} Government Service Centre",
            kind="district_hall",
            region=district,
            address_zh=f"{district.name_zh}（演示地址）",
            latitude=lat,
            longitude=lon,
            opening_hours="周一至周五 9:00-12:00, 14:00-17:30",
            is_demo=True,
        )
        for i in range(1, 5):
            window_upsert(hall=hall, number=f"A{i:02d}", kind="intake", is_demo=True)
        window_upsert(hall=hall, number="C01", kind="charge", is_demo=True)
        window_upsert(hall=hall, number="G01", kind="green", is_demo=True)
        for i, authority in enumerate(
            authority_list(region=district.code).order_by("department__code"), start=1
        ):
            window_upsert(
                hall=hall,
                number=f"D{i:02d}",
                kind="department",
                authorities=[authority],
                is_demo=True,
            )
        towns = region_list(within=district.code).filter(
            depth=district.depth + 1, level__in=["town", "subdistrict"]
        )
        for town in towns.order_by("code"):
            lat, lon = _jitter(rng, DISTRICT_CENTRES[district.code], 0.08)
            station = hall_upsert(
                code=f"JM-S{town.code}",
                name_zh=f"{town.name_zh}便民服务站",
                name_en=f"{town.name_en} Service Station",
                kind="station",
                region=town,
                address_zh=f"{district.name_zh}{town.name_zh}（演示地址）",
                latitude=lat,
                longitude=lon,
                opening_hours="周一至周五 8:30-12:00, 14:30-17:30",
                is_demo=True,
            )
            window_upsert(hall=station, number="A01", kind="intake", is_demo=True)
            window_upsert(hall=station, number="G01", kind="green", is_demo=True)


@transaction.atomic
def load_bank_outlets(rng: random.Random) -> None:
    districts = list(region_list(within="440700").filter(depth=1).order_by("code"))
    serial = 0
    for district in districts:
        for bank_zh, bank_en in rng.sample(BANKS, 4):
            serial += 1
            lat, lon = _jitter(rng, DISTRICT_CENTRES[district.code], 0.04)
            short = district.name_zh.removesuffix("区").removesuffix("市")
            bank_outlet_upsert(
                code=f"JM-B{serial:03d}",
                bank_zh=bank_zh,
                bank_en=bank_en,
                branch_zh=f"江门{short}支行",
                region=district,
                address_zh=f"{district.name_zh}（演示地址）",
                latitude=lat,
                longitude=lon,
                is_demo=True,
            )


def _person(
    *,
    id_type: str,
    id_number: str,
    name: str,
    phone: str,
    password: str | None,
    language: str = "zh-hans",
) -> Person:
    existing = person_find(id_type=id_type, id_number=id_number)
    if existing:
        return existing
    user = person_register(
        id_type=id_type,
        id_number=id_number,
        name=name,
        phone=phone,
        password=password,
        preferred_language=language,
        is_demo=True,
    )
    return user.person


def _staff(username: str, display_name: str, password: str, *, superuser: bool = False) -> User:
    existing = User.objects.filter(username=username).first()
    if existing:
        return existing
    return staff_create(
        actor=None,
        username=username,
        display_name=display_name,
        password=password,
        is_superuser=superuser,
        is_demo=True,
    )


@transaction.atomic
def load_people(rng: random.Random) -> list[DemoLogin]:
    logins = [
        DemoLogin("citizen", "13800000001", "Demo-Citizen-2026", "陈美玲, Pengjiang"),
        DemoLogin(
            "Macao resident",
            "M12345678",
            "Demo-Macau-2026",
            "梁嘉欣, Mainland travel permit; Traditional Chinese",
        ),
        DemoLogin(
            "enterprise agent",
            "13800000003",
            "Demo-Agent-2026",
            "何志强, agent of 江门市示例餐饮有限公司",
        ),
        DemoLogin("clerk", "clerk", "Demo-Clerk-2026", "window A01, municipal centre"),
        DemoLogin("reviewer", "reviewer", "Demo-Reviewer-2026", "Market Regulation"),
        DemoLogin("dispatcher", "dispatcher", "Demo-Dispatcher-2026", "12345 hotline centre"),
        DemoLogin("bank teller", "teller", "Demo-Teller-2026", "bank outlet JM-BANK-01"),
        DemoLogin("administrator", "admin", "Demo-Admin-2026", "back office (/admin/)"),
        DemoLogin("cashier", "cashier", "Demo-Cashier-2026", "charge windows, municipal centre"),
        DemoLogin(
            "supervisor",
            "supervisor",
            "Demo-Supervisor-2026",
            "Market Regulation: ratings, rectifications, reconciliation",
        ),
        DemoLogin(
            "department handler",
            "um-handler",
            "Demo-Handler-2026",
            "Urban Management: the 12345 work orders dispatched to it",
        ),
    ]
    _person(
        id_type=IdType.RESIDENT_ID,
        id_number=resident_id("440703", "19580314", 126),
        name="陈美玲",
        phone="13800000001",
        password=logins[0].password,
    )
    _person(
        id_type=IdType.HKMO_PERMIT,
        id_number="M12345678",
        name="梁嘉欣",
        phone="+85361234567",
        password=logins[1].password,
        language="zh-hant",
    )
    agent = _person(
        id_type=IdType.RESIDENT_ID,
        id_number=resident_id("440705", "19880621", 317),
        name="何志强",
        phone="13800000003",
        password=logins[2].password,
    )
    owner = _person(
        id_type=IdType.RESIDENT_ID,
        id_number=resident_id("440703", "19750902", 455),
        name="黄国栋",
        phone="13800000004",
        password=None,
    )
    uscc = demo_uscc("440703", 1)
    enterprise = Enterprise.objects.filter(uscc=uscc).first() or enterprise_register(
        actor=owner.user, uscc=uscc, name="江门市示例餐饮有限公司（演示）", is_demo=True
    )
    if not enterprise.agents.filter(person=agent, revoked_at__isnull=True).exists():
        agent_number = resident_id("440705", "19880621", 317)
        enterprise_agent_add(
            actor=owner.user,
            enterprise=enterprise,
            id_type=IdType.RESIDENT_ID,
            id_number=agent_number,
        )
    # Walk-in applicants without online accounts: the population later issues serve.
    areas = list(DISTRICT_CENTRES)
    for n in range(60):
        birth = f"{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        _person(
            id_type=IdType.RESIDENT_ID,
            id_number=resident_id(rng.choice(areas), birth, rng.randint(1, 999)),
            name=rng.choice(FAMILY) + rng.choice(GIVEN) + rng.choice(GIVEN),
            phone=f"139{n:08d}",
            password=None,
        )
    samr = authority_list(department="SAMR", region="440700").get()
    gsdmb = authority_list(department="GSDMB", region="440700").get()
    centre = hall_get(code="JM-C000")
    staff_assign(
        actor=None,
        user=_staff("clerk", "窗口 A01 周敏", logins[3].password),
        authority=samr,
        hall=centre,
        role=Role.CLERK,
    )
    staff_assign(
        actor=None,
        user=_staff("reviewer", "审查员 林涛", logins[4].password),
        authority=samr,
        role=Role.REVIEWER,
    )
    staff_assign(
        actor=None,
        user=_staff("dispatcher", "12345 派单员 吴静", logins[5].password),
        authority=gsdmb,
        role=Role.DISPATCHER,
    )
    outlet = bank_outlet_list().order_by("code").first()
    staff_assign(
        actor=None,
        user=_staff("teller", "银行柜员 梁静", logins[6].password),
        authority=samr,
        outlet=outlet,
        role=Role.CLERK,
    )
    staff_assign(
        actor=None,
        user=_staff("admin", "系统管理员", logins[7].password, superuser=True),
        authority=gsdmb,
        role=Role.ADMINISTRATOR,
    )
    staff_assign(
        actor=None,
        user=_staff("supervisor", "督办科 陈志", logins[9].password),
        authority=samr,
        role=Role.SUPERVISOR,
    )
    staff_assign(
        actor=None,
        user=_staff("cashier", "收费窗口 黄丽", logins[8].password),
        authority=gsdmb,
        hall=centre,
        role=Role.CASHIER,
    )
    staff_assign(
        actor=None,
        user=_staff("um-handler", "城管局 12345 专员 何伟", logins[10].password),
        authority=authority_list(department="UM", region="440700").get(),
        role=Role.HANDLER,
    )
    return logins


def load_catalog(rng: random.Random) -> int:
    """E-license types and the illustrative service catalog (items are marked demo)."""
    from cases.services import fees_load

    license_types_load()
    made = catalog_load(is_demo=True)
    fees_load()
    return made


# Departments whose items the demo history covers, each with a back-office reviewer.
CASE_DEPARTMENTS = ["SAMR", "PSB", "HRSS", "MEDINS", "NR", "CIVIL", "HPF", "HEALTH", "TAX"]
DEMO_CASES = 240
CHANNEL_WEIGHTS = [("online", 62), ("mobile", 20), ("hall", 12), ("bank_outlet", 4),
                   ("self_service_kiosk", 2)]  # fmt: skip


def _case_staff() -> dict[str, User]:
    """A back-office clerk and reviewer for each department of the demo history (no
    sign-in: unusable passwords)."""
    staff = {}
    for code in CASE_DEPARTMENTS:
        authority = authority_list(department=code, region="440700").first()
        if authority is None:
            continue
        for role in (Role.CLERK, Role.REVIEWER):
            user = _staff(f"demo-{role}-{code.lower()}", f"{authority.name_zh} {role}",
                          password=uuid.uuid4().hex)  # fmt: skip
            user.set_unusable_password()
            user.save(update_fields=["password"])
            staff_assign(actor=None, user=user, authority=authority, role=role)
            staff[f"{code}:{role}"] = user
    return staff


def _demo_staff() -> dict[str, User]:
    """The back-office staff of the demo history, by "DEPT:role" (made by ``_case_staff``)."""
    staff = {}
    for user in User.objects.filter(username__startswith="demo-").prefetch_related(
        "assignments__authority__department"
    ):
        for assignment in user.assignments.all():
            staff[f"{assignment.authority.department.code}:{assignment.role}"] = user
    return staff


def _finish(case, staff: dict[str, User], rng: random.Random, *, supplement: bool,
            reject: bool) -> object:  # fmt: skip
    """Move a demo case through its workflow with the services."""
    from cases.models import WorkItem
    from cases.services import case_supplement, work_item_claim, work_item_complete

    dept = case.item.department.code
    while True:
        work = WorkItem.objects.filter(case=case, status="open").first()
        if work is None:
            return case
        actor = staff[f"{dept}:{work.role}"]
        outcome: dict = {}
        if work.step == "accept":
            outcome = {"accepted": True}
        elif work.step == "review" and supplement:
            outcome, supplement = {"supplement": True, "missing": ["身份证明复印件"]}, False
        elif work.step == "decide":
            outcome = ({"decision": "reject", "reasons": "申请材料与实际情况不符（演示）"}
                       if reject else {"decision": "approve"})  # fmt: skip
        elif work.step == "deliver" and case.delivery_method == "post":
            outcome = {"tracking_no": f"EMS{rng.randint(10**9, 10**10 - 1)}"}
        work_item_claim(actor=actor, work_item=work)
        case = work_item_complete(actor=actor, work_item=work, outcome=outcome)
        if work.step == "accept":
            _pay(case, rng)
        if case.status == "supplementation":
            case = case_supplement(actor=case.applicant, case=case, note="已补交（演示）")


@transaction.atomic
def load_cases(rng: random.Random) -> int:
    """Two hundred and forty applications over the last six months, through the services,
    then moved back in time: most decided, a few rejected, some still open (a few of those
    past their promised deadline, so the warning lists have something to show)."""
    from cases.models import Case
    from cases.selectors import form_defaults
    from cases.services import (
        case_intake,
        case_submit,
        cases_check_deadlines,
        demo_case_backdate,
    )
    from catalog.models import ServiceItem
    from directory.models import Window

    if Case.objects.filter(is_demo=True).exists():
        return 0
    staff = _case_staff()
    items = list(
        ServiceItem.objects.filter(
            department__code__in=[k.split(":")[0] for k in staff], applicant="person",
            is_active=True,
        ).select_related("department").order_by("code")
    )  # fmt: skip
    people = list(Person.objects.filter(user__is_demo=True).select_related("user").order_by("pk"))
    window = Window.objects.filter(hall__code="JM-C000", kind="intake").order_by("number").first()
    clerk = User.objects.get(username="clerk")
    teller = User.objects.get(username="teller")
    outlet = teller.assignments.get().outlet
    channels, weights = zip(*CHANNEL_WEIGHTS, strict=True)
    made = 0
    for n in range(getattr(settings, "DEMO_CASES", DEMO_CASES)):
        item = rng.choice(items)
        person = rng.choice(people)
        channel = rng.choices(channels, weights)[0]
        if channel not in item.channels:
            channel = item.channels[0]
        form = {
            "contact_phone": f"139{n:08d}",
            "address": "江门市（演示地址）",
            **form_defaults(item),
        }
        delivery = rng.choice(["electronic", "electronic", "pickup", "post"])
        address = "江门市蓬江区（演示地址）" if delivery == "post" else ""
        if channel in ("hall", "bank_outlet"):
            case = case_intake(
                actor=clerk if channel == "hall" else teller, item=item, applicant=person,
                form_data=form, window=window if channel == "hall" else None,
                outlet=outlet if channel == "bank_outlet" else None, delivery=delivery,
                delivery_address=address,
            )  # fmt: skip
        else:
            case = case_submit(actor=person.user, item=item, form_data=form, channel=channel,
                               delivery=delivery, delivery_address=address)  # fmt: skip
        days_ago = rng.randint(1, 180)
        still_open = days_ago < 20 and rng.random() < 0.5
        if not still_open:
            case = _finish(case, staff, rng, supplement=rng.random() < 0.08,
                           reject=rng.random() < 0.05)  # fmt: skip
        elif case.status == "submitted":
            case = _finish_acceptance(case, staff)
        promised = item.promised_limit_days
        late = promised + rng.randint(1, 3)
        used = rng.choices([rng.randint(0, promised), late], [94, 6])[0]
        demo_case_backdate(case=case, days=days_ago, used=used)
        made += 1
    cases_check_deadlines()
    return made


def _pay(case, rng: random.Random) -> None:
    """Pay a demo case's fees: at the municipal centre's charge window (cash, card or QR) or
    online through the sandbox provider (its signed notification handled at once)."""
    from cases.models import OrderStatus
    from cases.selectors import order_of
    from cases.services.charges import (
        cashier_windows,
        payment_record_at_window,
        payment_start_online,
        sandbox_notify,
        sandbox_pay,
    )

    order = order_of(case)
    if order is None or order.status != OrderStatus.OPEN:
        return
    if rng.random() < 0.55:
        redirect = payment_start_online(actor=case.applicant, order=order,
                                        provider_name="sandbox", return_url="/")  # fmt: skip
        txn = redirect.rstrip("/").rsplit("/", 1)[-1]
        sandbox_pay(txn=txn)
        sandbox_notify(txn=txn)
        return
    cashier = User.objects.get(username="cashier")
    window = cashier_windows(cashier).first()
    payment_record_at_window(actor=cashier, order=order, window=window, amount=order.amount_due,
                             method=rng.choice(["cash", "card", "qr", "qr"]))  # fmt: skip


def _finish_acceptance(case, staff):
    from cases.models import WorkItem
    from cases.services import work_item_claim, work_item_complete

    work = WorkItem.objects.get(case=case, step="accept", status="open")
    actor = staff[f"{case.item.department.code}:clerk"]
    work_item_claim(actor=actor, work_item=work)
    return work_item_complete(actor=actor, work_item=work, outcome={"accepted": True})
    # Fees of cases still open stay unpaid: the charge window has orders waiting.


CITIZEN_ID = ("resident_id", "440703", "19580314", 126)
AGENT_ID = ("resident_id", "440705", "19880621", 317)
DEMO_LICENSES = [  # (holder, license type, fields)
    (CITIZEN_ID, "resident_id_card", {"address": "广东省江门市蓬江区（演示地址）"}),
    (CITIZEN_ID, "household_register", {"address": "广东省江门市蓬江区（演示地址）"}),
    (CITIZEN_ID, "social_security_card", {}),
    (("hkmo_permit", "M12345678"), "residence_permit", {"address": "江门市江海区（演示地址）"}),
    (AGENT_ID, "resident_id_card", {"address": "广东省江门市新会区（演示地址）"}),
    (AGENT_ID, "driving_licence", {"vehicleClass": "C1"}),
    ("enterprise", "business_license", {"address": "江门市蓬江区（演示地址）",
                                        "scope": "餐饮服务（演示）"}),
]  # fmt: skip
WITH_ID_NUMBER = {"resident_id_card", "household_register", "residence_permit", "driving_licence"}


def _demo_person(holder) -> Person:
    if holder[0] == "resident_id":
        _kind, area, birth, seq = holder
        return person_find(id_type=IdType.RESIDENT_ID, id_number=resident_id(area, birth, seq))
    return person_find(id_type=IdType.HKMO_PERMIT, id_number=holder[1])


def load_licenses(rng: random.Random) -> int:
    """E-licenses for the demo citizen, the Macao resident, the agent and the enterprise,
    issued and signed by the city's departments (keys generated for the demo)."""
    from licenses.models import License
    from licenses.selectors import license_type_get
    from licenses.services import license_issue

    made = 0
    enterprise = Enterprise.objects.filter(is_demo=True).order_by("pk").first()
    for holder_ref, code, extra in DEMO_LICENSES:
        license_type = license_type_get(code=code)
        authority = authority_list(department=license_type.issuer.code, region="440700").first()
        if holder_ref == "enterprise":
            holder = {"holder_enterprise": enterprise}
            fields = {"uscc": enterprise.uscc, "businessName": enterprise.name, **extra}
        else:
            person = _demo_person(holder_ref)
            holder = {"holder_person": person}
            fields = {"idNumber": person.id_number, **extra} if code in WITH_ID_NUMBER else extra
        if License.objects.filter(type=license_type, **holder).exists():
            continue
        license_issue(actor=None, authority=authority, license_type=license_type, fields=fields,
                      is_demo=True, **holder)  # fmt: skip
        made += 1
    return made


DEMO_RATINGS = 20_000
DEMO_ORDERS = 20_000


def load_orders(rng: random.Random) -> int:
    """A year of 12345 history (20,000 work orders) so queues and the board are alive."""
    from hotline.selectors import order_track
    from hotline.services import orders_generate

    if order_track(receipt_no="12345G00000000000000") is not None:
        return 0
    count = getattr(settings, "DEMO_ORDERS", DEMO_ORDERS)
    return orders_generate(count=count, seed=rng.randrange(10**6))


def load_ratings(rng: random.Random) -> int:
    """The demo applicants rate most of their closed applications (a few badly: those open
    rectifications, one already answered and called back), and a generated history of the
    city's halls over two years fills the dashboards. Idempotent."""
    from ratings.models import Rating, ServiceEvent
    from ratings.services import (
        rate,
        ratings_generate,
        rectification_callback,
        rectification_respond,
    )

    if Rating.objects.filter(is_demo=True).exists():
        return 0
    made = 0
    bad = 0
    clerks = {key: user for key, user in _demo_staff().items() if key.endswith(":clerk")}
    for event in ServiceEvent.objects.filter(is_demo=True, kind="case").order_by("ref"):
        if rng.random() < 0.3:
            continue  # not everyone rates
        level = rng.choices([5, 4, 3, 2, 1], [70, 16, 6, 5, 3])[0]
        words = {1: "窗口让我跑了两次（演示）", 2: "等候时间太长（演示）"}.get(level, "")
        dims = {"efficiency": level} if event.channel == "online" else {"attitude": level}
        rating = rate(actor=event.person, event=event, level=level, dimensions=dims, words=words)
        made += 1
        if rating.level <= 2:
            bad += 1
            staff = clerks.get(f"{event.department.code}:clerk")
            if bad % 2 == 0 and staff is not None:  # some answered and called back already
                answer = "已核实并向申请人说明，优化了窗口指引（演示）"
                row = rectification_respond(
                    actor=staff, rectification=rating.rectification, response=answer
                )
                rectification_callback(
                    actor=staff,
                    rectification=row,
                    note="申请人表示认可（演示）",
                    rater_satisfied=True,
                )
    halls = hall_list().count()
    count = getattr(settings, "DEMO_RATINGS", DEMO_RATINGS)
    generated = ratings_generate(count=count, halls=halls, days=730, seed=rng.randrange(10**6),
                                 people=300)  # fmt: skip
    return made + generated["ratings"]


def load_knowledge(rng: random.Random) -> int:
    """The 12345 centre's knowledge base: a dozen answers labelled DEMO (hotline/data)."""
    from hotline.services import articles_load_file

    return articles_load_file()


STEPS: list[tuple[str, Callable]] = [
    ("regions, departments, authorities", load_structure),
    ("e-license types, service catalog and search index", load_catalog),
    ("halls, windows and stations", load_halls),
    ("bank outlets", load_bank_outlets),
    ("people, enterprise, staff", load_people),
    ("e-licenses of the demo people and enterprise", load_licenses),
    ("applications of the last six months", load_cases),
    ("good/bad reviews: the applications' and two years of history", load_ratings),
    ("12345 work orders of the last year", load_orders),
    ("the 12345 centre's knowledge base", load_knowledge),
]


def demo_city_load(*, seed: int = SEED, progress: Callable | None = None) -> list[DemoLogin]:
    """Load (or confirm) the whole demo city. Refuses in production."""
    if settings.ONESTOP_ENV == "production":
        raise RuntimeError("The demo city is never loaded in production.")
    rng = random.Random(seed)
    logins: list[DemoLogin] = []
    for label, step in progress(STEPS) if progress else STEPS:
        result = step(rng)
        if label.startswith("people"):
            logins = result
    return logins
