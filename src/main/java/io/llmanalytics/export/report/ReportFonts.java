package io.llmanalytics.export.report;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The PDF report's fonts, DejaVu Sans and DejaVu Sans Mono (Latin, Greek, Cyrillic and more; from Debian's
 * {@code fonts-dejavu-core}, whose licence permits redistribution: {@code fonts/DejaVu-LICENSE.txt}), bundled on the
 * class path so that a container or a native executable needs no system fonts and nothing looks for fonts at run
 * time. Read once; each PDF embeds the subset it uses.
 */
@ApplicationScoped
public class ReportFonts {

    static final String SANS = "fonts/DejaVuSans.ttf";
    static final String MONO = "fonts/DejaVuSansMono.ttf";

    private volatile byte[] sans;
    private volatile byte[] mono;

    /** The TrueType bytes of DejaVu Sans. */
    public byte[] sans() {
        byte[] s = sans;
        if (s == null) {
            s = sans = read(SANS);
        }
        return s;
    }

    /** The TrueType bytes of DejaVu Sans Mono. */
    public byte[] mono() {
        byte[] m = mono;
        if (m == null) {
            m = mono = read(MONO);
        }
        return m;
    }

    private static byte[] read(String resource) {
        try (InputStream in = ReportFonts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The font " + resource + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
