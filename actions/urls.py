from django.urls import path

from actions import views

app_name = "actions"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("export.csv", views.action_export, name="export"),
    path("new/", views.action_create, name="create"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
    path("<int:pk>/status/", views.action_transition, name="transition"),
    path("<int:pk>/effect/", views.action_effect, name="effect"),
]
