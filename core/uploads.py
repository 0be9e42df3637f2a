"""Checking an uploaded file (a case material, a work order photo) by what it is, not by what
it claims to be.

The first bytes decide the type (PDF, JPEG, PNG, or an OFD — China's fixed-layout document
format, GB/T 33190, a ZIP holding OFD.xml); the file name and the browser's content type are
ignored. Size is limited by ``settings.CASES_UPLOAD_MAX_BYTES``. The stored name is the
content's hash, so an applicant's file name (which may hold personal data) is never kept."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from core.errors import InvalidInput

SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"PK\x03\x04", "application/ofd", ".ofd"),
]
ALLOWED_LABEL = "PDF, JPEG, PNG, OFD"


@dataclass(frozen=True)
class CheckedUpload:
    file: ContentFile
    content_type: str
    suffix: str
    size: int
    sha256: str
    label: str


def _read(upload: Any, limit: int, field: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise InvalidInput(_("The file is larger than %(mb)s MB.") % {"mb": limit // 2**20},
                           field=field)  # fmt: skip
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(_("The file is larger than %(mb)s MB.") % {"mb": limit // 2**20},
                           field=field)  # fmt: skip
    return data


def _is_ofd(data: bytes) -> bool:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "OFD.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def check_upload(upload: Any, *, field: str = "file") -> CheckedUpload:
    """The checked content of ``upload``, or InvalidInput naming ``field``."""
    if upload is None:
        raise InvalidInput(_("Choose a file."), field=field)
    data = _read(upload, settings.CASES_UPLOAD_MAX_BYTES, field)
    if not data:
        raise InvalidInput(_("The file is empty."), field=field)
    for magic, content_type, suffix in SIGNATURES:
        if data.startswith(magic) and (suffix != ".ofd" or _is_ofd(data)):
            label = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:100] or suffix
            return CheckedUpload(
                file=ContentFile(data), content_type=content_type, suffix=suffix,
                size=len(data), sha256=hashlib.sha256(data).hexdigest(), label=label,
            )  # fmt: skip
    raise InvalidInput(
        _("This kind of file is not accepted. Upload %(kinds)s.") % {"kinds": ALLOWED_LABEL},
        field=field,
    )
