from django.urls import path

from deviations import views
from deviations.authority import views as authority_views
from deviations.exports import views as export_views
from deviations.investigation import views as investigation_views
from deviations.reporting import views as report_views

app_name = "deviations"
urlpatterns = [
    # Reporting (any staff member)
    path("report/", report_views.report, name="report"),
    path("report/unit/<int:unit_pk>/", report_views.report, name="report_unit"),
    path("report/received/<int:pk>/", report_views.received, name="received"),
    path("mine/", report_views.mine, name="mine"),
    path("mine/<int:pk>/", report_views.mine_detail, name="mine_detail"),
    path("unit/<int:unit_pk>/link/", report_views.unit_link, name="unit_link"),
    path("unit/<int:unit_pk>/qr.svg", report_views.unit_qr, name="unit_qr"),
    path("attachment/<int:pk>/", report_views.attachment, name="attachment"),
    # Handling (managers and the quality team)
    path("", views.register, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/aware/", views.aware, name="aware"),
    path("<int:pk>/category/", views.category, name="category"),
    path("tracks/<int:pk>/move/", investigation_views.move, name="track_move"),
    path("tracks/<int:pk>/serious/", investigation_views.serious, name="track_serious"),
    path("tracks/<int:pk>/investigation/", investigation_views.investigation, name="investigation"),
    path("tracks/<int:pk>/timeline/", investigation_views.timeline, name="timeline"),
    path("tracks/<int:pk>/action/", investigation_views.track_action, name="track_action"),
    # Authority notifications (IVO, IMY) and information to the people concerned
    path(
        "tracks/<int:pk>/notification/new/",
        authority_views.notification_new,
        name="notification_new",
    ),
    path(
        "notifications/<int:pk>/",
        authority_views.notification_detail,
        name="notification_detail",
    ),
    path(
        "notifications/<int:pk>/package.<str:fmt>",
        authority_views.notification_package,
        name="notification_package",
    ),
    path(
        "notifications/<int:pk>/record/",
        authority_views.notification_record,
        name="notification_record",
    ),
    # Exports
    path("export.<str:fmt>", export_views.register_export, name="export"),
    path("<int:pk>/case.pdf", export_views.case_pdf, name="case_pdf"),
]
