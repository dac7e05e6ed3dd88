"""Which records of a model one person may read, for surfaces that show any model (the Django
admin, its change log): the rule is read from the models, so a new model is covered the day it
is written.

A model is need-to-know when
- it is marked `sensitive = True` (a deviation, a track, an authority notification), or
  `need_to_know = True` (read only by its own rule, but its reads are not logged: a
  loggkontroll sample);
- it is a source registered in `accounts.need_to_know` or is derived from one
  (`derived_from`, an action of a lex Sarah investigation);
- or it belongs to such a record through a required foreign key (an investigation of a track,
  its timeline, a clock, an attachment): it is read with the record it belongs to. An optional
  link (a routine version written after an action) does not make a record part of another.

The rows one person may read are those its own rule lets through (`readable_by`, else
`visible_to`; a sensitive model with neither is read by nobody here) whose parents the person
may read too.
"""

from functools import cache

from django.apps import apps

from accounts import need_to_know as derived


def _direct(model):
    return (
        getattr(model, "sensitive", False) is True
        or getattr(model, "need_to_know", False) is True
        or derived.is_registered(model)
        or getattr(model, "derived_from", None) is not None
    )


def _parent_fields(model):
    return [
        f
        for f in model._meta.get_fields()
        if (f.many_to_one or f.one_to_one)
        and f.concrete
        and not f.null
        and f.related_model is not None
        and f.related_model is not model
    ]


@cache
def _is_need_to_know(model, _seen=frozenset()):
    if _direct(model):
        return True
    seen = _seen | {model}
    return any(
        f.related_model not in seen and _is_need_to_know(f.related_model, seen)
        for f in _parent_fields(model)
    )


def is_need_to_know(model):
    return model is not None and _is_need_to_know(model._meta.concrete_model)


def need_to_know_models():
    return [m for m in apps.get_models() if is_need_to_know(m)]


def _own_rule(model, user):
    queryset = model._default_manager.all()
    if hasattr(queryset, "readable_by"):
        queryset = queryset.readable_by(user)
    elif hasattr(queryset, "visible_to"):
        try:
            queryset = queryset.visible_to(user)
        except AttributeError:  # a visibility rule that needs a key the model does not name
            return queryset.none()
    elif getattr(model, "sensitive", False) is True:
        return queryset.none()
    if derived.is_registered(model):
        queryset = queryset.exclude(pk__in=derived.unreadable(model, user))
    if getattr(model, "derived_from", None) is not None:
        hidden = derived.hidden_q(model, user)
        if hidden is not None:
            queryset = queryset.exclude(hidden)
    return queryset


def readable(model, user, _seen=frozenset()):
    """The rows of need-to-know `model` the person may read (all rows of any other model).

    The answer is a lazy queryset, kept on the user object (which lives for one request): the
    rules behind it read their tables once per request however many models ask for them."""
    model = model._meta.concrete_model
    if not is_need_to_know(model):
        return model._default_manager.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return model._default_manager.none()
    cache = user.__dict__.setdefault("_hjulet_readable", {})
    if model not in cache:
        cache[model] = _readable(model, user, _seen)
    return cache[model]


def _readable(model, user, _seen):
    queryset = _own_rule(model, user) if _direct(model) else model._default_manager.all()
    for field in _parent_fields(model):
        if not is_need_to_know(field.related_model) or field.related_model in _seen:
            continue
        parents = readable(field.related_model, user, _seen | {model}).values("pk")
        queryset = queryset.filter(**{f"{field.name}__in": parents})
    return queryset
