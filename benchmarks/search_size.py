"""What does the search cost at scale? Bytes to open a fiche, bytes and time of a first query, build time.

For each size (3,000 and 10,000 synthetic services by default, from benchmarks/site_build.py's generator):

1. builds the directory's pages once, then times in the same run the engine with Material's search plugin and
   the generator's pages (the build before Pagefind) against the engine without it plus the Pagefind index
   (`annuaire build` today);
2. serves the built site on 127.0.0.1 and, in Debian's Chromium, counts the bytes downloaded to open a fiche
   (theme included; goal ≤ 600 KB), then the bytes a first query in the header box adds (goal ≤ 400 KB) and
   the time from the query's last key to its first result (goal ≤ 300 ms), cold (first query of the page)
   and warm (a second query).

This is a measurement, not a test: it prints figures and exits 1 when a goal is missed. The machine is shared:
compare the ratios of one run rather than absolute times.

    .venv/bin/python benchmarks/search_size.py [--services 3000 10000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS, serve_folder  # noqa: E402  (tests/conftest.py: the tests' browser)
from site_build import generate, timed  # noqa: E402

GOALS = {"fiche_kb": 600, "query_kb": 400, "first_result_ms": 300}
QUERIES = ("budget", "permis")  # the first query is cold, the second warm

# Runs before the page's scripts: time of the last key typed in the header box, and of its first result.
PROBE = """
window.__mesure = {touche: null, premier: null};
document.addEventListener("keydown", function () {
  window.__mesure.touche = performance.now(); window.__mesure.premier = null;
}, true);
new MutationObserver(function () {
  var liste = document.getElementById("recherche-resultats");
  if (liste && liste.firstElementChild && window.__mesure.touche && !window.__mesure.premier)
    window.__mesure.premier = performance.now();
}).observe(document, {childList: true, subtree: true});
"""


def build(resources: Path, staging: Path) -> dict[str, float]:
    """Wall seconds of each way to build the same pages: before (engine + Material's search) and now
    (engine alone, then Pagefind)."""
    from generator.build import markdown_extensions, read_config, settings_from, write_config, write_docs
    from generator.records.catalog import load_catalog
    from generator.records.diagnostics import Report
    from generator.site.search import write_search_index
    from generator.site.stamp import Rendering, read_shells

    catalog = load_catalog(resources, "", Report())
    config = read_config()
    write_docs(catalog, settings_from(config), staging / "docs")
    write_config(config, staging / "mkdocs.yml")
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", "mkdocs.yml"]
    now = timed(mkdocs, cwd=staging).wall
    # The fiches are not built by the engine: stamped into its placeholder's page, as `annuaire build` does.
    rendering = Rendering(catalog, settings_from(config), staging / "fiches")
    rendering.stamp(staging / "site", read_shells(staging / "site"))
    rendering.close()
    start = time.perf_counter()
    write_search_index(catalog, staging / "site", staging / "docs", markdown_extensions(config))
    pagefind = time.perf_counter() - start
    before = dict(config, plugins=[{"search": {"lang": "fr"}}])
    write_config(before, staging / "avant.yml")
    (staging / "avant.yml").write_text(
        (staging / "avant.yml").read_text(encoding="utf-8").replace("site_dir: site", "site_dir: site-avant"),
        encoding="utf-8",
    )
    old = timed([*mkdocs[:-1], "avant.yml"], cwd=staging).wall
    return {"engine": now, "pagefind": pagefind, "before": old}


def measure_browser(site: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    server, url = serve_folder(site)
    figures: dict[str, float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context()
            context.add_init_script(PROBE)
            page = context.new_page()
            received: list[tuple[str, int]] = []
            page.on("requestfinished", lambda r: received.append((r.url, r.sizes()["responseBodySize"])))
            page.goto(url + "services/service-1/")
            page.wait_for_load_state("networkidle")
            figures["fiche_kb"] = sum(size for _, size in received) / 1024
            figures["fiche_index_files"] = sum("/pagefind/" in u for u, _ in received)
            for n, query in enumerate(QUERIES):
                mark = len(received)
                page.fill("#recherche-mots", "")
                page.click("#recherche-mots")
                page.locator("#recherche-mots").press_sequentially(query, delay=60)
                page.wait_for_function("window.__mesure.premier !== null", timeout=30_000)
                page.wait_for_load_state("networkidle")
                times = page.evaluate("window.__mesure")
                label = "cold" if n == 0 else "warm"
                figures[f"first_result_ms_{label}"] = times["premier"] - times["touche"]
                figures[f"query_kb_{label}"] = sum(size for _, size in received[mark:]) / 1024
            browser.close()
    finally:
        server.shutdown()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, nargs="+", default=[3000, 10000])
    args = parser.parse_args()
    missed = []
    for services in args.services:
        with tempfile.TemporaryDirectory(prefix="annuaire-recherche-") as tmp:
            root = Path(tmp)
            generate(root / "resources", services)
            times = build(root / "resources", root / "staging")
            figures = measure_browser(root / "staging" / "site")
            index_kb = sum(f.stat().st_size for f in (root / "staging" / "site" / "pagefind").rglob("*")) / 1024
            old_index_kb = (root / "staging" / "site-avant" / "search" / "search_index.json").stat().st_size / 1024
            shutil.rmtree(root / "staging", ignore_errors=True)
        new = times["engine"] + times["pagefind"]
        print(f"{services} services")
        print(f"  construction avant (moteur + recherche de Material) : {times['before']:7.1f} s")
        print(
            f"  construction maintenant (moteur {times['engine']:.1f} s + Pagefind {times['pagefind']:.1f} s) : "
            f"{new:7.1f} s, rapport {new / times['before']:.2f}"
        )
        print(f"  index Pagefind sur disque : {index_kb:8.0f} Ko (index de Material : {old_index_kb:.0f} Ko)")
        print(
            f"  ouvrir une fiche : {figures['fiche_kb']:6.0f} Ko téléchargés "
            f"({figures['fiche_index_files']:.0f} fichier d'index) — objectif ≤ {GOALS['fiche_kb']} Ko"
        )
        for label in ("cold", "warm"):
            name = "première requête" if label == "cold" else "requête suivante"
            print(
                f"  {name} : {figures[f'query_kb_{label}']:6.0f} Ko, premier résultat "
                f"{figures[f'first_result_ms_{label}']:.0f} ms après la dernière touche"
            )
        if figures["fiche_kb"] > GOALS["fiche_kb"] or figures["fiche_index_files"]:
            missed.append(f"{services} : fiche")
        if figures["query_kb_cold"] > GOALS["query_kb"]:
            missed.append(f"{services} : octets de la première requête")
        if figures["first_result_ms_cold"] > GOALS["first_result_ms"]:
            missed.append(f"{services} : délai du premier résultat")
        if new > times["before"]:
            missed.append(f"{services} : construction plus lente")
    if missed:
        print("Objectifs manqués : " + " ; ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
