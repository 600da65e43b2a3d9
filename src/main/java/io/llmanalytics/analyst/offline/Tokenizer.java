package io.llmanalytics.analyst.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a question into tokens: words (underscores and hyphens separate words, {@code 's} is dropped), numbers
 * ({@code 1,200}, {@code 2.5k}, {@code $30}, {@code 15%} gives 15 and {@code %}), dates ({@code 2024-03}), quoted text
 * and comparison symbols.
 */
final class Tokenizer {

    private static final Pattern TOKEN =
            Pattern.compile("(?<quoted>(?<![\\p{L}\\p{N}])[\"“”‘’'`]([^\"“”‘’'`]{1,80})[\"“”‘’'`](?![\\p{L}\\p{N}]))"
                    + "|(?<date>\\b\\d{4}-\\d{1,2}(?:-\\d{1,2})?\\b)"
                    + "|(?<number>[$€£]?(?<![\\p{L}])(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?"
                    + "(?:\\s?(?<scale>k|m|bn|million|billion|thousand)\\b|(?<ordinal>st|nd|rd|th)\\b)?)"
                    + "|(?<number2>(?<![\\p{L}\\p{N}])\\.\\d+)"
                    + "|(?<symbol>>=|<=|!=|==|=>|=<|[<>=%≥≤≠])"
                    + "|(?<word>\\p{L}[\\p{L}\\p{N}]*(?:'s\\b|’s\\b)?)");

    private Tokenizer() {}

    static List<Token> tokenize(String question) {
        List<Token> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(question);
        while (m.find()) {
            if (m.group("quoted") != null) {
                String content = m.group(2).strip();
                if (!content.isEmpty()) {
                    String folded = Words.fold(content);
                    tokens.add(new Token(Token.Kind.QUOTED, content, folded, folded, Double.NaN));
                }
            } else if (m.group("date") != null) {
                String date = m.group("date");
                tokens.add(new Token(Token.Kind.DATE, date, date, date, Double.NaN));
            } else if (m.group("number") != null || m.group("number2") != null) {
                String text = m.group("number") != null ? m.group("number") : m.group("number2");
                if (m.group("ordinal") != null) {
                    String digits = text.substring(0, text.length() - 2);
                    tokens.add(new Token(Token.Kind.NUMBER, text, text, text, Double.parseDouble(digits)));
                } else {
                    tokens.add(number(text, m.group("scale")));
                }
            } else if (m.group("symbol") != null) {
                String symbol = switch (m.group("symbol")) {
                    case "≥", "=>" -> ">=";
                    case "≤", "=<" -> "<=";
                    case "≠" -> "!=";
                    case "==" -> "=";
                    default -> m.group("symbol");
                };
                tokens.add(new Token(Token.Kind.SYMBOL, symbol, symbol, symbol, Double.NaN));
            } else {
                String word = m.group("word").replaceAll("['’]s$", "");
                tokens.add(Token.word(word));
            }
        }
        return tokens;
    }

    private static Token number(String text, String scale) {
        String digits = text.replaceAll("[$€£,\\s]", "");
        double factor = 1;
        if (scale != null) {
            digits = digits.substring(0, digits.length() - scale.length());
            factor = switch (scale.toLowerCase(Locale.ROOT)) {
                case "k", "thousand" -> 1e3;
                case "m", "million" -> 1e6;
                default -> 1e9;
            };
        }
        double value = Double.parseDouble(digits) * factor;
        String raw = text.replaceAll("[$€£\\s]", "");
        if (scale != null) {
            raw = raw.substring(0, raw.length() - scale.length());
        }
        return new Token(Token.Kind.NUMBER, scale == null ? raw : text.strip(), raw, raw, value);
    }
}
