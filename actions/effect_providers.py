"""Other ways of checking an action's effect, offered on the action's page.

The actions app knows no higher app: one that can check an action's effect (self-inspection:
"follow up the effect in checklist X, question Y") registers a provider from its
AppConfig.ready():

    from actions.effect_providers import register_effect_provider

    register_effect_provider("inspections", provider)

`provider(user, action)` returns a list of `EffectLink`s for the person (possibly empty): a
line of text saying what is arranged, and a link to where it is arranged or shown.
"""

from dataclasses import dataclass


@dataclass
class EffectLink:
    text: str
    url: str = ""
    label: str = ""


_PROVIDERS = {}


def register_effect_provider(key, provider):
    _PROVIDERS[key] = provider


def effect_links(user, action):
    links = []
    for provider in _PROVIDERS.values():
        links.extend(provider(user, action))
    return links
