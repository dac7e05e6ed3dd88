from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.result, name="result"),
    path("<int:pk>/extract.pdf", views.extract, name="extract"),
]
