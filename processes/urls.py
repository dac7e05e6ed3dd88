from django.urls import path

from processes import views, views_parts

app_name = "processes"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.create, name="create"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("<int:pk>/activities/new/", views_parts.activity_add, name="activity_add"),
    path("activities/<int:pk>/edit/", views_parts.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/move/", views_parts.activity_move, name="activity_move"),
    path("activities/<int:pk>/remove/", views_parts.activity_remove, name="activity_remove"),
    path(
        "<int:pk>/collaborations/new/",
        views_parts.collaboration_add,
        name="collaboration_add",
    ),
    path(
        "collaborations/<int:pk>/edit/",
        views_parts.collaboration_edit,
        name="collaboration_edit",
    ),
    path(
        "collaborations/<int:pk>/remove/",
        views_parts.collaboration_remove,
        name="collaboration_remove",
    ),
]
