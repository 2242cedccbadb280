// The elders' mode (适老化): larger type and controls, higher contrast, a simpler layout. The choice is a
// cookie set by the mode switch (civic.views.display.display_mode); this file, loaded in <head> before the
// page is painted, puts the class on <html>, so the same cached HTML serves both modes.
(function () {
  "use strict";
  if (/(?:^|;\s*)mode=elder(?:;|$)/.test(document.cookie)) document.documentElement.classList.add("elder");
})();
