package io.github.atlasexport.config;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in one YAML string scalar, after parsing, so a
 * value with YAML-special characters (a secret, a URL) is inserted verbatim. One pass: text that comes
 * from the environment is never expanded again. {@code $${} is a literal {@code ${}.
 * As in the shell, the default also applies when the variable is set but empty.
 * Error messages name the variable but never show the surrounding text, which may be a secret.
 */
final class EnvExpander {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Function<String, String> env;

    EnvExpander(Function<String, String> env) {
        this.env = env;
    }

    /** Leaves every value as written: files in other tools' formats (the web config) have no variables. */
    static EnvExpander verbatim() {
        return new EnvExpander(null);
    }

    /** @throws IllegalArgumentException naming the unset variable or the malformed reference */
    String expand(String text) {
        if (env == null || !text.contains("${")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated '${' (write '$${' for a literal '${')");
                }
                out.append(resolve(text.substring(i + 2, close)));
                i = close + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    private String resolve(String reference) {
        int sep = reference.indexOf(":-");
        String name = sep < 0 ? reference : reference.substring(0, sep);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "malformed variable reference (expected ${NAME} or ${NAME:-default})");
        }
        String value = env.apply(name);
        if (sep >= 0 && (value == null || value.isEmpty())) {
            return reference.substring(sep + 2);
        }
        if (value == null) {
            throw new IllegalArgumentException(
                    "environment variable " + name + " is not set (set it, or write ${" + name + ":-default})");
        }
        return value;
    }
}
