"""The preview a pull request offers for download opens from the disk: a browser reading the files
directly (file://) follows the links to pages, never to a folder listing (« Index of … »)."""

from __future__ import annotations

from conftest import EXAMPLE_RECORDS, run_cli

from generator.site.local_preview import link_index_files


def test_links_to_folders_name_their_index_file(tmp_path):
    page = tmp_path / "services" / "atelier" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<a href="../../annuaire/?bassin=aurillac">a</a> <a href="..">b</a> <a href=".">c</a> '
        '<a href="#haut">d</a> <a href="https://exemple.fr/">e</a> <link href="../../assets/a.css"> '
        '<a href="mailto:x@exemple.fr">f</a>',
        encoding="utf-8",
    )
    link_index_files(tmp_path)
    assert page.read_text(encoding="utf-8") == (
        '<a href="../../annuaire/index.html?bassin=aurillac">a</a> <a href="../index.html">b</a> '
        '<a href="index.html">c</a> <a href="#haut">d</a> <a href="https://exemple.fr/">e</a> '
        '<link href="../../assets/a.css"> <a href="mailto:x@exemple.fr">f</a>'
    )


def test_the_preview_opened_from_the_disk_shows_pages(tmp_path, page):
    out = tmp_path / "apercu"
    run = run_cli("build", "--resources", EXAMPLE_RECORDS, "--out", out, "--fichiers-locaux")
    assert run.code == 0, run.out
    page.goto((out / "index.html").as_uri())
    page.click("a.md-button--primary")  # « Rechercher un service »
    assert page.url.endswith("/annuaire/index.html")
    assert page.locator("h1").first.inner_text() != ""
    page.goto((out / "structures" / "index.html").as_uri())
    page.locator("article a[href*='udaf-cantal']").first.click()
    assert page.url.endswith("/structures/udaf-cantal/index.html")
    assert "Index of" not in page.content()
    assert "Union départementale" in page.locator("h1").first.inner_text()
