// The Swagger UI page: Swagger UI draws its own <main> around the operations only; the API's title and the
// server choice above it are named regions, so that every part of the page is in a landmark.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !("MutationObserver" in window)) return;
  var names = { "information-container": root.getAttribute("data-info-label"), "scheme-container": root.getAttribute("data-servers-label") };
  function label() {
    Object.keys(names).forEach(function (name) {
      var box = root.querySelector("." + name + ":not([role])");
      if (box) { box.setAttribute("role", "region"); box.setAttribute("aria-label", names[name]); }
    });
  }
  new MutationObserver(label).observe(root, { childList: true, subtree: true });
  label();
})();
