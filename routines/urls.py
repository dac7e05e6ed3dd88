from django.urls import path

from routines.importing import views as importing
from routines.views import create, follow_up, reading, register, workflow

app_name = "routines"
urlpatterns = [
    # Writing and approving.
    path("register/", register.register, name="register"),
    path("new/", create.create, name="create"),
    path("<int:pk>/", register.detail, name="detail"),
    path("<int:pk>/print/", register.print_view, name="print"),
    path("<int:pk>/diff/", register.diff, name="diff"),
    path("<int:pk>/new-version/", create.new_version, name="new_version"),
    path("<int:pk>/propose/", create.propose, name="propose"),
    path("proposal/<int:pk>/", create.proposal, name="proposal"),
    path("version/<int:pk>/", workflow.version_page, name="version"),
    path("version/<int:pk>/document/", register.download, name="download"),
    path("version/<int:pk>/edit/", workflow.edit, name="edit"),
    path("version/<int:pk>/submit/", workflow.submit, name="submit"),
    path("version/<int:pk>/comment/", workflow.comment, name="comment"),
    path("version/<int:pk>/send-back/", workflow.send_back, name="send_back"),
    path("version/<int:pk>/approve/", workflow.approve, name="approve"),
    path("version/<int:pk>/publish/", workflow.publish, name="publish"),
    path("version/<int:pk>/withdraw/", workflow.withdraw, name="withdraw"),
    path("action/<int:pk>/revise/", create.revise, name="revise"),
    # Staff's reading and acknowledging, the managers' overview and the periodic reviews.
    path("mine/", reading.mine, name="mine"),
    path("<int:pk>/read/", reading.read, name="read"),
    path("acknowledgments/<int:pk>/acknowledge/", reading.acknowledge, name="acknowledge"),
    path("acknowledgments/", follow_up.acknowledgment_overview, name="acknowledgments"),
    path(
        "acknowledgments/unit/<int:unit_pk>/remind/",
        follow_up.acknowledgment_remind,
        name="acknowledgments_remind",
    ),
    path("reviews/", follow_up.reviews, name="reviews"),
    path("<int:pk>/review/", follow_up.review_routine, name="review"),
    # The import of documents approved before Hjulet.
    path("import/", importing.import_routines, name="import"),
    path("import/exempel.<str:fmt>", importing.import_template, name="import_template"),
]
