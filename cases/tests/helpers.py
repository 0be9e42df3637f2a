"""Files and places the cases tests share."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def ofd(with_root: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml" if with_root else "word/document.xml", "<ofd:OFD/>")
    return buffer.getvalue()


def upload(content: bytes = PDF, name: str = "scan.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def intake_window(department: str = "PSB"):
    """The municipal centre's comprehensive window A01 and a clerk of ``department`` there."""
    from accounts.models import Role
    from accounts.services import staff_assign, staff_create
    from directory.models import Authority, Region
    from directory.services import hall_upsert, window_upsert

    city = Region.objects.get(level="city")
    hall = hall_upsert(code="T-C000", name_zh="测试市民服务中心", kind="centre", region=city)
    window = window_upsert(hall=hall, number="A01", kind="intake")
    user = staff_create(actor=None, username=f"window-{department.lower()}",
                        display_name="窗口", password="Correct-Horse-2026")  # fmt: skip
    authority = Authority.objects.get(department__code=department, region__level="city")
    staff_assign(actor=None, user=user, authority=authority, role=Role.CLERK, hall=hall)
    return window, user


def bank_outlet_clerk():
    from accounts.models import Role
    from accounts.services import staff_assign, staff_create
    from directory.models import Authority, Region
    from directory.services import bank_outlet_upsert

    outlet = bank_outlet_upsert(code="T-BANK-1", bank_zh="测试银行", branch_zh="蓬江支行",
                                region=Region.objects.get(code="440703"))  # fmt: skip
    user = staff_create(actor=None, username="bank-teller", display_name="柜员",
                        password="Correct-Horse-2026")  # fmt: skip
    authority = Authority.objects.get(department__code="SAMR", region__level="city")
    staff_assign(actor=None, user=user, authority=authority, role=Role.CLERK, outlet=outlet)
    return outlet, user


FORM = {"contact_phone": "13800000101", "address": "江门市蓬江区建设路1号"}


def run_step(actor, case, step: str, outcome: dict):
    """Take the case's open ``step`` task as ``actor`` and finish it with ``outcome``."""
    from cases.models import WorkItem, WorkItemStatus
    from cases.services import work_item_claim, work_item_complete

    work = WorkItem.objects.get(case=case, step=step, status=WorkItemStatus.OPEN)
    work_item_claim(actor=actor, work_item=work)
    return work_item_complete(actor=actor, work_item=work, outcome=outcome)
