// Vardag matrix view: the browser side of workbench.widgets.MatrixView.
//
// Draws the controls (table kind, columns, count, coder), the table of counts shaded by size
// and, after a click on a count, the quotes behind it.  Python counts and finds the quotes.

function render({ model, el }) {
  const t = translator(model);
  const send = (message) => model.send(message);

  const { top, status, setTexts } = topBar(model);

  function control(cls, message) {
    const label = h("span");
    const select = h("select", { class: cls, onchange: (e) => send({ type: message, [message]: e.target.value }) });
    return { label, select, field: h("label", { class: "vr-field" }, label, select) };
  }
  const kind = control("vr-kind", "kind");
  const columns = control("vr-columns", "columns");
  const value = control("vr-value", "value");
  const coder = control("vr-coder-select", "coder");
  const controls = h("div", { class: "vr-matrix-controls" }, kind.field, columns.field, value.field, coder.field);

  const hint = h("p", { class: "vr-hint" });
  const tableWrap = h("div", { class: "vr-table-wrap" });
  const cellTitle = h("h4", { class: "vr-cell-title" });
  const quotes = h("ol", { class: "vr-quotes" });
  const more = h("button", { class: "vr-btn vr-more", type: "button", onclick: () => send({ type: "more" }) });
  const body = h("div", { class: "vr-matrix-body" }, hint, tableWrap, cellTitle, quotes, more);
  el.append(h("div", { class: "vr-root vr-matrix-view" }, top, controls, body));

  function fill(select, items, current) {
    select.replaceChildren(...items.map((item) => h("option", { value: item.value }, item.label)));
    select.value = current;
  }

  function drawControls() {
    const options = model.get("options");
    const choices = model.get("choices");
    setTexts(t, t("matrix_title"));
    kind.label.textContent = t("kind");
    columns.label.textContent = t("columns");
    value.label.textContent = t("value");
    coder.label.textContent = t("coders");
    fill(kind.select, options.kinds || [], choices.kind);
    fill(columns.select, options.axes || [], choices.columns);
    fill(value.select, options.values || [], choices.value);
    fill(coder.select, options.coders || [], choices.coder);
    columns.field.hidden = choices.kind !== "matrix";
    hint.textContent = t("cell_hint");
  }

  function drawTable() {
    const table = model.get("table");
    const cell = model.get("cell") || {};
    if (!table.rows || table.empty) {
      tableWrap.replaceChildren(h("div", { class: "vr-empty" }, t("matrix_empty")));
      return;
    }
    const head = h(
      "tr",
      {},
      h("th", { class: "vr-corner vr-row-head", scope: "col" }, table.corner),
      ...table.columns.map((c) => h("th", { scope: "col", class: c.total ? "vr-total" : "", title: c.label }, c.label)),
    );
    const rows = table.rows.map((row, i) =>
      h(
        "tr",
        { class: row.total ? "vr-total-row" : "", "data-code": row.code || "" },
        h("th", { scope: "row", class: "vr-row-head", title: row.label, style: row.total ? {} : { "--c": row.color } }, row.label),
        ...row.cells.map((n, j) => {
          const total = row.total || table.columns[j].total;
          // co-occurrence: the diagonal counts the code alone, so it is not shaded
          const diagonal = table.kind === "cooccurrence" && i === j;
          const heat = total || diagonal || !table.max || !n ? 0 : 0.08 + (0.62 * n) / table.max;
          const selected = cell.row === i && cell.column === j;
          const classes = ["vr-cell", total ? "vr-total" : "", diagonal ? "vr-diagonal" : "", n ? "" : "vr-zero", heat > 0.45 ? "vr-dark" : ""];
          return h(
            "td",
            {
              class: classes.filter(Boolean).join(" "),
              "data-row": i,
              "data-column": j,
              tabindex: n ? "0" : null,
              role: "button",
              "aria-selected": selected ? "true" : "false",
              title: `${row.label} · ${table.columns[j].label}: ${n}`,
              style: { "--heat": heat.toFixed(3) },
              onclick: () => n && openCell(i, j),
              onkeydown: (e) => {
                if (n && (e.key === "Enter" || e.key === " ")) {
                  e.preventDefault();
                  openCell(i, j);
                }
              },
            },
            n,
          );
        }),
      ),
    );
    tableWrap.replaceChildren(h("table", { class: "vr-table" }, h("thead", {}, head), h("tbody", {}, ...rows)));
  }

  // A cell's quotes are listed below the table: after a click they are brought into sight.
  let reveal = false;
  function openCell(row, column) {
    reveal = true;
    send({ type: "cell", row, column });
  }

  function drawCell() {
    const cell = model.get("cell") || {};
    const rows = cell.rows || [];
    cellTitle.hidden = !cell.title;
    cellTitle.textContent = cell.title || "";
    quotes.replaceChildren(...rows.map((card) => quoteCard(card, t)));
    more.hidden = !(cell.total && rows.length < cell.total);
    more.textContent = t("more", { shown: rows.length, total: cell.total || 0 });
  }

  function drawAll() {
    drawControls();
    drawTable();
    drawCell();
    showStatus(status, model.get("status"));
  }

  model.on("change:strings", drawAll);
  model.on("change:options", drawControls);
  model.on("change:choices", drawControls);
  model.on("change:table", drawTable);
  model.on("change:cell", () => {
    drawTable();
    drawCell();
    if (reveal && !cellTitle.hidden) cellTitle.scrollIntoView({ block: "start" });
    reveal = false;
  });
  model.on("change:status", () => showStatus(status, model.get("status")));
  drawAll();
}

export default { render };
