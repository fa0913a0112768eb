// Draws every figure of report.html with the inlined ECharts: one chart per element of class
// "chart", its option in the JSON block "figures" under the element's data-figure name.
(function () {
  "use strict";
  var figures = JSON.parse(document.getElementById("figures").textContent);

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function num(v) {
    if (typeof v !== "number") return esc(v);
    if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(2);
    return String(Math.round(v * 1000) / 1000);
  }

  // 10^k as on the static plots: plain digits from 0.001 to 100 000, else 1ek.
  function tick(v) {
    var k = Math.round(Math.log10(v));
    if (Math.abs(Math.log10(v) - k) < 1e-9 && (k < -3 || k > 5)) return "1e" + k;
    return num(v);
  }

  function tooltip(p) {
    var d = p.data || {};
    var rows = ["<b>" + esc(p.seriesName) + "</b>"];
    if (d.info) {
      for (var k in d.info) rows.push(esc(k) + ": <b>" + esc(d.info[k]) + "</b>");
    } else if (Array.isArray(p.value)) {
      rows.push("(" + num(p.value[0]) + ", " + num(p.value[1]) + ")");
    }
    return rows.join("<br>");
  }

  // The region between the lower and upper curve, drawn once for the whole series.
  function band(params, api) {
    if (params.dataIndex !== 0) return null;
    var top = [], bottom = [];
    for (var i = 0; i < params.dataInsideLength; i++) {
      top.push(api.coord([api.value(0, i), api.value(2, i)]));
      bottom.unshift(api.coord([api.value(0, i), api.value(1, i)]));
    }
    return {
      type: "polygon",
      shape: { points: top.concat(bottom) },
      style: { fill: api.visual("color"), opacity: 0.18 },
      silent: true
    };
  }

  // Median and range at one x, just right of the points there.
  function spread(params, api) {
    var x = api.value(0);
    var md = api.coord([x, api.value(1)]), lo = api.coord([x, api.value(2)]), hi = api.coord([x, api.value(3)]);
    var px = md[0] + 9, c = api.visual("color");
    function seg(x1, y1, x2, y2, w) {
      return { type: "line", shape: { x1: x1, y1: y1, x2: x2, y2: y2 }, style: { stroke: c, lineWidth: w } };
    }
    return {
      type: "group",
      children: [
        seg(px, lo[1], px, hi[1], 1.4),
        seg(px - 3, lo[1], px + 3, lo[1], 1.4),
        seg(px - 3, hi[1], px + 3, hi[1], 1.4),
        seg(px - 5, md[1], px + 5, md[1], 2.6)
      ]
    };
  }

  var renderers = { band: band, spread: spread };
  var charts = [];
  document.querySelectorAll(".chart").forEach(function (el) {
    var option = figures[el.getAttribute("data-figure")];
    option.tooltip.formatter = tooltip;
    [option.xAxis, option.yAxis].forEach(function (a) {
      if (a.type === "log") a.axisLabel = { formatter: tick };
    });
    option.series.forEach(function (s) {
      if (s.type === "custom") s.renderItem = renderers[s.renderItem];
    });
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push({ name: el.getAttribute("data-figure"), chart: chart });
  });
  window.widthlawCharts = charts;
})();
