// Draw each dashboard chart from the JSON the page carries in a json_script element: the
// Content-Security-Policy allows no inline script. The same numbers are in the table beside it.
(function () {
  "use strict";

  function draw(canvas) {
    const source = document.getElementById(canvas.dataset.chartSource);
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    const spec = JSON.parse(source.textContent);
    const axes = {
      x: { stacked: spec.stacked, beginAtZero: true },
      y: { stacked: spec.stacked, beginAtZero: true },
    };
    const chart = new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        responsive: true,
        animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        scales: axes,
        plugins: { legend: { position: "bottom" } },
      },
    });
    // Lets tests (and people inspecting the page) see that the chart was drawn.
    canvas.dataset.chartDrawn = chart.data.datasets.length ? "true" : "empty";
  }

  document.querySelectorAll("canvas[data-chart-source]").forEach(draw);
})();
