"""The words of the generated routines: titles and bodies built from word lists, so that the
full-text search has something to find."""

from organisation.models import NodeKind
from routines.text import sanitise

# A word in most generated texts: the benchmark searches for it.
COMMON_WORD = "dokumentation"

TOPICS = [
    "läkemedelshantering",
    "delegering av hälso- och sjukvårdsuppgifter",
    "nyckelhantering",
    "fallprevention",
    "basala hygienrutiner",
    "dokumentation i social journal",
    "avvikelsehantering",
    "rapportering enligt lex Sarah",
    "rapportering enligt lex Maria",
    "personuppgiftsincidenter",
    "orosanmälan om barn",
    "brand och utrymning",
    "skydds- och begränsningsåtgärder",
    "palliativ vård i livets slutskede",
    "nutrition och måltider",
    "munhälsa",
    "förebyggande av trycksår",
    "hjälpmedel och medicintekniska produkter",
    "trygghetslarm",
    "hantering av brukares pengar",
    "genomförandeplan",
    "introduktion av nyanställda",
    "sekretess och tystnadsplikt",
    "samverkan vid in- och utskrivning",
    "hot och våld",
    "synpunkter och klagomål",
    "smitta och utbrott",
    "tvätt och städning",
    "dödsfall",
    "våld i nära relationer",
    "ensamarbete",
    "kontinuitet i hemtjänsten",
    "överlämning mellan arbetspass",
    "nattillsyn",
    "social dokumentation vid insatser",
    "bemötande och värdegrund",
    "kris och katastrof",
    "informationssäkerhet",
    "trafiksäkerhet vid resor",
    "arkivering och gallring",
]
TITLE_FORMS = ["Rutin för {}", "Riktlinje för {}", "Instruktion för {}", "Rutin vid {}"]
HEADINGS = ["Syfte", "Ansvar", "Tillvägagångssätt", "Dokumentation", "Uppföljning"]
SUBJECTS = [
    "Personalen",
    "Enhetschefen",
    "Sjuksköterskan",
    "Kontaktpersonen",
    "Den som upptäcker händelsen",
    "Undersköterskan",
    "Handläggaren",
    "Arbetsterapeuten",
    "Varje medarbetare",
    "Ansvarig chef",
]
VERBS = [
    "ansvarar för",
    "dokumenterar",
    "följer upp",
    "informerar om",
    "säkerställer",
    "går igenom",
    "rapporterar",
    "kontrollerar",
    "planerar",
    "samordnar",
]
OBJECTS = [
    "läkemedelshanteringen",
    "dokumentationen i journalen",
    "genomförandeplanen",
    "brukarens önskemål",
    "avvikelser och risker",
    "överlämningen mellan arbetspassen",
    "delegeringen av hälso- och sjukvårdsuppgifter",
    "nyckelhanteringen",
    "larmet och tillsynen",
    "hygienrutinerna",
    "sekretessen",
    "anhörigas synpunkter",
    "fallriskbedömningen",
    "nutritionen",
    "samverkan med regionen",
]
TAILS = [
    "",
    " varje vecka",
    " vid varje besök",
    " enligt gällande föreskrifter",
    " i verksamhetssystemet",
    " tillsammans med brukaren",
    " innan arbetspasset avslutas",
    " och meddelar enhetschefen vid brister",
    " enligt SOSFS 2011:9",
    " minst en gång per år",
]
CHANGES = [
    "Ansvarsfördelningen är förtydligad.",
    "Anpassad till nya föreskrifter.",
    "Checklistan är uppdaterad.",
    "Språket är förenklat och kontaktuppgifterna rättade.",
]


def title(rng, node, seen):
    """A title from the word lists, unique within the node."""
    used = seen.setdefault(node.pk, set())
    for _attempt in range(50):
        title = rng.choice(TITLE_FORMS).format(rng.choice(TOPICS))
        if node.kind in (NodeKind.UNIT, NodeKind.OPERATION):
            title = f"Lokal {title[0].lower()}{title[1:]}"
        if title not in used:
            break
    else:
        title = f"{title} ({len(used) + 1})"
    used.add(title)
    return title[0].upper() + title[1:]


def body(rng, title, topic, number):
    """A few paragraphs under the usual headings; a later version changes a sentence."""
    parts = [f"<p>{title} gäller för all personal som arbetar med {topic}.</p>"]
    for heading in rng.sample(HEADINGS, rng.randrange(3, len(HEADINGS) + 1)):
        parts.append(f"<h2>{heading}</h2>")
        if heading == "Tillvägagångssätt":
            steps = "".join(f"<li>{sentence(rng)}</li>" for _i in range(rng.randrange(3, 6)))
            parts.append(f"<ol>{steps}</ol>")
        else:
            sentences = " ".join(sentence(rng) for _i in range(rng.randrange(2, 5)))
            parts.append(f"<p>{sentences}</p>")
    if number > 1:
        parts.append(f"<p>Version {number}: {rng.choice(CHANGES)}</p>")
    return sanitise("".join(parts))


def sentence(rng):
    """One sentence from the word lists."""
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."
