"""Object URLs of recording when the organisation became aware of a deviation."""


def _deviation(c):
    from tests.test_access import _deviation

    return _deviation(c)


OBJECT_URLS = {
    "deviations:aware": (lambda c: {"pk": _deviation(c).pk}, "get", True),
}
