"""The organisation's own Word template for the yearly reports: the templates of the parts of
the organisation the person writes reports for, and per part a page to upload, replace,
download or remove its template (reports/services/word_templates.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, requires
from accounts.scoping import can
from core.forms import add_service_errors
from organisation.models import OrgNode
from reports.forms import WordTemplateForm, WordTemplateNodeForm
from reports.models import WRITE, WordTemplate
from reports.services import word_templates
from reports.views.exports import DOCX

DOTX = "application/vnd.openxmlformats-officedocument.wordprocessingml.template"


def _node(request, node_pk):
    """A part of the organisation where the person writes reports (404 alike otherwise)."""
    return get_visible_or_404(
        OrgNode.objects.filter(is_active=True), request.user, WRITE, request=request, pk=node_pk
    )


@requires(WRITE)
def template_list(request):
    form = WordTemplateNodeForm(request.GET or None, actor=request.user)
    if form.is_valid():
        return redirect("reports:word_template", form.cleaned_data["node"].pk)
    # Those of the person's parts of the organisation and of the levels above them, which serve
    # their reports too; a link only where they may change it.
    templates = list(
        WordTemplate.objects.visible_to(request.user, WRITE)
        .filter(node__is_active=True)
        .select_related("node", "uploaded_by")
    )
    for template in templates:
        template.may_change = can(request.user, WRITE, template.node)
    return render(request, "reports/word_templates.html", {"form": form, "templates": templates})


@requires(WRITE)
def template_node(request, node_pk):
    node = _node(request, node_pk)
    form = WordTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            word_templates.set_template(node, form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The Word template was saved."))
            return redirect("reports:word_template", node.pk)
    own = WordTemplate.objects.filter(node=node).select_related("uploaded_by").first()
    context = {"node": node, "form": form, "own": own}
    context["applies"] = own or word_templates.template_for(node)
    return render(request, "reports/word_template.html", context)


@require_POST
@requires(WRITE)
def template_remove(request, node_pk):
    node = _node(request, node_pk)
    if word_templates.remove_template(node, actor=request.user):
        messages.success(request, _("The Word template was removed."))
    return redirect("reports:word_template", node.pk)


@requires(WRITE)
def template_file(request, node_pk):
    node = _node(request, node_pk)
    template = WordTemplate.objects.filter(node=node).first()
    if template is None:
        raise Http404
    try:
        handle = template.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    kind = DOTX if template.name.lower().endswith(".dotx") else DOCX
    response = FileResponse(handle, as_attachment=True, filename=template.name, content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
