// Page « annuaire » : mots × frein × bassin ou commune × public, avec la recherche de l'en-tête
// (recherche.js, Pagefind). Rien n'est envoyé ni conservé : l'état vit dans l'adresse (?mots=…&frein=…),
// qu'on peut partager et que le bouton « Retour » retrouve. Sous les services, les structures et les pages
// que nomment les mots, tant qu'aucun filtre n'est choisi (les filtres sont ceux des services).
(function () {
  "use strict";
  var PAGE = 20;
  var OTHERS = 10;  // structures and pages shown under the services
  // Un mot tapé puis une liste choisie aussitôt : une seule recherche, et une liste qui ne bouge plus sous le
  // pointeur (la recherche des structures et pages occupe la page, hors du worker de Pagefind).
  var SETTLE_MS = 150;
  var FIELDS = ["mots", "frein", "bassin", "commune", "public"];

  function start(form) {
    var recherche = window.annuaireRecherche;
    var compte = document.getElementById("annuaire-compte");
    var liste = document.getElementById("annuaire-resultats");
    var plus = document.getElementById("annuaire-plus");
    var autres = document.getElementById("annuaire-autres");
    var autresListe = document.getElementById("annuaire-autres-liste");
    var autresTitre = document.getElementById("annuaire-autres-titre");
    var shown = PAGE;
    var asked = 0;
    var waiting = null;

    form.hidden = false;
    compte.textContent = "Chargement de l'annuaire…";
    readAddress();
    recherche.load().then(function (loaded) {
      var datalist = document.getElementById("filtre-communes");
      var options = [];
      loaded[1].forEach(function (commune) {
        var option = document.createElement("option");
        option.value = commune.nom;
        options.push(option);
      });
      datalist.replaceChildren.apply(datalist, options);
    });
    update();

    function readAddress() {
      var params = new URLSearchParams(window.location.search);
      FIELDS.forEach(function (name) { form.elements[name].value = params.get(name) || ""; });
    }

    function writeAddress() {
      var params = new URLSearchParams();
      FIELDS.forEach(function (name) { if (form.elements[name].value) params.set(name, form.elements[name].value); });
      var query = params.toString();
      history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    }

    function update() {
      var mine = ++asked;
      liste.setAttribute("aria-busy", "true");  // until the newest answer is shown (and for tests to wait on)
      var filtres = {
        frein: form.elements.frein.value,
        bassin: form.elements.bassin.value,
        commune: form.elements.commune.value.trim(),
        "public": form.elements["public"].value,
      };
      writeAddress();
      recherche.search(form.elements.mots.value, filtres).then(function (answer) {
        var services = answer.results.slice(0, shown);
        var results = services.concat(answer.autres.slice(0, OTHERS));
        return Promise.all(results.map(function (r) { return r.data(); })).then(function (datas) {
          if (mine !== asked) return;
          liste.replaceChildren.apply(liste, datas.slice(0, services.length).map(recherche.item));
          autresListe.replaceChildren.apply(autresListe, datas.slice(services.length).map(recherche.other));
          autresTitre.textContent = recherche.othersTitle(answer.autres.length, datas.length - services.length);
          autres.hidden = !answer.autres.length;
          compte.textContent = answer.unknownCommune
            ? "Commune inconnue : « " + answer.unknownCommune + " ». Choisissez-la dans la liste proposée."
            : recherche.count(answer.total, answer.commune);
          plus.hidden = answer.total <= shown;
          liste.setAttribute("aria-busy", "false");
        });
      }).catch(function () { compte.textContent = "L'annuaire n'a pas pu être chargé."; });
    }

    // The answer of a search begun before the change is dropped (asked moves on), the list is busy until then.
    function updateSoon() {
      shown = PAGE;
      asked++;
      liste.setAttribute("aria-busy", "true");
      clearTimeout(waiting);
      waiting = setTimeout(update, SETTLE_MS);
    }

    form.addEventListener("input", updateSoon);
    form.addEventListener("change", updateSoon);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(function () { shown = PAGE; update(); }, 0); });
    plus.addEventListener("click", function () { shown += PAGE; update(); });
    window.addEventListener("pageshow", function (event) { if (event.persisted) { readAddress(); update(); } });
  }

  function init() {
    var form = document.getElementById("annuaire-filtres");
    if (form && !form.dataset.started) { form.dataset.started = "1"; start(form); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
