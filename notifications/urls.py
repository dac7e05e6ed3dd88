# Temporary until the inbox lands.
from django.urls import path

from organisation.responsibility import matrix_start

app_name = "notifications"
urlpatterns = [path("", matrix_start, name="inbox")]
