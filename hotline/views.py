"""Pages of the 12345 hotline: a citizen's request and own orders, the public status lookup;
the operator's intake with live dispatch suggestions, the dispatchers' queue, the
department inbox, the supervision board and the work order page with its actions."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from directory.selectors import department_list, region_get, region_list

from . import selectors, services
from .models import OrderStatus, OrderType, WorkOrder
from .permissions import can_handle, can_support, is_dispatcher, works_on


class RequestForm(forms.Form):
    type = forms.ChoiceField(
        label=gettext_lazy("What is it?"), choices=OrderType.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=gettext_lazy("Tell us in your own words"),
        min_length=5,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    address = forms.CharField(label=gettext_lazy("Where (address)"), required=False, max_length=300)
    region = forms.ChoiceField(label=gettext_lazy("District, town and community"), required=False)
    contact_shared = forms.BooleanField(
        label=gettext_lazy("The department handling it may see my contact details"), required=False
    )
    photo = forms.FileField(
        label=gettext_lazy("A photo or document (optional: PDF, JPEG, PNG, OFD)"), required=False
    )
    lat = forms.CharField(
        label=gettext_lazy("Latitude (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    long = forms.CharField(
        label=gettext_lazy("Longitude (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    field_order = ["type", "text", "region", "address", "lat", "long", "contact_shared", "photo"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = list(region_list().exclude(level="city").order_by("path"))
        names = {r.code: r.name for r in regions}  # Traditional on a Traditional page
        self.fields["region"].choices = [("", "—")] + [
            (r.code, " · ".join(names[c] for c in r.path.strip("/").split("/") if c in names))
            for r in regions
        ]

    def region_obj(self):
        code = self.cleaned_data.get("region")
        return region_get(code=code) if code else None


class IntakeForm(RequestForm):
    """The operator's form: the caller may leave a name and a number (or stay anonymous)."""

    contact_name = forms.CharField(
        label=gettext_lazy("Caller's name (optional)"), required=False, max_length=100
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Caller's phone (optional)"), required=False, max_length=20
    )
    field_order = [
        "type", "text", "region", "address", "lat", "long", "contact_name", "contact_phone"
    ]  # fmt: skip


def _error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.detail))


def _create_from(request, form: RequestForm, channel: str) -> WorkOrder | None:
    """A posted, valid request form becomes a work order (None: show the form again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return services.order_create(
            actor=request.user,
            channel=channel,
            order_type=data["type"],
            text=data["text"],
            address=data["address"],
            region=form.region_obj(),
            contact_shared=data["contact_shared"],
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            attachment=data.get("photo"),
            lat=data.get("lat"),
            lng=data.get("long"),
        )
    except DomainError as error:
        _error(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    """A citizen's own request (web channel); an operator uses the intake page."""
    if not request.user.is_person:
        raise Http404
    form = RequestForm(request.POST or None, request.FILES or None)
    order = _create_from(request, form, "web")
    if order is not None:
        messages.success(request, _("Received. Your receipt number is %s.") % order.receipt_no)
        return redirect("hotline:mine")
    return render(request, "hotline/new.html", {"form": form})


@login_required
def mine(request):
    return render(
        request, "hotline/mine.html", {"orders": selectors.my_orders(actor=request.user)[:200]}
    )


def track(request):
    """Public: the status of a work order by its receipt number (not the citizen's words)."""
    receipt = (request.GET.get("receipt_no") or "").strip()
    order = selectors.order_track(receipt_no=receipt) if receipt else None
    return render(request, "hotline/track.html", {"order": order, "receipt": receipt[:20]})


def _staff(request):
    if not request.user.is_authenticated or not request.user.is_staff_member:
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """The operator takes a call: live suggestions as they type (htmx), then saves."""
    if not is_dispatcher(request.user):
        raise Http404
    form = IntakeForm(request.POST or None, request.FILES or None)
    order = _create_from(request, form, "phone")
    if order is not None:
        messages.success(request, _("Received. Receipt number %s.") % order.receipt_no)
        return redirect("hotline:order", receipt_no=order.receipt_no)
    return render(request, "hotline/intake.html", {"form": form})


