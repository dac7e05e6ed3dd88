"""The public addresses, short and Swedish so a municipality can print them: /synpunkt/."""

from django.urls import path

from feedback.views import public

app_name = "feedback_public"

urlpatterns = [
    path("", public.public_form, name="form"),
    path("lattlast/", public.plain, name="plain"),
    path("lattlast/skriv/", public.plain_form, name="plain_form"),
    path("kvitto/<str:token>/", public.receipt, name="receipt"),
    path("arende/<str:token>/", public.status, name="status"),
]
