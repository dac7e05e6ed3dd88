# Temporary: replaced by the audit views.
from django.urls import path

from organisation.responsibility import matrix_start

app_name = "audit"
urlpatterns = [
    path("access-log/", matrix_start, name="access_log"),
]
