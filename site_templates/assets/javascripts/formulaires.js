// Fiches annexes : ce qui est tapé sur une personne ne quitte jamais la page. Pas de stockage (ni
// localStorage, ni sessionStorage, ni cookie), pas d'envoi (le formulaire n'a pas d'action et ne se soumet
// pas), et la fiche est vidée à chaque affichage pour que le navigateur ne la remplisse pas de lui-même.
// Sur les diagnostics, les freins cochés et le bassin choisi ajoutent les services de la base à la fiche,
// lus dans l'index compact de l'annuaire (assets/annuaire.json).
(function () {
  "use strict";
  var PER_FREIN = 4; // enough to choose from, few enough to keep the print on two pages

  function indexOf(list, id) {
    for (var i = 0; i < list.length; i++) { if (list[i][0] === id) return i; }
    return -1;
  }

  function contacts(form, box) {
    var racine = box.getAttribute("data-racine");
    var freinsName = box.getAttribute("data-freins");
    var bassinSelect = form.elements[box.getAttribute("data-bassin")];
    var etat = box.querySelector(".formulaire-contacts-etat");
    var liste = box.querySelector(".formulaire-contacts-liste");
    var data = null;
    var failed = false;

    fetch(box.getAttribute("data-index"))
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (json) { data = json; update(); })
      .catch(function () { failed = true; update(); });

    function ticked() {
      var boxes = form.querySelectorAll('input[type="checkbox"][name="' + freinsName + '"]');
      return Array.prototype.filter.call(boxes, function (b) { return b.checked; }).map(function (b) { return b.value; });
    }

    function serviceItem(s) {
      var structure = data.structures[s[2]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = racine + "services/" + s[0] + "/";
      a.textContent = s[1];
      li.appendChild(a);
      var details = [structure[1] || structure[0], data.communes[s[6]], s[7] ? "tél. " + s[7] : ""];
      li.appendChild(document.createTextNode(" — " + details.filter(Boolean).join(", ")));
      return li;
    }

    function freinBlock(freinIndex, bassinIndex, listed) {
      var bit = 1 << freinIndex;
      var found = data.services.filter(function (s) {
        return (s[3] & bit) && s[4].indexOf(bassinIndex) >= 0 && !listed[s[0]];
      });
      var block = document.createElement("div");
      block.className = "formulaire-contacts-frein";
      var title = document.createElement("p");
      title.textContent = data.freins[freinIndex][1];
      block.appendChild(title);
      var ul = document.createElement("ul");
      found.slice(0, PER_FREIN).forEach(function (s) { listed[s[0]] = true; ul.appendChild(serviceItem(s)); });
      if (found.length > PER_FREIN) {
        var more = document.createElement("li");
        var a = document.createElement("a");
        a.href = racine + "freins/" + data.freins[freinIndex][0] + "/" + data.bassins[bassinIndex][0] + "/";
        a.textContent = "et " + (found.length - PER_FREIN) + " autre(s) dans la base";
        more.appendChild(a);
        ul.appendChild(more);
      }
      if (!found.length) {
        var none = document.createElement("li");
        none.textContent = "Aucun autre service de la base pour ce frein sur ce bassin.";
        ul.appendChild(none);
      }
      block.appendChild(ul);
      return block;
    }

    function update() {
      var freins = ticked();
      var bassinKey = bassinSelect ? bassinSelect.value : "";
      var fragment = document.createDocumentFragment();
      var message = "";
      if (failed) message = "La liste des services n'a pas pu être chargée : cherchez-les dans la base, par frein puis par bassin.";
      else if (!data) message = "Chargement des services de la base…";
      else if (!bassinKey || !freins.length) message = "Cochez au moins un frein et choisissez un bassin pour afficher les services de la base.";
      else {
        var bassinIndex = indexOf(data.bassins, bassinKey);
        var listed = {};
        freins.forEach(function (id) {
          var freinIndex = indexOf(data.freins, id);
          if (freinIndex < 0 || bassinIndex < 0) return;
          fragment.appendChild(freinBlock(freinIndex, bassinIndex, listed));
        });
        var count = Object.keys(listed).length;
        message = count + (count > 1 ? " services de la base ajoutés à la fiche." : " service de la base ajouté à la fiche.");
      }
      liste.replaceChildren(fragment);
      etat.textContent = message;
      box.classList.toggle("formulaire-contacts-vide", !liste.childElementCount);
    }

    form.addEventListener("change", update);
    form.addEventListener("reset", function () { setTimeout(update, 0); });
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
