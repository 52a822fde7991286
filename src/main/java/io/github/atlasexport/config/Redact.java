package io.github.atlasexport.config;

import java.net.URI;
import java.util.regex.Pattern;

/** Masks secrets for display: config printouts, logs, error messages. */
public final class Redact {

    public static final String MASK = "****";
    private static final Pattern USER_INFO = Pattern.compile("://[^/?#@\\s]*@");

    private Redact() {
    }

    /** {@link #MASK} for any secret that is set, {@code null} stays {@code null}. */
    public static String secret(String value) {
        return value == null ? null : MASK;
    }

    /** Masks the {@code user:password@} of any URL in {@code text}, keeping the rest: for URLs shown whole. */
    public static String userInfo(String text) {
        return text == null ? null : USER_INFO.matcher(text).replaceAll("://" + MASK + "@");
    }

    /**
     * Keeps scheme, host and port; masks user info and everything after the host, where webhook URLs
     * (Slack's {@code /services/T../B../token}, query tokens) carry their credentials.
     */
    public static String url(URI url) {
        if (url == null) {
            return null;
        }
        StringBuilder out = new StringBuilder().append(url.getScheme()).append("://");
        if (url.getRawUserInfo() != null) {
            out.append(MASK).append('@');
        }
        out.append(url.getHost().contains(":") && !url.getHost().startsWith("[") ? "[" + url.getHost() + "]" : url.getHost());
        if (url.getPort() >= 0) {
            out.append(':').append(url.getPort());
        }
        String path = url.getRawPath();
        boolean bare = (path == null || path.isEmpty() || path.equals("/"))
                && url.getRawQuery() == null && url.getRawFragment() == null;
        return bare ? out.append(path == null ? "" : path).toString() : out.append('/').append(MASK).toString();
    }
}
