from django.urls import path

from risks.views import analysis, parts, register, statistics

app_name = "risks"
urlpatterns = [
    path("", register.register, name="register"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("new/", analysis.create, name="create"),
    path("<int:pk>/", analysis.detail, name="detail"),
    path("<int:pk>/edit/", analysis.edit, name="edit"),
    path("<int:pk>/move/", analysis.move, name="move"),
    path("<int:pk>/review/", analysis.review, name="review"),
    path("<int:pk>/participants/new/", parts.participant_add, name="participant_add"),
    path("participants/<int:pk>/remove/", parts.participant_remove, name="participant_remove"),
    path("<int:pk>/events/new/", parts.event_add, name="event_add"),
    path("events/<int:pk>/edit/", parts.event_edit, name="event_edit"),
    path("events/<int:pk>/remove/", parts.event_remove, name="event_remove"),
    path("events/<int:pk>/residual/", parts.event_residual, name="event_residual"),
    path("<int:pk>/measures/new/", parts.measure_add, name="measure_add"),
]
