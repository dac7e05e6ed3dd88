from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import login_only
from notifications.arrivals import choice_of, set_choice
from notifications.forms import ArrivalSettingForm
from notifications.inbox import sections_for


@login_only
def inbox(request):
    """Mina uppgifter: everyone has one; it shows only what the person may see."""
    now = timezone.now()
    return render(
        request,
        "notifications/inbox.html",
        {"sections": sections_for(request.user, now), "now": now},
    )


@login_only
def arrival_settings(request):
    """The person's own choice of e-mail about new reports."""
    if request.method == "POST":
        form = ArrivalSettingForm(request.POST)
        if form.is_valid():
            try:
                set_choice(request.user, form.cleaned_data["choice"], actor=request.user)
            except ValidationError as error:
                form.add_error("choice", error)
            else:
                messages.success(request, _("Your choice was saved."))
                return redirect("notifications:settings")
    else:
        form = ArrivalSettingForm(initial={"choice": choice_of(request.user)})
    return render(request, "notifications/settings.html", {"form": form})
