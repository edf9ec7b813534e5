// Draws every chart of the report from the JSON in #chart-specs with the inlined chart.js and
// boxplot/violin plugin, adding the callbacks each spec's `hints` asks for. Sets
// <html data-charts="N drawn, M failed"> when done (the end-to-end test waits for it).
(function () {
  "use strict";
  /* global Chart */
  const specs = JSON.parse(document.getElementById("chart-specs").textContent);
  const charts = [];
  let failed = 0;

  Chart.defaults.font.family =
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  Chart.defaults.font.size = 13;
  Chart.defaults.color = "#222";
  Chart.defaults.animation = false;
  // Crisp on high-density screens and in print.
  Chart.defaults.devicePixelRatio = Math.max(globalThis.devicePixelRatio || 1, 2);

  function applyHints(spec) {
    const hints = spec.hints || {};
    delete spec.hints;
    const options = spec.options;
    options.scales = options.scales || {};
    options.plugins = options.plugins || {};
    if (hints.xTickColors) {
      const colors = hints.xTickColors;
      const x = options.scales.x = options.scales.x || {};
      x.ticks = Object.assign({}, x.ticks, {
        color: (ctx) => colors[ctx.index] || "#222",
        font: (ctx) => ({ weight: colors[ctx.index] === "#222" ? "normal" : "bold" }),
      });
    }
    if (hints.rowLabels) {
      const labels = hints.rowLabels;
      const y = options.scales.y = options.scales.y || {};
      y.afterBuildTicks = (scale) => {
        scale.ticks = labels.map((l) => ({ value: l.row }));
      };
      y.ticks = Object.assign({}, y.ticks, {
        autoSkip: false,
        callback: (value) => {
          const hit = labels.find((l) => l.row === value);
          return hit ? hit.text : "";
        },
      });
    }
    if (hints.hideInLegend) {
      const hidden = hints.hideInLegend;
      options.plugins.legend = options.plugins.legend || {};
      options.plugins.legend.labels = Object.assign({}, options.plugins.legend.labels, {
        filter: (item) => !hidden.includes(item.text),
      });
    }
    if (hints.logTicks) {
      for (const [name, values] of Object.entries(hints.logTicks)) {
        const a = options.scales[name] = options.scales[name] || {};
        a.afterBuildTicks = (scale) => {
          scale.ticks = values.map((value) => ({ value }));
        };
        a.ticks = Object.assign({}, a.ticks, {
          autoSkip: false,
          callback: (value) => Number(value).toLocaleString("en", { maximumSignificantDigits: 3 }),
        });
      }
    }
    if (hints.tooltipTitles) {
      const titles = hints.tooltipTitles;
      options.plugins.tooltip = Object.assign({}, options.plugins.tooltip, {
        callbacks: {
          title: (items) => (items.length ? titles[items[0].dataIndex] || "" : ""),
        },
      });
    }
    return spec;
  }

  for (const id of Object.keys(specs)) {
    const canvas = document.getElementById(id);
    try {
      charts.push(new Chart(canvas, applyHints(specs[id])));
    } catch (error) {
      failed++;
      const box = canvas.parentElement;
      box.classList.add("chart-error");
      box.textContent = "This chart could not be drawn: " + error.message;
      console.error("chart " + id + ": " + error.message);
    }
  }

  // Redraw at the printed size.
  globalThis.addEventListener("beforeprint", () => charts.forEach((c) => c.resize()));
  globalThis.addEventListener("afterprint", () => charts.forEach((c) => c.resize()));
  document.documentElement.dataset.charts = charts.length + " drawn, " + failed + " failed";
})();
