// Vardag theme view: the browser side of workbench.widgets.ThemeView.
//
// Draws the candidate themes of one code as cards (label, counts, distinctive words, typical
// quotes, every quote on request), the codes already under that code and the quotes left
// out, and sends each click as a small message.  Python finds, describes, merges, moves and
// adopts; the browser keeps only what is being typed (a new label, a definition).

function render({ model, el }) {
  const t = translator(model);
  const send = (message) => model.send(message);
  let renaming = null; // the candidate whose label is being edited
  let adopting = null; // the candidate whose adoption is being confirmed
  let dismissed = -1; // the status a Cancel put away (no longer shown beside its card)
  const drafts = { label: "", definition: "", other: "" };
  // "1 quote · 3 participants": each count in its own singular or plural form.
  const counts = (quotes, people, key) =>
    t(key, { quotes: t("n_quotes", { n: quotes }), participants: t("n_people", { n: people }) });

  // ---- skeleton ----------------------------------------------------------------------------
  const { top, status, setTexts } = topBar(model, { refresh: false });

  const codeChip = h("span", { class: "vt-code-chip" });
  const summary = h("span", { class: "vt-summary" });
  const intro = h("p", { class: "vr-hint vt-intro" });
  const kLabel = h("span");
  const k = h("input", {
    type: "number",
    min: "1",
    max: "30",
    class: "vt-k",
    onkeydown: (e) => {
      if (e.key === "Enter") find();
    },
  });
  const findButton = h("button", { class: "vr-btn vr-primary vt-find", type: "button", onclick: () => find() });
  const found = h("span", { class: "vt-found" });
  const changes = h("span", { class: "vt-changes" });
  const sourceLabel = h("span");
  const source = h("select", { class: "vt-source", onchange: () => find() });
  const sourceField = h("label", { class: "vr-field vt-source-field" }, sourceLabel, source);
  // Asked next to the button that caused it: throw the researcher's changes away or keep them.
  const confirmText = h("span", { class: "vt-confirm-text" });
  const confirmBox = h(
    "div",
    { class: "vt-confirm", role: "alertdialog", hidden: true },
    confirmText,
    h("button", { class: "vr-btn vt-discard", type: "button", onclick: () => discard() }),
    h("button", { class: "vr-btn vr-primary vt-keep", type: "button", onclick: () => send({ type: "keep" }) }),
  );
  const barStatus = h("span", { class: "vt-bar-status", role: "status" });
  const notes = h("div", { class: "vt-notes" });
  const bar = h(
    "div",
    { class: "vt-bar" },
    h("div", { class: "vt-heading" }, codeChip, summary),
    h("div", { class: "vt-controls" }, sourceField, h("label", { class: "vr-field" }, kLabel, k), findButton, found, changes, barStatus),
    confirmBox,
    notes,
    intro,
  );

  const cards = h("ol", { class: "vt-cards" });
  const childrenHead = h("h3");
  const children = h("ul", { class: "vt-children" });
  const droppedHead = h("h3");
  const droppedHint = h("p", { class: "vr-hint" });
  const dropped = h("ol", { class: "vt-dropped" });
  const droppedSection = h("section", { class: "vt-left-out" }, droppedHead, droppedHint, dropped);
  const side = h("aside", { class: "vr-side vt-side" }, h("section", { class: "vt-codebook" }, childrenHead, children), droppedSection);
  const root = h("div", { class: "vr-root vt-theme-view" }, top, bar, h("div", { class: "vt-main" }, h("section", { class: "vt-content" }, cards), side));
  el.append(root);

  function find() {
    k.blur();
    status.dataset.state = "idle";
    status.textContent = t("working");
    send({ type: "find", k: k.value.trim(), source: source.value });
  }

  function discard() {
    const c = (model.get("summary") || {}).confirm || {};
    status.dataset.state = "idle";
    status.textContent = t("working");
    send({ type: "find", k: c.k ?? "", source: c.source ?? "", discard: true });
  }

  /** The status of the card it concerns, beside that card (the top line may be off-screen). */
  function cardStatus(c) {
    const st = model.get("status") || {};
    if (st.theme !== c.id || !st.text || st.seq === dismissed) return null;
    return h("p", { class: "vt-card-status", role: st.state === "error" ? "alert" : "status", "data-state": st.state }, st.text);
  }

  // ---- pieces ------------------------------------------------------------------------------
  function quote(q, actions = null) {
    return h(
      "li",
      { class: "vt-quote", "data-segment": q.segment },
      h("p", { class: "vt-quote-text" }, q.text),
      h("div", { class: "vt-quote-meta" }, q.participant ? h("span", { class: "vr-participant" }, q.participant) : null, h("span", { class: "vr-doc" }, q.document), actions),
    );
  }

  function moveSelect(q, from) {
    const options = [h("option", { value: "" }, t("move"))];
    for (const c of model.get("candidates") || []) {
      if (c.id !== from && !c.adopted) options.push(h("option", { value: String(c.id) }, c.label));
    }
    if (from !== null) {
      options.push(h("option", { value: "new" }, t("move_new")));
      options.push(h("option", { value: "drop" }, t("drop")));
    }
    return h(
      "select",
      {
        class: "vt-move",
        "data-segment": q.segment,
        title: t("move"),
        onchange: (e) => {
          if (e.target.value) send({ type: "move", segment: q.segment, to: e.target.value });
        },
      },
      ...options,
    );
  }

  function mergeSelect(card) {
    const others = (model.get("candidates") || []).filter((c) => c.id !== card.id && !c.adopted);
    return h(
      "select",
      {
        class: "vt-merge",
        title: t("merge_hint"),
        disabled: others.length ? undefined : true,
        onchange: (e) => {
          if (e.target.value) send({ type: "merge", theme: card.id, into: Number(e.target.value) });
        },
      },
      h("option", { value: "" }, t("merge")),
      ...others.map((c) => h("option", { value: String(c.id) }, c.label)),
    );
  }

  function labelLine(card) {
    if (renaming === card.id) {
      const input = h("input", {
        type: "text",
        class: "vt-rename-input",
        value: drafts.label,
        oninput: (e) => (drafts.label = e.target.value),
        onkeydown: (e) => {
          if (e.key === "Enter") save();
          if (e.key === "Escape") cancel();
        },
      });
      const save = () => send({ type: "rename", theme: card.id, label: drafts.label });
      const cancel = () => {
        renaming = null;
        dismissed = (model.get("status") || {}).seq;
        drawCards();
      };
      setTimeout(() => input.focus(), 0);
      return h(
        "div",
        { class: "vt-rename" },
        input,
        h("button", { class: "vr-btn vr-primary vt-rename-save", type: "button", onclick: save }, t("save")),
        h("button", { class: "vr-btn vt-rename-cancel", type: "button", onclick: cancel }, t("cancel")),
      );
    }
    return h(
      "div",
      { class: "vt-label-line" },
      h("h4", { class: "vt-label" }, card.label),
      h("span", { class: `vt-badge${card.renamed ? " vt-own" : ""}`, title: card.renamed ? `${t("suggested")}: ${card.suggested}` : "" }, card.renamed ? t("renamed") : t("suggested")),
    );
  }

  function adoptForm(card, code) {
    const s = model.get("summary") || {};
    const label = h("input", { type: "text", class: "vt-adopt-label", value: drafts.label, oninput: (e) => (drafts.label = e.target.value) });
    const other = h("input", {
      type: "text",
      class: "vt-adopt-other",
      value: drafts.other,
      placeholder: t("adopt_other_hint", { lang: s.other_name, own: s.lang_name }),
      title: t("adopt_other_hint", { lang: s.other_name, own: s.lang_name }),
      oninput: (e) => (drafts.other = e.target.value),
    });
    const definition = h("textarea", {
      class: "vt-adopt-definition",
      rows: "3",
      placeholder: t("adopt_definition_hint"),
      oninput: (e) => (drafts.definition = e.target.value),
    });
    definition.value = drafts.definition;
    setTimeout(() => definition.focus(), 0);
    return h(
      "div",
      { class: "vt-adopt-form", role: "dialog", "aria-label": t("adopt_title", { code: code.label }) },
      h("h5", {}, t("adopt_title", { code: code.label })),
      h("label", { class: "vr-field" }, h("span", {}, t("adopt_label", { lang: s.lang_name })), label),
      h("label", { class: "vr-field" }, h("span", {}, t("adopt_other_label", { lang: s.other_name })), other),
      h("label", { class: "vr-field" }, h("span", {}, t("adopt_definition")), definition),
      h("p", { class: "vr-hint" }, t("adopt_note", { n: card.n_segments, coder: model.get("summary").coder })),
      h(
        "div",
        { class: "vt-adopt-buttons" },
        h(
          "button",
          {
            class: "vr-btn vr-primary vt-adopt-confirm",
            type: "button",
            onclick: () => send({ type: "adopt", theme: card.id, label: drafts.label, other_label: drafts.other, definition: drafts.definition }),
          },
          t("adopt_confirm", { n: card.n_segments }),
        ),
        h(
          "button",
          {
            class: "vr-btn vt-adopt-cancel",
            type: "button",
            onclick: () => {
              adopting = null;
              dismissed = (model.get("status") || {}).seq;
              drawCards();
            },
          },
          t("cancel"),
        ),
      ),
    );
  }

  function card(c) {
    const code = model.get("code");
    const actions = c.adopted
      ? h(
          "div",
          { class: "vt-actions" },
          h("span", { class: "vt-adopted-badge" }, t("adopted_badge", { label: c.adopted.label })),
          model.get("undo") === c.adopted.code
            ? h("button", { class: "vr-btn vt-undo", type: "button", title: t("undo_hint"), onclick: () => send({ type: "undo" }) }, t("undo"))
            : null,
        )
      : h(
          "div",
          { class: "vt-actions" },
          h(
            "button",
            {
              class: "vr-btn vt-rename-button",
              type: "button",
              title: t("rename_hint"),
              onclick: () => {
                renaming = c.id;
                adopting = null;
                drafts.label = c.label;
                drawCards();
              },
            },
            t("rename"),
          ),
          mergeSelect(c),
          h(
            "button",
            {
              class: "vr-btn vr-primary vt-adopt",
              type: "button",
              title: t("adopt_hint", { code: code.label }),
              onclick: () => {
                adopting = c.id;
                renaming = null;
                drafts.label = c.label;
                drafts.definition = "";
                drafts.other = "";
                drawCards();
              },
            },
            t("adopt"),
          ),
        );
    const typical = c.typical.map((q) => {
      const item = quote(q);
      item.addEventListener("click", () => item.classList.toggle("vt-open"));
      return item;
    });
    const toggle = h(
      "button",
      { class: "vr-btn vr-ghost vt-toggle", type: "button", "aria-expanded": c.expanded ? "true" : "false", onclick: () => send({ type: "expand", theme: c.id, on: !c.expanded }) },
      c.expanded ? t("hide_all") : t("show_all", { n: c.n_segments }),
    );
    const all = c.expanded
      ? h(
          "div",
          { class: "vt-all-wrap" },
          h("span", { class: "vt-terms-head" }, t("all_order")),
          h("ol", { class: "vt-all" }, ...c.quotes.map((q) => quote(q, c.adopted ? null : moveSelect(q, c.id)))),
        )
      : null;
    const facts = h(
      "div",
      { class: "vt-facts" },
      h("span", { class: "vt-languages", title: t("languages") }, c.languages),
      c.existing ? h("span", { class: "vt-existing", title: t("existing_hint") }, c.existing) : null,
    );
    return h(
      "li",
      { class: `vt-card${c.adopted ? " vt-adopted" : ""}`, "data-theme": c.id, style: { "--c": code.color } },
      h("header", { class: "vt-card-head" }, labelLine(c), h("span", { class: "vt-count" }, counts(c.n_segments, c.n_participants, "count")), actions),
      facts,
      adopting === c.id && !c.adopted ? adoptForm(c, code) : null,
      cardStatus(c),
      c.terms.length
        ? h("div", { class: "vt-terms", "aria-label": t("terms") }, h("span", { class: "vt-terms-head" }, t("terms")), ...c.terms.map((term) => h("span", { class: "vt-term" }, term)))
        : null,
      h("div", { class: "vt-typical" }, h("span", { class: "vt-terms-head" }, t("typical")), h("ol", {}, ...typical)),
      toggle,
      all,
    );
  }

  // ---- drawing -----------------------------------------------------------------------------
  function drawTexts() {
    const code = model.get("code") || {};
    const s = model.get("summary") || {};
    setTexts(t, t("title"));
    codeChip.textContent = code.path || "";
    codeChip.style.setProperty("--c", code.color || "#888");
    summary.textContent = counts(s.quotes ?? 0, s.participants ?? 0, "summary");
    intro.textContent = t("intro", { code: code.label || "" });
    kLabel.textContent = t("k");
    k.placeholder = t("k_auto");
    k.title = t("k_hint");
    if (document.activeElement !== k) k.value = s.k === null || s.k === undefined ? "" : String(s.k);
    findButton.textContent = t("find");
    findButton.title = t("find_hint");
    k.max = String(s.k_max ?? 30);
    const sources = s.sources || {};
    sourceLabel.textContent = t("source");
    sourceField.hidden = !(sources.interviews && sources.survey);
    source.replaceChildren(
      h("option", { value: "" }, t("source_all")),
      h("option", { value: "interviews" }, t("source_interviews", { n: sources.interviews ?? 0 })),
      h("option", { value: "survey" }, t("source_survey", { n: sources.survey ?? 0 })),
    );
    source.value = s.source || "";
    changes.textContent = s.changes ? t("changes", { n: s.changes }) : "";
    confirmBox.hidden = !s.confirm;
    if (s.confirm) {
      confirmText.textContent = (model.get("status") || {}).text || "";
      confirmBox.querySelector(".vt-discard").textContent = t("discard");
      confirmBox.querySelector(".vt-keep").textContent = t("keep");
    }
    notes.replaceChildren(...(s.notes || []).map((note) => h("p", { class: "vt-note", role: "note" }, note)));
    found.textContent = s.found ? t(s.k ? "found_chosen" : "found_estimated", { n: s.found }) : "";
    childrenHead.textContent = t("children", { code: code.label || "" });
    droppedHint.textContent = t("dropped_hint");
  }

  function drawCards() {
    const list = model.get("candidates") || [];
    if (!list.length) {
      cards.replaceChildren(h("li", { class: "vr-empty" }, t("none", { code: (model.get("code") || {}).label || "" })));
      return;
    }
    cards.replaceChildren(...list.map(card));
  }

  function drawSide() {
    const code = model.get("code") || {};
    const kids = model.get("children") || [];
    children.replaceChildren(
      ...(kids.length
        ? kids.map((c) =>
            h(
              "li",
              { class: `vt-child${c.new ? " vt-new" : ""}`, "data-code": c.id, style: { "--c": c.color } },
              h("span", { class: "vt-child-label" }, c.label),
              c.fallback ? h("span", { class: "vt-fallback" }, t("fallback", { lang: (model.get("summary") || {}).lang_name })) : null,
              c.new ? h("span", { class: "vt-new-badge" }, t("new")) : null,
              h("span", { class: "vr-count" }, t("coded", { n: c.count })),
            ),
          )
        : [h("li", { class: "vr-hint" }, t("children_none", { code: code.label || "" }))]),
    );
    const left = model.get("dropped") || [];
    droppedSection.hidden = !left.length;
    droppedHead.textContent = t("dropped", { n: left.length });
    dropped.replaceChildren(...left.map((q) => quote(q, moveSelect(q, null))));
  }

  function drawAll() {
    drawTexts();
    drawCards();
    drawSide();
    showStatus(status, model.get("status"));
  }

  model.on("change:strings", drawAll);
  model.on("change:lang", drawTexts);
  model.on("change:code", drawAll);
  model.on("change:summary", drawTexts);
  model.on("change:candidates", drawCards);
  model.on("change:undo", drawCards);
  model.on("change:dropped", drawSide);
  model.on("change:children", drawSide);
  model.on("change:status", () => {
    const st = model.get("status") || {};
    showStatus(status, st);
    // The form that was sent closes when its change went through, and stays (with what was
    // typed) when it was refused.
    if (st.state === "ok" && st.theme !== null && (st.theme === renaming || st.theme === adopting)) {
      renaming = null;
      adopting = null;
    }
    barStatus.textContent = st.state === "error" && (st.theme === null || st.theme === undefined) ? st.text : "";
    barStatus.dataset.state = st.state || "";
    drawTexts();
    drawCards();
  });
  drawAll();
}

export default { render };
