// The query page works without this file: its plain form runs the query on the server and shows
// the result in the page. This offers the YASGUI editor as well, loaded from its CDN (exact
// version, Subresource Integrity) only when the button is pressed: nothing is fetched from
// another host unless a person asks for it, and without a network the form stays as it is.
"use strict";
(function () {
  const button = document.getElementById("yasgui-button");
  const status = document.getElementById("yasgui-status");
  if (!button) return;
  button.hidden = false;

  function attach(tag, attributes) {
    return new Promise(function (resolve, reject) {
      const element = document.createElement(tag);
      Object.keys(attributes).forEach(function (k) { element[k] = attributes[k]; });
      element.crossOrigin = "anonymous";
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function start() {
    const box = document.getElementById("yasgui");
    const form = document.getElementById("sparql-form");
    const query = document.getElementById("query").value;
    box.hidden = false;
    const yasgui = new Yasgui(box, {
      requestConfig: { endpoint: new URL("/sparql", window.location.href).href, method: "GET" },
      copyEndpointOnNewTab: false,
    });
    yasgui.getTab().setQuery(query);
    form.hidden = true;
    button.hidden = true;
    status.textContent = "";
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = "Loading YASGUI…";
    const d = button.dataset;
    Promise.all([
      attach("link", { rel: "stylesheet", href: d.style, integrity: d.styleIntegrity }),
      attach("script", { src: d.script, integrity: d.scriptIntegrity }),
    ]).then(start, function () {
      button.disabled = false;
      status.textContent = "YASGUI could not be loaded (no internet connection?): the form above works without it.";
    });
  });
})();
