// 12345 hot spots: three ECharts charts from the JSON the page renders; tables hold the same.
(function () {
  function data(id) { var n = document.getElementById(id); return n ? JSON.parse(n.textContent) : null; }
  function chart(id, option) {
    var node = document.getElementById(id);
    if (!node || !window.echarts) return;
    var c = window.echarts.init(node, null, { renderer: "svg" });
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  var weekly = data("weekly-data") || [];
  chart("weekly-chart", {
    aria: { enabled: true }, tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: weekly.map(function (w) { return w.week; }) },
    yAxis: { type: "value" },
    series: [{ type: "line", smooth: true, areaStyle: {}, data: weekly.map(function (w) { return w.n; }) }]
  });
  var districts = data("district-data") || [];
  chart("district-chart", {
    aria: { enabled: true }, tooltip: { trigger: "axis" }, legend: { type: "scroll", bottom: 0 },
    grid: { bottom: 60 },
    xAxis: { type: "category", data: weekly.map(function (w) { return w.week; }) },
    yAxis: { type: "value" },
    series: districts.map(function (d) { return { name: d.name, type: "line", data: d.data }; })
  });
  var cats = (data("category-data") || []).slice().reverse();
  chart("category-chart", {
    aria: { enabled: true }, grid: { left: 140 }, tooltip: { trigger: "axis" },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: cats.map(function (c) { return c.name; }) },
    series: [{ type: "bar", data: cats.map(function (c) { return c.n; }) }]
  });
})();
