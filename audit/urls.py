from django.urls import path

from audit import review_views, views

app_name = "audit"
urlpatterns = [
    path("access-log/", views.access_log, name="access_log"),
    path("access-log/export.csv", views.access_log_export, name="access_log_export"),
    path("log-review/", review_views.review, name="review"),
    path("log-review/sample/", review_views.review_draw, name="review_draw"),
    path("log-review/<int:pk>/", review_views.review_detail, name="review_detail"),
    path(
        "history/<int:content_type_id>/<str:object_id>/",
        views.history,
        name="history",
    ),
]
