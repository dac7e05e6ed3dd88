"""Object URLs of the kind of event of a deviation."""


def _deviation(c):
    from tests.test_access import _deviation

    return _deviation(c)


OBJECT_URLS = {
    "deviations:category": (lambda c: {"pk": _deviation(c).pk}, "get", True),
}
