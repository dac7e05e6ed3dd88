"""The import's one URL with a path parameter: the example index (not an object of a unit)."""

OBJECT_URLS = {
    "routines:import_template": (lambda c: {"fmt": "csv"}, "get", False),
}
