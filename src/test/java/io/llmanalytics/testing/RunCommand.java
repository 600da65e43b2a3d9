package io.llmanalytics.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The run command's JVM options: {@code DEFAULT_JAVA_OPTS} in {@code bin/lib.sh}, which {@code bin/start} uses. */
public final class RunCommand {

    private static final Pattern DEFAULT_JAVA_OPTS = Pattern.compile("DEFAULT_JAVA_OPTS=\"([^\"]*)\"");

    private RunCommand() {}

    /** The options word by word, as {@code libSh} (the text of bin/lib.sh) writes them: {@code $ROOT} unexpanded. */
    public static List<String> defaultJavaOpts(String libSh) {
        Matcher m = DEFAULT_JAVA_OPTS.matcher(libSh);
        if (!m.find()) {
            throw new IllegalStateException("bin/lib.sh sets no DEFAULT_JAVA_OPTS");
        }
        return List.of(m.group(1).replace("\\\n", " ").trim().split("\\s+"));
    }

    /** The options of the repository at {@code root}, with {@code $ROOT} expanded to it as bin/lib.sh does. */
    public static List<String> jvmOptions(Path root) {
        try {
            String dir = root.toAbsolutePath().toString();
            return defaultJavaOpts(Files.readString(root.resolve("bin/lib.sh"))).stream()
                    .map(option -> option.replace("$ROOT", dir))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
