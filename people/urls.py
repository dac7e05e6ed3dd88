from django.urls import path

from people import views

app_name = "accounts"
urlpatterns = [
    path("users/", views.users, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/invite/", views.user_invite, name="user_invite"),
    path(
        "users/<int:pk>/two-factor/reset/",
        views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    path("users/<int:pk>/assignments/new/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("roles/", views.roles, name="roles"),
]
