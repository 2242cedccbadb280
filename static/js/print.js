// Print buttons (claim-code slips, vote receipts): shown only when scripts run; the browser menu prints anyway.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
