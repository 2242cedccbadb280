// 关键小事 pages; every page works without this file.
(function () {
  "use strict";

  // Filing: the device's position, only where the browser allows it (HTTPS or localhost); nothing is
  // loaded from another host. The public sees it rounded to about 100 m.
  var box = document.querySelector("[data-position]");
  if (box && window.isSecureContext && "geolocation" in navigator) {
    var button = box.querySelector("[data-position-button]");
    var status = box.querySelector("[data-position-status]");
    var form = box.closest("form");
    box.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (where) {
        form.querySelector("[name=latitude]").value = where.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = where.coords.longitude.toFixed(6);
        status.textContent = box.getAttribute("data-done") + " " + where.coords.latitude.toFixed(3) + ", " + where.coords.longitude.toFixed(3);
        button.disabled = false;
      }, function () {
        button.disabled = false;
        status.textContent = box.getAttribute("data-failed");
      }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  // Filing: when a category is chosen, the open reports of that category in the cell are shown.
  var report = document.querySelector("form[data-similar-url]");
  if (report) {
    var select = report.querySelector("select[name=category]");
    var target = report.querySelector("[data-similar]");
    if (select && target) {
      select.addEventListener("change", function () {
        if (!select.value) { target.innerHTML = ""; return; }
        fetch(report.getAttribute("data-similar-url") + encodeURIComponent(select.value), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : ""; })
          .then(function (html) { target.innerHTML = html; })
          .catch(function () {});
      });
    }
  }

  // The work queue refreshes itself without a reload.
  var queue = document.querySelector("[data-queue-url]");
  if (queue) {
    var seconds = parseInt(queue.getAttribute("data-queue-seconds"), 10) || 20;
    var note = document.querySelector("[data-queue-status]");
    var refresh = function () {
      fetch(queue.getAttribute("data-queue-url"), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) { queue.innerHTML = html; if (note) note.textContent = ""; })
        .catch(function () { if (note) note.textContent = "…"; });
    };
    window.setInterval(refresh, seconds * 1000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) refresh(); });
  }

  // The board prints as a plain list.
  document.querySelectorAll("[data-print-button]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
