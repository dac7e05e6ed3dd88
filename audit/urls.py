from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/export.csv", views.access_log_export, name="access_log_export"),
    path(
        "history/<int:content_type_id>/<str:object_id>/",
        views.history,
        name="history",
    ),
]
