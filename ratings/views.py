"""Pages of 好差评: rate a service (signed in or from the invitation's link), my ratings and how
they were followed up, the rectification desk, the public and the staff dashboards, the
monthly report (CSV, PDF)."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.errors import DomainError, NotFound

from . import selectors, services
from .models import DIMENSIONS, Level, Rating, RatingChannel, Rectification, ServiceEvent, UnitKind
from .permissions import (
    can_mark_unfounded,
    can_read_ratings,
    can_run_pad,
    can_view_rectification,
)
from .report import report_pdf

LEVELS = [(level.value, level.label) for level in sorted(Level, key=lambda x: -x.value)]


class RateForm(forms.Form):
    level = forms.TypedChoiceField(
        label=gettext_lazy("Overall"), choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    words = forms.CharField(
        label=gettext_lazy("In your words (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, channel: str, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in DIMENSIONS[RatingChannel(channel)].items():
            self.fields[f"dim_{key}"] = forms.TypedChoiceField(
                label=label,
                choices=LEVELS,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                empty_value=None,
            )

    def dimensions(self) -> dict:
        return {
            k.removeprefix("dim_"): v
            for k, v in self.cleaned_data.items()
            if k.startswith("dim_") and v
        }


def _rate_page(request, event: ServiceEvent, token: str | None):
    existing = Rating.objects.filter(event=event).first()
    initial = {"level": existing.level, "words": existing.words} if existing else None
    form = RateForm(request.POST or None, channel=event.channel, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate(
                actor=request.user,
                event=event,
                level=form.cleaned_data["level"],
                dimensions=form.dimensions(),
                words=form.cleaned_data["words"],
                token=token,
            )
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.detail))
        else:
            messages.success(request, _("Thank you for your rating."))
            if request.user.is_authenticated and request.user.pk == event.person_id:
                return redirect("ratings:mine")
            return render(request, "ratings/thanks.html", {"event": event})
    return render(
        request, "ratings/rate.html", {"event": event, "form": form, "existing": existing}
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate(request, pk: int):
    event = ServiceEvent.objects.filter(pk=pk, person=request.user).first()
    if event is None:
        raise Http404
    return _rate_page(request, event, None)


@require_http_methods(["GET", "POST"])
def rate_by_token(request, token: str):
    """The SMS link: works without signing in, once, until it expires."""
    try:
        invitation = services.invitation_from_token(token[:400])
    except NotFound:
        return render(request, "ratings/link_invalid.html", status=404)
    return _rate_page(request, invitation.event, token[:400])


@login_required
def mine(request):
    return render(
        request,
        "ratings/mine.html",
        {
            "ratings": selectors.my_ratings(actor=request.user).select_related("rectification")[
                :200
            ],
            "pending": selectors.my_events_to_rate(actor=request.user)[:50],
        },
    )


def _dashboard_context(request, staff: bool) -> dict:
    period = selectors.period_parse(request.GET.get("period"))
    units = [UnitKind.DEPARTMENT, UnitKind.REGION, UnitKind.HALL]
    if staff:
        units += [UnitKind.WINDOW, UnitKind.STAFF]
    return {
        "period": period,
        "summary": selectors.city_summary(period=period),
        "trend": selectors.trend(months=12),
        "tables": [
            (unit, UnitKind(unit).label, selectors.assessment(unit=unit, period=period))
            for unit in units
        ],
        "staff": staff,
    }


def dashboard(request):
    """Public: the city's satisfaction, trends, rankings; aggregates only."""
    return render(request, "ratings/dashboard.html", _dashboard_context(request, staff=False))


@login_required
def staff_dashboard(request):
    if not can_read_ratings(request.user):
        raise Http404
    return render(request, "ratings/dashboard.html", _dashboard_context(request, staff=True))


@login_required
def behind(request):
    if not can_read_ratings(request.user):
        raise Http404
    unit = request.GET.get("unit", "city")
    if unit not in UnitKind.values:
        raise Http404
    try:
        unit_id = int(request.GET.get("unit_id", "0"))
    except ValueError:
        raise Http404 from None
    period = selectors.period_parse(request.GET.get("period"))
    rows = selectors.ratings_behind(actor=request.user, unit=unit, unit_id=unit_id, period=period)
    name = selectors.unit_names(unit, [unit_id]).get(unit_id, "")
    return render(
        request,
        "ratings/behind.html",
        {"ratings": rows[:500], "period": period, "name": name, "count": rows.count()},
    )


