package io.llmanalytics.export.report;

import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.session.DatasetDocument;
import io.quarkus.logging.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * A session's report as a PDF (Apache PDFBox): a title page with the table of contents (each question with its page
 * number), the datasets with their profiles, then each question on a new page with its reading, answer, charts
 * (their PNG scaled to the page), result table (paginated, its header repeated on each page) and code in a monospace
 * font. Text is set in the bundled DejaVu fonts, embedded as subsets; a character neither font has becomes U+FFFD
 * (never an exception). Blocking: call it on a worker thread.
 */
final class PdfReport {

    private static final PDRectangle PAGE = PDRectangle.A4;
    private static final float MARGIN = 50;
    private static final float WIDTH = PAGE.getWidth() - 2 * MARGIN;
    private static final float TOP = PAGE.getHeight() - MARGIN;
    private static final float BOTTOM = MARGIN + 20;
    private static final float BODY = 10;
    private static final float SMALL = 8.5f;
    private static final float CODE = 8;
    private static final float CELL_PAD = 3;
    private static final int MAX_TABLE_COLUMNS = 8;
    private static final int TOC_FIRST_PAGE_LINES = 38;
    private static final int TOC_LINES = 48;

    private final Report report;
    private final ReportConfig config;
    private final ReportFonts fonts;

    private PDDocument doc;
    private PDType0Font sans;
    private PDType0Font mono;
    private CmapLookup sansMap;
    private CmapLookup monoMap;
    private PDPageContentStream content;
    private PDPage page;
    private float y;

    PdfReport(Report report, ReportConfig config, ReportFonts fonts) {
        this.report = report;
        this.config = config;
        this.fonts = fonts;
    }

