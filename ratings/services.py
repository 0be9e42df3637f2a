"""Writes of 好差评. Every write is one service: it checks who may do it, moves state by
compare-and-set, and keeps the rollups in step in the same transaction."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import notify
from core.errors import Conflict, InvalidInput, NotFound, require
from core.workdays import add_working_days
from directory.selectors import region_get

from .models import (
    DIMENSIONS,
    EventKind,
    Invitation,
    Rating,
    RatingChannel,
    Rectification,
    RectificationStatus,
    Rollup,
    ServiceEvent,
    UnitKind,
)
from .permissions import can_handle_rectification, can_mark_unfounded

TOKEN_SALT = "onestop.ratings.invitation"
CHANGE_WINDOW = dt.timedelta(hours=24)


def _days(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def district_of(region):
    """The district (or county-level city) a region lies in; the city itself for the city."""
    codes = region.path.strip("/").split("/")
    if len(codes) < 2:
        return region
    return region_get(code=codes[1]) or region


# Events and invitations -------------------------------------------------------------------


@transaction.atomic
def event_close(
    *,
    kind: str,
    ref: str,
    person,
    service_name: str,
    authority,
    channel: str,
    hall=None,
    window=None,
    staff=None,
    staff_id: int | None = None,
    ended_at=None,
    is_demo: bool = False,
    invite: bool = True,
    notify: bool = True,
) -> ServiceEvent:
    """A service ended (called by the cases app, the hotline, the hall pad): record the event
    once and invite the person served to rate it — in the site, by e-mail and by an SMS link
    with a signed single-use token. Idempotent on (kind, ref)."""
    if kind not in EventKind.values or channel not in RatingChannel.values:
        raise InvalidInput(_("This value is not valid here."), field="kind")
    existing = ServiceEvent.objects.filter(kind=kind, ref=ref).first()
    if existing is not None:
        return existing
    region = district_of(hall.region if hall is not None else authority.region)
    event = ServiceEvent.objects.create(
        kind=kind,
        ref=ref[:40],
        person=person,
        service_name=service_name[:300],
        channel=channel,
        department=authority.department,
        authority=authority,
        region=region,
        hall=hall,
        window=window,
        staff_id=staff.pk if staff is not None else staff_id,
        ended_at=ended_at or timezone.now(),
        is_demo=is_demo,
    )
    if invite:
        invitation_send(event=event, send=notify)
    return event


def invitation_send(*, event: ServiceEvent, send: bool = True) -> Invitation:
    expires = event.ended_at + dt.timedelta(days=_days("RATINGS_INVITATION_DAYS", 15))
    invitation = Invitation.objects.create(
        event=event, nonce=secrets.token_hex(16), expires_at=expires
    )
    if not send:  # rated on the window's pad instead
        return invitation
    link = f"/ratings/rate/{invitation_token(invitation)}/"
    notify(
        user=event.person,
        url=link,
        sms=True,
        subject=gettext_lazy("How did we do? Rate “%(service)s”"),
        body=gettext_lazy(
            "Your rating goes to the department and to the city's assessment. "
            "A bad review is followed up and you will be called back."
        ),
        params={"service": event.service_name[:60]},
    )
    return invitation


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(
        {"e": invitation.event_id, "n": invitation.nonce}, salt=TOKEN_SALT, compress=True
    )


def invitation_from_token(token: str) -> Invitation:
    """The invitation of a signed link; NotFound for a forged, expired or used one."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise NotFound() from None
    invitation = (
        Invitation.objects.select_related("event")
        .filter(event_id=data.get("e"), nonce=data.get("n"))
        .first()
    )
    if invitation is None or invitation.used_at is not None:
        raise NotFound()
    if invitation.expires_at < timezone.now():
        raise NotFound()
    return invitation


# Rating -----------------------------------------------------------------------------------


def _check(event: ServiceEvent, level: int, dimensions: dict, words: str) -> dict:
    if level not in (1, 2, 3, 4, 5):
        raise InvalidInput(_("Choose one of the five levels."), field="level")
    allowed = DIMENSIONS[RatingChannel(event.channel)]
    clean = {}
    for key, value in (dimensions or {}).items():
        if key not in allowed:
            raise InvalidInput(_("This value is not valid here."), field=f"dimensions.{key}")
        if value not in (1, 2, 3, 4, 5):
            raise InvalidInput(_("Choose one of the five levels."), field=f"dimensions.{key}")
        clean[key] = value
    if len(words or "") > 1000:
        raise InvalidInput(_("Keep it under 1000 characters."), field="words")
    return clean


