"""The verified section numbers of the new socialtjänstlag (SFS 2025:400) for existing registers.

Until now the register held three placeholders for the new law ("(ej verifierat) lex Sarah" and
so on), unverified. Their numbers are now verified (../shared/legal-rules.md): lex Sarah
27 kap 2–6 §§, unexecuted decisions 34 kap 1–3 §§, quality 5 kap 1–2 §§. A placeholder still as
seeded becomes the verified section in place, so the track rules that cite it cite the verified
section; an administrator's own edits are left alone. The law areas of the seeded laws and the
counterparts of the repealed law's and SOSFS 2011:9's sections are filled in where still empty.
The track "not a deviation" was seeded as "Inte en avvikelse" and is "Ingen avvikelse" everywhere
else on screen; a name as seeded follows. LSS lex Sarah was seeded as 24 a–g §§; 24 g § now
points to SoL 2025:400 19 kap 1 §, so the section as seeded becomes 24 a–f §§.
On a new database the tables are empty here and the seed (legal/seed.py) creates all of it.
"""

from django.db import migrations

PLACEHOLDERS = {
    "(ej verifierat) lex Sarah": "27 kap 2–6 §§",
    "(ej verifierat) ej verkställda beslut": "34 kap 1–3 §§",
    "(ej verifierat) kvalitet": "5 kap 1–2 §§",
}
OLD_NOTES = (
    "Ny socialtjänstlag i kraft 1 juli 2025. Kapitel- och paragrafnumren för lex Sarah, ej "
    "verkställda beslut och kvalitet är inte verifierade; kontrollera och rätta i registret."
)
NEW_NOTES = (
    "Ny socialtjänstlag i kraft 1 juli 2025; ersätter socialtjänstlagen (2001:453) och har nya "
    "kapitel- och paragrafnummer. Numren för lex Sarah, ej verkställda beslut och kvalitet är "
    "kontrollerade mot lagtexten."
)
LAW_AREAS = {
    "sol-2001": "sol",
    "sol-2025": "sol",
    "lvu": "sol",
    "lvm": "sol",
    "lss": "lss",
    "hsl": "hsl",
    "psl": "hsl",
    "hslf-fs-2017-41": "hsl",
    "gdpr": "gdpr",
}
# (code, reference) -> the SoL 2025:400 section it corresponds to; every SOSFS 2011:9 section
# points to the quality sections.
COUNTERPARTS = {
    ("sol-2001", "3 kap 3 §"): "5 kap 1–2 §§",
    ("sol-2001", "14 kap 2–7 §§"): "27 kap 2–6 §§",
    ("sol-2001", "16 kap 6 f–h §§"): "34 kap 1–3 §§",
}
SOSFS_COUNTERPART = "5 kap 1–2 §§"
LSS_LEX_SARAH = ("24 a–g §§", "24 a–f §§")


def forwards(apps, schema_editor):
    Regulation = apps.get_model("legal", "Regulation")
    RegulationSection = apps.get_model("legal", "RegulationSection")
    TrackRule = apps.get_model("legal", "TrackRule")
    TrackRule.objects.filter(kind="not_deviation", name="Inte en avvikelse").update(
        name="Ingen avvikelse"
    )
    seeded, verified = LSS_LEX_SARAH
    if not RegulationSection.objects.filter(regulation__code="lss", reference=verified).exists():
        RegulationSection.objects.filter(regulation__code="lss", reference=seeded).update(
            reference=verified
        )
    for code, area in LAW_AREAS.items():
        Regulation.objects.filter(code=code, law_area="").update(law_area=area)
    new_sol = Regulation.objects.filter(code="sol-2025").first()
    if new_sol is None:
        return
    if new_sol.notes == OLD_NOTES:
        Regulation.objects.filter(pk=new_sol.pk).update(notes=NEW_NOTES)
    for placeholder, reference in PLACEHOLDERS.items():
        old = RegulationSection.objects.filter(
            regulation=new_sol, reference=placeholder, verified=False
        ).first()
        if old is None:
            continue
        existing = RegulationSection.objects.filter(regulation=new_sol, reference=reference).first()
        if existing is None:
            old.reference, old.verified = reference, True
            old.save(update_fields=["reference", "verified"])
        else:
            # Someone added the verified section already: the rules cite it instead.
            for rule in old.track_rules.all():
                rule.sections.add(existing)
            old.deadline_rules.update(section=existing)
    targets = {
        s.reference: s for s in RegulationSection.objects.filter(regulation=new_sol, verified=True)
    }
    for (code, reference), target in COUNTERPARTS.items():
        if target in targets:
            RegulationSection.objects.filter(
                regulation__code=code, reference=reference, counterpart__isnull=True
            ).update(counterpart=targets[target])
    if SOSFS_COUNTERPART in targets:
        RegulationSection.objects.filter(
            regulation__code="sosfs-2011-9", counterpart__isnull=True
        ).update(counterpart=targets[SOSFS_COUNTERPART])


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0003_law_area_and_counterpart"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
