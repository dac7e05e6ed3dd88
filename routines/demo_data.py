"""The demo's routines as data: titles, levels, owners and bodies (Swedish content, as an
organisation would write it). Loaded by routines/demo.py."""

# What a routine is meant to become in the demo.
PUBLISHED, IN_APP, REVIEW, DRAFT, OVERDUE = "published", "in_app", "review", "draft", "overdue"


def _html(*sections):
    parts = []
    for heading, paragraphs in sections:
        parts.append(f"<h2>{heading}</h2>")
        for paragraph in paragraphs:
            if isinstance(paragraph, list):
                parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in paragraph) + "</ul>")
            else:
                parts.append(f"<p>{paragraph}</p>")
    return "".join(parts)


# (key, title, level, owner, roles, legal (regulation code, section reference), months, stage,
#  approved as, body)
ROUTINES = [
    (
        "deviations",
        "Rutin för avvikelsehantering",
        "Socialförvaltningen",
        "karin",
        [],
        [("sosfs-2011-9", "5 kap 4–5 §§")],
        12,
        PUBLISHED,
        "Förvaltningschef Fia Forsberg",
        _html(
            (
                "Syfte",
                [
                    "Att fel och brister tas om hand så att verksamheten lär sig av dem och "
                    "samma sak inte händer igen."
                ],
            ),
            (
                "Ansvar",
                [
                    "Alla medarbetare rapporterar avvikelser. Enhetschefen tar emot, "
                    "utreder och beslutar om åtgärder. Kvalitetsutvecklaren sammanställer "
                    "avvikelserna för förvaltningen varje tertial."
                ],
            ),
            (
                "Så gör du",
                [
                    [
                        "Gör det som behövs direkt för att brukaren ska vara trygg.",
                        "Rapportera avvikelsen i Hjulet samma dag, gärna från telefonen.",
                        "Beskriv vad som hände, inte vem som gjorde fel.",
                        "Enhetschefen återkopplar till den som rapporterade.",
                    ]
                ],
            ),
        ),
    ),
    (
        "lex_sarah",
        "Rutin för lex Sarah",
        "Socialförvaltningen",
        "karin",
        [],
        [("lss", "24 a–f §§")],
        12,
        PUBLISHED,
        "Förvaltningschef Fia Forsberg",
        _html(
            (
                "Syfte",
                [
                    "Rutinen beskriver hur missförhållanden och påtagliga risker för "
                    "missförhållanden rapporteras, utreds och vid behov anmäls till IVO."
                ],
            ),
            (
                "Rapporteringsskyldighet",
                [
                    "Alla som arbetar i verksamheten ska genast "
                    "rapportera till enhetschefen eller direkt i Hjulet. "
                    "Rapporten kan inte lämnas anonymt."
                ],
            ),
            (
                "Utredning och anmälan",
                [
                    "Utredningssekreteraren utreder. Avdelningschefen "
                    "beslutar om ett allvarligt missförhållande ska anmälas "
                    "till IVO, senast två veckor efter att det blev känt."
                ],
            ),
        ),
    ),
    (
        "medication",
        "Läkemedelshantering i hemtjänst och särskilt boende",
        "Vård och omsorg",
        "maria",
        ["staff_member"],
        [("hsl", "12 kap 1 §"), ("psl", "3 kap 10 §")],
        12,
        PUBLISHED,
        "Verksamhetschef HSL Henrik Holm",
        _html(
            ("Syfte", ["Säker läkemedelsöverlämning enligt delegering."]),
            (
                "Så gör du",
                [
                    [
                        "Kontrollera namn, datum och tidpunkt på dosetten innan du överlämnar.",
                        "Signera på signeringslistan direkt efter överlämningen.",
                        "Är dosetten orörd eller fel: kontakta sjuksköterskan och rapportera en "
                        "avvikelse.",
                    ]
                ],
            ),
        ),
    ),
    (
        "discharge",
        "Rutin för samverkan med regionen vid utskrivning",
        "Vård och omsorg",
        "adam",
        [],
        [("sosfs-2011-9", "4 kap 5–6 §§")],
        24,
        IN_APP,
        "",
        _html(
            ("Syfte", ["Brukaren ska kunna komma hem från sjukhuset tryggt och utan dröjsmål."]),
            (
                "Så gör du",
                [
                    [
                        "Biståndshandläggaren tar emot inskrivningsmeddelandet från regionen.",
                        "En samordnad individuell plan (SIP) upprättas inom tre dagar efter att "
                        "brukaren är utskrivningsklar.",
                        "Hemtjänsten planerar uppstarten tillsammans med hemsjukvården.",
                    ]
                ],
            ),
        ),
    ),
    (
        "keys",
        "Nyckelhantering",
        "Hemtjänst Norr",
        "eva",
        [],
        [],
        12,
        OVERDUE,
        "Enhetschef Eva Ek",
        _html(
            ("Syfte", ["Brukarnas nycklar förvaras och lämnas ut säkert."]),
            (
                "Så gör du",
                [
                    [
                        "Kvittera ut nyckeln i nyckelskåpet vid passets början.",
                        "Lämna tillbaka nyckeln vid passets slut och kvittera.",
                        "En saknad nyckel rapporteras som avvikelse direkt.",
                    ]
                ],
            ),
        ),
    ),
    (
        "fire",
        "Brandskydd",
        "Hemtjänst Norr",
        "eva",
        [],
        [],
        12,
        REVIEW,
        "",
        _html(
            (
                "Syfte",
                [
                    "Alla ska veta hur de agerar om det börjar brinna hos en brukare eller "
                    "på kontoret."
                ],
            ),
            ("Så gör du", [["Rädda", "Varna", "Larma 112", "Släck om det går"]]),
        ),
    ),
    (
        "care_plan",
        "Dokumentation i genomförandeplan",
        "Hemtjänst Norr",
        "eva",
        ["staff_member"],
        [],
        12,
        DRAFT,
        "",
        _html(
            (
                "Syfte",
                ["Genomförandeplanen beskriver hur insatserna utförs, utifrån brukarens önskemål."],
            ),
            (
                "Så gör du",
                [
                    "Kontaktpersonen upprättar planen tillsammans med brukaren inom tre "
                    "veckor och följer upp den minst var sjätte månad."
                ],
            ),
        ),
    ),
    (
        "school",
        "Rutin för samverkan med skolan vid oro för ett barn",
        "Barn och unga",
        "karin",
        [],
        [],
        12,
        PUBLISHED,
        "Enhetschef för Barn och unga",
        _html(
            ("Syfte", ["Skolan och socialtjänsten ska tillsammans ge barnet rätt stöd tidigt."]),
            (
                "Så gör du",
                [
                    "Efter en orosanmälan från skolan bjuder handläggaren in till ett "
                    "samverkansmöte med skolan, barnet och vårdnadshavarna inom två "
                    "veckor, om det inte skadar barnet."
                ],
            ),
        ),
    ),
    (
        "social_insurance",
        "Samverkan med Försäkringskassan vid sjukskrivning",
        "Försörjningsstöd",
        "karin",
        [],
        [],
        12,
        PUBLISHED,
        "Enhetschef för Försörjningsstöd",
        _html(
            (
                "Syfte",
                [
                    "Den som är sjukskriven och söker ekonomiskt bistånd får sin rätt till "
                    "sjukpenning prövad först."
                ],
            ),
            (
                "Så gör du",
                [
                    "Handläggaren begär medgivande och kontaktar Försäkringskassan inom "
                    "fem arbetsdagar. Överenskomna insatser dokumenteras i akten."
                ],
            ),
        ),
    ),
]
