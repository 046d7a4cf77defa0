// Fiches annexes : ce qui est tapé sur une personne ne quitte jamais la page. Pas de stockage (ni
// localStorage, ni sessionStorage, ni cookie), pas d'envoi (le formulaire n'a pas d'action et ne se soumet
// pas), et la fiche est vidée à chaque affichage pour que le navigateur ne la remplisse pas de lui-même.
// « Contacts utiles » des diagnostics : les services de la sélection à remettre quand il y en a une (lus sur
// leurs fiches par selection.js), sinon ceux de la base pour les freins cochés et le bassin choisi, lus dans
// l'index compact de l'annuaire (assets/annuaire.json), sans le service d'accompagnement global lui-même.
(function () {
  "use strict";
  var PER_FREIN = 4; // enough to choose from, few enough to keep the print on two pages

  function indexOf(list, id) {
    for (var i = 0; i < list.length; i++) { if (list[i][0] === id) return i; }
    return -1;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function link(href, text) {
    var a = element("a", "", text);
    a.href = href;
    return a;
  }

  // « Et 1 autre service… », « Et 6 autres services… » with the page's full address as its text: on paper,
  // the person reads where to find them.
  function others(count, href) {
    var li = element("li", "formulaire-contacts-autres",
      "Et " + count + (count > 1 ? " autres services" : " autre service") + " de la base pour ce frein sur ce bassin : ");
    var a = link(href, "");
    a.textContent = a.href;
    li.appendChild(a);
    return li;
  }

  function selection() {
    return window.annuaireSelection || { read: function () { return []; } };
  }

  function contacts(form, box) {
    var racine = box.getAttribute("data-racine");
    var freinsName = box.getAttribute("data-freins");
    var bassinSelect = form.elements[box.getAttribute("data-bassin")];
    var etat = box.querySelector(".formulaire-contacts-etat");
    var choix = box.querySelector(".formulaire-contacts-choix");
    var liste = box.querySelector(".formulaire-contacts-liste");
    var data = null;
    var failed = false;
    var useSelection = true;  // the selection when there is one, unless the adviser asks for the suggestion
    var described = {};  // service id → its details, read once from its fiche
    var round = 0;  // the latest update: an answer for an earlier one is dropped

    fetch(box.getAttribute("data-index"))
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (json) { data = json; update(); })
      .catch(function () { failed = true; update(); });

    choix.addEventListener("click", function (event) {
      var action = event.target.getAttribute("data-contacts");
      if (action === "suggestion") useSelection = false;
      if (action === "selection") useSelection = true;
      if (action === "vider") selection().clear();
      if (action) update();
    });

    function ticked() {
      var boxes = form.querySelectorAll('input[type="checkbox"][name="' + freinsName + '"]');
      return Array.prototype.filter.call(boxes, function (b) { return b.checked; }).map(function (b) { return b.value; });
    }

    function show(fragment, message) {
      liste.replaceChildren(fragment);
      etat.textContent = message;
      box.classList.toggle("formulaire-contacts-vide", !liste.childElementCount);
    }

    // --- The selection: name, structure, address and phone, as on the handout ---------------------------

    function describe(id) {
      if (!(id in described)) described[id] = selection().details(id);
      return described[id];
    }

    function selectedItem(id, service) {
      var li = element("li");
      if (!service) {
        li.textContent = id + " : ce service n'est plus dans l'annuaire.";
        return li;
      }
      li.appendChild(link(service.fiche, service.nom));
      var more = [service.structure, service.adresse, service.telephone ? "tél. " + service.telephone : ""];
      li.appendChild(document.createTextNode(" — " + more.filter(Boolean).join(", ")));
      return li;
    }

    function showSelection(ids) {
      var mine = ++round;
      show(document.createDocumentFragment(), "Chargement de la sélection…");
      Promise.all(ids.map(describe)).then(function (services) {
        if (mine !== round) return;
        var block = element("div", "formulaire-contacts-frein formulaire-contacts-selection");
        block.appendChild(element("p", "", "Services choisis pendant l'entretien"));
        var ul = element("ul");
        ids.forEach(function (id, i) { ul.appendChild(selectedItem(id, services[i])); });
        block.appendChild(ul);
        show(block, (ids.length > 1
          ? "Les " + ids.length + " services de votre sélection à remettre sont ajoutés à la fiche"
          : "Le service de votre sélection à remettre est ajouté à la fiche") +
          " : le bassin et les freins cochés ne changent pas cette liste.");
      });
    }

    // --- The suggestion: the first services of the base for each frein ticked, on the bassin chosen -----

    function serviceItem(s) {
      var structure = data.structures[s[2]];
      var li = element("li");
      li.appendChild(link(racine + "services/" + s[0] + "/", s[1]));
      var details = [structure[1] || structure[0], data.communes[s[6]], s[7] ? "tél. " + s[7] : ""];
      li.appendChild(document.createTextNode(" — " + details.filter(Boolean).join(", ")));
      return li;
    }

    function freinBlock(freinIndex, bassinIndex, listed) {
      var bit = 1 << freinIndex;
      var found = data.services.filter(function (s) {
        return (s[3] & bit) && s[4].indexOf(bassinIndex) >= 0 && !listed[s[0]];
      });
      var block = element("div", "formulaire-contacts-frein");
      block.appendChild(element("p", "", data.freins[freinIndex][1]));
      var ul = element("ul");
      found.slice(0, PER_FREIN).forEach(function (s) { listed[s[0]] = true; ul.appendChild(serviceItem(s)); });
      if (found.length > PER_FREIN) {
        ul.appendChild(others(found.length - PER_FREIN,
          racine + "freins/" + data.freins[freinIndex][0] + "/" + data.bassins[bassinIndex][0] + "/"));
      }
      if (!found.length) ul.appendChild(element("li", "", "Aucun autre service de la base pour ce frein sur ce bassin."));
      block.appendChild(ul);
      return block;
    }

    function showSuggestion() {
      round++;
      var freins = ticked();
      var bassinKey = bassinSelect ? bassinSelect.value : "";
      var fragment = document.createDocumentFragment();
      var message = "";
      if (failed) message = "La liste des services n'a pas pu être chargée : cherchez-les dans la base, par frein puis par bassin.";
      else if (!data) message = "Chargement des services de la base…";
      else if (!bassinKey || !freins.length) message = "Cochez au moins un frein et choisissez un bassin pour afficher les services de la base.";
      else {
        var bassinIndex = indexOf(data.bassins, bassinKey);
        // Never the accompagnement global service itself: the person is already in it.
        var excluded = data.accompagnement_global;
        var listed = {};
        excluded.forEach(function (id) { listed[id] = true; });
        freins.forEach(function (id) {
          var freinIndex = indexOf(data.freins, id);
          if (freinIndex < 0 || bassinIndex < 0) return;
          fragment.appendChild(freinBlock(freinIndex, bassinIndex, listed));
        });
        var count = Object.keys(listed).length - excluded.length;
        message = count + (count > 1 ? " services de la base ajoutés à la fiche." : " service de la base ajouté à la fiche.");
      }
      show(fragment, message);
    }

    // The buttons say where the list comes from and offer the other one (screen only).
    function showChoices(selected, fromSelection) {
      choix.querySelector('[data-contacts="suggestion"]').hidden = !fromSelection;
      var back = choix.querySelector('[data-contacts="selection"]');
      back.hidden = !selected || fromSelection;
      back.textContent = "Utiliser la sélection à remettre (" + selected + (selected > 1 ? " services)" : " service)");
      choix.querySelector('[data-contacts="vider"]').hidden = !selected;
      choix.hidden = !selected;
    }

    function update() {
      var ids = selection().read();
      var fromSelection = useSelection && ids.length > 0;
      showChoices(ids.length, fromSelection);
      if (fromSelection) showSelection(ids);
      else showSuggestion();
    }

    form.addEventListener("change", update);
    form.addEventListener("reset", function () { useSelection = true; setTimeout(update, 0); });
    return update;
  }

  // What is printed in place of a typed field: its whole text, wrapped, where the field itself would cut it.
  var TYPED = 'input[type="text"], input[type="tel"], input[type="email"], input[type="date"], textarea';

  // A date on paper reads dd/mm/yyyy whatever the browser's language (its value is yyyy-mm-dd).
  function frenchDate(value) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return parts ? parts[3] + "/" + parts[2] + "/" + parts[1] : value;
  }

  function printedCopies(form) {
    var pairs = Array.prototype.map.call(form.querySelectorAll(TYPED), function (control) {
      var copy = document.createElement("span");
      copy.className = "formulaire-imprime";
      copy.setAttribute("aria-hidden", "true");
      control.insertAdjacentElement("afterend", copy);
      return [control, copy];
    });
    return function update() {
      pairs.forEach(function (pair) {
        var control = pair[0];
        pair[1].textContent = control.type === "date" ? frenchDate(control.value) : control.value;
        if (control.tagName === "TEXTAREA") grow(control);
      });
    };
  }

  // A text area grows with its text on screen: nothing typed is hidden behind a scroll bar.
  function grow(textarea) {
    textarea.style.height = "";
    if (textarea.scrollHeight > textarea.clientHeight) {
      textarea.style.height = textarea.scrollHeight + textarea.offsetHeight - textarea.clientHeight + "px";
    }
  }

  function start(form) {
    var refreshers = Array.prototype.map.call(form.querySelectorAll(".formulaire-contacts"), function (box) {
      return contacts(form, box);
    });
    var copy = printedCopies(form);
    function empty() {
      form.reset();
      copy();
      refreshers.forEach(function (refresh) { refresh(); });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("input", copy);
    form.addEventListener("change", copy);
    form.addEventListener("reset", function () { setTimeout(copy, 0); });
    // The field being typed in would print highlighted.
    window.addEventListener("beforeprint", function () {
      if (form.contains(document.activeElement)) document.activeElement.blur();
      copy();
    });
    // Browsers may refill a form on reload or on « back »: empty it now and each time the page is shown.
    empty();
    window.addEventListener("pageshow", empty);
    document.querySelectorAll("[data-formulaire-imprimer]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function init() {
    var form = document.getElementById("formulaire");
    if (form && form.classList.contains("formulaire") && !form.dataset.started) {
      form.dataset.started = "1";
      start(form);
    }
  }

  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
