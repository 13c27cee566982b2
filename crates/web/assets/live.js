// Rempart portal: live pages. The element marked data-live="URL" is read
// again whenever the server-sent-events stream at URL says something
// changed, and swapped in place: no reload, no data in the stream itself.
// Without JavaScript or EventSource the page simply stays as loaded.
(function () {
  "use strict";
  var part = document.querySelector("[data-live]");
  if (!part || !window.EventSource || !window.fetch || !window.DOMParser) {
    return;
  }
  var busy = false;
  var again = false;

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(window.location.href, {
      credentials: "same-origin",
      headers: { "Accept": "text/html" },
      cache: "no-store"
    })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (text) {
        if (text === null) {
          return;
        }
        var page = new DOMParser().parseFromString(text, "text/html");
        var fresh = page.querySelector("[data-live]");
        if (!fresh) {
          // Logged out meanwhile: show what the server shows now.
          window.location.reload();
          return;
        }
        if (fresh.innerHTML !== part.innerHTML) {
          part.innerHTML = fresh.innerHTML;
        }
        document.documentElement.setAttribute("data-refreshed", String(Date.now()));
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  var source = new EventSource(part.getAttribute("data-live"));
  source.addEventListener("change", refresh);
  source.addEventListener("open", function () {
    // What changed between the page's rendering and now (or during a
    // cut, on a reconnection) was told to nobody: read the page once.
    refresh();
    document.documentElement.setAttribute("data-live-ready", "1");
  });
})();