@transaction.atomic
def rate(
    *,
    actor,
    event: ServiceEvent,
    level: int,
    dimensions: dict | None = None,
    words: str = "",
    token: str | None = None,
) -> Rating:
    """Rate an event, or change the rating within 24 hours (a second rating updates the first,
    never adds). Needs: being the person served (signed in, or holding the invitation's link:
    the link then works once). A dissatisfied or very dissatisfied rating opens a
    rectification for the responsible unit. Records: the rollups, the rectification."""
    if token is not None:
        invitation = invitation_from_token(token)
        if invitation.event_id != event.pk:
            raise NotFound()
        used = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used != 1:
            raise NotFound()
        actor = event.person
    require(getattr(actor, "pk", None) == event.person_id)
    clean = _check(event, level, dimensions or {}, words)
    now = timezone.now()
    existing = Rating.objects.select_for_update().filter(event=event).first()
    if existing is None:
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    event=event,
                    person=event.person,
                    level=level,
                    dimensions=clean,
                    words=(words or "").strip(),
                    channel=event.channel,
                    department_id=event.department_id,
                    authority_id=event.authority_id,
                    region_id=event.region_id,
                    hall_id=event.hall_id,
                    window_id=event.window_id,
                    staff_id=event.staff_id,
                    day=timezone.localdate(now),
                    rated_at=now,
                    is_demo=event.is_demo,
                )
        except IntegrityError:
            raise Conflict(_("This service was rated meanwhile; reload it.")) from None
        _count(rating, +1)
        if rating.is_bad:
            _open_rectification(rating)
        Invitation.objects.filter(event=event, used_at__isnull=True).update(used_at=now)
        return rating
    if now - existing.rated_at > CHANGE_WINDOW:
        raise Conflict(_("A rating can be changed only within 24 hours."))
    if existing.unfounded:
        raise Conflict(_("This rating was reviewed and can no longer be changed."))
    if (
        Rating.objects.filter(pk=existing.pk, version=existing.version).update(
            level=level,
            dimensions=clean,
            words=(words or "").strip(),
            changed_at=now,
            version=F("version") + 1,
        )
        != 1
    ):
        raise Conflict(_("This rating changed meanwhile; reload it."))
    was_bad = existing.is_bad
    _count(existing, -1)
    existing.refresh_from_db()
    _count(existing, +1)
    if existing.is_bad and not was_bad and not _has_rectification(existing):
        _open_rectification(existing)
    return existing


def _has_rectification(rating: Rating) -> bool:
    return Rectification.objects.filter(rating=rating).exists()


def _open_rectification(rating: Rating) -> Rectification:
    due = add_working_days(timezone.localdate(), _days("RATINGS_RECTIFICATION_DAYS", 5))
    row = Rectification.objects.create(rating=rating, authority_id=rating.authority_id, due_on=due)
    _bump(rating, rectifications=1)
    return row


# Rollups ----------------------------------------------------------------------------------


def units_of(rating: Rating) -> list[tuple[str, int]]:
    units: list[tuple[str, int]] = [
        (UnitKind.CITY, 0),
        (UnitKind.DEPARTMENT, rating.department_id),
        (UnitKind.REGION, rating.region_id),
    ]
    for kind, value in (
        (UnitKind.HALL, rating.hall_id),
        (UnitKind.WINDOW, rating.window_id),
        (UnitKind.STAFF, rating.staff_id),
    ):
        if value is not None:
            units.append((kind, value))
    return units


def _bump(rating: Rating, **deltas: int) -> None:
    """Add ``deltas`` to the rollup rows of every unit of ``rating`` on its day (upsert)."""
    for unit, unit_id in units_of(rating):
        key = {"unit": unit, "unit_id": unit_id, "day": rating.day, "channel": rating.channel}
        changes = {field: F(field) + delta for field, delta in deltas.items() if delta}
        if not changes:
            return
        deltas = {field: delta for field, delta in deltas.items() if delta}
        if Rollup.objects.filter(**key).update(**changes):
            continue
        try:
            with transaction.atomic():
                Rollup.objects.create(**key, **deltas)
        except IntegrityError:  # created meanwhile by a concurrent rating
            Rollup.objects.filter(**key).update(**changes)


def _count(rating: Rating, sign: int) -> None:
    """Count (sign +1) or uncount (−1) a rating's level; unfounded ratings never count."""
    if rating.unfounded:
        return
    _bump(rating, n=sign, **{f"l{rating.level}": sign})


