// The safety plan's Print button opens the browser's print dialog. It is hidden in the page and shown
// here, so a browser without JavaScript never offers a button that does nothing; the Content-Security-
// Policy runs no inline onclick, hence this file.
(function () {
  "use strict";
  function wire() {
    var buttons = document.querySelectorAll("button[data-print]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", wire); } else { wire(); }
})();
