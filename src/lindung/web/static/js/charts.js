// Draws every chart of a page from its Vega-Lite spec (a JSON block beside it); the table
// beside each chart shows the same numbers without JavaScript. Expressions are evaluated by
// vega-interpreter, so the page's Content-Security-Policy needs no 'unsafe-eval'.
(function () {
  function draw(root) {
    if (typeof vegaEmbed === "undefined") { return; }
    root.querySelectorAll("div.vega[data-spec]").forEach(function (target) {
      var source = document.getElementById(target.getAttribute("data-spec"));
      if (!source) { return; }
      vegaEmbed(target, JSON.parse(source.textContent), {
        actions: false,
        // No <style> element injected (the CSP allows the site's stylesheet only).
        defaultStyle: false,
        tooltip: { disableDefaultStyle: true },
        ast: true,
        expr: vega.expressionInterpreter
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
})();
