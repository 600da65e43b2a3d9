package io.llmanalytics.export.report;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * plotly.js as the HTML report inlines it: read once from the class path, where the build puts the copy it gets from
 * the npm registry ({@code META-INF/resources/vendor/plotly.min.js}; never committed), and made safe to stand inside
 * a {@code <script>} element of a file that names no external address: every {@code ://} becomes {@code :\/\/}
 * (the same text in the library's strings and regular expressions; the library has such addresses only in map
 * attributions and tile defaults, which a report never uses), and {@code <!--} and {@code </script} are written with
 * {@code \x3C} (the library has them only inside strings). A build without the file (no npm at build time) gives
 * reports whose charts are their PNG images.
 */
@ApplicationScoped
public class PlotlyScript {

    /** Where the build puts plotly.js on the class path. */
    public static final String RESOURCE = "META-INF/resources/vendor/plotly.min.js";

    private volatile Optional<String> script;

    /** The script text, or empty when this build has no plotly.js. */
    public Optional<String> text() {
        Optional<String> s = script;
        if (s == null) {
            synchronized (this) {
                if (script == null) {
                    script = read().map(PlotlyScript::inlineSafe);
                }
                s = script;
            }
        }
        return s;
    }

    static String inlineSafe(String source) {
        return source.replace("://", ":\\/\\/").replace("<!--", "\\x3C!--").replace("</script", "\\x3C/script");
    }

    private static Optional<String> read() {
        try (InputStream in = PlotlyScript.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                Log.warnf("No %s in this build: HTML reports show charts as images only", RESOURCE);
                return Optional.empty();
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
