"""The checklist library: the templates a person may use (their nodes' and those above), one
template with its questions and recorded changes, new template, adaptation, questions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, require, requires
from accounts.scoping import can, holds
from core import versioning
from core.forms import ReasonForm, add_service_errors
from inspections.forms.checklist import AdaptForm, QuestionForm, TemplateForm
from inspections.forms.plan import manageable_nodes
from inspections.models import ChecklistTemplate, Question
from inspections.models.checklist import MANAGE, VIEW
from inspections.services import checklist as services


@requires(VIEW)
def templates(request):
    rows = (
        ChecklistTemplate.objects.visible_to(request.user)
        .select_related("unit", "method", "parent")
        .order_by("-is_active", "title", "unit__path", "pk")
    )
    return render(
        request,
        "inspections/templates.html",
        {"templates": rows, "may_create": holds(request.user, MANAGE)},
    )


def visible_template(request, pk):
    return get_visible_or_404(
        ChecklistTemplate.objects.select_related("unit", "method", "parent"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


@requires(VIEW)
def template_detail(request, pk):
    template = visible_template(request, pk)
    user = request.user
    may_adapt = (
        manageable_nodes(user)
        .filter(path__startswith=template.unit.path)
        .exclude(pk=template.unit_id)
        .exists()
    )
    return render(
        request,
        "inspections/template_detail.html",
        {
            "template": template,
            "questions": template.questions.filter(is_active=True).select_related(
                "routine", "legal_section__regulation"
            ),
            "changes": template.changes.select_related("actor"),
            "adaptations": ChecklistTemplate.objects.visible_to(user)
            .filter(parent=template)
            .select_related("unit"),
            "parent_visible": template.parent_id
            and ChecklistTemplate.objects.visible_to(user).filter(pk=template.parent_id).exists(),
            "may_manage": can(user, MANAGE, template),
            "may_adapt": may_adapt,
        },
    )


@requires(MANAGE)
def template_create(request):
    form = TemplateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = services.create_template(
                actor=request.user,
                unit=data["unit"],
                title=data["title"],
                purpose=data["purpose"],
                method=data["method"],
                questions=data["questions"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if template.just_created:
                messages.success(request, _("The checklist was created."))
            return redirect(template)
    return render(request, "inspections/template_form.html", {"form": form})


@requires(MANAGE)
def template_adapt(request, pk):
    template = visible_template(request, pk)
    form = AdaptForm(request.POST or None, user=request.user, template=template)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.adapt_template(
                template,
                actor=request.user,
                unit=form.cleaned_data["unit"],
                reason=form.cleaned_data["reason"],
                form_token=form.cleaned_data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if copy.just_created:
                messages.success(request, _("The checklist was adapted for the unit."))
            return redirect(copy)
    return render(request, "inspections/adapt_form.html", {"form": form, "template": template})


@requires(MANAGE)
def question_add(request, pk):
    template = visible_template(request, pk)
    require(request.user, MANAGE, template)
    form = QuestionForm(request.POST or None, user=request.user, template=template)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_question(
                template,
                actor=request.user,
                text=data["text"],
                guidance=data["guidance"],
                routine=data["routine"],
                legal_section=data["legal_section"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question was added."))
            return redirect(template)
    return render(
        request,
        "inspections/question_form.html",
        {"form": form, "template": template, "question": None},
    )


def _question_form(request, question, data=None):
    initial = {
        "text": question.text,
        "guidance": question.guidance,
        "routine": question.routine_id,
        "legal_section": question.legal_section_id,
    }
    return QuestionForm(
        data, initial=initial, user=request.user, template=question.template, question=question
    )


def visible_question(request, pk):
    return get_visible_or_404(
        Question.objects.select_related("template__unit"),
        request.user,
        VIEW,
        request=request,
        pk=pk,
    )


@requires(MANAGE)
def question_edit(request, pk):
    question = visible_question(request, pk)
    template = question.template
    require(request.user, MANAGE, template)
    form = versioning.stamp(_question_form(request, question, request.POST or None))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with versioning.guard(
                form,
                lambda: _question_form(
                    request, Question.objects.select_for_update(of=("self",)).get(pk=question.pk)
                ),
            ):
                services.change_question(
                    question,
                    actor=request.user,
                    text=data["text"],
                    guidance=data["guidance"],
                    routine=data["routine"],
                    legal_section=data["legal_section"],
                    reason=data["reason"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        else:
            messages.success(request, _("The question was changed."))
            return redirect(template)
    return render(
        request,
        "inspections/question_form.html",
        {"form": form, "template": template, "question": question},
        status=versioning.status(form),
    )


@requires(MANAGE)
@require_POST
def question_remove(request, pk):
    question = visible_question(request, pk)
    require(request.user, MANAGE, question.template)
    services.remove_question(question, actor=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, _("The question is no longer asked."))
    return redirect(question.template)


@requires(MANAGE)
def template_in_use(request, pk):
    """Take a checklist out of use (with the reason) or into use again."""
    template = visible_template(request, pk)
    require(request.user, MANAGE, template)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = template.is_active
    if request.method == "POST" and form.is_valid():
        in_use = not template.is_active
        try:
            services.set_in_use(
                template, actor=request.user, in_use=in_use, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The checklist is in use again.")
                if in_use
                else _("The checklist was taken out of use."),
            )
            return redirect("inspections:template", template.pk)
    return render(request, "inspections/template_in_use.html", {"form": form, "template": template})
