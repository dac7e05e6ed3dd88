from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "shell"

    def ready(self):
        from shell import registrations  # noqa: F401 (the start page's menu entry and card)
