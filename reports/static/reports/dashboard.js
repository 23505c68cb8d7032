/* The dashboard's charts (Apache ECharts, served by the app). Each chart reads its data from a JSON
   script element (data-chart-data names it): categories, series and, per series, the URL of the list
   behind each value. Clicking a bar, a slice or a point opens that list; ECharts' aria option
   describes the chart to a screen reader, and the same figures are in the table under it. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    return;
  }
  var charts = [];

  function narrow() {
    return window.innerWidth < 576;
  }

  function option(data) {
    var base = {
      aria: { enabled: true, label: { enabled: true, description: data.description } },
      // The tooltip drawn on the canvas: its HTML form carries inline styles the CSP refuses.
      tooltip: { trigger: data.kind === "bar" || data.kind === "line" ? "axis" : "item", confine: true, renderMode: "richText" },
      legend: { top: 0, type: "scroll" },
      animation: false
    };
    if (data.kind === "pie") {
      base.series = [{
        type: "pie",
        name: data.series[0].name,
        radius: narrow() ? ["25%", "55%"] : ["35%", "65%"],
        top: 30,
        label: { show: !narrow() },
        data: data.categories.map(function (name, i) { return { name: name, value: data.series[0].data[i] }; })
      }];
      return base;
    }
    var many = data.categories.length > 6 || narrow();
    base.grid = { left: 8, right: 8, bottom: 8, top: 40, containLabel: true };
    base.xAxis = {
      type: "category",
      data: data.categories,
      axisLabel: { interval: 0, rotate: many ? 35 : 0, hideOverlap: true }
    };
    base.yAxis = {
      type: "value",
      max: data.unit === "%" ? 100 : null,
      axisLabel: { formatter: "{value}" + (data.unit === "%" ? "%" : "") }
    };
    base.series = data.series.map(function (series) {
      var item = { type: data.kind === "line" ? "line" : "bar", name: series.name, data: series.data };
      if (data.kind === "bar") {
        item.label = { show: data.categories.length <= 8 && !narrow(), position: "top" };
        if (data.stacked) {
          item.stack = "total";
        }
      }
      return item;
    });
    return base;
  }

  function linkOf(data, params) {
    var series = data.series[params.seriesIndex] || data.series[0];
    return series && series.links ? series.links[params.dataIndex] : null;
  }

  document.querySelectorAll("[data-chart-data]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-chart-data"));
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    element.style.height = narrow() ? "260px" : "320px";
    element.style.width = "100%";
    var chart = echarts.init(element);
    chart.setOption(option(data));
    chart.on("click", function (params) {
      var url = linkOf(data, params);
      if (url) {
        window.location.assign(url);
      }
    });
    charts.push({ chart: chart, data: data, element: element });
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (item) {
      item.element.style.height = narrow() ? "260px" : "320px";
      item.chart.setOption(option(item.data), true);
      item.chart.resize();
    });
  });
})();
