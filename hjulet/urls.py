from django.contrib import admin
from django.urls import include, path

from shell.admin_site import restrict_admin
from shell.views import healthz

restrict_admin(admin.site)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("account/", include("people.auth_urls")),
    path("accounts/", include("people.urls")),
    path("organisation/", include("organisation.urls")),
    path("laws/", include("legal.urls")),
    path("audit/", include("audit.urls")),
    path("actions/", include("actions.urls")),
    path("deviations/", include("deviations.urls")),
    path("analysis/", include("analysis.urls")),
    path("routines/", include("routines.urls")),
    path("processes/", include("processes.urls")),
    path("risks/", include("risks.urls")),
    path("inspections/", include("inspections.urls")),
    path("feedback/", include("feedback.urls")),
    path("synpunkt/", include("feedback.public_urls")),
    path("berattelser/", include("reports.public_urls")),
    path("internal-control/", include("internal_control.urls")),
    path("retention/", include("retention.urls")),
    path("privacy/", include("privacy.urls")),
    path("reports/", include("reports.urls")),
    path("tasks/", include("notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("shell.urls")),
]

# A database failure in a middleware (the session, the idle timeout) answers 503 too.
handler500 = "core.unavailable.server_error"
