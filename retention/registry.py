"""The kinds of record that retention rules can thin.

A record type knows its model by app label (retention imports no domain app), how to find the
records a rule may thin, the date each event falls on, what a legal hold covers, and how to
delete or anonymise. Apps add their own with `register(...)` from their AppConfig.ready().
"""

from django.apps import apps
from django.db.models import F, Q

from retention.models import ThinnedRecord, Thinning

REGISTRY = {}


def register(record_type):
    REGISTRY[record_type.code] = record_type
    return record_type


def get(code):
    return REGISTRY.get(code)


def label_of(code):
    found = REGISTRY.get(code)
    return found.label if found else code


def choices():
    return [(rt.code, rt.label) for rt in REGISTRY.values()]


class RecordType:
    code = ""
    label = ""
    model_label = ""
    # Path from the model to its organisation unit; None for records tied to no unit.
    unit_lookup = None
    reference_field = "pk"
    actions = ()
    events = ()
    # Legal tracks a rule may narrow to: (value, label) pairs.
    kinds = ()

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def candidates(self):
        """The records that may be thinned at all (closed, not already anonymised)."""
        queryset = self.model.objects.all()
        if Thinning.ANONYMISE in self.actions:
            done = ThinnedRecord.objects.filter(record_type=self.code).values("object_id")
            queryset = queryset.exclude(pk__in=done)
        return queryset

    def date_expression(self, event):
        return F(self.events[0][2])

    def kind_q(self, kind):
        return Q()

    def held_q(self, holds):
        """The records the active holds cover (holds: a Holds summary)."""
        return Q(pk__in=[])

    def reference(self, value):
        return f"#{value}"

    def thin(self, ids, action):
        """Thin these records (a batch of ids); returns how many."""
        self.model.objects.filter(pk__in=ids).delete()
        return len(ids)


class Holds:
    """What the active legal holds cover, read once per run."""

    def __init__(self, queryset):
        rows = list(queryset.select_related("unit"))
        self.deviation_ids = {h.deviation_id for h in rows if h.deviation_id}
        self.unit_paths = sorted({h.unit.path for h in rows if h.unit_id})
        self.whole_access_log = any(h.kind == "access_log" for h in rows)

    def units_q(self, lookup):
        q = Q(pk__in=[])
        for path in self.unit_paths:
            q |= Q(**{f"{lookup}__path__startswith": path})
        return q

    def held_deviation_ids(self):
        """Held deviations, one by one or through their unit."""
        if not self.unit_paths:
            return set(self.deviation_ids)
        Deviation = apps.get_model("deviations.Deviation")
        ids = set(Deviation.objects.filter(self.units_q("unit")).values_list("pk", flat=True))
        return ids | self.deviation_ids
