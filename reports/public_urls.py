"""The published reports for anyone who asks (SOSFS 2011:9 7 kap: "hållas tillgänglig för den
som önskar ta del av den"), without login, at a short Swedish address: /berattelser/."""

from django.urls import path

from reports.views import public

app_name = "reports_public"

urlpatterns = [
    path("", public.index, name="index"),
    path("<int:pk>/<int:number>/", public.version, name="version"),
]
