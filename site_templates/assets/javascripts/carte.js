// Carte d'un bassin : ses services qui ont des coordonnées, sur les tuiles du serveur que le territoire a
// choisi (extra.annuaire.carte dans mkdocs.yml). Sans ce réglage, la page n'a pas de carte et rien n'est
// chargé d'un autre hôte. Leaflet est embarqué dans assets/vendor/leaflet/.
(function () {
  "use strict";
  document.querySelectorAll(".bassin-carte").forEach(function (box) {
    if (!window.L) return;
    var points = JSON.parse(box.getAttribute("data-points"));
    var map = window.L.map(box, { scrollWheelZoom: false });
    window.L.tileLayer(box.getAttribute("data-tuiles"), {
      attribution: box.getAttribute("data-attribution"),
      maxZoom: 18,
    }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var link = document.createElement("a");
      link.href = box.getAttribute("data-racine") + point[3];
      link.textContent = point[2];
      window.L.marker([point[0], point[1]], { title: point[2], alt: point[2] }).bindPopup(link).addTo(map);
      bounds.push([point[0], point[1]]);
    });
    map.fitBounds(bounds, { maxZoom: 14, padding: [30, 30] });
  });
})();
