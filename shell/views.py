from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import login_only, public
from accounts.models import RoleAssignment
from shell.start import figure_groups, start_sections


@public
@never_cache
@require_GET
def healthz(request):
    """200 when the app and its database answer; 503 otherwise (load balancers, monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_only
def start(request):
    assignments = (
        RoleAssignment.objects.active()
        .filter(user=request.user, node__is_active=True)
        .select_related("role", "node")
    )
    groups = figure_groups(request.user)
    return render(
        request,
        "shell/start.html",
        {
            "assignments": assignments,
            "figure_groups": groups,
            "waiting": any(f.needs_attention for g in groups for f in g.figures),
            "sections": start_sections(request.user, assignments),
        },
    )
