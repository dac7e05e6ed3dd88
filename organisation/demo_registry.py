"""The demo data of the apps above the organisation, for `load_demo` (development only).

`load_demo` makes the demo organisation and its users (`organisation.demo`), then runs the
loaders the apps register from their AppConfig.ready(), lowest order first:

    demo_loader("deviations", "deviations.demo.load_demo_deviations", order=100)

A loader is a function of no argument, or its dotted path (imported only when the demo is
loaded); run again, it changes nothing.
"""

from django.utils.module_loading import import_string

_LOADERS = {}


def demo_loader(name, load, *, order):
    _LOADERS[name] = (order, load)


def demo_loaders():
    """(name, function) of every registered loader, in the order they run."""
    ordered = sorted(_LOADERS.items(), key=lambda item: (item[1][0], item[0]))
    return [
        (name, import_string(load) if isinstance(load, str) else load)
        for name, (_order, load) in ordered
    ]
