from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Hjulet"

    def ready(self):
        from core import site  # noqa: F401 (registers the SITE_URL deploy check)
