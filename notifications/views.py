from django.shortcuts import render
from django.utils import timezone

from accounts.access import login_only
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
