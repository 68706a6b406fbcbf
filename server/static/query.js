// The query page: run the editor's query against /sparql, show a table, offer downloads.
// No libraries, no network but this server.
"use strict";

(function () {
  const section = document.getElementById("editor-section");
  const baseIri = section.dataset.baseIri;
  const editor = document.getElementById("query");
  const select = document.getElementById("examples");
  const status = document.getElementById("status");
  const errorBox = document.getElementById("error");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");
  const examples = JSON.parse(document.getElementById("example-data").textContent);

  function localPath(iri) {
    return iri.startsWith(baseIri) ? "/id/" + iri.slice(baseIri.length) : iri;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = localPath(term.value);
      a.textContent = term.value.startsWith(baseIri) ? term.value.slice(baseIri.length) : term.value;
      a.title = term.value;
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
      else if (term.datatype) td.title = term.datatype;
    }
    return td;
  }

  function table(data) {
    const vars = data.head.vars || [];
    const rows = data.results.bindings;
    const t = document.createElement("table");
    t.className = "result-table";
    const head = t.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = "?" + v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(row[v]));
    }
    return [t, rows.length];
  }

  function setDownloads(kind) {
    const q = encodeURIComponent(editor.value);
    for (const a of downloads.querySelectorAll("a")) {
      a.href = "/sparql?query=" + q + "&format=" + a.dataset.format;
      a.setAttribute("download", "result." + a.dataset.format);
      a.hidden = !a.dataset.kinds.split(" ").includes(kind);
    }
    downloads.hidden = false;
  }

  async function run() {
    errorBox.hidden = true;
    results.replaceChildren();
    status.textContent = "Running…";
    const started = performance.now();
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST",
        headers: {"Content-Type": "application/sparql-query",
                  "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
        body: editor.value,
      });
    } catch (e) {
      status.textContent = "";
      errorBox.textContent = "The server could not be reached.";
      errorBox.hidden = false;
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      status.textContent = "";
      errorBox.textContent = "Error " + response.status + ": " + (await response.text());
      errorBox.hidden = false;
      return;
    }
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      setDownloads("boolean" in data ? "boolean" : "table");
      if ("boolean" in data) {
        const p = document.createElement("p");
        p.className = "boolean";
        p.textContent = data.boolean ? "true" : "false";
        results.appendChild(p);
        status.textContent = "ASK answered in " + seconds + " s";
      } else {
        const [t, n] = table(data);
        results.appendChild(t);
        status.textContent = n + " row" + (n === 1 ? "" : "s") + " in " + seconds + " s";
      }
    } else {
      setDownloads("graph");
      const pre = document.createElement("pre");
      pre.className = "graph";
      pre.textContent = await response.text();
      results.appendChild(pre);
      status.textContent = "Graph in " + seconds + " s";
    }
  }

  select.addEventListener("change", () => {
    const ex = examples.find((e) => e.name === select.value);
    if (ex) editor.value = ex.query;
  });
  document.getElementById("run").addEventListener("click", run);
  editor.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run(); }
  });
})();
