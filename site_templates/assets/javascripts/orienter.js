// « Orienter » depuis une fiche : la fiche annexe s'ouvre avec le service destinataire déjà rempli, lu dans
// l'adresse (?service=…&structure=…&telephone=…&courriel=…). Ce sont les coordonnées publiques du service,
// pas celles de la personne ; rien n'est conservé ni envoyé. Les champs sont trouvés par leur nom.
(function () {
  "use strict";
  var FIELDS = {
    service: "destinataire-service",
    structure: "destinataire-structure",
    contact: "destinataire-contact",
  };

  function fill() {
    var form = document.getElementById("formulaire");
    var params = new URLSearchParams(window.location.search);
    if (!form || !params.has("service")) return;
    var values = {
      service: params.get("service"),
      structure: params.get("structure") || "",
      contact: [params.get("telephone"), params.get("courriel")].filter(Boolean).join(" · "),
    };
    Object.keys(FIELDS).forEach(function (key) {
      var input = form.elements[FIELDS[key]];
      // The default value, not the value: the form is emptied (reset) each time it is shown, and keeps these.
      if (input && values[key]) { input.defaultValue = values[key]; input.value = values[key]; }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
