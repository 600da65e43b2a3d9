package io.llmanalytics.sources;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A throwaway PostgreSQL or MariaDB server from Debian's packages, in a temporary directory, on a free loopback port,
 * run as {@code nobody} when the tests run as root (both servers refuse to run as root). Users: the superuser
 * ({@code postgres} / {@code root}) for fixtures, and {@value #USER}/{@value #PASSWORD} that the service connects as.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String USER = "analyst";
    public static final String PASSWORD = "s3cret-analyst-pw";
    public static final String DATABASE = "shop";

    public enum Kind {
        POSTGRESQL,
        MARIADB
    }

    private final Kind kind;
    private final Path dir;
    private final int port;
    private Process mariadb;

    private TestDatabase(Kind kind, Path dir, int port) {
        this.kind = kind;
        this.dir = dir;
        this.port = port;
    }

    public static TestDatabase start(Kind kind) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("srcdb-" + kind.name().toLowerCase() + "-");
        TestDatabase db = new TestDatabase(kind, dir, freePort());
        if (root()) {
            run(List.of("chown", "nobody", dir.toString()), dir.resolve("chown.log"), Duration.ofSeconds(20));
        }
        if (kind == Kind.POSTGRESQL) {
            db.startPostgres();
        } else {
            db.startMariadb();
        }
        return db;
    }

    public Kind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of the fixture database. */
    public String jdbcUrl() {
        return kind == Kind.POSTGRESQL
                ? "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE
                : "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** The SQLAlchemy URL pandas connects with. */
    public String sqlalchemyUrl() {
        return kind == Kind.POSTGRESQL
                ? "postgresql+psycopg2://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + DATABASE
                : "mysql+pymysql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + DATABASE;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asServerUser(List<String> command) {
        if (!root()) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
        out.addAll(command);
        return out;
    }

    private static String pgBin(String tool) throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            Path bin = versions.sorted(Comparator.reverseOrder())
                    .findFirst()
                    .orElseThrow(() -> new IOException("PostgreSQL is not installed (bin/lib.sh installs it)"));
            return bin.resolve("bin").resolve(tool).toString();
        }
    }

    private void startPostgres() throws IOException, InterruptedException {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "postgres-pw\n");
        if (root()) {
            run(List.of("chown", "nobody", pw.toString()), dir.resolve("chown.log"), Duration.ofSeconds(20));
        }
        run(
                asServerUser(List.of(
                        pgBin("initdb"),
                        "-D",
                        dir.resolve("data").toString(),
                        "-U",
                        "postgres",
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256",
                        "--pwfile=" + pw,
                        "-E",
                        "UTF8",
                        "--no-sync")),
                dir.resolve("initdb.log"),
                Duration.ofSeconds(120));
        pgCtl(
                "start",
                "-w",
                "-t",
                "120",
                "-l",
                dir.resolve("server.log").toString(),
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                        + " -c full_page_writes=off -c max_connections=40");
        sql(
                "CREATE USER " + USER + " PASSWORD '" + PASSWORD + "';\nCREATE DATABASE " + DATABASE + " OWNER " + USER
                        + ";\n",
                "postgres");
    }

    private void pgCtl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(pgBin("pg_ctl"), "-D", dir.resolve("data").toString()));
        command.addAll(List.of(args));
        run(asServerUser(command), dir.resolve("pg_ctl.log"), Duration.ofSeconds(150));
    }

    private void startMariadb() throws IOException, InterruptedException {
        List<String> install = new ArrayList<>(List.of(
                "mariadb-install-db",
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--auth-root-authentication-method=normal",
                "--skip-test-db"));
        if (root()) {
            install.add("--user=nobody");
        }
        run(install, dir.resolve("install.log"), Duration.ofSeconds(180));
        List<String> server = new ArrayList<>(List.of(
                "mariadbd",
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("sock"),
                "--pid-file=" + dir.resolve("pid"),
                "--skip-log-bin",
                "--innodb-flush-log-at-trx-commit=0",
                "--innodb-buffer-pool-size=64M",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_general_ci",
                "--log-error=" + dir.resolve("server.log")));
        if (root()) {
            server.add("--user=nobody");
        }
        mariadb = new ProcessBuilder(server)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mariadbd.out").toFile())
                .start();
        Path sock = dir.resolve("sock");
        try {
            await("MariaDB accepts connections")
                    .atMost(Duration.ofMinutes(2))
                    .failFast("mariadbd exited", () -> !mariadb.isAlive())
                    .until(() -> Files.exists(sock) && accepts(port));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IOException("MariaDB did not start: " + Files.readString(dir.resolve("server.log")), e);
        }
        sql(
                "CREATE DATABASE " + DATABASE + ";\nCREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "';\n"
                        + "CREATE USER '" + USER + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "';\n"
                        + "GRANT ALL ON " + DATABASE + ".* TO '" + USER + "'@'%';\nGRANT ALL ON " + DATABASE + ".* TO '"
                        + USER
                        + "'@'localhost';\n",
                "mysql");
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs SQL as the superuser, in {@code database} (null: the fixture database). */
    public void sql(String script, String database) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "script-", ".sql");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        file.toFile().setReadable(true, false);
        String db = database == null ? DATABASE : database;
        List<String> command = kind == Kind.POSTGRESQL
                ? List.of(
                        pgBin("psql"),
                        "-X",
                        "-q",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-h",
                        dir.toString(),
                        "-p",
                        Integer.toString(port),
                        "-U",
                        database == null ? USER : "postgres",
                        "-d",
                        db,
                        "-f",
                        file.toString())
                : List.of(
                        "mariadb",
                        "--no-defaults",
                        "--default-character-set=utf8mb4",
                        "--socket=" + dir.resolve("sock"),
                        "-uroot",
                        "--database=" + db,
                        "-e",
                        "source " + file);
        run(kind == Kind.POSTGRESQL ? asServerUser(command) : command, dir.resolve("sql.log"), Duration.ofMinutes(3));
        Files.deleteIfExists(file);
    }

    /** Stops the server abruptly (as a crash or a network cut would look to a client). */
    public void kill() throws IOException, InterruptedException {
        if (kind == Kind.POSTGRESQL) {
            pgCtl("stop", "-m", "immediate", "-w");
        } else if (mariadb != null) {
            mariadb.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        try {
            if (kind == Kind.POSTGRESQL) {
                if (Files.exists(dir.resolve("data/postmaster.pid"))) {
                    pgCtl("stop", "-m", "fast", "-w");
                }
            } else if (mariadb != null && mariadb.isAlive()) {
                mariadb.destroy();
                if (!mariadb.waitFor(60, TimeUnit.SECONDS)) {
                    mariadb.destroyForcibly();
                }
            }
        } catch (IOException | InterruptedException e) {
            // the directory goes anyway
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void run(List<String> command, Path log, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("Timed out: " + command.get(0));
        }
        if (p.exitValue() != 0) {
            throw new IOException(
                    String.join(" ", command) + " failed (" + p.exitValue() + "): " + Files.readString(log));
        }
    }
}
