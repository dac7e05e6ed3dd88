from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access import get_visible_or_404, requires
from accounts.scoping import grants
from organisation.models import OrgNode
from organisation.pdf import render_pdf
from privacy import services
from privacy.forms import SearchForm
from privacy.models import KEY, SubjectAccessSearch
from privacy.registry import article_15, rights

RECENT = 10


@requires(KEY)
def search(request):
    # POST only: a personal identity number never travels in an address, which logs keep.
    form = SearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = services.search(form.cleaned_data["term"], actor=request.user)
        return redirect(found)
    recent = SubjectAccessSearch.objects.visible_to(request.user)[:RECENT]
    return render(request, "privacy/search.html", {"form": form, "recent": recent})


def _organisation(user):
    """The board whose records the person answers for: the root of their first grant."""
    held = sorted(grants(user, KEY), key=lambda grant: grant.path)
    return OrgNode.objects.filter(pk=int(held[0].path[:8])).first() if held else None


def _extract_context(request, pk):
    found = get_visible_or_404(SubjectAccessSearch.objects, request.user, request=request, pk=pk)
    records = services.records(found, user=request.user, request=request)
    return {
        "search": found,
        "records": records,
        "article_15": article_15(r.record_type for r in records),
        "rights": rights(),
        "printed_at": timezone.localtime(),
        "printed_by": request.user,
        "organisation": _organisation(request.user),
    }


@requires(KEY)
def result(request, pk):
    return render(request, "privacy/result.html", _extract_context(request, pk))


@requires(KEY)
def extract(request, pk):
    context = _extract_context(request, pk)
    services.mark_exported(context["search"], actor=request.user, count=len(context["records"]))
    pdf = render_pdf("privacy/extract_pdf.html", context, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="registerutdrag-{pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
