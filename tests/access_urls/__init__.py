"""Object-URL tables of the modules for tests/test_access.py, one file per module.

Each module defines OBJECT_URLS = {url name: (kwargs from the cast, method, belongs to unit A)}
with objects of unit A, exactly as the table in tests/test_access.py.
"""
