// « Ouvert maintenant, ferme à 17 h » : l'état d'ouverture au moment où la page est lue, calculé dans le
// navigateur à partir des horaires OpenStreetMap (jours fériés français compris) par la bibliothèque
// opening_hours, embarquée dans assets/vendor/ et chargée seulement si la page affiche des horaires.
// Tout élément portant data-horaires-osm="…" reçoit l'état dans son enfant .horaires-etat (créé au besoin),
// y compris les résultats ajoutés plus tard à la page (recherche, filtres). Des horaires qui suivent le soleil
// (« Mo-Fr sunrise-sunset ») ont besoin du lieu (data-horaires-lieu="latitude,longitude") et de la bibliothèque
// suncalc, chargée avant opening_hours seulement dans ce cas.
(function () {
  "use strict";
  var SELECTOR = "[data-horaires-osm]";
  var LIBRARY = new URL("../vendor/opening_hours/opening_hours.js", document.currentScript.src).href;
  var SUNCALC = new URL("../vendor/suncalc/suncalc.js", document.currentScript.src).href;
  var SUN = /\b(?:sunrise|sunset|dawn|dusk)\b/;
  var FRANCE_CENTRE = "46.6,1.9";  // when no place is given (the generator gives one with hours that follow the sun)
  var DAYS = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"];
  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre"];
  var plain = null;    // opening_hours alone
  var withSun = null;  // suncalc, then opening_hours
  var parsed = {};  // one parse per distinct value: a list shows the same hours many times

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(window.opening_hours); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  // opening_hours reads window.SunCalc when its file runs: for hours that follow the sun, suncalc comes first,
  // and opening_hours runs again if it was already loaded without it.
  function loadLibrary(needsSun) {
    if (needsSun) {
      if (!withSun) withSun = loadScript(SUNCALC).then(function () { return loadScript(LIBRARY); });
      return withSun;
    }
    if (!plain) plain = withSun || loadScript(LIBRARY);
    return plain;
  }

  function hour(date) {
    var minutes = date.getMinutes();
    return date.getHours() + " h" + (minutes ? " " + String(minutes).padStart(2, "0") : "");
  }

  function startOfDay(date) {
    return new Date(date.getFullYear(), date.getMonth(), date.getDate());
  }

  // « à 17 h », « demain à 9 h », « lundi à 9 h », « le mardi 5 janvier à 9 h ».
  function when(next, now) {
    var days = Math.round((startOfDay(next) - startOfDay(now)) / 86400000);
    if (days === 0) return "à " + hour(next);
    if (days === 1) return "demain à " + hour(next);
    if (days < 7) return DAYS[next.getDay()] + " à " + hour(next);
    return "le " + DAYS[next.getDay()] + " " + (next.getDate() === 1 ? "1er" : next.getDate()) + " " +
      MONTHS[next.getMonth()] + " à " + hour(next);
  }

  function hoursOf(OpeningHours, value, departement, place) {
    var key = value + "\n" + departement + "\n" + place;
    if (!(key in parsed)) {
      var coordinates = place.split(",");
      try {
        // Public holidays are those of France; a département name adds its own (Alsace-Moselle, outre-mer).
        // The place only matters for sunrise and sunset; the library reads it only when given as strings
        // (with numbers, it silently takes 6 h and 18 h).
        parsed[key] = new OpeningHours(value, {
          lat: coordinates[0], lon: coordinates[1], address: { country_code: "fr", state: departement || "" },
        }, { locale: "fr" });
      } catch (error) {
        parsed[key] = null;  // a value the library cannot read: the fiche's hours in words are still shown
      }
    }
    return parsed[key];
  }

  function statusText(hours, now) {
    if (hours.getUnknown(now)) return "";
    var open = hours.getState(now);
    var comment = hours.getComment(now);
    var next = hours.getNextChange(now);
    var text = open ? "Ouvert maintenant" : "Fermé";
    if (comment) text += " (" + comment + ")";
    if (next) text += ", " + (open ? "ferme " : "ouvre ") + when(next, now);
    return text;
  }

  function decorate(OpeningHours, element, now) {
    var hours = hoursOf(OpeningHours, element.getAttribute("data-horaires-osm"),
      element.getAttribute("data-horaires-departement"), element.getAttribute("data-horaires-lieu") || FRANCE_CENTRE);
    var status = element.querySelector(".horaires-etat");
    if (!status) {
      status = document.createElement("span");
      status.className = "horaires-etat";
      element.appendChild(status);
    }
    var text = hours ? statusText(hours, now) : "";
    status.textContent = text;
    status.hidden = !text;
    status.classList.toggle("horaires-ouvert", !!text && hours.getState(now));
  }

  function decorateAll(root) {
    var elements = root.matches && root.matches(SELECTOR) ? [root] : [];
    if (root.querySelectorAll) elements = elements.concat(Array.prototype.slice.call(root.querySelectorAll(SELECTOR)));
    if (!elements.length) return;
    var needsSun = elements.some(function (element) { return SUN.test(element.getAttribute("data-horaires-osm")); });
    loadLibrary(needsSun).then(function (OpeningHours) {
      var now = new Date();
      elements.forEach(function (element) { decorate(OpeningHours, element, now); });
    });
  }

  decorateAll(document);
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) { if (node.nodeType === 1) decorateAll(node); });
    });
  }).observe(document.body, { childList: true, subtree: true });
  // A page left open during an interview stays right: the status is computed again every minute.
  setInterval(function () { decorateAll(document); }, 60000);
})();
