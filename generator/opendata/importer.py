"""`annuaire import data-inclusion`: what data·inclusion publishes becomes the territory's records, in sync.

The import goes through five steps, each in its own module:
- reading the shapes data·inclusion publishes into rows (`import_input`);
- keeping the territory's rows (`generator.records.zones`: département, bassins' communes, zone);
- mapping a row to our record's values through the official model, then ours (`import_mapping`);
- syncing with the records already there: new, updated, unchanged, gone at the source (`import_sync`);
- writing YAML in the project's style (`import_yaml`), read back through our loader and models first,
  so that `annuaire check` accepts what is written.
This module wires them. Duplicates of records already there (same SIRET, or same name and commune;
for services, same structure too) are reported, never written; the services of a duplicate structure
attach to the record already there.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from data_inclusion.schema import v1 as di
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.opendata.import_input import Row, Rows, UnreadableExport, read_files, shorten
from generator.opendata.import_mapping import (
    Skipped,
    as_list,
    freins_of,
    national_phone,
    new_id,
    normalised,
    official_values,
    plain,
    service_values,
    structure_values,
    validate,
)
from generator.opendata.import_sync import ImportResult, Outcome, changed_fields, flagged_gone, merged
from generator.opendata.import_yaml import to_yaml
from generator.records.catalog import Catalog
from generator.records.load import LoadError, load_bytes
from generator.records.messages import describe_error
from generator.records.models import LOCAL_FIELDS, Service, Structure, Territoire, field_order, place_of
from generator.records.zones import covers_territoire, in_territoire

__all__ = ["ImportResult", "UnreadableExport", "import_files"]

OUT_OF_TERRITORY = "hors du territoire"


def _imported(catalog: Catalog) -> list[Structure | Service]:
    return [*catalog.structures.values(), *catalog.services.values()]


def _our_message(error: ErrorDetails) -> str:
    if error["type"] == "value_error":
        return str((error.get("ctx") or {}).get("error", error["msg"]))
    if error["type"] == "missing":
        return "champ obligatoire manquant"
    return f"« {error.get('input')} » refusé ({error['msg']})"


class Importer:
    def __init__(self, catalog: Catalog, territoire: Territoire, resources: Path, shown_root: str, today: date):
        self.catalog, self.territoire, self.resources, self.shown_root = catalog, territoire, resources, shown_root
        self.today = today
        self.raw_structures: dict[str, dict[str, Any]] = {}  # data·inclusion id → the structure as read
        self.result = ImportResult()
        self.taken = {
            kind: set(catalog.structures if kind == "structures" else catalog.services)
            | {p.stem for p in (resources / kind).glob("*.yml")}
            for kind in ("structures", "services")
        }
        self.known: dict[tuple[str, str], str] = {  # (kind, data·inclusion id) → our id
            (record.folder, record.id_source): record.id for record in _imported(catalog) if record.id_source
        }
        self.structure_ids: dict[str, str] = {}  # data·inclusion id → our id, for this import
        self.structures: dict[str, dict[str, Any]] = {i: s.model_dump() for i, s in catalog.structures.items()}
        self.by_siret = {s.siret: i for i, s in catalog.structures.items() if s.siret}
        self.by_name = {(normalised(s.nom), normalised(s.commune)): i for i, s in catalog.structures.items()}
        self.services_by_name = {
            (s.structure, normalised(s.nom), normalised(place_of(s, catalog.structure_of(s))["commune"])): s.id
            for s in catalog.services.values()
            if s.structure in catalog.structures
        }
        self.pending: list[tuple[type[Structure | Service], dict[str, Any], list[str], str, bool]] = []

    def report(self, where: str, severity: str, name: str, message: str) -> None:
        self.result.problem(where, severity, name, message)

    def run(self, rows: Rows) -> ImportResult:
        for row in rows.structures:
            if (structure_id := text_of(row.data, "id")) is not None:
                self.raw_structures.setdefault(structure_id, row.data)
        for row in rows.invalid:
            self.report(row.where, "error", "", "un objet { … } est attendu : élément ignoré")
            self.result.skip("invalides")
        services = [s for s in (self._read_service(row) for row in rows.services) if s is not None]
        needed = {data["structure_id"] for _, data in services}
        done: set[str] = set()
        for row in rows.structures:
            source_id = text_of(row.data, "id")
            if source_id is not None:
                if source_id in done:  # the same structure embedded in several services
                    continue
                done.add(source_id)
            if source_id in needed or self._place_in_territoire(row.data):
                self._guard(self._structure, row)
            else:
                self.result.skip(OUT_OF_TERRITORY)
        for row, data in services:
            self._guard(self._service, row, data)
        for model, values, flags, where, replace in self.pending:
            self._write(model, values, flags, where, replace)
        self._flag_gone(rows)
        return self.result

    def _guard(self, step, *args) -> None:
        try:
            step(*args)
        except Skipped as skipped:
            self.result.skip(skipped.reason)

    def _place_in_territoire(self, data: dict[str, Any]) -> bool:
        codes = [data.get("code_insee"), data.get("code_postal")]
        return bool(in_territoire(self.territoire, *(c if isinstance(c, str) else None for c in codes)))

    def _read_service(self, row: Row) -> tuple[Row, dict[str, Any]] | None:
        """The service's values through the official model, when it is the territory's (others are not read)."""
        if not self._service_in_territoire(row.data):
            self.result.skip(OUT_OF_TERRITORY)
            return None
        try:
            return row, official_values(row, di.Service, self.report, lambda error: describe_error(error, di.Service))
        except Skipped as skipped:
            self.result.skip(skipped.reason)
            return None

    def _service_in_territoire(self, raw: dict[str, Any]) -> bool:
        zone = as_list(raw.get("zone_eligibilite"))
        codes = [code for code in zone if isinstance(code, str)] if isinstance(zone, list) else []
        own_place = raw.get("code_insee") or raw.get("code_postal")
        place = raw if own_place else self.raw_structures.get(text_of(raw, "structure_id") or "", {})
        return covers_territoire(self.territoire, codes) or self._place_in_territoire(place)

    def _ours(self, model: type[BaseModel], values: dict[str, Any], where: str) -> dict[str, Any]:
        """The values our model accepts, as it holds them (numbers as numbers, vocabulary as text)."""
        values = {k: v for k, v in values.items() if v is not None and v != []}
        record, kept = validate(model, values, where, self.report, _our_message, context={"today": self.today})
        checked = {name: plain(value) for name, value in record.model_dump(include=set(kept)).items()}
        national_phone(checked)
        return checked

    def _own(self, data: dict[str, Any]) -> bool:
        return data.get("source") == self.territoire.id

    def _structure(self, row: Row) -> None:
        data = official_values(row, di.Structure, self.report, lambda error: describe_error(error, di.Structure))
        flags: list[str] = []
        values = structure_values(data, self.territoire, flags)
        where = f"{row.where}, identifiant data·inclusion « {shorten(data['id'])} »"
        existing = self.known.get(("structures", data["id"]))
        if existing:
            self.structure_ids[data["id"]] = existing
            self._update(Structure, existing, values, where)
            return
        duplicate = self._duplicate_structure(values)
        if duplicate:
            other, why = duplicate
            self.structure_ids[data["id"]] = other
            self._duplicate(
                row,
                data,
                f"structure « {values['nom']} » : doublon de « {other} » ({why}) : non importée, ses services s'y rattachent",
            )
            return
        values["id"] = new_id(data["id"], values["nom"], self.taken["structures"], self._own(data))
        checked = self._ours(Structure, values, row.where)
        self.structure_ids[data["id"]] = checked["id"]
        self.structures[checked["id"]] = checked
        if checked.get("siret"):
            self.by_siret[checked["siret"]] = checked["id"]
        self.by_name[(normalised(checked["nom"]), normalised(checked.get("commune")))] = checked["id"]
        self.pending.append((Structure, checked, flags, where, False))

    def _duplicate(self, row: Row, data: dict[str, Any], message: str) -> None:
        self.result.skip("doublons")
        if not self._own(data):  # the territory's own records, back from its export: no news
            self.report(row.where, "warning", "", message)

    def _duplicate_structure(self, values: dict[str, Any]) -> tuple[str, str] | None:
        if values["siret"] and values["siret"] in self.by_siret:
            return self.by_siret[values["siret"]], f"même SIRET {values['siret']}"
        same_name = self.by_name.get((normalised(values["nom"]), normalised(values.get("commune"))))
        return (same_name, "même nom et même commune") if same_name else None

    def _structure_of(self, source_id: str, where: str) -> str:
        if source_id in self.structure_ids:
            return self.structure_ids[source_id]
        if ("structures", source_id) in self.known:
            return self.known[("structures", source_id)]
        local = source_id.split("--", 1)[1] if "--" in source_id else source_id
        if local in self.catalog.structures:
            return local
        self.report(
            where,
            "error",
            "structure_id",
            f"structure « {shorten(source_id)} » introuvable dans le fichier et dans la base : service ignoré",
        )
        raise Skipped("invalides")

    def _service(self, row: Row, data: dict[str, Any]) -> None:
        structure_id = self._structure_of(data["structure_id"], row.where)
        flags: list[str] = []
        found = freins_of(sorted(data.get("thematiques") or []), row.where, self.report, flags)
        values = service_values(data, structure_id, self.structures[structure_id], self.territoire, found, flags)
        where = f"{row.where}, identifiant data·inclusion « {shorten(data['id'])} »"
        existing = self.known.get(("services", data["id"]))
        if existing:
            self._update(Service, existing, values, where)
            return
        commune = normalised(values.get("commune") or self.structures[structure_id].get("commune"))
        key = (structure_id, normalised(values["nom"]), commune)
        if key in self.services_by_name:
            self._duplicate(
                row,
                data,
                f"service « {values['nom']} » : doublon de « {self.services_by_name[key]} » "
                "(même nom, même commune, même structure) : non importé",
            )
            return
        values["id"] = new_id(data["id"], values["nom"], self.taken["services"], self._own(data))
        checked = self._ours(Service, values, row.where)
        self.services_by_name[key] = checked["id"]
        self.pending.append((Service, checked, flags, where, False))

    def _update(self, model: type[Structure | Service], our_id: str, values: dict[str, Any], where: str) -> None:
        record = (self.catalog.structures if model is Structure else self.catalog.services)[our_id]
        existing = plain_dump(record)
        incoming = self._ours(model, {**values, "id": our_id}, where)
        after = merged(existing, incoming, field_order(model))
        if model is Structure:  # its services compare their address with the new one
            self.structures[our_id] = after
        changed = changed_fields(record, model.model_validate(after, context={"today": self.today}))
        if not changed:
            self.result.unchanged += 1
            return
        self.pending.append((model, after, changed, where, True))

    def _flag_gone(self, rows: Rows) -> None:
        if not rows.complete():
            self.result.notes.append(
                "note : des pages de la réponse de l'API manquent : les fiches absentes ne sont pas signalées"
            )
            return
        for kind, read, records in (
            ("structures", [r for r in rows.structures if not r.embedded], self.catalog.structures),
            ("services", rows.services, self.catalog.services),
        ):
            ids = {text_of(row.data, "id") for row in read}
            sources = {text_of(row.data, "source") for row in read}
            for record in records.values():
                if record.id_source and record.source in sources and record.id_source not in ids:
                    self._gone(record, kind)

    def _gone(self, record: Structure | Service, kind: str) -> None:
        path = Path(f"{self.shown_root.rstrip('/')}/{kind}/{record.id}.yml")
        if record.absent_de_la_source is None:
            values = flagged_gone(plain_dump(record), self.today)
            if not self._write(type(record), values, [], f"fiche « {record.id} »", True, report=False):
                return
        self.result.gone.append(Outcome(path, []))

    def _write(
        self,
        model: type[Structure | Service],
        values: dict[str, Any],
        notes: list[str],
        where: str,
        replace: bool,
        report: bool = True,
    ) -> bool:
        text = to_yaml(
            {name: values.get(name) for name in field_order(model)}, self._header(model, values, notes, where)
        )
        relative = f"{model.folder}/{values['id']}.yml"
        shown = f"{self.shown_root.rstrip('/')}/{relative}"
        try:  # what is written must read back through the project's loader and model
            model.model_validate(load_bytes(text.encode("utf-8"), shown).data, context={"today": self.today})
        except (LoadError, ValidationError) as exc:
            self.report(where, "error", "", f"fiche non écrite, relue invalide ({exc}) : signalez-le")
            self.result.skip("invalides")
            return False
        path = self.resources / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if replace:  # an imported record: replaced whole, never half-written
                staging = path.with_name(f".{path.name}.import")
                staging.write_text(text, encoding="utf-8")
                os.replace(staging, path)
            else:
                with open(path, "x", encoding="utf-8") as out:  # "x": never overwrite a file
                    out.write(text)
        except OSError as exc:  # a file created meanwhile, a read-only folder…
            self.report(where, "error", "", f"« {shown} » non écrit ({exc.strerror})")
            self.result.skip("invalides")
            return False
        if report:
            (self.result.updated if replace else self.result.new).append(Outcome(Path(shown), notes))
        return True

    def _header(self, model: type[BaseModel], values: dict[str, Any], notes: list[str], where: str) -> list[str]:
        if not values.get("id_source"):
            return [f"Repris de l'export du territoire le {self.today.isoformat()} : à relire", f"Source : {where}"]
        kept = [*[name for name in LOCAL_FIELDS if name in model.model_fields], *(values.get("champs_locaux") or [])]
        return [
            f"Importé de data·inclusion le {self.today.isoformat()} : à relire",
            f"Source : {where}",
            *[f"À vérifier : {note}" for note in notes if not values.get("absent_de_la_source")],
            "Un nouvel import met à jour les champs venus de la source ; il garde "
            f"{', '.join(kept)} et les champs ajoutés à champs_locaux",
        ]


def text_of(data: dict[str, Any], name: str) -> str | None:
    """A value as read, when it is a string (anything else is refused later, with its row)."""
    value = data.get(name)
    return value if isinstance(value, str) else None


def plain_dump(record: Structure | Service) -> dict[str, Any]:
    """The fields a record's file sets, as import writes them."""
    return {name: plain(value) for name, value in record.model_dump(exclude_unset=True).items()}


def import_files(
    paths: list[tuple[Path, str]],
    catalog: Catalog,
    territoire: Territoire,
    resources: Path,
    shown_root: str,
    today: date | None = None,
) -> ImportResult:
    """Read every file first (an unreadable one stops everything), then import the territory's rows."""
    rows = read_files(paths)
    return Importer(catalog, territoire, resources, shown_root, today or date.today()).run(rows)
