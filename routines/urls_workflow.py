from django.urls import path

from routines import views, views_create, views_workflow

urlpatterns = [
    path("register/", views.register, name="register"),
    path("new/", views_create.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/diff/", views.diff, name="diff"),
    path("<int:pk>/new-version/", views_create.new_version, name="new_version"),
    path("<int:pk>/propose/", views_create.propose, name="propose"),
    path("proposal/<int:pk>/", views_create.proposal, name="proposal"),
    path("version/<int:pk>/", views_workflow.version_page, name="version"),
    path("version/<int:pk>/document/", views.download, name="download"),
    path("version/<int:pk>/edit/", views_workflow.edit, name="edit"),
    path("version/<int:pk>/submit/", views_workflow.submit, name="submit"),
    path("version/<int:pk>/comment/", views_workflow.comment, name="comment"),
    path("version/<int:pk>/send-back/", views_workflow.send_back, name="send_back"),
    path("version/<int:pk>/approve/", views_workflow.approve, name="approve"),
    path("version/<int:pk>/publish/", views_workflow.publish, name="publish"),
    path("version/<int:pk>/withdraw/", views_workflow.withdraw, name="withdraw"),
    path("action/<int:pk>/revise/", views_create.revise, name="revise"),
]
