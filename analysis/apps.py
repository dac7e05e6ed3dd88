from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Analysis")

    def ready(self):
        from auditlog.registry import auditlog

        from analysis import verbs  # noqa: F401  (registers the wording of the events)
        from analysis.tasks import refresh_statistics_task
        from notifications.tasks import register_periodic

        # Keeps the counts current so that a statistics request rarely has to count itself.
        register_periodic("refresh_statistics", refresh_statistics_task)
        from analysis.models import (
            AggregatedAnalysis,
            CategoryCount,
            CauseCount,
            CountState,
            ReportCount,
            TrackCount,
        )

        # The figures are a snapshot taken by the system on every save, not an edit.
        auditlog.register(AggregatedAnalysis, exclude_fields=["figures", "figures_taken_at"])
        # Counts derived from the register (analysis/buckets.py): written with bulk_create and
        # deleted without signals, so the change log never fills with them.
        for model in (ReportCount, TrackCount, CauseCount, CategoryCount, CountState):
            auditlog.register(model)

        from analysis import registrations  # noqa: F401  (the menu)
