from django.urls import path

from legal import holiday_views, views

app_name = "legal"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.regulation_create, name="regulation_create"),
    path("<int:pk>/", views.regulation_detail, name="regulation_detail"),
    path("<int:pk>/edit/", views.regulation_edit, name="regulation_edit"),
    path("my-units/", views.my_units, name="my_units"),
    path("coverage/", views.coverage, name="coverage"),
    path("holidays/", holiday_views.holidays, name="holidays"),
    path("unit/<int:pk>/", views.node_laws, name="node_laws"),
    path("unit/<int:pk>/edit/", views.node_laws_edit, name="node_laws_edit"),
]
