# Temporary: replaced by the user and role views.
from django.urls import path

from organisation.responsibility import matrix_start

app_name = "accounts"
urlpatterns = [
    path("users/", matrix_start, name="users"),
    path("roles/", matrix_start, name="roles"),
]