def rollups_recount() -> dict[tuple, dict[str, int]]:
    """Every rollup's counts recomputed from the raw ratings and rectifications: {(unit,
    unit_id, day, channel): counts}. The check of the incremental counts."""
    counts: dict[tuple, Counter] = {}
    ratings = Rating.objects.values_list(
        "pk", "day", "channel", "level", "unfounded", "department_id", "region_id", "hall_id",
        "window_id", "staff_id",
    )  # fmt: skip
    rect = {r.rating_id: r for r in Rectification.objects.all()}
    for row in ratings.iterator(chunk_size=20000):
        pk, day, channel, level, unfounded, dept, region, hall, window, staff = row
        units = [(UnitKind.CITY, 0), (UnitKind.DEPARTMENT, dept), (UnitKind.REGION, region)]
        units += [(k, v) for k, v in ((UnitKind.HALL, hall), (UnitKind.WINDOW, window),
                                      (UnitKind.STAFF, staff)) if v is not None]  # fmt: skip
        fix = rect.get(pk)
        for unit, unit_id in units:
            counter = counts.setdefault((unit, unit_id, day, channel), Counter())
            if unfounded:
                continue
            counter["n"] += 1
            counter[f"l{level}"] += 1
            if fix is not None:
                counter["rectifications"] += 1
                counter["rect_closed"] += fix.status == RectificationStatus.CLOSED
                counter["rect_on_time"] += bool(fix.on_time)
                counter["callbacks"] += fix.callback_at is not None
    cleaned = {key: {k: v for k, v in counter.items() if v} for key, counter in counts.items()}
    return {key: value for key, value in cleaned.items() if value}


UNIT_COLUMNS = {UnitKind.CITY: "0", UnitKind.DEPARTMENT: "r.department_id",
                UnitKind.REGION: "r.region_id", UnitKind.HALL: "r.hall_id",
                UnitKind.WINDOW: "r.window_id", UnitKind.STAFF: "r.staff_id"}  # fmt: skip


@transaction.atomic
def rollups_rebuild() -> int:
    """Replace every rollup by a recount done in the database, one INSERT … SELECT … GROUP BY
    per kind of unit (after a bulk load, or to repair). Same rules as ``rollups_recount``."""
    Rollup.objects.all().delete()
    rating, fix, rollup = Rating._meta.db_table, Rectification._meta.db_table, Rollup._meta.db_table
    counted = "CASE WHEN r.unfounded THEN 0 ELSE 1 END"
    levels = ", ".join(f"SUM(CASE WHEN r.unfounded THEN 0 WHEN r.level = {i} THEN 1 ELSE 0 END)"
                       for i in range(1, 6))  # fmt: skip
    fixes = (
        "SUM(CASE WHEN r.unfounded OR x.id IS NULL THEN 0 ELSE 1 END), "
        "SUM(CASE WHEN r.unfounded OR x.id IS NULL OR x.status <> %s THEN 0 ELSE 1 END), "
        "SUM(CASE WHEN r.unfounded OR x.id IS NULL THEN 0 WHEN x.on_time THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN r.unfounded OR x.callback_at IS NULL THEN 0 ELSE 1 END)"
    )
    with connection.cursor() as cursor:
        for unit, column in UNIT_COLUMNS.items():
            where = "" if column == "0" else f"WHERE {column} IS NOT NULL"
            group = "r.day, r.channel" if column == "0" else f"r.day, r.channel, {column}"
            cursor.execute(
                f"INSERT INTO {rollup} (day, unit, unit_id, channel, n, l1, l2, l3, l4, l5, "  # noqa: S608
                f"rectifications, rect_closed, rect_on_time, callbacks) "
                f"SELECT r.day, %s, {column}, r.channel, SUM({counted}), {levels}, {fixes} "
                f"FROM {rating} r LEFT JOIN {fix} x ON x.rating_id = r.id {where} "
                f"GROUP BY {group} HAVING SUM({counted}) > 0",
                [unit, RectificationStatus.CLOSED],
            )
    return Rollup.objects.count()


# Rectification ----------------------------------------------------------------------------


def _move(row: Rectification, *, expect: str, **changes) -> Rectification:
    moved = Rectification.objects.filter(pk=row.pk, version=row.version, status=expect).update(
        version=F("version") + 1, **changes
    )
    if moved != 1:
        raise Conflict(_("This rectification moved on meanwhile; reload it."))
    row.refresh_from_db()
    return row


