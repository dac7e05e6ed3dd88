from django.urls import path

from reports.views import reports

app_name = "reports"

urlpatterns = [
    path("", reports.report_list, name="list"),
    path("new/", reports.new, name="new"),
    path("<int:pk>/", reports.detail, name="detail"),
    path("<int:pk>/progress/", reports.progress, name="progress"),
    path("<int:pk>/rewrite/", reports.rewrite, name="rewrite"),
    path("<int:pk>/chapters/<int:chapter_pk>/judge/", reports.judge, name="judge"),
]
