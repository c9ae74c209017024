// The progress bar of a registry import: polls the job's JSON every two seconds and reloads the page
// once the job has finished, so the summary and the errors file appear. Without JavaScript the page
// offers a refresh link instead.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) return;
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-label]");
  var url = box.getAttribute("data-progress-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) return;
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        label.textContent = job.status_label + " · " + job.percent + "%";
        if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (box.getAttribute("data-finished") !== "true") window.setTimeout(poll, 1000);
})();
