"""`annuaire import` of what data·inclusion publishes: API pages, territory filter, provenance, sync."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from generator.cli import main
from generator.opendata.export import description_text
from generator.site.richtext import markdown_to_html

API = REPO / "tests" / "data" / "data-inclusion-api"
FIXTURE = REPO / "tests" / "data" / "annuaire"
PAGES = [API / "services-page-1.json", API / "services-page-2.json"]
FORMATION = "services/savoirs-de-base-lire-ecrire-compter-9863e0.yml"
GARAGE = "services/garage-solidaire-reparations-a-petit-prix-9b889f.yml"
AIDE = "services/aide-financiere-a-la-mobilite-49ca95.yml"


@pytest.fixture
def base(tmp_path) -> Path:
    target = tmp_path / "resources"
    shutil.copytree(FIXTURE, target)
    return target


def run(capsys, *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines() + captured.err.splitlines()


def run_import(capsys, resources: Path, *files: Path) -> tuple[int, list[str]]:
    return run(
        capsys, "import", "data-inclusion", *map(str, files), "--territoire", "cantal", "--resources", str(resources)
    )


def record(resources: Path, relative: str) -> dict:
    return yaml.safe_load((resources / relative).read_text(encoding="utf-8"))


def snapshot(resources: Path) -> dict[str, bytes]:
    return {str(p.relative_to(resources)): p.read_bytes() for p in sorted(resources.rglob("*.yml"))}


def test_api_pages_with_embedded_structures_only_the_territory(base, capsys):
    code, lines = run_import(capsys, base, *PAGES)
    assert code == 0
    new = sorted(
        line.split(" : ", 1)[1].split(" (")[0].removeprefix(str(base) + "/")
        for line in lines
        if line.startswith("nouvelle fiche")
    )
    assert new == [
        "services/aide-financiere-a-la-mobilite-49ca95.yml",  # zone « france »: covers the Cantal
        "services/garage-solidaire-reparations-a-petit-prix-9b889f.yml",  # a UUID id: the name and a suffix
        "services/savoirs-de-base-lire-ecrire-compter-9863e0.yml",
        "structures/garage-solidaire-du-cantal-42a03b.yml",
        "structures/operateur-national-de-l-aide-a-la-mobilite-5fc1b3.yml",  # in Paris, needed by its service
        "structures/organisme-de-formation-de-l-exemple-3f2f67.yml",
    ]
    # Lille and Mulhouse: their services and structures left out, counted.
    assert lines[-1] == (
        "Import terminé : 6 nouvelles fiches, 0 mise à jour, 0 inchangée, 0 absente de la source ; "
        "éléments ignorés : 4 hors du territoire."
    )
    assert not any("Lille" in line or "Mulhouse" in line for line in lines)
    assert run(capsys, "check", "--resources", str(base))[0] == 0


def test_provenance_zone_and_mobilisation_kept_and_exported_unchanged(base, capsys, tmp_path):
    run_import(capsys, base, *PAGES)
    formation = record(base, FORMATION)
    assert (formation["source"], formation["id_source"], formation["lien_source"]) == (
        "carif-oref",
        "carif-oref--01_GE2030516",
        "https://www.carif-oref.example.org/formation/01_GE2030516",
    )
    assert formation["zone_eligibilite"] == ["15", "19", "23", "87", "03", "63", "43", "12", "46", "48"]
    assert "bassins" not in formation  # the département is the whole territory
    garage = record(base, GARAGE)
    assert garage["complement_adresse"] == "Salle annexe"  # its own, though its street is its structure's
    assert garage["lien_mobilisation"] == "https://garage.example.org/rendez-vous"  # without the mode
    out = tmp_path / "export"
    assert run(capsys, "export", "--format", "data-inclusion", "--resources", str(base), "--out", str(out))[0] == 0
    services = {s["id"]: s for s in json.loads((out / "services.json").read_text(encoding="utf-8"))}
    exported = services["carif-oref--01_GE2030516"]
    assert exported["source"] == "carif-oref"
    assert exported["structure_id"] == "carif-oref--S_AURILLAC_01"
    assert exported["lien_source"] == "https://www.carif-oref.example.org/formation/01_GE2030516"
    assert exported["zone_eligibilite"] == ["15", "19", "23", "87", "03", "63", "43", "12", "46", "48"]
    assert services["dora--7e87aef9-3c1d-4b5e-9f20-6a1b2c3d4e5f"]["lien_mobilisation"] == (
        "https://garage.example.org/rendez-vous"
    )
    # Records written locally keep the territory's source.
    assert services["cantal--aide-alimentaire-ccas-aurillac"]["source"] == "cantal"


def test_second_import_of_the_same_pages_changes_nothing(base, capsys):
    run_import(capsys, base, *PAGES)
    before = snapshot(base)
    code, lines = run_import(capsys, base, *PAGES)
    assert code == 0
    assert snapshot(base) == before
    assert lines[-1].startswith("Import terminé : 0 nouvelle fiche, 0 mise à jour, 6 inchangées, 0 absente")


def _newer_pages(tmp_path: Path) -> list[Path]:
    """The same answer a month later: one description and phone changed, the garage service gone."""
    pages = []
    for path in PAGES:
        data = json.loads(path.read_text(encoding="utf-8"))
        items = [i for i in data["items"] if i["id"] != "dora--7e87aef9-3c1d-4b5e-9f20-6a1b2c3d4e5f"]
        for item in items:
            if item["id"] == "carif-oref--01_GE2030516":
                item["description"] = "### Objectif\nLire, écrire, compter : nouvelle session en janvier."
                item["courriel"] = "contact@carif-oref.example.org"
                item["mobilisation_precisions"] = "Écrire au Carif-Oref."
                item["date_maj"] = "2026-10-20"
        data["items"] = items
        pages.append(tmp_path / path.name)
        pages[-1].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return pages


def test_newer_export_updates_the_source_fields_and_keeps_what_the_territory_curates(base, capsys, tmp_path):
    run_import(capsys, base, *PAGES)
    path = base / FORMATION
    curated = record(base, FORMATION)
    curated.update(
        freins=["maitrise-langue", "numerique"],
        bassins=["aurillac"],
        partenaires=["ccas-aurillac"],
        mobilisation_precisions="Fiche de liaison à envoyer au CCAS d'Aurillac.",
        champs_locaux=["mobilisation_precisions"],
    )
    path.write_text(yaml.safe_dump(curated, allow_unicode=True, sort_keys=False), encoding="utf-8")
    garage = (base / GARAGE).read_bytes()

    code, lines = run_import(capsys, base, *_newer_pages(tmp_path))
    assert code == 0
    after = record(base, FORMATION)
    assert after["description"].startswith("### Objectif\nLire, écrire, compter")
    assert after["courriel"] == "contact@carif-oref.example.org"
    assert str(after["date_maj"]) == "2026-10-20"
    # What the territory curates survives.
    assert after["freins"] == ["maitrise-langue", "numerique"]
    assert after["bassins"] == ["aurillac"] and after["partenaires"] == ["ccas-aurillac"]
    assert after["mobilisation_precisions"] == "Fiche de liaison à envoyer au CCAS d'Aurillac."
    assert f"mise à jour : {path} (courriel, description, date_maj)" in lines
    # Gone at the source: kept, flagged for review, reported by check.
    gone = record(base, GARAGE)
    assert str(gone["absent_de_la_source"]) and (base / GARAGE).read_bytes() != garage
    assert f"absente de la source : {base / GARAGE} (gardée, à revoir)" in lines
    assert lines[-1] == (
        "Import terminé : 0 nouvelle fiche, 1 mise à jour, 3 inchangées, 1 absente de la source ; "
        "éléments ignorés : 4 hors du territoire."
    )
    code, lines = run(capsys, "check", "--resources", str(base))
    assert code == 0
    assert any(
        line.startswith(f"{base / GARAGE}:") and "warning: absent_de_la_source: absente de l'export « dora »" in line
        for line in lines
    )


def test_a_missing_page_flags_nothing_as_gone(base, capsys):
    run_import(capsys, base, *PAGES)
    code, lines = run_import(capsys, base, PAGES[0])
    assert code == 0
    assert "note : des pages de la réponse de l'API manquent : les fiches absentes ne sont pas signalées" in lines
    assert "absent_de_la_source" not in (base / AIDE).read_text(encoding="utf-8")


def test_check_warns_when_bassins_and_zone_disagree(base, capsys):
    run_import(capsys, base, *PAGES)
    code, lines = run(capsys, "check", "--resources", str(base))
    assert code == 0
    assert any(
        f"{base / GARAGE}:" in line
        and "warning: bassins: la zone d'éligibilité (200066660, 15187) touche saint-flour, "
        "les bassins disent tout le territoire : accordez-les"
        in line
        for line in lines
    )
    text = (
        (base / GARAGE)
        .read_text(encoding="utf-8")
        .replace("freins: [mobilite]", "freins: [mobilite]\nbassins: [saint-flour]")
    )
    (base / GARAGE).write_text(text, encoding="utf-8")
    _, lines = run(capsys, "check", "--resources", str(base))
    assert not any("accordez-les" in line for line in lines)


def test_markdown_of_the_referentiel_renders_headings_lists_and_breaks():
    text = json.loads(PAGES[0].read_text(encoding="utf-8"))["items"][0]["description"]
    assert markdown_to_html(text) == (
        "<h3>Objectif de la formation</h3>\n"
        "<p>Remettre à niveau le français écrit et le calcul.<br>\nEntrées et sorties permanentes.</p>\n"
        "<h3>Contenu</h3>\n<ul>\n<li>lecture et écriture</li>\n<li>calcul du quotidien</li>\n</ul>\n"
        '<p>Inscription sur <a href="https://www.carif-oref.example.org/formation/01_GE2030516" '
        'rel="noopener noreferrer">le site du Carif-Oref</a>.</p>'
    )
    # A deeper first heading is demoted the same way; `<br>` at a paragraph's end adds nothing.
    assert markdown_to_html("#### Qui\nTous<br>\n\nFin") == "<h3>Qui</h3>\n<p>Tous</p>\n<p>Fin</p>"
    assert "###" not in description_text(text) and "<br>" not in description_text(text)
    assert description_text(text).startswith("Objectif de la formation\n\nRemettre à niveau")


@pytest.mark.parametrize(
    "content, message",
    [
        ("[" * 100_000 + "]" * 100_000, "error: JSON imbriqué trop profondément pour un export data·inclusion"),
        ('[{"id": ' + "9" * 5000 + "}]", "error: JSON illisible : un nombre a trop de chiffres"),
    ],
    ids=["imbrique", "nombre"],
)
def test_hostile_json_one_french_line(base, capsys, tmp_path, content, message):
    source = tmp_path / "hostile.json"
    source.write_text(content, encoding="utf-8")
    code, lines = run_import(capsys, base, source)
    assert code == 1
    assert lines == [f"{source}: {message}", "Import annulé : aucune fiche écrite."]


def test_a_huge_value_is_quoted_short_on_one_line(base, capsys, tmp_path):
    source = tmp_path / "grand.json"
    row = json.loads(PAGES[0].read_text(encoding="utf-8"))["items"][0]
    row["courriel"] = "x" * 5_000_000 + "\nsuite"
    source.write_text(
        json.dumps([row["structure"], {k: v for k, v in row.items() if k != "structure"}]), encoding="utf-8"
    )
    code, lines = run_import(capsys, base, source)
    assert code == 0
    warning = next(line for line in lines if "courriel" in line)
    assert warning.startswith(f"{source}[1]: warning: courriel: « xxxx")
    assert len(warning) < 300 and "…" in warning


def test_an_official_warning_is_a_warning_and_the_value_kept(base, capsys, tmp_path):
    row = json.loads(PAGES[0].read_text(encoding="utf-8"))["items"][0]
    row["nom"] = "Savoirs de base."
    source = tmp_path / "services.json"
    source.write_text(json.dumps([row], ensure_ascii=False), encoding="utf-8")
    code, lines = run_import(capsys, base, source)
    assert code == 0
    assert [line for line in lines if ": warning: " in line or ": error: " in line] == [
        f"{source}[0]: warning: nom: Le nom du service ne doit pas se terminer par un point"
    ]
    assert record(base, "services/savoirs-de-base-9863e0.yml")["nom"] == "Savoirs de base."


def test_rows_of_the_wrong_types_are_reported_without_a_traceback(base, capsys, tmp_path):
    source = tmp_path / "bizarre.json"
    rows = [
        {"id": ["liste"], "nom": {"objet": 1}, "code_postal": "15000", "date_maj": "2026-01-01"},
        {"id": None, "nom": "Sans identifiant", "code_postal": 15000, "source": ["x"]},
        {"structure": {"id": 3, "code_insee": "15014"}, "id": "x--1", "nom": "Service", "zone_eligibilite": "15"},
        {"items": "pas une liste"},
        "texte",
    ]
    source.write_text(json.dumps({"items": rows, "page": 1, "pages": 1, "total": 5, "size": 5}), encoding="utf-8")
    code, lines = run_import(capsys, base, source)
    assert code == 0
    assert f"{source}:items[4]: error: un objet {{ … }} est attendu : élément ignoré" in lines
    assert f"{source}:items[0]: error: source: champ obligatoire manquant : fiche ignorée" in lines
    assert f"{source}:items[2].structure: error: source: champ obligatoire manquant : fiche ignorée" in lines
    assert lines[-1].startswith("Import terminé : 0 nouvelle fiche")
    assert not any("Traceback" in line for line in lines)


def test_rows_of_other_territories_are_not_even_checked(base, capsys, tmp_path):
    page = json.loads(PAGES[0].read_text(encoding="utf-8"))
    lille = page["items"][2]
    lille["courriel"] = "pas-une-adresse"
    lille["structure"]["telephone"] = "pas un numéro"
    source = tmp_path / "page.json"
    source.write_text(json.dumps({"items": [lille]}, ensure_ascii=False), encoding="utf-8")
    code, lines = run_import(capsys, base, source)
    assert code == 0
    assert lines == [
        "Import terminé : 0 nouvelle fiche, 0 mise à jour, 0 inchangée, 0 absente de la source ; "
        "éléments ignorés : 2 hors du territoire."
    ]
