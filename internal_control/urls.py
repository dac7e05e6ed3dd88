from django.urls import path

from internal_control.views import exports, plans, results

app_name = "internal_control"

urlpatterns = [
    path("", plans.plan_list, name="list"),
    path("new/", plans.create, name="create"),
    path("overdue/", plans.overdue, name="overdue"),
    path("<int:pk>/", plans.detail, name="detail"),
    path("<int:pk>/draft/", plans.draft, name="draft"),
    path("<int:pk>/points/new/", plans.point_add, name="point_add"),
    path("points/<int:pk>/edit/", plans.point_edit, name="point_edit"),
    path("points/<int:pk>/remove/", plans.point_remove, name="point_remove"),
    path("<int:pk>/approve/", plans.approve, name="approve"),
    path("<int:pk>/reopen/", plans.reopen, name="reopen"),
    path("<int:pk>/plan.pdf", exports.plan_pdf, name="plan_pdf"),
    path("<int:pk>/plan.docx", exports.plan_docx, name="plan_docx"),
    path("results/<int:pk>/", results.result, name="result"),
    path("<int:pk>/reports/new/", results.report_create, name="report_create"),
    path("reports/<int:pk>/", results.report, name="report"),
    path("reports/<int:pk>/approve/", results.report_approve, name="report_approve"),
    path("reports/<int:pk>/reopen/", results.report_reopen, name="report_reopen"),
    path("reports/<int:pk>/report.pdf", exports.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/report.docx", exports.report_docx, name="report_docx"),
]
