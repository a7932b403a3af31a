// The query page works without this file (a plain form posting to /sparql with GET).
// When YASGUI loads from its CDN, it replaces the form, starting from the form's query.
"use strict";
function s3graphYasgui() {
  if (typeof Yasgui === "undefined") return;
  const form = document.getElementById("sparql-form");
  const box = document.getElementById("yasgui");
  const query = document.getElementById("query").value;
  box.hidden = false;
  const yasgui = new Yasgui(box, {
    requestConfig: { endpoint: new URL("/sparql", window.location.href).href, method: "GET" },
    copyEndpointOnNewTab: false,
  });
  yasgui.getTab().setQuery(query);
  form.hidden = true;
}