    byte[] write() {
        try (PDDocument document = new PDDocument();
                TrueTypeFont sansFont = new TTFParser().parse(new RandomAccessReadBuffer(fonts.sans()));
                TrueTypeFont monoFont = new TTFParser().parse(new RandomAccessReadBuffer(fonts.mono()))) {
            doc = document;
            sans = PDType0Font.load(doc, sansFont, true);
            mono = PDType0Font.load(doc, monoFont, true);
            sansMap = sansFont.getUnicodeCmapLookup();
            monoMap = monoFont.getUnicodeCmapLookup();
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(clean(report.title(), sansMap) + " · report");
            info.setCreator("LLM Analytics");

            int entries = report.entries().size();
            int tocPages = entries + 1 <= TOC_FIRST_PAGE_LINES
                    ? 1
                    : 1 + (int) Math.ceil((entries + 1 - TOC_FIRST_PAGE_LINES) / (double) TOC_LINES);
            newPage();
            datasets();
            int[] pageOf = new int[entries];
            for (int i = 0; i < entries; i++) {
                newPage();
                pageOf[i] = tocPages + doc.getNumberOfPages();
                entry(report.entries().get(i));
            }
            close();
            PDPage firstContent = doc.getPage(0);
            contents(tocPages, pageOf, firstContent);
            footers();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- title page and contents, written last and put first

    private void contents(int tocPages, int[] pageOf, PDPage before) throws IOException {
        List<PDPage> pages = new ArrayList<>();
        PDPage toc = new PDPage(PAGE);
        pages.add(toc);
        content = new PDPageContentStream(doc, toc);
        y = TOP;
        line(fit(clean(report.title(), sansMap), sans, 20, WIDTH), sans, 20, MARGIN);
        y -= 6;
        line(
                "Session created " + ReportText.date(report.createdAt()) + " · "
                        + report.entries().size() + (report.entries().size() == 1 ? " question" : " questions"),
                sans,
                BODY,
                MARGIN);
        y -= 16;
        line("Contents", sans, 14, MARGIN);
        y -= 12;
        tocLine("Datasets", tocPages + 1);
        int onPage = 1;
        for (int i = 0; i < pageOf.length; i++) {
            if (onPage >= (pages.size() == 1 ? TOC_FIRST_PAGE_LINES : TOC_LINES)) {
                content.close();
                toc = new PDPage(PAGE);
                pages.add(toc);
                content = new PDPageContentStream(doc, toc);
                y = TOP - BODY;
                onPage = 0;
            }
            Report.Entry e = report.entries().get(i);
            tocLine(e.number() + ". " + e.question().strip().replaceAll("\\s+", " "), pageOf[i]);
            onPage++;
        }
        content.close();
        content = null;
        for (PDPage p : pages) {
            doc.getPages().insertBefore(p, before);
        }
        if (pages.size() != tocPages) {
            Log.warnf("Report contents took %d pages, %d planned: its page numbers are off", pages.size(), tocPages);
        }
    }

    private void tocLine(String text, int pageNumber) throws IOException {
        String number = Integer.toString(pageNumber);
        float numberWidth = width(number, sans, BODY);
        String fitted = fit(clean(text, sansMap), sans, BODY, WIDTH - numberWidth - 16);
        text(fitted, sans, BODY, MARGIN, y);
        text(number, sans, BODY, MARGIN + WIDTH - numberWidth, y);
        y -= BODY * 1.45f;
    }

    private void footers() throws IOException {
        int total = doc.getNumberOfPages();
        for (int i = 0; i < total; i++) {
            try (PDPageContentStream footer =
                    new PDPageContentStream(doc, doc.getPage(i), PDPageContentStream.AppendMode.APPEND, true, true)) {
                String label = (i + 1) + " / " + total;
                footer.beginText();
                footer.setFont(sans, SMALL);
                footer.newLineAtOffset(MARGIN + WIDTH - width(label, sans, SMALL), MARGIN - 10);
                footer.showText(label);
                footer.endText();
            }
        }
    }

    // --- datasets and questions

    private void datasets() throws IOException {
        heading("Datasets", 16);
        for (DatasetDocument d : report.datasets()) {
            space(8);
            heading(d.name() + (d.isDefault() ? " (df)" : ""), 12);
            paragraph(d.schema().rows() + " rows · " + d.schema().columns().size() + " columns", sans, BODY, WIDTH, 4);
            String description = d.dataDictionary().description();
            if (description != null && !description.isBlank()) {
                paragraph(description, sans, BODY, WIDTH, 4);
            }
            // the profile as a table; what the columns mean below it, as wrapped text (a cell would cut it short)
            int meaning = ReportText.PROFILE_HEADER.size() - 1;
            List<List<String>> rows = new ArrayList<>();
            List<String> meanings = new ArrayList<>();
            for (ColumnSchema c : d.schema().columns()) {
                List<String> row = ReportText.profile(c, d.dataDictionary());
                rows.add(row.subList(0, meaning));
                if (!row.get(meaning).isEmpty()) {
                    meanings.add(c.name() + ": " + row.get(meaning));
                }
            }
            table(ReportText.PROFILE_HEADER.subList(0, meaning), rows);
            for (String m : meanings) {
                paragraph(m, sans, BODY, WIDTH, 2);
            }
        }
    }

    private void entry(Report.Entry e) throws IOException {
        heading(e.number() + ". " + ReportText.bounded(e.question().strip(), config.maxTextChars()), 14);
        if (e.reading() != null && !e.reading().isBlank()) {
            paragraph("Reading: " + ReportText.bounded(e.reading(), config.maxTextChars()), sans, SMALL, WIDTH, 6);
        }
        if (e.answer() != null && !e.answer().isBlank()) {
            paragraph(ReportText.bounded(e.answer().strip(), config.maxTextChars()), sans, BODY, WIDTH, 8);
        }
        for (Report.ChartImage chart : e.charts()) {
            image(chart);
        }
        if (!e.failed()) {
            Optional<ReportText.Table> table = ReportText.table(e.result(), config.maxTableRows());
            if (table.isPresent()) {
                table(table.get().header(), table.get().rows());
                if (table.get().leftOut() > 0) {
                    paragraph(table.get().leftOutNote(), sans, SMALL, WIDTH, 6);
                }
            } else {
                String text = ReportText.plain(e.result());
                if (text != null) {
                    paragraph(ReportText.bounded(text, config.maxTextChars()), mono, CODE, WIDTH, 8);
                }
            }
        }
        if (e.code() != null && !e.code().isBlank()) {
            space(4);
            paragraph("Code", sans, SMALL, WIDTH, 2);
            paragraph(ReportText.bounded(e.code().strip(), config.maxTextChars()), mono, CODE, WIDTH, 8);
        }
    }

    private void image(Report.ChartImage chart) throws IOException {
        if (!chart.hasImage() || !"image/png".equals(chart.mime()) && !"image/jpeg".equals(chart.mime())) {
            return;
        }
        PDImageXObject image;
        try {
            image = PDImageXObject.createFromByteArray(doc, chart.image(), "chart");
        } catch (IOException | IllegalArgumentException e) {
            paragraph("(A chart's image could not be read.)", sans, SMALL, WIDTH, 6);
            return;
        }
        float scale = Math.min(1f, Math.min(WIDTH / image.getWidth(), (TOP - BOTTOM) * 0.6f / image.getHeight()));
        float w = image.getWidth() * scale;
        float h = image.getHeight() * scale;
        if (y - h < BOTTOM) {
            newPage();
        }
        content.drawImage(image, MARGIN, y - h, w, h);
        y -= h + 10;
    }

    private void table(List<String> header, List<List<String>> rows) throws IOException {
        int shown = Math.min(header.size(), MAX_TABLE_COLUMNS);
        float colWidth = WIDTH / Math.max(1, shown);
        float rowHeight = SMALL + 2 * CELL_PAD + 1;
        List<String> head = header.subList(0, shown);
        if (y - 2 * rowHeight < BOTTOM) {
            newPage();
        }
        row(head, colWidth, rowHeight, true);
        for (List<String> r : rows) {
            if (y - rowHeight < BOTTOM) {
                newPage();
                row(head, colWidth, rowHeight, true);
            }
            row(r.subList(0, Math.min(shown, r.size())), colWidth, rowHeight, false);
        }
        if (header.size() > shown) {
            paragraph(
                    (header.size() - shown) + " more columns left out: "
                            + String.join(", ", header.subList(shown, header.size())),
                    sans,
                    SMALL,
                    WIDTH,
                    4);
        }
        y -= 6;
    }

    private void row(List<String> cells, float colWidth, float rowHeight, boolean header) throws IOException {
        if (header) {
            content.setNonStrokingColor(0.93f, 0.94f, 0.96f);
            content.addRect(MARGIN, y - rowHeight, colWidth * cells.size(), rowHeight);
            content.fill();
            content.setNonStrokingColor(0f, 0f, 0f);
        }
        content.setStrokingColor(0.8f, 0.82f, 0.86f);
        content.setLineWidth(0.5f);
        for (int i = 0; i < cells.size(); i++) {
            content.addRect(MARGIN + i * colWidth, y - rowHeight, colWidth, rowHeight);
        }
        content.stroke();
        for (int i = 0; i < cells.size(); i++) {
            String cell = fit(clean(cells.get(i), sansMap), sans, SMALL, colWidth - 2 * CELL_PAD);
            text(cell, sans, SMALL, MARGIN + i * colWidth + CELL_PAD, y - CELL_PAD - SMALL + 1);
        }
        y -= rowHeight;
    }

    // --- text layout

    private void heading(String text, float size) throws IOException {
        if (y - 3 * size < BOTTOM) {
            newPage();
        }
        paragraph(text, sans, size, WIDTH, 6);
    }

    /** Text wrapped to {@code width}, new pages as needed, then {@code after} points of space. */
    private void paragraph(String text, PDType0Font font, float size, float width, float after) throws IOException {
        CmapLookup map = font == mono ? monoMap : sansMap;
        for (String hard : clean(text, map).split("\n", -1)) {
            for (String l : wrap(hard, font, size, width)) {
                if (y - size < BOTTOM) {
                    newPage();
                }
                line(l, font, size, MARGIN);
            }
        }
        y -= after;
    }

    private void line(String text, PDType0Font font, float size, float x) throws IOException {
        text(text, font, size, x, y - size);
        y -= size * 1.35f;
    }

    private void text(String text, PDType0Font font, float size, float x, float baseline) throws IOException {
        if (text.isEmpty()) {
            return;
        }
        content.beginText();
        content.setFont(font, size);
        content.newLineAtOffset(x, baseline);
        content.showText(text);
        content.endText();
    }

    private List<String> wrap(String text, PDType0Font font, float size, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        if (text.isEmpty()) {
            lines.add("");
            return lines;
        }
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int end = i;
            while (end < text.length() && text.charAt(end) != ' ') {
                end++;
            }
            String word = text.substring(i, Math.min(text.length(), end + 1)); // with its space
            String candidate = current + word;
            if (width(candidate.stripTrailing(), font, size) <= width) {
                current.append(word);
            } else if (current.length() > 0) {
                lines.add(current.toString().stripTrailing());
                current.setLength(0);
                continue; // the word again, on a line of its own
            } else {
                // one word wider than the line: cut it
                int cut = word.length();
                while (cut > 1 && width(word.substring(0, cut), font, size) > width) {
                    cut = Math.max(1, cut * 3 / 4);
                }
                lines.add(word.substring(0, cut));
                i += cut;
                continue;
            }
            i = end + 1;
        }
        if (current.length() > 0 || lines.isEmpty()) {
            lines.add(current.toString().stripTrailing());
        }
        return lines;
    }

    private String fit(String text, PDType0Font font, float size, float width) throws IOException {
        String t = text.replace('\n', ' ');
        if (width(t, font, size) <= width) {
            return t;
        }
        int keep = t.length();
        while (keep > 0 && width(t.substring(0, keep) + "…", font, size) > width) {
            keep = keep * 4 / 5;
        }
        return keep == 0 ? "" : t.substring(0, keep) + "…";
    }

    private static float width(String text, PDType0Font font, float size) throws IOException {
        return font.getStringWidth(text) / 1000f * size;
    }

    /**
     * Text the font can show: tabs as spaces, other control characters dropped, lines kept, and every character the
     * font has no glyph for as U+FFFD.
     */
    static String clean(String text, CmapLookup map) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == '\n') {
                b.append('\n');
            } else if (cp == '\t') {
                b.append("    ");
            } else if (cp == '\r' || Character.isISOControl(cp)) {
                // dropped
            } else if (map.getGlyphId(cp) > 0) {
                b.appendCodePoint(cp);
            } else {
                b.append(map.getGlyphId(0xFFFD) > 0 ? '\uFFFD' : '?');
            }
        });
        return b.toString();
    }

    private void space(float points) {
        y -= points;
    }

    private void newPage() throws IOException {
        close();
        page = new PDPage(PAGE);
        doc.addPage(page);
        content = new PDPageContentStream(doc, page);
        y = TOP;
    }

    private void close() throws IOException {
        if (content != null) {
            content.close();
            content = null;
        }
    }
}
