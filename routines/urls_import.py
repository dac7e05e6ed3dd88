from django.urls import path

from routines import import_views

urlpatterns = [
    path("import/", import_views.import_routines, name="import"),
    path("import/exempel.<str:fmt>", import_views.import_template, name="import_template"),
]
