from django.urls import path

from analysis import views

app_name = "analysis"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("statistics.csv", views.statistics_csv, name="statistics_csv"),
    path("analyses/", views.analyses, name="analyses"),
    path("analyses/new/", views.analysis_new, name="analysis_new"),
    path("analyses/<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path("analyses/<int:pk>/edit/", views.analysis_edit, name="analysis_edit"),
    path("analyses/<int:pk>/decide/", views.analysis_decide, name="analysis_decide"),
    path("analyses/<int:pk>/measures/", views.analysis_measure, name="analysis_measure"),
]
