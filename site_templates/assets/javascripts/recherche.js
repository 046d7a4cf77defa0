// Recherche de l'annuaire : un seul moteur (Pagefind) pour la case de l'en-tête et la page « annuaire ».
// Rien n'est chargé tant que personne ne cherche : le script de Pagefind et les morceaux d'index dont une
// requête a besoin arrivent au premier mot tapé, depuis le site lui-même.
(function () {
  "use strict";
  var racine = new URL("../../", document.currentScript.src).href;  // assets/javascripts/ → racine du site
  var ELISION = /(^|[^\p{L}])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]/giu;
  var HEADER_RESULTS = 8;
  var HEADER_OTHERS = 4;
  // Les structures et les pages ont leur propre index (pagefind/autres/) ; leur méta « type » dit laquelle.
  var OTHER_LABELS = { structure: "Structure", page: "Page" };
  var loading = null;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/['’\-]/g, " ").replace(/\s+/g, " ").trim();
  }

  // Chargé : [index des services, communes, index des structures et des pages].
  function load() {
    if (!loading) {
      // Un mot qui ne fait que commencer un titre (« permis » → « permanence ») ne passe pas devant
      // un mot entier : le titre ne compte que par le poids du nom, et la longueur du mot trouvé compte.
      var ranking = { termSimilarity: 10, metaWeights: { title: 0 } };
      var engine = import(racine + "pagefind/pagefind.js");
      var communes = fetch(racine + "pagefind/communes.json").then(function (r) { return r.json(); });
      loading = Promise.all([
        // Au-delà de 20 000 services, les suivants ont leurs propres index (pagefind/services-2/…), que
        // communes.json nomme : ils rejoignent le premier, une seule recherche les interroge tous.
        Promise.all([engine, communes]).then(function (got) {
          var pagefind = got[0];
          return pagefind.options({ baseUrl: racine, ranking: ranking }).then(function () {
            return Promise.all((got[1].index || []).map(function (name) {
              return pagefind.mergeIndex(racine + "pagefind/" + name + "/");
            }));
          }).then(function () { return pagefind; });
        }),
        communes.then(communeIndex),
        // Hors du worker que Pagefind partage entre ses instances : deux index y corrompent sa mémoire (1.5.2).
        engine.then(function (pagefind) {
          var options = { basePath: racine + "pagefind/autres/", baseUrl: racine, ranking: ranking, noWorker: true };
          return pagefind.createInstance(options);
        }),
      ]);
    }
    return loading;
  }

  // Commune (nom replié) → bassins qui la servent ; un nom porté dans plusieurs territoires les réunit.
  function communeIndex(json) {
    var index = new Map();
    json.communes.forEach(function (row) {
      var key = fold(row[0]);
      var known = index.get(key) || { nom: row[0], bassins: [] };
      row[1].forEach(function (b) { if (known.bassins.indexOf(b) < 0) known.bassins.push(b); });
      index.set(key, known);
    });
    return index;
  }

  // La plus longue suite de mots de la requête qui nomme une commune, et les mots qui restent.
  function findCommune(words, communes) {
    for (var size = Math.min(6, words.length); size > 0; size--) {
      for (var start = 0; start + size <= words.length; start++) {
        var key = words.slice(start, start + size).join(" ");
        if (key.length >= 3 && communes.has(key)) {
          return { commune: communes.get(key), rest: words.slice(0, start).concat(words.slice(start + size)) };
        }
      }
    }
    return null;
  }

  function bassinFilter(bassins, chosen) {
    return chosen ? bassins.filter(function (b) { return b === chosen; }) : bassins;
  }

  // filtres : { frein, bassin, public, commune } (valeurs des listes, vides si non choisies).
  // Résultat : { total, commune, results, autres } ; results (les services) et autres (structures et pages
  // que nomment les mots) se lisent avec result.data() (un fragment chacun). Les filtres sont ceux des
  // services : dès qu'un filtre ou une commune seule est choisi, aucune structure ni page n'est cherchée.
  // Les mots trouvent ce qu'ils nomment ; si une commune y figure, s'ajoutent les services de son bassin
  // (et ceux de tout le territoire) qui répondent aux autres mots : « cours de français » reste une
  // recherche de cours, et « Anglards-de-Salers » liste ce qui sert ce village.
  function search(text, filtres) {
    return load().then(function (loaded) {
      var pagefind = loaded[0];
      var communes = loaded[1];
      var autres = loaded[2];
      var cleaned = (text || "").replace(ELISION, "$1");
      var base = {};
      if (filtres.frein) base.frein = filtres.frein;
      if (filtres.public) base["public"] = { any: [filtres["public"], "tous-publics"] };
      var bassins = filtres.bassin ? [filtres.bassin] : null;
      var chosen = filtres.commune ? communes.get(fold(filtres.commune)) : null;
      if (filtres.commune && !chosen) return { total: 0, commune: null, unknownCommune: filtres.commune, results: [] };
      if (chosen) bassins = bassinFilter(chosen.bassins, filtres.bassin);
      var typed = fold(cleaned) ? findCommune(fold(cleaned).split(" "), communes) : null;
      var inTyped = typed ? bassinFilter(typed.commune.bassins, bassins && bassins.length === 1 ? bassins[0] : null) : null;
      // Une commune seule : d'abord les services qui y sont installés, puis ceux de son bassin (pas de
      // recherche de ses lettres dans les textes : « Anglards » n'est pas « anglais »).
      var alone = typed && !typed.rest.length;
      var searches = alone
        ? [run(pagefind, null, Object.assign({ commune: typed.commune.nom }, base), bassins)]
        : [run(pagefind, cleaned.trim() || null, base, bassins)];
      if (typed) searches.push(run(pagefind, typed.rest.join(" ") || null, base, inTyped));
      var filtered = filtres.frein || filtres["public"] || filtres.bassin || filtres.commune;
      var others = filtered || alone || !cleaned.trim()
        ? Promise.resolve([])
        : run(autres, cleaned.trim(), {}, null);
      return Promise.all([Promise.all(searches), others]).then(function (found) {
        var seen = new Set();
        var results = [];
        found[0].forEach(function (list) {
          list.forEach(function (r) { if (!seen.has(r.id)) { seen.add(r.id); results.push(r); } });
        });
        return { total: results.length, commune: typed ? typed.commune : chosen, results: results, autres: found[1] };
      });
    });
  }

  function run(pagefind, term, base, bassins) {
    if (bassins && !bassins.length) return Promise.resolve([]);
    var filters = Object.assign({}, base);
    if (bassins) filters.bassin = { any: bassins };
    var options = { filters: filters };
    if (!term) options.sort = { nom: "asc" };
    return pagefind.search(term, options).then(function (answer) { return answer ? answer.results : []; });
  }

  // Un service dans une liste de résultats : nom (lien vers la fiche), structure, commune, téléphone, freins.
  function item(data) {
    var m = data.meta;
    var li = document.createElement("li");
    li.className = "annuaire-item";
    li.setAttribute("data-service-id", m.id);
    if (m.horaires_osm) li.setAttribute("data-horaires-osm", m.horaires_osm);
    if (m.horaires_lieu) li.setAttribute("data-horaires-lieu", m.horaires_lieu);
    var a = document.createElement("a");
    a.className = "annuaire-item-nom";
    a.href = racine + "services/" + m.id + "/";
    a.textContent = m.title;
    var structure = document.createElement("span");
    structure.className = "annuaire-item-structure";
    structure.textContent = " — " + m.structure + (m.commune ? ", " + m.commune : "");
    li.append(a, structure);
    if (m.telephone) {
      var tel = document.createElement("a");
      tel.className = "annuaire-item-telephone";
      tel.href = m.telephone_lien;
      tel.textContent = m.telephone;
      li.append(" · ", tel);
    }
    if (m.freins) {
      var freins = document.createElement("span");
      freins.className = "annuaire-item-freins";
      freins.textContent = m.freins;
      li.append(freins);
    }
    return li;
  }

  // Une structure ou une page dans une liste : son genre, son titre (lien), une ligne de texte ; ni téléphone
  // ni horaires (ce ne sont pas des services).
  function other(data) {
    var m = data.meta;
    var type = m.type;
    var li = document.createElement("li");
    li.className = "annuaire-item annuaire-autre";
    li.setAttribute("data-type", type);
    var label = document.createElement("span");
    label.className = "annuaire-item-genre";
    label.textContent = OTHER_LABELS[type];
    var a = document.createElement("a");
    a.className = "annuaire-item-nom";
    // Une structure est rangée à plat dans l'index (structures/<id>.html) : son adresse vient de son id.
    a.href = type === "structure" ? racine + "structures/" + m.id + "/" : data.url;
    a.textContent = m.title + (m.sigle && m.sigle !== m.title ? " (" + m.sigle + ")" : "");
    li.append(label, " ", a);
    if (m.commune) {
      var commune = document.createElement("span");
      commune.className = "annuaire-item-structure";
      commune.textContent = " — " + m.commune;
      li.append(commune);
    }
    var extrait = document.createElement("span");
    extrait.className = "annuaire-item-extrait";
    if (m.resume) extrait.textContent = m.resume;
    else extrait.append.apply(extrait, excerpt(data.excerpt));
    li.append(extrait);
    return li;
  }

  // L'extrait de Pagefind (texte échappé, mots trouvés entre <mark>) en nœuds : du texte et des <mark>, rien d'autre.
  function excerpt(html) {
    var template = document.createElement("template");
    template.innerHTML = html || "";
    return Array.prototype.map.call(template.content.childNodes, function (node) {
      if (node.nodeName !== "MARK") return document.createTextNode(node.textContent);
      var mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    });
  }

  // Le titre du groupe des structures et pages : combien, et combien sont montrées.
  function othersTitle(total, shown) {
    var text = "Structures et pages (" + total + ")";
    return shown < total ? text + ", les " + shown + " premières" : text;
  }

  function count(total, commune) {
    var text = total === 0 ? "Aucun service ne correspond à ces critères." :
      total + (total > 1 ? " services correspondent." : " service correspond.");
    if (commune) text += " Commune reconnue : " + commune.nom + " (services de son bassin et de tout le territoire).";
    return text;
  }

  window.annuaireRecherche = {
    search: search, item: item, other: other, othersTitle: othersTitle, count: count, load: load, racine: racine,
  };

  // La case de l'en-tête : les premiers résultats sous la case, Entrée ouvre la page « annuaire ».
  function startHeader() {
    var input = document.getElementById("recherche-mots");
    if (!input || input.dataset.started) return;
    input.dataset.started = "1";
    var toggle = document.getElementById("__search");
    var compte = document.getElementById("recherche-compte");
    var liste = document.getElementById("recherche-resultats");
    var autres = document.getElementById("recherche-autres");
    var autresTitre = document.getElementById("recherche-autres-titre");
    var tout = document.getElementById("recherche-tout");
    var asked = 0;

    function open() { if (toggle) toggle.checked = true; load(); }
    function close() { if (toggle) toggle.checked = false; }

    function update() {
      var words = input.value;
      var mine = ++asked;
      tout.href = racine + "annuaire/" + (words.trim() ? "?mots=" + encodeURIComponent(words.trim()) : "");
      if (!words.trim()) {
        liste.replaceChildren();
        autres.replaceChildren();
        autresTitre.hidden = true;
        tout.parentNode.hidden = true;
        compte.textContent = "Tapez ce que dit la personne, une commune ou un sigle.";
        return;
      }
      search(words, {}).then(function (answer) {
        var shown = answer.results.slice(0, HEADER_RESULTS).concat(answer.autres.slice(0, HEADER_OTHERS));
        return Promise.all(shown.map(function (r) { return r.data(); }))
          .then(function (datas) {
            if (mine !== asked) return;
            var services = Math.min(answer.results.length, HEADER_RESULTS);
            liste.replaceChildren.apply(liste, datas.slice(0, services).map(item));
            autres.replaceChildren.apply(autres, datas.slice(services).map(other));
            autresTitre.hidden = !answer.autres.length;
            autresTitre.textContent = othersTitle(answer.autres.length, datas.length - services);
            compte.textContent = count(answer.total, answer.commune);
            tout.parentNode.hidden = answer.total <= HEADER_RESULTS && answer.autres.length <= HEADER_OTHERS;
          });
      }).catch(function () { compte.textContent = "La recherche n'a pas pu être chargée."; });
    }

    input.addEventListener("focus", open);
    input.addEventListener("input", function () { open(); update(); });
    input.form.addEventListener("reset", function () { setTimeout(update, 0); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); input.blur(); }
      if (event.key === "ArrowDown") {
        var first = liste.querySelector("a") || autres.querySelector("a");
        if (first) { event.preventDefault(); first.focus(); }
      }
    });
    [liste, autres].forEach(function (list) {
      list.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { input.focus(); }
      });
    });
    if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) input.focus(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startHeader);
  else startHeader();
})();
