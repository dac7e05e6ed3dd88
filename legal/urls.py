# Temporary: replaced by the legal views.
from django.urls import path

from organisation.responsibility import matrix_start

app_name = "legal"
urlpatterns = [
    path("", matrix_start, name="register"),
    path("my-units/", matrix_start, name="my_units"),
    path("coverage/", matrix_start, name="coverage"),
]
