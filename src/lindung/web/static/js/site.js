// Lindung's own script: only enhancements; every page works without it.
// htmx requests that change state repeat the page's CSRF token in a header.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
  }
});
