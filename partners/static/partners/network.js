// The relationship map's filters, at once: hide the people (and the lines, organisations and table rows
// they take with them) that do not match, and keep the address in step so that a reload or a shared link
// shows the same. The server filters the same GET parameters on its own: without this file the form
// simply submits. When the server drew only part of the matches (a large municipality), a change submits
// the form, since only the server knows who was left out.
(function () {
  "use strict";
  var form = document.getElementById("map-filters");
  var figure = document.querySelector(".network-figure");
  if (!form || !figure) return;
  var fields = ["sector", "circle", "consent"];

  function wanted() {
    var chosen = {};
    fields.forEach(function (name) {
      var value = form.elements[name] && form.elements[name].value;
      if (value) chosen[name] = value;
    });
    return chosen;
  }

  function matches(el, chosen) {
    return Object.keys(chosen).every(function (name) {
      return el.getAttribute("data-" + name) === chosen[name];
    });
  }

  function apply() {
    var chosen = wanted();
    var filtering = Object.keys(chosen).length > 0;
    var shown = {};
    var count = 0;
    document.querySelectorAll(".network-node").forEach(function (node) {
      var on = matches(node, chosen);
      node.classList.toggle("d-none", !on);
      if (on) {
        shown[node.getAttribute("data-key")] = true;
        count += 1;
      }
    });
    var linked = {};
    document.querySelectorAll(".network path[data-a]").forEach(function (edge) {
      var a = edge.getAttribute("data-a");
      var b = edge.getAttribute("data-b");
      if (shown[a]) linked[b] = true;
      if (shown[b]) linked[a] = true;
    });
    document.querySelectorAll(".network g[data-key]").forEach(function (org) {
      var key = org.getAttribute("data-key");
      shown[key] = !filtering || linked[key] === true;
      org.classList.toggle("d-none", !shown[key]);
    });
    document.querySelectorAll(".network path[data-a], #map-ties tr[data-a]").forEach(function (el) {
      var on = shown[el.getAttribute("data-a")] && shown[el.getAttribute("data-b")];
      el.classList.toggle("d-none", !on);
    });
    document.querySelectorAll("#map-people tr[data-key]").forEach(function (row) {
      row.classList.toggle("d-none", !matches(row, chosen));
    });
    document.getElementById("map-count").textContent = String(count);
    var query = new URLSearchParams(chosen).toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  form.addEventListener("change", function () {
    if (figure.getAttribute("data-complete") === "true") {
      apply();
    } else {
      form.submit();
    }
  });
})();