@login_required
def report(request):
    """The monthly (or quarterly) report: CSV or PDF."""
    if not can_read_ratings(request.user):
        raise Http404
    period = selectors.period_parse(request.GET.get("period"))
    tables = [
        (unit, selectors.assessment(unit=unit, period=period))
        for unit in (UnitKind.CITY, UnitKind.DEPARTMENT, UnitKind.REGION, UnitKind.HALL)
    ]
    if request.GET.get("format") == "pdf":
        response = HttpResponse(report_pdf(period, tables), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="ratings-{period.key}.pdf"'
        return response
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "unit",
            "unit_id",
            "name",
            "rated",
            "very_dissatisfied",
            "dissatisfied",
            "basically_satisfied",
            "satisfied",
            "very_satisfied",
            "satisfaction_rate",
            "bad_rate",
            "rectifications",
            "on_time_rate",
            "callback_rate",
        ]
    )
    for unit, rows in tables:
        for f in rows:
            writer.writerow(
                [
                    unit,
                    f.unit_id,
                    f.name,
                    f.rated,
                    *f.levels,
                    f.satisfaction_rate,
                    f.bad_rate,
                    f.rectifications,
                    f.on_time_rate,
                    f.callback_rate,
                ]
            )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="ratings-{period.key}.csv"'
    return response


@login_required
def rectifications(request):
    if not can_read_ratings(request.user):
        raise Http404
    status = request.GET.get("status") or None
    rows = selectors.rectifications_for(actor=request.user, status=status)
    return render(request, "ratings/rectifications.html", {"rows": rows[:300], "status": status})


class RespondForm(forms.Form):
    response = forms.CharField(
        label=gettext_lazy("What was found and done"),
        min_length=2,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence (documents, recordings, where)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CallbackForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What the rater said on the callback"),
        min_length=2,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rater_satisfied = forms.TypedChoiceField(
        label=gettext_lazy("Is the rater satisfied with the handling?"),
        widget=forms.RadioSelect,
        choices=[
            ("yes", gettext_lazy("Yes")),
            ("no", gettext_lazy("No")),
            ("", gettext_lazy("Did not say")),
        ],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        required=False,
        empty_value=None,
    )


class UnfoundedForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the review is unfounded"),
        min_length=4,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rectification(request, pk: int):
    row = (
        Rectification.objects.select_related("rating", "rating__event", "authority")
        .filter(pk=pk)
        .first()
    )
    if (
        row is None
        or not can_view_rectification(request.user, row)
        or not can_read_ratings(request.user)
    ):
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    forms_ = {
        "respond": RespondForm(request.POST if action == "respond" else None),
        "callback": CallbackForm(request.POST if action == "callback" else None),
        "unfounded": UnfoundedForm(request.POST if action == "unfounded" else None),
    }
    form = forms_.get(action or "")
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "respond":
                services.rectification_respond(
                    actor=request.user,
                    rectification=row,
                    response=data["response"],
                    evidence=data["evidence"],
                )
            elif action == "callback":
                services.rectification_callback(
                    actor=request.user,
                    rectification=row,
                    note=data["note"],
                    rater_satisfied=data["rater_satisfied"],
                )
            else:
                services.rating_mark_unfounded(
                    actor=request.user, rating=row.rating, reason=data["reason"]
                )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.detail))
        else:
            messages.success(request, _("Saved."))
            return redirect("ratings:rectification", pk=row.pk)
    return render(
        request,
        "ratings/rectification.html",
        {
            "row": row,
            "forms": forms_,
            "may_mark": can_mark_unfounded(request.user, row.rating),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pad(request, window: int):
    """评价器: the pad on a window's counter. After a clerk takes in an application, the
    person served taps one of five faces (the pad carries the visit's single-use token; the
    clerk cannot rate the same visit twice). Refreshes itself while idle."""
    from directory.selectors import window_get

    found = window_get(pk=window)
    if found is None or not can_run_pad(request.user, found):
        raise Http404
    if request.method == "POST":
        event = ServiceEvent.objects.filter(pk=request.POST.get("event") or 0, window=found).first()
        try:
            level = int(request.POST.get("level", "0"))
            if event is None:
                raise NotFound()
            services.rate(actor=None, event=event, level=level,
                          token=services.invitation_token(event.invitation))  # fmt: skip
        except (ValueError, NotFound):
            messages.error(request, _("This visit can no longer be rated here."))
        except DomainError as error:
            messages.error(request, str(error.detail))
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect("ratings:pad", window=found.pk)
    event = selectors.pad_next(window=found)
    return render(request, "ratings/pad.html", {"window": found, "event": event,
                                                "levels": LEVELS})  # fmt: skip
