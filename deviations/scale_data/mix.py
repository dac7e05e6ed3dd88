"""What the generated reports look like: the shares of seed 004 (2023), the timings, and the
texts they are written with."""

import math
from datetime import timedelta

from legal.rules import TrackKind

CHUNK = 10_000
YEARLY_GROWTH = 1.06

# Seed 004: 6 % not deviations; of the rest these shares (two-track reports make up the 2 %).
TRACK_MIX = [
    ((TrackKind.OTHER,), 0.58),
    ((TrackKind.LEX_SARAH,), 0.28),
    ((TrackKind.DATA_BREACH,), 0.09),
    ((TrackKind.LEX_MARIA,), 0.03),
    ((TrackKind.LEX_SARAH, TrackKind.DATA_BREACH), 0.01),
    ((TrackKind.OTHER, TrackKind.DATA_BREACH), 0.01),
]
NOT_DEVIATION_SHARE = 0.06
SERIOUS_SHARE = {TrackKind.LEX_SARAH: 0.19, TrackKind.DATA_BREACH: 0.18, TrackKind.LEX_MARIA: 0.30}
# Median hours from classification to the investigation's start, and its length in days.
START_HOURS = {
    TrackKind.LEX_SARAH: 6,
    TrackKind.LEX_MARIA: 12,
    TrackKind.DATA_BREACH: 6,
    TrackKind.OTHER: 48,
}
INVESTIGATION_DAYS = {
    TrackKind.LEX_SARAH: 20,
    TrackKind.LEX_MARIA: 30,
    TrackKind.DATA_BREACH: 7,
    TrackKind.OTHER: 8,
}
RESTRICTED = (TrackKind.LEX_SARAH, TrackKind.LEX_MARIA)
# Seed 004: missing, deficient and unknown routines are the commonest causes.
CAUSE_WEIGHTS = {
    "routine-not-known": 25,
    "routine-deficient": 20,
    "routine-missing": 15,
    "communication": 15,
    "staffing-competence": 10,
    "equipment-technology": 5,
    "organisation-leadership": 4,
    "collaboration": 3,
    "environment": 3,
}
ACTION_SHARE = 0.35
# When in the day reports are made (shifts: morning and evening peaks, quiet nights).
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 7, 8, 9, 8, 7, 6, 6, 5, 4, 3, 2, 1]

DESCRIPTIONS = {
    TrackKind.OTHER: [
        "Läkemedel gavs inte vid ordinerad tid.",
        "Larmet fungerade inte under natten.",
        "Brukaren föll i badrummet.",
        "Besöket blev inte av enligt planeringen.",
        "Fel matkost serverades.",
        "Hjälpmedlet var trasigt och byttes inte ut.",
        "Dokumentationen saknades efter besöket.",
        "Nyckeln till bostaden kom bort.",
        "Överlämningen mellan passen missades.",
        "Transporten till daglig verksamhet uteblev.",
    ],
    TrackKind.LEX_SARAH: [
        "Brukaren lämnades utan tillsyn längre än planerat.",
        "Insatsen utfördes inte enligt genomförandeplanen.",
        "Brukaren bemöttes på ett kränkande sätt.",
        "Beslutad insats verkställdes inte i tid.",
        "Brukaren fick inte hjälp med personlig hygien under flera dagar.",
        "Orosanmälan handlades inte inom utsatt tid.",
    ],
    TrackKind.DATA_BREACH: [
        "Journalanteckning skickades till fel mottagare.",
        "Datorn lämnades olåst i ett gemensamt utrymme.",
        "Papper med uppgifter om brukare hittades i soprummet.",
        "E-post med känsliga uppgifter skickades okrypterat.",
        "Behörigheter togs inte bort när en medarbetare slutade.",
    ],
    TrackKind.LEX_MARIA: [
        "Fel dos insulin gavs.",
        "Trycksår upptäcktes sent.",
        "Läkemedel gavs till fel person.",
        "Fallskada där sjuksköterska inte kontaktades i tid.",
    ],
    TrackKind.NOT_DEVIATION: [
        "Önskemål om ändrad besökstid.",
        "Synpunkt på maten.",
        "Fråga om avgiften.",
    ],
}
# The kind of event each text tells of (deviations/data/event_categories.json); about one report
# in five is sent without one, as reporters may skip the question.
TEXT_CATEGORY = {
    "Läkemedel gavs inte vid ordinerad tid.": "medication",
    "Larmet fungerade inte under natten.": "aids-technology",
    "Brukaren föll i badrummet.": "fall",
    "Besöket blev inte av enligt planeringen.": "service-not-given",
    "Fel matkost serverades.": "care-treatment",
    "Hjälpmedlet var trasigt och byttes inte ut.": "aids-technology",
    "Dokumentationen saknades efter besöket.": "documentation",
    "Nyckeln till bostaden kom bort.": "other",
    "Överlämningen mellan passen missades.": "information-transfer",
    "Transporten till daglig verksamhet uteblev.": "service-not-given",
    "Brukaren lämnades utan tillsyn längre än planerat.": "service-not-given",
    "Insatsen utfördes inte enligt genomförandeplanen.": "service-not-given",
    "Brukaren bemöttes på ett kränkande sätt.": "conduct",
    "Beslutad insats verkställdes inte i tid.": "service-not-given",
    "Brukaren fick inte hjälp med personlig hygien under flera dagar.": "hygiene-infection",
    "Orosanmälan handlades inte inom utsatt tid.": "other",
    "Journalanteckning skickades till fel mottagare.": "information-transfer",
    "Datorn lämnades olåst i ett gemensamt utrymme.": "documentation",
    "Papper med uppgifter om brukare hittades i soprummet.": "documentation",
    "E-post med känsliga uppgifter skickades okrypterat.": "information-transfer",
    "Behörigheter togs inte bort när en medarbetare slutade.": "other",
    "Fel dos insulin gavs.": "medication",
    "Trycksår upptäcktes sent.": "care-treatment",
    "Läkemedel gavs till fel person.": "medication",
    "Fallskada där sjuksköterska inte kontaktades i tid.": "fall",
    "Önskemål om ändrad besökstid.": "other",
    "Synpunkt på maten.": "other",
    "Fråga om avgiften.": "other",
}
CATEGORY_SHARE = 0.8
DETAILS = [
    "",
    " Det hände under kvällspasset.",
    " Det hände i samband med ett byte av personal.",
    " Vikarie var i tjänst.",
    " Liknande händelse har inträffat tidigare.",
    " Anhörig uppmärksammade händelsen.",
]
IMMEDIATE = [
    "Kontaktade sjuksköterskan.",
    "Informerade enhetschefen.",
    "Informerade anhöriga.",
    "Extra tillsyn sattes in.",
    "Rättade till felet direkt.",
]
PLACES = ["", "", "Brukarens bostad", "Köket", "Badrummet", "Gemensamma utrymmen", "Bilen"]
REASONS = [
    "Synpunkten gäller inte kvaliteten i insatsen; den besvaras som en synpunkt.",
    "Ärendet hör till en annan verksamhet och har lämnats över dit.",
]
ACTION_TITLES = [
    "Gå igenom rutinen på arbetsplatsträffen",
    "Ta fram en ny rutin",
    "Revidera checklistan för överlämning",
    "Utbilda personalen i läkemedelshantering",
    "Se över bemanningen kvällstid",
    "Byt ut trasigt larm",
]


def hours(rng, median, sigma=1.0):
    """A lognormal duration around `median` hours."""
    return timedelta(hours=rng.lognormvariate(math.log(median), sigma))
