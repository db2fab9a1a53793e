// Vardag query view: the browser side of workbench.widgets.QueryView.
//
// Draws the code picker, coders, groups, the quotes in context and the export bar from the
// synced traits (options, selection, results, status, strings) and sends each click as a small
// message; Python builds the expression, runs the query and writes the files.

function render({ model, el }) {
  const t = translator(model);
  const send = (message) => model.send(message);
  let filter = "";
  const uid = Math.random().toString(36).slice(2);

  // ---- skeleton ----------------------------------------------------------------------------
  const { top, status, setTexts } = topBar(model);

  const codeFilter = h("input", {
    type: "search",
    class: "vr-code-filter",
    oninput: (e) => {
      filter = e.target.value.trim().toLocaleLowerCase();
      drawCodes();
    },
  });
  const codesHead = h("h3");
  const codes = h("div", { class: "vr-codes", role: "list" });
  const modeHead = h("div", { class: "vr-field" });
  const modes = h("div", { class: "vr-modes" });
  const codersHead = h("h3");
  const codersHint = h("p", { class: "vr-hint" });
  const coders = h("div", { class: "vr-list vr-coders" });
  const groupsHead = h("h3");
  const groupsHint = h("p", { class: "vr-hint" });
  const groups = h("div", { class: "vr-list vr-groups" });
  const groupsSection = h("section", {}, groupsHead, groupsHint, groups);
  const side = h(
    "aside",
    { class: "vr-side" },
    h("section", {}, codesHead, codeFilter, codes, modeHead, modes),
    h("section", {}, codersHead, codersHint, coders),
    groupsSection,
  );

  const expression = h("input", {
    type: "text",
    class: "vr-expression",
    spellcheck: "false",
    onkeydown: (e) => {
      if (e.key === "Enter") send({ type: "expression", expression: expression.value });
    },
  });
  const expressionLabel = h("span");
  const quoteText = h("input", {
    type: "search",
    class: "vr-text",
    onkeydown: (e) => {
      if (e.key === "Enter") send({ type: "text", text: quoteText.value });
    },
    onsearch: () => send({ type: "text", text: quoteText.value }),
  });
  const quoteTextLabel = h("span");
  const apply = h("button", {
    class: "vr-btn vr-primary vr-apply",
    type: "button",
    onclick: () => send({ type: "expression", expression: expression.value }),
  });
  const clear = h("button", { class: "vr-btn vr-clear", type: "button", onclick: () => send({ type: "clear" }) });
  const query = h(
    "div",
    { class: "vr-query" },
    h("label", { class: "vr-field" }, expressionLabel, expression),
    h("label", { class: "vr-field vr-text-field" }, quoteTextLabel, quoteText),
    h("div", { class: "vr-query-buttons" }, apply, clear),
  );
  const summary = h("div", { class: "vr-summary", role: "status" });
  const quotes = h("ol", { class: "vr-quotes" });
  const more = h("button", { class: "vr-btn vr-more", type: "button", onclick: () => send({ type: "more" }) });
  const pathLabel = h("span");
  const path = h("input", { type: "text", class: "vr-path", spellcheck: "false" });
  let pathTouched = false;
  path.addEventListener("input", () => (pathTouched = true));
  const exportCsv = h("button", {
    class: "vr-btn vr-export-csv",
    type: "button",
    onclick: () => send({ type: "export", format: "csv", path: path.value }),
  });
  const exportDocx = h("button", {
    class: "vr-btn vr-export-docx",
    type: "button",
    onclick: () => send({ type: "export", format: "docx", path: path.value }),
  });
  // Which file an export wrote (or why not) is said here, next to the buttons.
  const exportNote = h("span", { class: "vr-status vr-export-note", role: "status", "aria-live": "polite" });
  const exportBar = h("footer", { class: "vr-export" }, h("label", { class: "vr-field" }, pathLabel, path), exportCsv, exportDocx, exportNote);
  /** "12 quotes · 1 participant · 3 documents", each count singular or plural. */
  const counts = (quotes, participants, documents) =>
    [t("n_quotes", { n: quotes }), t("n_participants", { n: participants }), t("n_documents", { n: documents })].join(" · ");
  /** A status line at the top, or next to the export buttons when it is about an export. */
  function renderStatus() {
    const s = model.get("status") || {};
    const exporting = s.where === "export";
    showStatus(exporting ? exportNote : status, s);
    showStatus(exporting ? status : exportNote, {});
  }
  const content = h("section", { class: "vr-content" }, query, summary, quotes, more, exportBar);

  const root = h("div", { class: "vr-root vr-query-view" }, top, h("div", { class: "vr-main" }, side, content));
  el.append(root);

  // ---- drawing -----------------------------------------------------------------------------
  function drawTexts() {
    setTexts(t, t("query_title"));
    codesHead.textContent = t("codes");
    codeFilter.placeholder = t("code_filter");
    modeHead.textContent = t("mode");
    codersHead.textContent = t("coders");
    codersHint.textContent = t("coders_hint");
    groupsHead.textContent = t("groups");
    groupsHint.textContent = t("groups_hint");
    expressionLabel.textContent = t("expression");
    expression.placeholder = t("expression_hint");
    expression.title = t("expression_hint");
    quoteTextLabel.textContent = t("text");
    quoteText.title = t("text_hint");
    apply.textContent = t("apply");
    clear.textContent = t("clear");
    pathLabel.textContent = t("file");
    if (!pathTouched) path.value = t("default_file");
    exportCsv.textContent = `${t("export")} ${t("export_csv")}`;
    exportCsv.title = t("export_csv_hint");
    exportDocx.textContent = `${t("export")} ${t("export_docx")}`;
    exportDocx.title = t("export_docx_hint");
  }

  function drawCodes() {
    const picks = model.get("selection").picks || {};
    const list = (model.get("options").codes || []).filter((c) => !filter || c.label.toLocaleLowerCase().includes(filter) || c.id.includes(filter));
    codes.replaceChildren(
      ...list.map((code) => {
        const pick = picks[code.id] || "off";
        const include = h(
          "button",
          {
            type: "button",
            class: `vr-code${code.codable ? "" : " vr-group-code"}`,
            "data-code": code.id,
            "aria-pressed": pick === "include" ? "true" : "false",
            title: `${code.label} (${code.id}) · ${t("include")}`,
            style: { "--c": code.color, "--ink": inkOn(code.color), marginLeft: `${code.depth * 12}px` },
            onclick: () => send({ type: "code", code: code.id, pick: pick === "include" ? "off" : "include" }),
          },
          h("span", { class: "vr-code-label" }, code.label),
          code.count ? h("span", { class: "vr-count" }, code.count) : null,
        );
        const exclude = h(
          "button",
          {
            type: "button",
            class: "vr-not",
            "data-code": code.id,
            "aria-pressed": pick === "exclude" ? "true" : "false",
            title: t("not_hint"),
            onclick: () => send({ type: "code", code: code.id, pick: pick === "exclude" ? "off" : "exclude" }),
          },
          t("not"),
        );
        return h("div", { class: `vr-code-row${pick === "exclude" ? " vr-excluded" : ""}`, role: "listitem" }, include, exclude);
      }),
    );
  }

  function check(cls, label, checked, onchange, data = {}) {
    const box = h("input", { type: "checkbox", onchange: (e) => onchange(e.target.checked), ...data });
    box.checked = checked;
    return h("label", { class: `vr-check ${cls}` }, box, h("span", {}, label));
  }

  function drawChoices() {
    const selection = model.get("selection");
    const options = model.get("options");
    modes.replaceChildren(
      ...["any", "all"].map((mode) => {
        const radio = h("input", { type: "radio", name: `vr-mode-${uid}`, value: mode, onchange: () => send({ type: "mode", mode }) });
        radio.checked = selection.mode === mode;
        return h("label", { class: "vr-check vr-mode" }, radio, h("span", {}, t(`mode_${mode}`)));
      }),
    );
    const chosenCoders = new Set(selection.coders || []);
    coders.replaceChildren(
      ...(options.coders || []).map((name) =>
        check("vr-coder", name, chosenCoders.has(name), (on) => send({ type: "coder", coder: name, on }), { "data-coder": name }),
      ),
    );
    const chosen = selection.groups || {};
    groupsSection.hidden = !(options.attributes || []).length;
    groups.replaceChildren(
      ...(options.attributes || []).flatMap((attr) => [
        h("div", { class: "vr-attr" }, attr.label),
        ...attr.values.map((v) =>
          check(
            "vr-group",
            v.label,
            (chosen[attr.name] || []).includes(v.value),
            (on) => send({ type: "group", attribute: attr.name, value: v.value, on }),
            { "data-attribute": attr.name, "data-value": v.value },
          ),
        ),
      ]),
    );
    if (document.activeElement !== expression) expression.value = selection.expression || "";
    if (document.activeElement !== quoteText) quoteText.value = selection.text || "";
  }

  function drawResults() {
    const results = model.get("results");
    const rows = results.rows || [];
    if (!results.active) {
      summary.textContent = "";
      quotes.replaceChildren(h("li", { class: "vr-empty" }, t("pick_first")));
    } else if (!rows.length) {
      summary.textContent = counts(0, 0, 0);
      quotes.replaceChildren(h("li", { class: "vr-empty" }, t("none")));
    } else {
      summary.textContent = counts(results.total, results.participants, results.documents);
      quotes.replaceChildren(
        ...rows.map((card) =>
          quoteCard(
            card,
            t,
            h("button", { class: "vr-btn vr-open", type: "button", title: t("open_hint"), onclick: () => send({ type: "open", segment: card.segment }) }, t("open")),
          ),
        ),
      );
    }
    more.hidden = !(results.active && rows.length < results.total);
    more.textContent = t("more", { shown: rows.length, total: results.total });
    exportCsv.disabled = exportDocx.disabled = !(results.active && rows.length);
  }

  function drawAll() {
    drawTexts();
    drawCodes();
    drawChoices();
    drawResults();
    renderStatus();
  }

  model.on("change:strings", drawAll);
  model.on("change:lang", drawTexts);
  model.on("change:options", () => {
    drawCodes();
    drawChoices();
  });
  model.on("change:selection", () => {
    drawCodes();
    drawChoices();
  });
  model.on("change:results", drawResults);
  model.on("change:status", renderStatus);
  drawAll();
}

export default { render };
