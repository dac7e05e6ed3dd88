from django.urls import path

from shell import views

app_name = "shell"
urlpatterns = [
    path("", views.start, name="start"),
]
