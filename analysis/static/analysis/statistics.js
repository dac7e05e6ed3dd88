// The statistics' detail tables are closed disclosures (<details>) on screen; a printout holds
// them all. Progressive enhancement: without this file the print CSS does what it can.
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.figure-table:not([open])").forEach(function (d) {
      d.open = true;
      opened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
