"""Loggkontroll pages: patterns of reads per person and period, samples and their review.

Only holders of `audit.review_access_log` come here (the same key guards the access log).
State changes go through audit/reviews.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import requires
from accounts.models import User
from audit import reviews
from audit.forms import ReviewCommentForm, ReviewPeriodForm
from audit.models import AccessReview
from audit.patterns import flag_rows, person_patterns, rules
from core.forms import add_service_errors

RECENT_REVIEWS = 20


@requires(reviews.REVIEW)
def review(request):
    """Who read sensitive records in the period, what was unusual, and the samples drawn."""
    form = ReviewPeriodForm(request.GET)
    people, person = None, None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("user"):
            person = User.objects.filter(pk=data["user"]).first()
        people = person_patterns(data["period_from"], data["period_to"], data.get("user"))
    return render(
        request,
        "audit/review.html",
        {
            "form": form,
            "people": people,
            "person": person,
            "rules": rules(),
            "reviews": AccessReview.objects.select_related("drawn_by", "reviewed_by")[
                :RECENT_REVIEWS
            ],
        },
    )


@require_POST
@requires(reviews.REVIEW)
def review_draw(request):
    form = ReviewPeriodForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        person = User.objects.filter(pk=data["user"]).first() if data.get("user") else None
        try:
            sample = reviews.draw_sample(
                actor=request.user,
                period_from=data["period_from"],
                period_to=data["period_to"],
                person=person,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("A sample was drawn. Go through the reads below."))
            return redirect("audit:review_detail", pk=sample.pk)
    query = request.POST.copy()
    query.pop("csrfmiddlewaretoken", None)
    return redirect(f"{reverse('audit:review')}?{query.urlencode()}")


@requires(reviews.REVIEW)
def review_detail(request, pk):
    sample = get_object_or_404(
        AccessReview.objects.select_related("drawn_by", "reviewed_by", "person"), pk=pk
    )
    form = ReviewCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.mark_reviewed(sample, actor=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The sample was marked as reviewed."))
            return redirect("audit:review_detail", pk=sample.pk)
    rows = flag_rows(
        sample.entries.select_related("content_type", "unit").order_by("at", "pk"),
        sample.period_from,
        sample.period_to,
    )
    return render(
        request,
        "audit/review_detail.html",
        {"sample": sample, "rows": rows, "form": form},
    )
