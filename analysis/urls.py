# Temporary until the statistics views land.
from django.urls import path

from organisation.responsibility import matrix_start

app_name = "analysis"
urlpatterns = [path("", matrix_start, name="statistics")]
