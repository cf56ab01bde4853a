import Hummingbird

/// The one stylesheet and the one script, served from the binary (no CDN, no build step).
enum StaticRoutes {
    static func add(to router: Router<ConsoleContext>) {
        router.get("/static/console.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: StaticFiles.css)))
        }
        router.get("/static/console.js") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "max-age=3600"],
                body: .init(byteBuffer: ByteBuffer(string: StaticFiles.javascript)))
        }
    }
}

enum StaticFiles {
    static let css = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1c2127; background: #f6f7f9; }
        header { background: #1c2127; color: #fff; padding: 6px 16px; }
        header nav { display: flex; gap: 14px; align-items: center; }
        header a { color: #cfd6de; text-decoration: none; }
        header a.current { color: #fff; border-bottom: 2px solid #4c90f0; }
        .logout { margin-left: auto; display: flex; gap: 8px; align-items: center; }
        .live { color: #72ca9b; }
        main { padding: 12px 20px; }
        table { border-collapse: collapse; background: #fff; margin: 6px 0 16px; }
        th, td { border-bottom: 1px solid #e5e8eb; padding: 3px 8px; text-align: left; vertical-align: top; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; }
        .big { font-size: 1.4em; font-weight: 600; }
        .filters { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
        .error { color: #ac2f33; font-weight: 600; }
        tr.conflict td { background: #fbe8d3; }
        .login main { max-width: 320px; margin: 80px auto; }
        .login form { display: grid; gap: 8px; }
        .map-frame { border: 1px solid #c5cbd3; background: #fff; height: 75vh; overflow: hidden; }
        svg.map { width: 100%; height: 100%; cursor: grab; }
        .band-bg { fill: #f2f4f7; stroke: #d3d8de; }
        .band[data-level="3.5"] .band-bg { fill: #fff7e6; }
        .band-label { font-weight: 600; fill: #404854; }
        .subnet rect { fill: #fff; stroke: #abb3bf; }
        .subnet-label { font-size: 11px; fill: #5f6b7c; }
        .node circle { fill: #2d72d2; stroke: #fff; }
        .node:hover circle { fill: #ac2f33; }
        .count { font-size: 11px; text-anchor: middle; fill: #fff; pointer-events: none; }
        .edge { stroke-width: 1.2; opacity: 0.7; }
        .edge.ot { stroke: #d9822b; } .edge.infrastructure { stroke: #8f99a8; } .edge.it { stroke: #2d72d2; }
        .edge.risky { stroke: #cd4246; stroke-width: 3; stroke-dasharray: 6 3; opacity: 1; }
        .key { padding: 0 6px; border-left: 12px solid; }
        .key.ot { border-color: #d9822b; } .key.infrastructure { border-color: #8f99a8; }
        .key.it { border-color: #2d72d2; } .key.risky { border-color: #cd4246; }
        td.violation, span.violation { background: #fde2e1; color: #8a1c1c; font-weight: 600; }
        """

    /// Map zoom and pan, and live updates over server-sent events. No inline script anywhere
    /// (the content security policy allows only this file).
    static let javascript = """
        "use strict";
        document.addEventListener("DOMContentLoaded", function () {
          var svg = document.getElementById("map");
          if (svg) {
            var view = svg.viewBox.baseVal, start = {x: view.x, y: view.y, w: view.width, h: view.height}, drag = null;
            var scale = function () { return view.width / svg.clientWidth; };
            svg.addEventListener("wheel", function (e) {
              e.preventDefault();
              var f = e.deltaY < 0 ? 0.8 : 1.25, r = svg.getBoundingClientRect();
              var px = view.x + (e.clientX - r.left) * scale(), py = view.y + (e.clientY - r.top) * scale();
              view.x = px - (px - view.x) * f; view.y = py - (py - view.y) * f;
              view.width *= f; view.height *= f;
            }, {passive: false});
            svg.addEventListener("mousedown", function (e) { drag = {x: e.clientX, y: e.clientY}; });
            window.addEventListener("mouseup", function () { drag = null; });
            window.addEventListener("mousemove", function (e) {
              if (!drag) return;
              view.x -= (e.clientX - drag.x) * scale(); view.y -= (e.clientY - drag.y) * scale();
              drag = {x: e.clientX, y: e.clientY};
            });
            svg.addEventListener("dblclick", function () {
              view.x = start.x; view.y = start.y; view.width = start.w; view.height = start.h;
            });
          }
          var live = document.getElementById("live");
          if (live && window.EventSource) {
            var source = new EventSource("/api/events"), seen = 0, alerts = 0;
            var list = document.getElementById("changes");
            var status = function () {
              live.textContent = "live: " + seen + " new" + (alerts ? ", " + alerts + " new alert" + (alerts > 1 ? "s" : "") : "");
            };
            source.addEventListener("alert", function (e) {
              alerts += 1;
              status();
              var alert = JSON.parse(e.data);
              live.title = "latest alert: " + alert.severity + " " + alert.title;
            });
            var show = function (e) {
              seen += 1;
              status();
              if (!list) return;
              var change = JSON.parse(e.data), item = document.createElement("li");
              item.textContent = change.time + " " + change.text;
              list.insertBefore(item, list.firstChild);
              while (list.children.length > 50) list.removeChild(list.lastChild);
            };
            source.addEventListener("asset", show);
            source.addEventListener("change", show);
            source.onerror = function () { live.textContent = "live: reconnecting"; };
          }
        });
        """
}
