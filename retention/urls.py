from django.urls import path

from retention import views

app_name = "retention"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("print/", views.report_print, name="print"),
    path("run/", views.run, name="execute"),
    path("automatic/", views.automatic, name="automatic"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_new, name="rule_new"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:pk>/lift/", views.hold_lift, name="hold_lift"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
]
