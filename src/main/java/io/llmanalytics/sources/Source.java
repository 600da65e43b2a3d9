package io.llmanalytics.sources;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One named connection set by the operator. Its URL, user and password never leave this object except towards the
 * driver: {@link #toString()} names only the source.
 *
 * @param name the name end users choose it by
 * @param kind the database
 * @param url the JDBC URL
 * @param username the user, if any
 * @param password the password, if given directly
 * @param passwordFile a file holding the password (read at each connection, so a rotated Secret is picked up)
 * @param tables the tables allowed ({@code schema.table}, lower case); empty = every table the user can read
 */
public record Source(
        String name,
        SourceKind kind,
        String url,
        Optional<String> username,
        Optional<String> password,
        Optional<Path> passwordFile,
        List<String> tables) {

    /** The password to send: the file's first line when a file is set, else the direct value. */
    Optional<String> secret() {
        if (passwordFile.isPresent()) {
            try {
                String text = Files.readString(passwordFile.get(), StandardCharsets.UTF_8);
                int end = text.indexOf('\n');
                return Optional.of(end < 0 ? text : text.substring(0, end).replace("\r", ""));
            } catch (IOException e) {
                throw new ProblemException(
                        ProblemType.SOURCE_UNAVAILABLE,
                        "The password file of source '" + name + "' cannot be read; the operator must fix it.");
            }
        }
        return password;
    }

    /** Whether the operator limited the tables, and {@code qualified} ({@code schema.table}) is among them. */
    boolean allows(String qualified) {
        return tables.isEmpty() || tables.contains(qualified.toLowerCase(Locale.ROOT));
    }

    /** Text that must never appear in a response or log: the URL's host part, the user and the password. */
    List<String> secrets() {
        ArrayList<String> out = new ArrayList<>();
        username.filter(u -> u.length() >= 2).ifPresent(out::add);
        password.filter(p -> !p.isEmpty()).ifPresent(out::add);
        String rest = url.replaceFirst("(?i)^jdbc:[a-z]+:(//)?", "");
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        if (!authority.isBlank() && kind != SourceKind.SQLITE) {
            out.add(authority);
            int at = authority.lastIndexOf('@');
            String hostPort = at < 0 ? authority : authority.substring(at + 1);
            out.add(hostPort);
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0) {
                out.add(hostPort.substring(0, colon));
            }
        }
        if (kind == SourceKind.SQLITE && !rest.isBlank()) {
            out.add(rest);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Source[" + name + ", " + kind.label() + "]";
    }
}
