import inspect

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.access import get_visible_or_404, require, requires
from accounts.models import User
from audit.forms import AccessLogSearchForm
from audit.history import has_full_view, history_page
from audit.models import AccessLog
from core.csv import BOM
from core.csv import writer as csv_writer

ACCESS_LOG_PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 50


def _search(request):
    """(form, rows) for the access-log search in the query string; no rows when it is invalid."""
    form = AccessLogSearchForm(request.GET or None)
    rows = AccessLog.objects.select_related("user", "content_type").order_by("-at", "-pk")
    if form.is_bound:
        rows = form.filter(rows) if form.is_valid() else rows.none()
    return form, rows


@requires("audit.review_access_log")
def access_log(request):
    """Reads of sensitive records, newest first, searchable by person, record and date."""
    form, rows = _search(request)
    page = Paginator(rows, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    person = None
    if form.is_bound and form.is_valid() and form.cleaned_data.get("user"):
        person = User.objects.filter(pk=form.cleaned_data["user"]).first()
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "person": person, "searched": form.is_bound},
    )


@requires("audit.review_access_log")
def access_log_export(request):
    """The current search as CSV (UTF-8 with BOM so spreadsheet programs read å, ä, ö)."""
    form, rows = _search(request)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('audit:access_log')}?{request.GET.urlencode()}")
    writer = csv_writer()

    def lines():
        yield BOM
        yield writer.writerow(
            [
                _("When"),
                _("Person"),
                _("User id"),
                _("Kind of record"),
                _("Record id"),
                _("Record"),
                _("Address"),
                _("IP address"),
                _("Refused attempt"),
            ]
        )
        for row in rows.iterator(chunk_size=2000):
            model = row.content_type.model_class()
            yield writer.writerow(
                [
                    timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                    row.user_repr,
                    row.user_id or "",
                    capfirst(model._meta.verbose_name) if model else "",
                    row.object_id,
                    row.object_repr,
                    row.path,
                    row.ip_address or "",
                    _("Yes") if row.denied else "",
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _view_key(model, queryset):
    """The key that lets a person see the model: its `view_permission`, else the default of
    its `visible_to` (the user list has its own, "accounts.view_users")."""
    key = getattr(model, "view_permission", None)
    if key:
        return key
    parameter = inspect.signature(queryset.visible_to).parameters.get("key")
    default = parameter.default if parameter is not None else None
    return default if isinstance(default, str) else None


@requires("audit.view_history")
def history(request, content_type_id, object_id):
    """The full history of one object, for those who may see the object and its history."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        raise Http404 from None
    model = content_type.model_class()
    if model is None or not has_full_view(model):
        raise Http404
    try:
        model._meta.pk.to_python(object_id)
    except ValidationError:
        raise Http404 from None
    queryset = model._default_manager.all()
    if hasattr(queryset, "readable_by"):
        # Some records are visible in a list but their details are restricted (a lex Sarah
        # track): their history is details.
        queryset = queryset.readable_by(request.user)
    obj = get_visible_or_404(
        queryset, request.user, _view_key(model, queryset), request=request, pk=object_id
    )
    require(request.user, "audit.view_history", obj)

    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    offset = (number - 1) * HISTORY_PAGE_SIZE
    entries, has_more = history_page(obj, offset, HISTORY_PAGE_SIZE, user=request.user)
    if not entries and number > 1:
        raise Http404
    here = request.path
    try:
        object_url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None
    except NoReverseMatch:
        object_url = None
    return render(
        request,
        "audit/history_page.html",
        {
            "object": obj,
            "object_url": object_url,
            "kind": model._meta.verbose_name,
            "entries": entries,
            "newer_url": (
                None if number == 1 else (here if number == 2 else f"{here}?page={number - 1}")
            ),
            "older_url": f"{here}?page={number + 1}" if has_more else None,
        },
    )
