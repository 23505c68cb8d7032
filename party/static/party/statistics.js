/* The party statistics charts (Apache ECharts, served by the app). Each chart reads its data from a
   JSON script element (data-chart-data names it) and carries ECharts' aria description, so a screen
   reader hears what the chart shows; the same figures are in the table under it. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    return;
  }
  var charts = [];

  function option(data) {
    var base = {
      aria: { enabled: true, label: { enabled: true, description: data.description } },
      tooltip: { trigger: data.kind === "pie" ? "item" : "axis" },
      legend: { top: 0 },
      animation: false
    };
    if (data.kind === "pie") {
      base.series = [{
        type: "pie",
        name: data.series[0].name,
        radius: ["35%", "65%"],
        top: 30,
        data: data.categories.map(function (name, i) { return { name: name, value: data.series[0].data[i] }; })
      }];
      return base;
    }
    base.grid = { left: 8, right: 8, bottom: 8, top: 40, containLabel: true };
    base.xAxis = { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 } };
    base.yAxis = { type: "value", max: data.unit === "%" ? 100 : null, axisLabel: { formatter: "{value}" + data.unit } };
    base.series = data.series.map(function (series) {
      return { type: "bar", name: series.name, data: series.data, label: { show: data.categories.length <= 8, position: "top" } };
    });
    return base;
  }

  document.querySelectorAll("[data-chart-data]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-chart-data"));
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    element.style.height = "320px";
    element.style.width = "100%";
    var chart = echarts.init(element);
    chart.setOption(option(data));
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
