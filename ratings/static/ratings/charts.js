// Dashboard charts (ECharts, vendored). Data comes from <script type="application/json">
// blocks the page renders with json_script; every chart also has a table on the page.
(function () {
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function chart(id, option) {
    var node = document.getElementById(id);
    if (!node || !window.echarts) return;
    var c = window.echarts.init(node, null, { renderer: "svg" });
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  var labels = data("chart-labels") || {};
  var trend = data("trend-data");
  if (trend) {
    chart("trend-chart", {
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      legend: { data: [labels.satisfaction, labels.rated] },
      xAxis: { type: "category", data: trend.map(function (r) { return r.month; }) },
      yAxis: [
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        { type: "value", name: labels.rated }
      ],
      series: [
        { name: labels.satisfaction, type: "line", data: trend.map(function (r) {
          return r.satisfaction_rate === null ? null : +(r.satisfaction_rate * 100).toFixed(2); }) },
        { name: labels.rated, type: "bar", yAxisIndex: 1, data: trend.map(function (r) { return r.rated; }) }
      ]
    });
  }
  var ranking = data("ranking-data");
  if (ranking) {
    var rows = ranking.slice().reverse();
    chart("ranking-chart", {
      aria: { enabled: true },
      grid: { left: 120 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", min: function (v) { return Math.max(0, Math.floor(v.min - 2)); }, max: 100,
               axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
      series: [{ name: labels.satisfaction, type: "bar", data: rows.map(function (r) {
        return r.rate === null ? 0 : +(r.rate * 100).toFixed(2); }) }]
    });
  }
})();
