from django.urls import path

from routines import staff_views

# Staff's reading and acknowledging, the managers' overview and the periodic reviews.
urlpatterns = [
    path("mine/", staff_views.mine, name="mine"),
    path("<int:pk>/read/", staff_views.read, name="read"),
    path("acknowledgments/<int:pk>/acknowledge/", staff_views.acknowledge, name="acknowledge"),
    path("acknowledgments/", staff_views.acknowledgment_overview, name="acknowledgments"),
    path(
        "acknowledgments/unit/<int:unit_pk>/remind/",
        staff_views.acknowledgment_remind,
        name="acknowledgments_remind",
    ),
    path("reviews/", staff_views.reviews, name="reviews"),
    path("<int:pk>/review/", staff_views.review_routine, name="review"),
]