@login_required
@require_POST
def suggest(request):
    """htmx: the departments the model suggests for the words typed so far, possible
    duplicates, and for a consultation the knowledge base's answers that fit."""
    if not is_dispatcher(request.user):
        raise Http404
    text = (request.POST.get("text") or "")[:4000]
    code = (request.POST.get("region") or "")[:20]
    region = region_get(code=code) if code else None
    suggestion = selectors.route(text, region) if len(text.strip()) >= 5 else None
    names = dict(department_list().values_list("code", "name_zh"))
    duplicates = selectors.duplicates_for(text=text, region=region) if suggestion else []
    consultation = suggestion is not None and request.POST.get("type") == OrderType.CONSULTATION
    context = {
        "suggestion": suggestion,
        "names": names,
        "categories": selectors.category_names(),
        "duplicates": duplicates,
        # While the caller is on the line: answers the operator may read out at once.
        "knowledge": selectors.knowledge_for(text)[:3] if consultation else [],
    }
    return render(request, "hotline/_suggestion.html", context)


@login_required
def queue(request):
    if not is_dispatcher(request.user):
        raise Http404
    return render(
        request, "hotline/queue.html", {"orders": selectors.queue(actor=request.user)[:200]}
    )


@login_required
def inbox(request):
    _staff(request)
    return render(
        request, "hotline/inbox.html", {"orders": selectors.inbox(actor=request.user)[:200]}
    )


@login_required
def board(request):
    if not is_dispatcher(request.user):
        raise Http404
    return render(request, "hotline/board.html", selectors.board(actor=request.user))


@login_required
@require_http_methods(["GET", "POST"])
def order(request, receipt_no: str):
    found = (
        WorkOrder.objects.select_related("authority", "citizen")
        .filter(receipt_no=receipt_no[:20])
        .first()
    )
    dispatcher = is_dispatcher(request.user)
    if found is None or not works_on(request.user, found):
        raise Http404
    supporter = can_support(request.user, found)
    if request.method == "POST":
        action, post = request.POST.get("action"), request.POST
        try:
            if action == "take":
                services.order_take(actor=request.user, order=found)
            elif action == "dispatch":
                services.order_dispatch(
                    actor=request.user,
                    order=found,
                    department=post.get("department", "")[:20],
                    ruling=post.get("ruling", "")[:2000],
                    supporting=[code[:20] for code in post.getlist("supporting")[:5]],
                )
            elif action == "support":
                services.order_support_note(
                    actor=request.user, order=found, note=post.get("note", "")
                )
            elif action == "attach":
                services.attachment_add(
                    actor=request.user, order=found, upload=request.FILES.get("file")
                )
            elif action == "answer":
                services.order_answer(
                    actor=request.user,
                    order=found,
                    answer=post.get("answer", ""),
                    article=post.get("article", "")[:20],
                )
            elif action == "sign":
                services.order_sign(actor=request.user, order=found)
            elif action == "return":
                services.order_return(
                    actor=request.user, order=found, reason=post.get("reason", "")
                )
            elif action == "reply":
                services.order_reply(actor=request.user, order=found, reply=post.get("reply", ""))
            elif action == "extend":
                try:
                    days = int(post.get("days", "0"))
                except ValueError:
                    days = 0
                services.order_extension_request(
                    actor=request.user, order=found, days=days, reason=post.get("reason", "")
                )
            elif action == "extension":
                services.order_extension_decide(
                    actor=request.user, order=found, approve=post.get("approve") == "yes"
                )
            elif action == "merge":
                into = WorkOrder.objects.filter(receipt_no=post.get("into", "")[:20]).first()
                if into is None:
                    raise Http404
                services.order_merge(actor=request.user, order=found, into=into)
            elif action == "callback":
                services.order_callback(
                    actor=request.user,
                    order=found,
                    satisfied=post.get("satisfied") == "yes",
                    words=post.get("words", ""),
                )
            else:
                raise Http404
        except DomainError as error:
            messages.error(request, str(error.detail))
        else:
            messages.success(request, _("Saved."))
        found.refresh_from_db()
        if not works_on(request.user, found):
            return redirect("hotline:inbox")  # returned: no longer this department's
        return redirect("hotline:order", receipt_no=found.receipt_no)
    names = dict(department_list().values_list("code", "name_zh"))
    return render(
        request,
        "hotline/order.html",
        {
            "order": found,
            "dispatcher": dispatcher,
            "handler": can_handle(request.user, found),
            "supporter": supporter,
            "categories": selectors.category_names(),
            "knowledge": selectors.knowledge_for(found.text)
            if dispatcher
            and found.type == OrderType.CONSULTATION
            and found.status == OrderStatus.RECEIVED
            else [],
            "contact": selectors.contact_for(actor=request.user, order=found),
            "supporting": found.supporting.select_related("department"),
            "attachments": found.attachments.all(),
            "departments": sorted(names.items()),
            "names": names,
            "Status": OrderStatus,
            "events": found.events.select_related("actor"),
            "duplicates": selectors.duplicates_for(
                text=found.text, region=found.region, exclude=found.pk
            )
            if dispatcher
            else [],
        },
    )


