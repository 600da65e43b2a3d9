package io.llmanalytics.sources;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * The first line of defence for a user's query: exactly one statement, and only a read ({@code SELECT}, {@code WITH}
 * whose parts are all reads, set operations, {@code VALUES}), checked on the statement JSqlParser parsed. What the
 * parser cannot see (a function with side effects) is refused by the database itself: queries run in a read-only
 * transaction with a statement timeout ({@link SourceConnections}).
 */
public final class SqlGuard {

    /** The longest query text accepted. */
    static final int MAX_QUERY_CHARS = 100_000;

    private SqlGuard() {}

    /** The checked read, with the tables it names (lower case, as written). */
    public record Checked(String sql, Set<String> tables) {}

    /** Checks {@code sql}, or fails with a 400 problem that says why. */
    public static Checked check(String sql) {
        if (sql == null || sql.isBlank()) {
            throw refused("The query is empty; send one SELECT statement.");
        }
        if (sql.length() > MAX_QUERY_CHARS) {
            throw refused(
                    "The query has " + sql.length() + " characters; at most " + MAX_QUERY_CHARS + " are accepted.");
        }
        Statements statements;
        try {
            statements = CCJSqlParserUtil.parseStatements(sql);
        } catch (JSQLParserException | RuntimeException e) {
            throw refused("The query is not valid SQL: " + firstLine(e) + ". Send one SELECT statement.");
        }
        List<Statement> list = statements.stream().filter(s -> s != null).toList();
        if (list.isEmpty()) {
            throw refused("The query holds no statement; send one SELECT statement.");
        }
        if (list.size() > 1) {
            throw refused("The query holds " + list.size() + " statements; only one SELECT statement is accepted.");
        }
        Statement statement = list.get(0);
        if (!(statement instanceof Select select)) {
            throw refused("The query is " + kind(statement) + ", which would change the database or its session;"
                    + " only reads (SELECT or WITH ... SELECT) are accepted.");
        }
        Set<String> cteNames = new HashSet<>();
        checkRead(select, cteNames);
        Set<String> tables = new HashSet<>();
        try {
            for (String t : new TablesNamesFinder<Void>().getTables((Statement) select)) {
                String name = unquote(t).toLowerCase(Locale.ROOT);
                if (!cteNames.contains(name)) {
                    tables.add(name);
                }
            }
        } catch (RuntimeException e) {
            throw refused("The query's tables cannot be determined: " + firstLine(e) + ".");
        }
        String text = sql.strip();
        while (text.endsWith(";")) {
            text = text.substring(0, text.length() - 1).stripTrailing();
        }
        return new Checked(text, Set.copyOf(tables));
    }

    private static void checkRead(Select select, Set<String> cteNames) {
        if (select.getWithItemsList() != null) {
            for (WithItem<?> item : select.getWithItemsList()) {
                Object inner = item.getParenthesedStatement();
                if (inner instanceof ParenthesedSelect ps) {
                    checkRead(ps.getSelect(), cteNames);
                } else if (inner != null) {
                    throw refused("The query's WITH part '" + item.getAliasName() + "' is not a SELECT"
                            + " (a data-modifying WITH); only reads are accepted.");
                }
                if (item.getAliasName() != null) {
                    cteNames.add(unquote(item.getAliasName()).toLowerCase(Locale.ROOT));
                }
            }
        }
        if (select instanceof PlainSelect plain) {
            if (plain.getIntoTables() != null && !plain.getIntoTables().isEmpty()) {
                throw refused("SELECT ... INTO creates or writes a table; only reads are accepted.");
            }
        }
        if (select.getForMode() != null || select.getForUpdateTable() != null) {
            throw refused("SELECT ... FOR UPDATE/SHARE locks rows; only plain reads are accepted.");
        }
        if (select instanceof SetOperationList set) {
            set.getSelects().forEach(s -> checkRead(s, cteNames));
        }
        if (select instanceof ParenthesedSelect ps && ps.getSelect() != null) {
            checkRead(ps.getSelect(), cteNames);
        }
    }

    private static String kind(Statement statement) {
        String name = statement
                .getClass()
                .getSimpleName()
                .replaceAll("([a-z])([A-Z])", "$1 $2")
                .toUpperCase(Locale.ROOT);
        return "a " + name + " statement";
    }

    static String unquote(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (c != '"' && c != '`' && c != '[' && c != ']') {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String firstLine(Throwable e) {
        Throwable cause = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        message = message.strip();
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    static ProblemException refused(String detail) {
        return new ProblemException(ProblemType.BAD_REQUEST, detail);
    }
}
