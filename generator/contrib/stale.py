"""`annuaire stale`: the records not checked for a year, grouped by structure, for a scheduled CI job.

The Markdown report names each structure's maintainers, so that posted in an issue it notifies them.
"""

from __future__ import annotations

from collections import defaultdict

from generator.contrib.changes import escape_markdown
from generator.records.catalog import Catalog
from generator.records.french import date_fr, plural
from generator.records.models import Service, Structure


def stale_records(catalog: Catalog, months: int) -> dict[str, list[Structure | Service]]:
    """Structure id → its records (the structure itself, then its services) not checked for `months`."""
    groups: dict[str, list[Structure | Service]] = defaultdict(list)
    for structure in catalog.structures.values():
        if catalog.months_since_check(structure) >= months:
            groups[structure.id].append(structure)
    for service in sorted(catalog.services.values(), key=lambda s: s.nom.casefold()):
        if catalog.months_since_check(service) >= months:
            groups[service.structure].append(service)
    return groups


def stale_report(catalog: Catalog, months: int) -> str:
    groups = stale_records(catalog, months)
    count = sum(len(records) for records in groups.values())
    lines = ["## Fiches à revérifier", ""]
    if not count:
        lines.append(f"Au {date_fr(catalog.today)}, toutes les fiches ont été vérifiées il y a moins de {months} mois.")
        return "\n".join(lines) + "\n"
    unchecked = plural(count, "fiche n'a pas été vérifiée", "fiches n'ont pas été vérifiées")
    lines += [
        f"Au {date_fr(catalog.today)}, {unchecked} depuis {months} mois ou plus.",
        "Pour chacune, vérifiez les informations auprès de la structure, corrigez ce qui a changé,",
        "puis mettez `date_maj` à la date du jour : la fiche sort alors de cette liste.",
        "",
    ]
    for structure_id in sorted(groups, key=lambda sid: _structure_name(catalog, sid).casefold()):
        structure = catalog.structures.get(structure_id)
        lines += [f"### {escape_markdown(_structure_name(catalog, structure_id))}", ""]
        if structure is not None and structure.mainteneurs:
            lines += ["Mainteneurs : " + ", ".join(f"@{m}" for m in structure.mainteneurs), ""]
        else:
            lines += ["Aucun mainteneur déclaré dans la fiche de la structure (champ `mainteneurs`).", ""]
        lines += ["| Fiche | Fichier | Dernière vérification | Il y a |", "| --- | --- | --- | --- |"]
        for record in groups[structure_id]:
            source = catalog.source(record)
            lines.append(
                f"| {record.kind} : {escape_markdown(record.nom)} | `{source.path}` "
                f"| {record.date_maj.isoformat()} | {catalog.months_since_check(record)} mois |"
            )
        lines.append("")
    return "\n".join(lines)


def _structure_name(catalog: Catalog, structure_id: str) -> str:
    structure = catalog.structures.get(structure_id)
    return structure.nom if structure is not None else f"Structure « {structure_id} » introuvable"
