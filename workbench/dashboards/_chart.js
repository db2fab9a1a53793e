// A plotly chart drawn from the `figure` trait; clicks go back to Python as messages.
// Plotly itself comes from the page (the PlotlyLoader widget), never from the network.

function whenPlotly() {
  return new Promise((resolve) => {
    const tick = () => (window.Plotly ? resolve(window.Plotly) : setTimeout(tick, 20));
    tick();
  });
}

async function render({ model, el }) {
  const Plotly = await whenPlotly();
  const div = document.createElement("div");
  div.className = "vd-chart";
  el.appendChild(div);
  let wired = false;
  const draw = async () => {
    const fig = model.get("figure") || {};
    await Plotly.react(div, fig.data || [], fig.layout || {}, {
      displayModeBar: false,
      responsive: true,
    });
    if (!wired) {
      wired = true;
      div.on("plotly_click", (event) => {
        const point = event && event.points && event.points[0];
        if (point) {
          model.send({ event: "click", customdata: point.customdata ?? null });
        }
      });
    }
    div.dataset.version = String(model.get("version"));
  };
  await draw();
  model.on("change:version", draw);
  return () => {
    model.off("change:version", draw);
    Plotly.purge(div);
  };
}

export default { render };
