// Sélection à remettre : pendant l'entretien, le conseiller ajoute des services (fiche, listes, résultats de
// recherche : tout élément portant data-service-id) ; la page « selection/ » les imprime sur une feuille A4
// pour la personne. La sélection ne contient que des identifiants de services, aucune donnée personnelle :
// elle vit dans l'onglet (sessionStorage) et dans l'adresse de la page (?services=a,b,c) pour la partager.
// Rien n'est envoyé : les fiches sont lues sur ce site même. Les fiches annexes s'en servent pour leurs
// « Contacts utiles » (window.annuaireSelection).
(function () {
  "use strict";
  var KEY = "annuaire-selection";
  var SELECTION_PAGE = new URL("../../selection/", document.currentScript.src).href;
  var SITE_ROOT = new URL("../../", document.currentScript.src).href;
  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre"];

  function read() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "[]").filter(validId); } catch (error) { return []; }
  }

  function write(ids) {
    try { sessionStorage.setItem(KEY, JSON.stringify(ids)); } catch (error) { /* private mode: the URL keeps it */ }
    refresh();
  }

  function validId(id) { return typeof id === "string" && /^[a-z0-9][a-z0-9-]*$/.test(id); }

  function toggle(id) {
    var ids = read();
    var at = ids.indexOf(id);
    if (at === -1) ids.push(id); else ids.splice(at, 1);
    write(ids);
  }

  function shareLink(ids) {
    return SELECTION_PAGE + (ids.length ? "?services=" + ids.join(",") : "");
  }

  // --- Buttons on every service shown, and a counter leading to the selection page --------------------

  function button(element) {
    var id = element.getAttribute("data-service-id");
    if (!validId(id) || element.querySelector(".selection-bouton")) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "md-button selection-bouton";
    b.setAttribute("data-selection-id", id);
    b.addEventListener("click", function () { toggle(id); });
    var place = element.querySelector("[data-selection-place]") || element;
    place.appendChild(b);
    label(b, read());
  }

  function label(b, ids) {
    var chosen = ids.indexOf(b.getAttribute("data-selection-id")) !== -1;
    b.setAttribute("aria-pressed", chosen ? "true" : "false");
    b.textContent = chosen ? "Retirer de la sélection" : "Ajouter à la sélection";
  }

  var counter = null;
  function refresh() {
    var ids = read();
    document.querySelectorAll(".selection-bouton").forEach(function (b) { label(b, ids); });
    if (!counter) {
      counter = document.createElement("a");
      counter.className = "md-button md-button--primary selection-compteur";
      counter.setAttribute("aria-live", "polite");
      document.body.appendChild(counter);
    }
    counter.href = shareLink(ids);
    counter.textContent = "Sélection à remettre (" + ids.length + ")";
    counter.hidden = !ids.length || !!document.getElementById("selection");
  }

  function decorate(root) {
    if (root.matches && root.matches("[data-service-id]")) button(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-service-id]").forEach(button);
  }

  // --- The selection page: one handout, read from the fiches of this site -------------------------------

  // A fiche's field as one line: its line breaks (an address's <br>) become commas.
  function text(doc, name) {
    var element = doc.querySelector('[data-remise="' + name + '"]');
    if (!element) return "";
    var copy = element.cloneNode(true);
    copy.querySelectorAll("br").forEach(function (br) { br.replaceWith("\n"); });
    return copy.textContent.split("\n").map(function (part) { return part.trim(); }).filter(Boolean).join(", ");
  }

  function lines(doc, name) {
    var element = doc.querySelector('[data-remise="' + name + '"]');
    if (!element) return [];
    return Array.prototype.map.call(element.querySelectorAll("li"), function (li) { return li.textContent.trim(); });
  }

  function row(dl, term, value) {
    if (!value || !value.trim()) return;
    var dt = document.createElement("dt");
    dt.textContent = term;
    var dd = document.createElement("dd");
    dd.textContent = value.trim();
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  // What the handout (and the forms' « Contacts utiles ») say of a service, read from its fiche; null when the
  // fiche is gone.
  function details(id) {
    return fetch(SITE_ROOT + "services/" + id + "/")
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var h1 = doc.querySelector(".fiche h1");
        var structure = doc.querySelector(".fiche-surtitre a");
        var description = doc.querySelector('meta[name="description"]');
        return {
          id: id,
          fiche: SITE_ROOT + "services/" + id + "/",
          nom: h1 ? h1.textContent.trim() : id,
          structure: structure ? structure.textContent.trim() : "",
          resume: description ? description.getAttribute("content") : "",
          adresse: text(doc, "adresse"),
          telephone: text(doc, "telephone"),
          horaires: lines(doc, "horaires").join(" ; "),
          conditions: text(doc, "conditions"),
          mobilisation: text(doc, "mobilisation"),
        };
      })
      .catch(function () { return null; });
  }

  function item(id, service) {
    var article = document.createElement("article");
    article.className = "selection-service";
    var h2 = document.createElement("h2");
    h2.textContent = service ? service.nom : id;
    article.appendChild(h2);
    if (!service) {
      var missing = document.createElement("p");
      missing.textContent = "Ce service n'est plus dans l'annuaire.";
      article.appendChild(missing);
      return article;
    }
    var dl = document.createElement("dl");
    row(dl, "Structure", service.structure);
    row(dl, "Pour quoi", service.resume);
    row(dl, "Adresse", service.adresse);
    row(dl, "Téléphone", service.telephone);
    row(dl, "Horaires", service.horaires);
    row(dl, "Conditions", service.conditions);
    row(dl, "Comment y aller, quoi apporter", service.mobilisation);
    article.appendChild(dl);
    return article;
  }

  function today() {
    var now = new Date();
    return (now.getDate() === 1 ? "1er" : now.getDate()) + " " + MONTHS[now.getMonth()] + " " + now.getFullYear();
  }

  function page(box) {
    var params = new URLSearchParams(window.location.search);
    if (params.has("services")) write(params.get("services").split(",").filter(validId));
    var liste = box.querySelector(".selection-liste");
    var etat = box.querySelector(".selection-etat");
    var lien = box.querySelector(".selection-lien");
    box.querySelector(".selection-date").textContent = today();
    box.querySelectorAll("[data-selection-action]").forEach(function (b) { b.hidden = false; });

    function show() {
      var ids = read();
      history.replaceState(null, "", shareLink(ids));
      lien.value = shareLink(ids);
      etat.textContent = ids.length
        ? ids.length + (ids.length > 1 ? " services sélectionnés." : " service sélectionné.")
        : "La sélection est vide : ajoutez des services depuis une fiche, une liste ou la recherche.";
      Promise.all(ids.map(details)).then(function (services) {
        liste.textContent = "";
        ids.forEach(function (id, i) {
          var article = item(id, services[i]);
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "md-button selection-retirer";
          remove.textContent = "Retirer";
          remove.setAttribute("aria-label", "Retirer « " + article.querySelector("h2").textContent + " » de la sélection");
          remove.addEventListener("click", function () { toggle(id); show(); });
          article.appendChild(remove);
          liste.appendChild(article);
        });
        box.setAttribute("data-selection-prete", String(ids.length));
      });
    }

    box.addEventListener("click", function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("data-selection-action");
      if (action === "imprimer") window.print();
      if (action === "vider") { write([]); show(); }
      if (action === "copier") {
        lien.select();
        if (navigator.clipboard) navigator.clipboard.writeText(lien.value).catch(function () {});
      }
    });
    show();
  }

  // For the annex forms, whose « Contacts utiles » are the selection when there is one (formulaires.js).
  window.annuaireSelection = {
    read: read,
    details: details,
    clear: function () { write([]); },
  };

  refresh();
  decorate(document);
  var box = document.getElementById("selection");
  if (box) page(box);
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) { if (node.nodeType === 1) decorate(node); });
    });
  }).observe(document.body, { childList: true, subtree: true });
  // Another tab of the same session may have changed the selection.
  window.addEventListener("pageshow", refresh);
})();