@transaction.atomic
def rectification_respond(
    *, actor, rectification: Rectification, response: str, evidence: str = ""
) -> Rectification:
    """The responsible unit says what it found and did. Needs: staff of the unit."""
    require(can_handle_rectification(actor, rectification))
    response = (response or "").strip()
    if len(response) < 2:
        raise InvalidInput(
            _("Say what was found and done (at least 2 characters)."), field="response"
        )
    return _move(
        rectification,
        expect=RectificationStatus.OPEN,
        response=response[:4000],
        evidence=(evidence or "").strip()[:4000],
        responded_at=timezone.now(),
        responded_by=actor,
        status=RectificationStatus.RESPONDED,
    )


@transaction.atomic
def rectification_callback(
    *, actor, rectification: Rectification, note: str, rater_satisfied: bool | None
) -> Rectification:
    """回访: the unit called the rater back and records what they said; the rectification
    closes (a callback is required to close). On time if closed by the due date."""
    require(can_handle_rectification(actor, rectification))
    note = (note or "").strip()
    if len(note) < 2:
        raise InvalidInput(_("Record what the rater said."), field="note")
    now = timezone.now()
    on_time = timezone.localdate(now) <= rectification.due_on
    row = _move(
        rectification,
        expect=RectificationStatus.RESPONDED,
        callback_at=now,
        callback_by=actor,
        callback_note=note[:4000],
        rater_satisfied=rater_satisfied,
        status=RectificationStatus.CLOSED,
        closed_at=now,
        on_time=on_time,
    )
    _bump(row.rating, rect_closed=1, rect_on_time=int(on_time), callbacks=1)
    rating = row.rating
    notify(
        user=rating.person,
        url="/ratings/mine/",
        subject=gettext_lazy("Your review of “%(service)s” was followed up"),
        body=gettext_lazy("See what the department found and did."),
        params={"service": rating.event.service_name[:60]},
    )
    return row


@transaction.atomic
def rating_mark_unfounded(*, actor, rating: Rating, reason: str) -> Rating:
    """A supervisor finds a bad review unfounded (e.g. malicious, or about something else):
    it is marked with the reason, never deleted, and leaves the assessment. Its
    rectification closes as unfounded."""
    require(can_mark_unfounded(actor, rating))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise InvalidInput(_("Give the reason (at least 4 characters)."), field="reason")
    if rating.unfounded:
        raise Conflict(_("This rating is already marked unfounded."))
    if (
        Rating.objects.filter(pk=rating.pk, version=rating.version, unfounded=False).update(
            unfounded=True,
            unfounded_reason=reason[:2000],
            unfounded_by=actor,
            version=F("version") + 1,
        )
        != 1
    ):
        raise Conflict(_("This rating changed meanwhile; reload it."))
    _count(rating, -1)  # it counted before; now it does not
    rating.refresh_from_db()
    row = Rectification.objects.filter(rating=rating).first()
    if row is not None:  # its rectification leaves the assessment with it
        _bump(
            rating,
            rectifications=-1,
            rect_closed=-int(row.status == RectificationStatus.CLOSED),
            rect_on_time=-int(bool(row.on_time)),
            callbacks=-int(row.callback_at is not None),
        )
        if row.status != RectificationStatus.CLOSED:
            Rectification.objects.filter(pk=row.pk).update(
                status=RectificationStatus.UNFOUNDED,
                closed_at=timezone.now(),
                version=F("version") + 1,
            )
    return rating


def rectifications_escalate() -> dict[str, Any]:
    """督办: rectifications past their due date without a closing callback are escalated
    once (compare-and-set), and the unit's supervisors are told. Idempotent."""
    from accounts.selectors import staff_of_authority

    today = timezone.localdate()
    overdue = Rectification.objects.filter(
        status__in=[RectificationStatus.OPEN, RectificationStatus.RESPONDED],
        due_on__lt=today,
        escalated_at__isnull=True,
    ).select_related("rating__event")
    escalated = 0
    for row in overdue:
        if (
            Rectification.objects.filter(pk=row.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            )
            != 1
        ):
            continue
        escalated += 1
        for user in staff_of_authority(authority_id=row.authority_id, role="supervisor"):
            notify(
                user=user,
                url=f"/ratings/staff/rectifications/{row.pk}/",
                subject=gettext_lazy("Overdue rectification of a bad review: %(service)s"),
                params={"service": row.rating.event.service_name[:60]},
            )
    return {"escalated": escalated}


def ratings_generate(**options) -> dict:
    """City-sized demo history (see ratings/generator.py); refuses in production."""
    from .generator import generate

    return generate(**options)