class ArticleForm(forms.Form):
    question = forms.CharField(label=gettext_lazy("Question citizens ask"), max_length=300)
    answer = forms.CharField(
        label=gettext_lazy("Answer operators give"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    keywords = forms.CharField(
        label=gettext_lazy("Keywords that find it (spaces or commas)"),
        required=False,
        max_length=500,
    )
    department = forms.ChoiceField(
        label=gettext_lazy("Department whose policy it is"), required=False
    )
    source = forms.CharField(
        label=gettext_lazy("Policy basis (document)"), required=False, max_length=300
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "—")] + [
            (d.code, d.name) for d in department_list()
        ]


def _version(request) -> int:
    """The version the editor saw (0, which never matches, for a missing or garbled one)."""
    value = request.POST.get("version") or ""
    return int(value) if value.isdigit() and len(value) < 10 else 0


def _article_save(request, form: ArticleForm, article=None) -> bool:
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if article is None:
            services.article_create(actor=request.user, **data)
        else:
            services.article_update(
                actor=request.user,
                article=article,
                version=_version(request),
                **data,
            )
    except DomainError as error:
        _error(form, error)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def knowledge(request):
    """The centre's knowledge base: its answers (searchable, retired ones apart) and a form
    for a new one."""
    if not is_dispatcher(request.user):
        raise Http404
    form = ArticleForm(request.POST or None)
    if _article_save(request, form):
        messages.success(request, _("Saved. Operators are offered this answer from now on."))
        return redirect("hotline:knowledge")
    query = (request.GET.get("q") or "").strip()[:100]
    retired = request.GET.get("status") == "retired"
    articles = selectors.article_list(query=query, status="retired" if retired else "published")
    return render(
        request,
        "hotline/knowledge.html",
        {"form": form, "articles": articles[:200], "query": query, "retired": retired},
    )


@login_required
@require_http_methods(["GET", "POST"])
def article(request, pk: int):
    """One answer of the knowledge base: correct it, renew it or retire it."""
    if not is_dispatcher(request.user):
        raise Http404
    found = selectors.article_get(pk=pk)
    if found is None:
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "retire":
        try:
            services.article_retire(actor=request.user, article=found, version=_version(request))
        except DomainError as error:
            messages.error(request, str(error.detail))
            return redirect("hotline:article", pk=found.pk)
        messages.success(request, _("Retired: it is no longer offered."))
        return redirect("hotline:knowledge")
    initial = {
        "question": found.question,
        "answer": found.answer,
        "keywords": found.keywords,
        "department": found.department.code if found.department else "",
        "source": found.source,
        "valid_until": found.valid_until,
    }
    form = ArticleForm(request.POST or None, initial=initial)
    if _article_save(request, form, found):
        messages.success(request, _("Saved."))
        return redirect("hotline:article", pk=found.pk)
    return render(request, "hotline/article.html", {"form": form, "article": found})


def hotspots(request):
    """Public: where and what citizens call about — volumes, rising topics, districts and the
    departments' scores (aggregates only, never the words)."""
    return render(request, "hotline/hotspots.html", selectors.hotspots())
