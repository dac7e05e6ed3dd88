"""Retention pages: the dry run (also printable), rules, legal holds and the log of runs.

The pages show references and dates only, never the content of a record: the role that
thins (by default also the system administrator) need not read the cases it thins.
"""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_visible_or_404, requires
from accounts.scoping import scope_q
from core import versioning
from core.forms import add_service_errors
from retention import engine, registry, services
from retention.forms import HoldForm, LiftForm, RuleForm
from retention.models import KEY, LegalHold, RetentionRule, RetentionRun, RetentionSetting


def _report(request):
    dues = engine.due_records(user=request.user)
    return {
        "dues": dues,
        "total": sum(d.count for d in dues),
        "now": timezone.now(),
        "setting": RetentionSetting.current(),
        "holds": LegalHold.objects.visible_to(request.user).active().count(),
    }


@requires(KEY)
def overview(request):
    context = _report(request)
    context["last_run"] = RetentionRun.objects.select_related("actor").first()
    return render(request, "retention/overview.html", context)


@requires(KEY)
def report_print(request):
    return render(request, "retention/print.html", _report(request))


@requires(KEY)
@require_POST
def run(request):
    executed = services.execute_run(actor=request.user)
    message = _("%(count)s records were thinned and the run was logged.")
    messages.success(request, message % {"count": executed.total})
    return redirect("retention:run", pk=executed.pk)


@requires(KEY)
@require_POST
def automatic(request):
    turned_on = request.POST.get("automatic") == "on"
    services.set_automatic(actor=request.user, automatic=turned_on)
    if turned_on:
        messages.success(request, _("Automatic thinning is on: it runs on schedule."))
    else:
        messages.success(request, _("Automatic thinning is off."))
    return redirect("retention:overview")


@requires(KEY)
def rules(request):
    rows = list(RetentionRule.objects.select_related("section__regulation"))
    for rule in rows:
        # The name of the kind of record comes from the registry the record types fill.
        rule.record_type_label = registry.label_of(rule.record_type)
    return render(request, "retention/rules.html", {"rules": rows})


def _edit_rule(request, rule):
    form = versioning.stamp(RuleForm(request.POST or None, instance=rule))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != versioning.FIELD}
        try:
            if rule.pk is None:
                services.save_rule(rule, actor=request.user, **fields)
            else:
                with versioning.guard(
                    form,
                    lambda: RuleForm(
                        instance=RetentionRule.objects.select_for_update().get(pk=rule.pk)
                    ),
                ) as _current:
                    services.save_rule(rule, actor=request.user, **fields)
        except versioning.Conflict as conflict:
            conflict.keep(form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The retention rule was saved."))
            return redirect("retention:rules")
    return render(
        request,
        "retention/rule_form.html",
        {"form": form, "rule": rule},
        status=versioning.status(form),
    )


@requires(KEY)
def rule_new(request):
    return _edit_rule(request, RetentionRule())


@requires(KEY)
def rule_edit(request, pk):
    return _edit_rule(request, get_visible_or_404(RetentionRule.objects, request.user, KEY, pk=pk))


def _units(user):
    OrgNode = apps.get_model("organisation.OrgNode")
    return OrgNode.objects.filter(scope_q(user, KEY, ""), is_active=True)


def _deviation(user, reference):
    if not reference:
        return None
    Deviation = apps.get_model("deviations.Deviation")
    return Deviation.objects.filter(scope_q(user, KEY, "unit"), reference=reference).first()


@requires(KEY)
def holds(request):
    form = HoldForm(request.POST or None, units=_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_hold(
                actor=request.user,
                kind=data["kind"],
                reason=data["reason"],
                until=data["until"],
                deviation=_deviation(request.user, data["deviation"].strip()),
                unit=data["unit"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The legal hold was set: nothing under it is thinned."))
            return redirect("retention:holds")
    rows = LegalHold.objects.visible_to(request.user).select_related(
        "deviation", "unit", "created_by", "lifted_by"
    )
    return render(request, "retention/holds.html", {"form": form, "holds": rows})


@requires(KEY)
def hold_lift(request, pk):
    hold = get_visible_or_404(LegalHold.objects, request.user, KEY, pk=pk)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lift_hold(hold, actor=request.user, reason=form.cleaned_data["lift_reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The legal hold was lifted."))
            return redirect("retention:holds")
    return render(request, "retention/hold_lift.html", {"form": form, "hold": hold})


@requires(KEY)
def runs(request):
    rows = RetentionRun.objects.select_related("actor")[:200]
    return render(request, "retention/runs.html", {"runs": rows})


@requires(KEY)
def run_detail(request, pk):
    executed = get_visible_or_404(RetentionRun.objects, request.user, KEY, pk=pk)
    return render(
        request,
        "retention/run.html",
        {"run": executed, "lines": executed.lines.select_related("rule")},
    )
