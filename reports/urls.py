from django.urls import path

from reports.views import chapters, reports

app_name = "reports"

urlpatterns = [
    path("", reports.report_list, name="list"),
    path("new/", reports.new, name="new"),
    path("<int:pk>/", reports.detail, name="detail"),
    path("<int:pk>/progress/", reports.progress, name="progress"),
    path("<int:pk>/rewrite/", reports.rewrite, name="rewrite"),
    path("<int:pk>/chapters/<int:chapter_pk>/judge/", reports.judge, name="judge"),
    path("<int:pk>/chapters/<int:chapter_pk>/text/", chapters.text, name="chapter_text"),
    path("<int:pk>/chapters/<int:chapter_pk>/authors/", chapters.authors, name="chapter_authors"),
    path("<int:pk>/chapters/<int:chapter_pk>/comment/", chapters.comment, name="chapter_comment"),
]
