from django.urls import path

from inspections.views import checklists, due, executions, follow_up, plans, results

app_name = "inspections"

urlpatterns = [
    path("", plans.plans, name="plans"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/items/new/", plans.item_add, name="item_add"),
    path("items/<int:pk>/edit/", plans.item_edit, name="item_edit"),
    path("items/<int:pk>/remove/", plans.item_remove, name="item_remove"),
    path("due/", due.due, name="due"),
    path("checklists/", checklists.templates, name="templates"),
    path("checklists/new/", checklists.template_create, name="template_create"),
    path("checklists/<int:pk>/", checklists.template_detail, name="template"),
    path("checklists/<int:pk>/in-use/", checklists.template_in_use, name="template_in_use"),
    path("checklists/<int:pk>/adapt/", checklists.template_adapt, name="template_adapt"),
    path("checklists/<int:pk>/questions/new/", checklists.question_add, name="question_add"),
    path("questions/<int:pk>/edit/", checklists.question_edit, name="question_edit"),
    path("questions/<int:pk>/remove/", checklists.question_remove, name="question_remove"),
    path("occasions/<int:pk>/start/", executions.execution_start, name="execution_start"),
    path("executions/<int:pk>/", executions.execution_detail, name="execution"),
    path("executions/<int:pk>/sample/", executions.sample_draw, name="sample_draw"),
    path("executions/<int:pk>/findings/new/", executions.finding_add, name="finding_add"),
    path("findings/<int:pk>/action/", executions.finding_action, name="finding_action"),
    path("findings/<int:pk>/close/", executions.finding_close, name="finding_close"),
    path("results/", results.results, name="results"),
    path("actions/<int:pk>/follow-up/", follow_up.follow_up, name="follow_up"),
]
