// Filtres de la page « annuaire » : frein × bassin × public × mots, sur l'index compact construit à la génération.
// Rien n'est envoyé ni conservé : le filtrage se fait dans la page, l'état vit dans l'adresse (?frein=…).
// Les mots y sont « mots » et non « q », que la recherche de Material lit pour ouvrir sa propre recherche.
(function () {
  "use strict";
  var PAGE = 50;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function start(form) {
    var racine = form.getAttribute("data-racine");
    var compte = document.getElementById("annuaire-compte");
    var liste = document.getElementById("annuaire-resultats");
    var plus = document.getElementById("annuaire-plus");
    var shown = PAGE;
    var data = null;
    var texts = null;  // each service's words, folded on the first word search: the first results need none

    form.hidden = false;
    compte.textContent = "Chargement de l'annuaire…";

    fetch(form.getAttribute("data-index"))
      .then(function (response) { return response.json(); })
      .then(function (json) {
        data = json;
        readAddress();
        update();
      })
      .catch(function () { compte.textContent = "L'annuaire n'a pas pu être chargé."; });

    function bit(list, id) {
      for (var i = 0; i < list.length; i++) { if (list[i][0] === id) return i; }
      return -1;
    }

    function readAddress() {
      var params = new URLSearchParams(window.location.search);
      ["frein", "bassin", "public", "mots"].forEach(function (name) {
        if (params.has(name) && form.elements[name]) form.elements[name].value = params.get(name);
      });
    }

    function writeAddress() {
      var params = new URLSearchParams();
      ["frein", "bassin", "public", "mots"].forEach(function (name) {
        if (form.elements[name].value) params.set(name, form.elements[name].value);
      });
      var query = params.toString();
      history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    }

    function searchTexts() {
      if (!texts) {
        texts = data.services.map(function (s) {
          var structure = data.structures[s[2]];
          return fold([s[1], structure[0], structure[1], data.communes[s[6]]].join(" "));
        });
      }
      return texts;
    }

    function matches() {
      var frein = bit(data.freins, form.elements.frein.value);
      var bassin = bit(data.bassins, form.elements.bassin.value);
      var publicIndex = bit(data.publics, form.elements["public"].value);
      var tousPublics = bit(data.publics, "tous-publics");
      var words = fold(form.elements.mots.value).split(/\s+/).filter(Boolean);
      var folded = words.length ? searchTexts() : null;
      var found = [];
      for (var i = 0; i < data.services.length; i++) {
        var s = data.services[i];
        if (frein >= 0 && !(s[3] & (1 << frein))) continue;
        if (bassin >= 0 && s[4].indexOf(bassin) < 0) continue;
        if (publicIndex >= 0 && !(s[5] & (1 << publicIndex)) && !(s[5] & (1 << tousPublics))) continue;
        var ok = true;
        for (var w = 0; w < words.length; w++) { if (folded[i].indexOf(words[w]) < 0) { ok = false; break; } }
        if (ok) found.push(s);
      }
      return found;
    }

    function item(s) {
      var li = document.createElement("li");
      li.className = "annuaire-item";
      var a = document.createElement("a");
      a.className = "annuaire-item-nom";
      a.href = racine + "services/" + s[0] + "/";
      a.textContent = s[1];
      var structure = data.structures[s[2]];
      var span = document.createElement("span");
      span.className = "annuaire-item-structure";
      span.textContent = " — " + (structure[1] || structure[0]) + (data.communes[s[6]] ? ", " + data.communes[s[6]] : "");
      li.appendChild(a);
      li.appendChild(span);
      if (s[7]) {  // the number to call, straight from the list
        var tel = document.createElement("a");
        tel.className = "annuaire-item-telephone";
        tel.href = "tel:" + s[7].replace(/[^0-9+]/g, "");
        tel.textContent = s[7];
        li.appendChild(document.createTextNode(" · "));
        li.appendChild(tel);
      }
      return li;
    }

    function update() {
      if (!data) return;
      var found = matches();
      var fragment = document.createDocumentFragment();
      found.slice(0, shown).forEach(function (s) { fragment.appendChild(item(s)); });
      liste.replaceChildren(fragment);
      compte.textContent = found.length === 0 ? "Aucun service ne correspond à ces critères."
        : found.length + (found.length > 1 ? " services correspondent." : " service correspond.");
      plus.hidden = found.length <= shown;
      writeAddress();
    }

    form.addEventListener("input", function () { shown = PAGE; update(); });
    form.addEventListener("change", function () { shown = PAGE; update(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(function () { shown = PAGE; update(); }, 0); });
    plus.addEventListener("click", function () { shown += PAGE; update(); });
  }

  function init() {
    var form = document.getElementById("annuaire-filtres");
    if (form && !form.dataset.started) { form.dataset.started = "1"; start(form); }
  }

  // Material's instant navigation replaces the page without reloading: document$ tells when.
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
