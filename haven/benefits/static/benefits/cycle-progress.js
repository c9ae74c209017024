// The progress bar of a cycle's generation: polls the cycle's JSON every two seconds and reloads the
// page once the work has finished, so the counts and the approval button appear. Without JavaScript the
// page offers a refresh link instead.
(function () {
  "use strict";
  var box = document.getElementById("generation");
  if (!box) return;
  var bar = document.getElementById("generation-progress");
  var counts = document.getElementById("generation-counts");
  function poll() {
    fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (progress) {
        if (!progress) return;
        bar.value = progress.percent;
        counts.textContent = progress.done + " / " + progress.total;
        if (progress.running) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
