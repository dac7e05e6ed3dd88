from django.urls import path

from reports.views import chapters, decision, exports, reports, word_templates, work

app_name = "reports"

urlpatterns = [
    path("", reports.report_list, name="list"),
    path("new/", reports.new, name="new"),
    path("chapters/", work.chapters, name="chapters"),
    path("word-templates/", word_templates.template_list, name="word_templates"),
    path("word-templates/<int:node_pk>/", word_templates.template_node, name="word_template"),
    path(
        "word-templates/<int:node_pk>/remove/",
        word_templates.template_remove,
        name="word_template_remove",
    ),
    path(
        "word-templates/<int:node_pk>/file/",
        word_templates.template_file,
        name="word_template_file",
    ),
    path("<int:pk>/", reports.detail, name="detail"),
    path("<int:pk>/progress/", reports.progress, name="progress"),
    path("<int:pk>/rewrite/", reports.rewrite, name="rewrite"),
    path("<int:pk>/review/", decision.send_for_review, name="send_for_review"),
    path("<int:pk>/draft/", decision.back_to_draft, name="back_to_draft"),
    path("<int:pk>/approve/", decision.approve, name="approve"),
    path("<int:pk>/new-version/", decision.new_version, name="new_version"),
    path("<int:pk>/versions/<int:number>/", decision.version, name="version"),
    path("<int:pk>/report.<str:fmt>", exports.current, name="export"),
    path(
        "<int:pk>/versions/<int:number>/report.<str:fmt>",
        exports.published,
        name="version_export",
    ),
    path("<int:pk>/chapters/<int:chapter_pk>/judge/", reports.judge, name="judge"),
    path("<int:pk>/chapters/<int:chapter_pk>/text/", chapters.text, name="chapter_text"),
    path("<int:pk>/chapters/<int:chapter_pk>/authors/", chapters.authors, name="chapter_authors"),
    path("<int:pk>/chapters/<int:chapter_pk>/comment/", chapters.comment, name="chapter_comment"),
]
