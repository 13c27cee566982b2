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
  var later = null;

  // Someone typing in a form of the part (a note, a reason, a choice not
  // yet sent) keeps it: the swap waits until nothing is being edited.
  function editing() {
    var fields = part.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "hidden" || f.type === "submit" || f.type === "button") {
        continue;
      }
      if (f.type === "checkbox" || f.type === "radio") {
        if (f.checked !== f.defaultChecked) {
          return true;
        }
      } else if (f.tagName === "SELECT") {
        for (var j = 0; j < f.options.length; j++) {
          if (f.options[j].selected !== f.options[j].defaultSelected) {
            return true;
          }
        }
      } else if (f.value !== f.defaultValue) {
        return true;
      }
    }
    var active = document.activeElement;
    return !!active && part.contains(active) &&
      /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.type !== "submit";
  }

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
          if (editing()) {
            // Tried again shortly, once the person has sent or left it.
            if (later === null) {
              later = window.setTimeout(function () {
                later = null;
                refresh();
              }, 2000);
            }
            return;
          }
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
