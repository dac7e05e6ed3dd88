from django.urls import path

from feedback.views import register, release, statistics, steps

app_name = "feedback"

urlpatterns = [
    path("", register.feedback_list, name="list"),
    path("held/", register.held, name="held"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("new/", register.register, name="register"),
    path("<int:pk>/", register.detail, name="detail"),
    path("<int:pk>/files/<int:attachment_pk>/", register.attachment, name="attachment"),
    path("<int:pk>/letter.<str:fmt>", register.letter, name="letter"),
    path("<int:pk>/acknowledge/", steps.acknowledge, name="acknowledge"),
    path("<int:pk>/forward/", steps.forward, name="forward"),
    path("<int:pk>/note/", steps.note, name="note"),
    path("<int:pk>/theme/", steps.theme, name="theme"),
    path("<int:pk>/answer/", steps.answer, name="answer"),
    path("<int:pk>/praise/", steps.praise, name="praise"),
    path("<int:pk>/close/", steps.close, name="close"),
    path("<int:pk>/reopen/", steps.reopen, name="reopen"),
    path("<int:pk>/deviation/", steps.deviation, name="deviation"),
    path("<int:pk>/action/", steps.action, name="action"),
    path("<int:pk>/release/", steps.release, name="release"),
    path("<int:pk>/discard/", steps.discard, name="discard"),
    path("<int:pk>/masking/", release.masking, name="masking"),
    path("<int:pk>/masking/<int:masking_pk>/remove/", release.unmask, name="unmask"),
    path("<int:pk>/copy.pdf", release.copy_pdf, name="copy"),
]
