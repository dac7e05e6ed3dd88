from django.urls import path

from organisation import moving, responsibility, views

app_name = "organisation"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("services/", views.services, name="services"),
    path("new/", views.node_create, name="node_create"),
    path("<int:pk>/", views.node_detail, name="node_detail"),
    path("<int:pk>/edit/", views.node_edit, name="node_edit"),
    path("<int:pk>/services/", views.node_services, name="node_services"),
    path("<int:pk>/provider/", views.node_provider, name="node_provider"),
    path("<int:pk>/close/", views.node_close, name="node_close"),
    path("<int:pk>/reopen/", views.node_reopen, name="node_reopen"),
    path("<int:pk>/move-cases/", moving.node_move_cases, name="node_move_cases"),
    path("responsibility/", responsibility.matrix_start, name="responsibility"),
    path("responsibility/<int:pk>/", responsibility.matrix, name="responsibility_node"),
    path("responsibility/<int:pk>/pdf/", responsibility.matrix_pdf, name="responsibility_pdf"),
    path(
        "responsibility/<int:pk>/duties/<int:role_pk>/",
        responsibility.duties_edit,
        name="duties_edit",
    ),
]
