package io.llmanalytics.export.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.session.DatasetDocument;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A session's report as one self-contained HTML file: no external address anywhere (images are {@code data:} URLs,
 * styles and scripts inline, a Content-Security-Policy that allows no fetch at all). Every text that came from a
 * person, a file or a model is escaped. A chart with an interactive form is drawn by plotly.js (inlined once, only
 * when some chart needs it) from its spec, embedded as {@code application/json} data that no browser runs, with its
 * PNG beside it for printing and as the fallback; the spec's text values are written as Plotly shows literal text
 * (its pseudo-HTML tags escaped), and specs that would load map tiles or outlines from the network stay PNG.
 */
final class HtmlReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Trace types whose drawing fetches tiles or outlines from the network. */
    private static final Set<String> NETWORK_TRACES = Set.of(
            "scattergeo",
            "choropleth",
            "scattermapbox",
            "choroplethmapbox",
            "densitymapbox",
            "scattermap",
            "choroplethmap",
            "densitymap");

    private static final String STYLE = """
            :root { color-scheme: light; --ink: #1d2330; --muted: #5b6577; --line: #d8dde6; --accent: #2f5bd3; }
            * { box-sizing: border-box; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
              margin: 0 auto; max-width: 1040px; padding: 24px; line-height: 1.45; }
            h1 { margin: 0 0 4px; font-size: 1.7rem; } h2 { font-size: 1.25rem; margin: 0 0 8px; }
            .meta, .note, .reading { color: var(--muted); }
            .toc ol { padding-left: 1.4em; } .toc a { color: var(--accent); text-decoration: none; }
            table { border-collapse: collapse; margin: 8px 0; font-size: .9rem; }
            th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
            th { background: #f3f5f9; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .question { border-top: 2px solid var(--line); padding-top: 16px; margin-top: 24px; }
            .answer { white-space: pre-wrap; } .failed .answer { color: #9b2c2c; }
            .chart { margin: 12px 0; } .chart .plot { width: 100%; min-height: 420px; display: none; }
            .chart.live .plot { display: block; } .chart.live .chart-png { display: none; }
            .chart-png { max-width: 100%; height: auto; border: 1px solid var(--line); }
            pre { background: #f6f8fa; padding: 10px; overflow-x: auto; white-space: pre-wrap; font-size: .85rem; }
            details summary { cursor: pointer; color: var(--accent); }
            @media print {
              body { max-width: none; padding: 0; }
              .toc { page-break-after: always; }
              .question { page-break-before: always; border-top: none; }
              .chart .plot, .chart.live .plot { display: none !important; }
              .chart .chart-png, .chart.live .chart-png { display: block !important; max-height: 18cm; }
              details { display: none; }
              table { page-break-inside: auto; } tr { page-break-inside: avoid; } thead { display: table-header-group; }
            }
            """;

    /** Draws every chart whose spec is embedded; a chart that fails keeps its PNG. */
    private static final String DRAW = """
            (function () {
              if (!window.Plotly) { return; }
              var specs = document.querySelectorAll('script.chart-spec');
              for (var i = 0; i < specs.length; i++) {
                var s = specs[i], box = document.getElementById(s.getAttribute('data-chart'));
                if (!box) { continue; }
                try {
                  var fig = JSON.parse(s.textContent);
                  box.classList.add('live');
                  Plotly.newPlot(box.querySelector('.plot'), fig.data || [], fig.layout || {},
                    { responsive: true, displaylogo: false }).catch(function (b) { return function () {
                      b.classList.remove('live'); }; }(box));
                } catch (e) { box.classList.remove('live'); }
              }
            })();
            """;

    private final Report report;
    private final ReportConfig config;
    private final PlotlyScript plotly;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    HtmlReport(Report report, ReportConfig config, PlotlyScript plotly) {
        this.report = report;
        this.config = config;
        this.plotly = plotly;
    }

    byte[] write() {
        Optional<String> library =
                report.entries().stream().flatMap(e -> e.charts().stream()).anyMatch(c -> spec(c) != null)
                        ? plotly.text()
                        : Optional.empty();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append(
                        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data: blob:;")
                .append(" style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>")
                .append(esc(report.title()))
                .append(" · report</title>\n<style>")
                .append(STYLE)
                .append("</style>\n</head>\n<body>\n<header>\n<h1>")
                .append(esc(report.title()))
                .append("</h1>\n<p class=\"meta\">Session created ")
                .append(ReportText.date(report.createdAt()))
                .append(" · ")
                .append(report.entries().size())
                .append(report.entries().size() == 1 ? " question" : " questions")
                .append("</p>\n</header>\n");
        contents();
        datasets();
        for (Report.Entry entry : report.entries()) {
            entry(entry, library.isPresent());
        }
        out.append("<p class=\"note\">End of report.</p>\n");
        if (library.isPresent()) {
            out.append("<script>")
                    .append(library.get())
                    .append("</script>\n<script>")
                    .append(DRAW)
                    .append("</script>\n");
        }
        out.append("</body>\n</html>\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void contents() {
        out.append("<nav class=\"toc\">\n<h2>Contents</h2>\n<p><a href=\"#datasets\">Datasets</a></p>\n<ol>\n");
        for (Report.Entry e : report.entries()) {
            out.append("<li><a href=\"#q")
                    .append(e.number())
                    .append("\">")
                    .append(esc(oneLine(e.question())))
                    .append("</a></li>\n");
        }
        out.append("</ol>\n</nav>\n");
    }

    private void datasets() {
        out.append("<section id=\"datasets\" class=\"datasets\">\n<h2>Datasets</h2>\n");
        for (DatasetDocument d : report.datasets()) {
            out.append("<h3>")
                    .append(esc(d.name()))
                    .append(d.isDefault() ? " <span class=\"note\">(df)</span>" : "")
                    .append("</h3>\n<p class=\"meta\">")
                    .append(d.schema().rows())
                    .append(" rows · ")
                    .append(d.schema().columns().size())
                    .append(" columns</p>\n");
            String description = d.dataDictionary().description();
            if (description != null && !description.isBlank()) {
                out.append("<p class=\"description\">").append(esc(description)).append("</p>\n");
            }
            out.append("<table class=\"profile\">\n<thead><tr>");
            ReportText.PROFILE_HEADER.forEach(h -> out.append("<th>").append(h).append("</th>"));
            out.append("</tr></thead>\n<tbody>\n");
            for (ColumnSchema c : d.schema().columns()) {
                row(ReportText.profile(c, d.dataDictionary()));
            }
            out.append("</tbody>\n</table>\n");
        }
        out.append("</section>\n");
    }

    private void entry(Report.Entry e, boolean interactive) {
        out.append("<section class=\"question")
                .append(e.failed() ? " failed" : "")
                .append("\" id=\"q")
                .append(e.number())
                .append("\">\n<h2>")
                .append(e.number())
                .append(". ")
                .append(esc(ReportText.bounded(e.question(), config.maxTextChars())))
                .append("</h2>\n");
        if (e.reading() != null && !e.reading().isBlank()) {
            out.append("<p class=\"reading\">Reading: ")
                    .append(esc(ReportText.bounded(e.reading(), config.maxTextChars())))
                    .append("</p>\n");
        }
        if (e.answer() != null && !e.answer().isBlank()) {
            out.append("<div class=\"answer\">")
                    .append(esc(ReportText.bounded(e.answer().strip(), config.maxTextChars())))
                    .append("</div>\n");
        }
        for (int n = 0; n < e.charts().size(); n++) {
            chart(e, n, e.charts().get(n), interactive);
        }
        if (!e.failed()) {
            result(e.result());
        }
        if (e.code() != null && !e.code().isBlank()) {
            out.append("<details class=\"code\"><summary>Code</summary>\n<pre><code>")
                    .append(esc(ReportText.bounded(e.code().strip(), config.maxTextChars())))
                    .append("</code></pre>\n</details>\n");
        }
        out.append("</section>\n");
    }

    private void chart(Report.Entry e, int n, Report.ChartImage chart, boolean interactive) {
        String spec = interactive ? spec(chart) : null;
        long size = (chart.hasImage() ? chart.image().length * 4L / 3 : 0) + (spec == null ? 0 : spec.length());
        if (out.length() + size > config.maxBytes()) {
            out.append("<p class=\"note\">Chart ")
                    .append(n + 1)
                    .append(" left out: the report reached its size limit.</p>\n");
            return;
        }
        String id = "chart-" + e.number() + "-" + n;
        out.append("<figure class=\"chart\" id=\"").append(id).append("\">");
        if (spec != null) {
            out.append("<div class=\"plot\"></div>");
        }
        if (chart.hasImage()) {
            out.append("<img class=\"chart-png\" alt=\"Chart ")
                    .append(n + 1)
                    .append(" of question ")
                    .append(e.number())
                    .append("\" src=\"data:")
                    .append(esc(chart.mime()))
                    .append(";base64,")
                    .append(Base64.getEncoder().encodeToString(chart.image()))
                    .append("\">");
        } else if (spec == null) {
            out.append("<p class=\"note\">(This chart's image is not kept.)</p>");
        }
        out.append("</figure>\n");
        if (spec != null) {
            out.append("<script type=\"application/json\" class=\"chart-spec\" data-chart=\"")
                    .append(id)
                    .append("\">")
                    .append(spec)
                    .append("</script>\n");
        }
    }

    private void result(JsonNode result) {
        Optional<ReportText.Table> table = ReportText.table(result, config.maxTableRows());
        if (table.isPresent()) {
            out.append("<table class=\"result\">\n<thead><tr>");
            table.get().header().forEach(h -> out.append("<th>").append(esc(h)).append("</th>"));
            out.append("</tr></thead>\n<tbody>\n");
            table.get().rows().forEach(this::row);
            out.append("</tbody>\n</table>\n");
            if (table.get().leftOut() > 0) {
                out.append("<p class=\"note\">")
                        .append(esc(table.get().leftOutNote()))
                        .append("</p>\n");
            }
            return;
        }
        String text = ReportText.plain(result);
        if (text != null) {
            out.append("<pre class=\"result\">")
                    .append(esc(ReportText.bounded(text, config.maxTextChars())))
                    .append("</pre>\n");
        }
    }

    private void row(List<String> cells) {
        out.append("<tr>");
        for (String c : cells) {
            out.append(isNumber(c) ? "<td class=\"num\">" : "<td>")
                    .append(esc(c))
                    .append("</td>");
        }
        out.append("</tr>\n");
    }

    /**
     * A chart's spec as it is embedded: a Plotly figure with a {@code data} list, every text value escaped for
     * Plotly's pseudo-HTML, images and map settings removed from its layout, written so that no {@code <}, {@code >}
     * or {@code &} stands in the page; null when it has none, is not a figure, or would draw from the network.
     */
    static String spec(Report.ChartImage chart) {
        if (!chart.hasSpec()) {
            return null;
        }
        JsonNode figure;
        try {
            figure = JSON.readTree(chart.specJson());
        } catch (JsonProcessingException e) {
            return null;
        }
        if (figure == null || !figure.isObject() || !figure.path("data").isArray()) {
            return null;
        }
        for (JsonNode trace : figure.path("data")) {
            if (NETWORK_TRACES.contains(trace.path("type").asText(""))) {
                return null;
            }
        }
        ObjectNode safe = JSON.createObjectNode();
        safe.set("data", literal(figure.get("data")));
        JsonNode layout = figure.path("layout");
        if (layout.isObject()) {
            ObjectNode l = (ObjectNode) literal(layout);
            offline(l);
            if (l.path("template").path("layout").isObject()) {
                offline((ObjectNode) l.path("template").path("layout"));
            }
            safe.set("layout", l);
        }
        try {
            return JSON.writeValueAsString(safe)
                    .replace("<", "\\u003c")
                    .replace(">", "\\u003e")
                    .replace("&", "\\u0026")
                    .replace("\u2028", "\\u2028")
                    .replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void offline(ObjectNode layout) {
        layout.remove(List.of("images", "mapbox", "map", "geo"));
    }

    /** A copy in which every text value shows as itself in Plotly (whose labels understand a few HTML tags). */
    private static JsonNode literal(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(
                    node.asText().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(literal(item)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                copy.set(f.getKey(), literal(f.getValue()));
            }
            return copy;
        }
        return node;
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.matches("-?\\d[\\d.,eE+-]*");
    }

    private static String oneLine(String s) {
        String line = s == null ? "" : s.strip().replaceAll("\\s+", " ");
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
