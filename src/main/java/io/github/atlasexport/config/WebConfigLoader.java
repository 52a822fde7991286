package io.github.atlasexport.config;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.IllegalBCryptFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.atlasexport.config.WebConfig.ClientAuth;
import io.github.atlasexport.config.WebConfig.Tls;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Reads a Prometheus exporter-toolkit web configuration file into {@link WebConfig}: the same format
 * node_exporter and Prometheus read, so operators reuse the file they have. Keys of that format this
 * monitor cannot honour are refused by name rather than ignored, and so are unknown keys; every
 * problem names the file and the key. Password hashes are never quoted.
 */
public final class WebConfigLoader {

    /** exporter-toolkit's version names, oldest first, with the JDK's protocol names. */
    private static final Map<String, String> VERSIONS = orderedVersions();
    /** The only headers exporter-toolkit lets the file set. */
    private static final List<String> HEADERS = List.of("Content-Security-Policy", "X-Frame-Options",
            "X-Content-Type-Options", "X-XSS-Protection", "Strict-Transport-Security");
    private static final Map<String, String> UNSUPPORTED_TLS = Map.of(
            "cert", "inline certificates are not supported: use cert_file",
            "key", "inline keys are not supported: use key_file",
            "client_ca", "inline CA certificates are not supported: use client_ca_file",
            "client_allowed_sans", "is not supported by this monitor",
            "curve_preferences", "is not supported by this monitor (the JVM's curve order is used)");

    private WebConfigLoader() {
    }

    public static WebConfig load(Path file) {
        requireNonNull(file, "file must not be null");
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of(file + ": cannot read the web config file: "
                    + e.getClass().getSimpleName()));
        }
        Path dir = file.toAbsolutePath().getParent();
        return load(yaml, file.toString(), dir);
    }

    /**
     * @param sourceName names the file in messages
     * @param dir        relative certificate paths are resolved against it, as exporter-toolkit does
     */
    static WebConfig load(String yaml, String sourceName, Path dir) {
        Problems problems = new Problems(sourceName);
        Optional<JsonNode> root = YamlTree.parse(yaml, EnvExpander.verbatim(), problems);
        problems.throwIfAny();
        Section s = Section.root(root.orElseThrow(), problems);
        Optional<Tls> tls = s.has("tls_server_config") ? Optional.ofNullable(tls(s.section("tls_server_config"), dir))
                : Optional.empty();
        Map<String, String> headers = httpServerConfig(s.section("http_server_config"));
        Map<String, String> users = users(s);
        if (s.has("rate_limit")) {
            s.problem("rate_limit", "is not supported by this monitor");
        }
        s.finish();
        problems.throwIfAny();
        return new WebConfig(tls, users, headers);
    }

    private static Tls tls(Section s, Path dir) {
        UNSUPPORTED_TLS.forEach((key, why) -> {
            if (s.has(key)) {
                s.problem(key, why);
            }
        });
        Path cert = s.required("cert_file").flatMap(text -> file(s, "cert_file", text, dir)).orElse(null);
        Path key = s.required("key_file").flatMap(text -> file(s, "key_file", text, dir)).orElse(null);
        Path ca = s.text("client_ca_file").filter(text -> !text.isBlank())
                .flatMap(text -> file(s, "client_ca_file", text, dir)).orElse(null);
        ClientAuth clientAuth = clientAuth(s);
        if (clientAuth.verified() && ca == null && !s.has("client_ca_file")) {
            s.problem("client_ca_file", "is required with client_auth_type " + clientAuth
                    + ": the CA that signs the client certificates");
        } else if (!clientAuth.verified() && s.has("client_ca_file")) {
            s.problem("client_auth_type", "is " + clientAuth + " but client_ca_file is set: use "
                    + "RequireAndVerifyClientCert (or VerifyClientCertIfGiven) to check client certificates");
        }
        String min = version(s, "min_version", "TLS12");
        String max = version(s, "max_version", "TLS13");
        List<String> protocols = new ArrayList<>();
        boolean inRange = false;
        for (Map.Entry<String, String> version : VERSIONS.entrySet()) {
            inRange |= version.getKey().equals(min);
            if (inRange) {
                protocols.add(version.getValue());
            }
            inRange &= !version.getKey().equals(max);
        }
        if (protocols.isEmpty() || !protocols.contains(VERSIONS.get(max))) {
            s.problem("max_version", "must not be older than min_version (" + min + ")");
        }
        List<String> ciphers = cipherSuites(s);
        boolean prefer = s.bool("prefer_server_cipher_suites", true);
        s.finish();
        return cert == null || key == null ? null
                : new Tls(cert, key, ca, clientAuth, protocols, ciphers, prefer);
    }

    private static Optional<Path> file(Section s, String key, String text, Path dir) {
        try {
            Path path = dir.resolve(text.strip());
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                s.problem(key, "cannot read " + path + " (no such file, or not readable)");
                return Optional.empty();
            }
            return Optional.of(path);
        } catch (InvalidPathException e) {
            s.problem(key, "not a valid file path: " + e.getReason());
            return Optional.empty();
        }
    }

    private static ClientAuth clientAuth(Section s) {
        Optional<String> text = s.text("client_auth_type").map(String::strip).filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return ClientAuth.NoClientCert;
        }
        try {
            return ClientAuth.valueOf(text.get());
        } catch (IllegalArgumentException e) {
            s.problem("client_auth_type", "unknown client_auth_type " + s.quoted("client_auth_type", text.get())
                    + " (expected one of: " + String.join(", ", Arrays.stream(ClientAuth.values()).map(Enum::name).toList()) + ")");
            return ClientAuth.NoClientCert;
        }
    }

    private static String version(Section s, String key, String fallback) {
        String text = s.text(key).map(String::strip).filter(t -> !t.isEmpty()).orElse(fallback);
        if (!VERSIONS.containsKey(text)) {
            s.problem(key, "unknown TLS version " + s.quoted(key, text) + " (expected one of: "
                    + String.join(", ", VERSIONS.keySet()) + ")");
            return fallback;
        }
        return text;
    }

    /** Go's names are the IANA names the JDK uses, except Go's short ChaCha20 aliases. */
    private static List<String> cipherSuites(Section s) {
        Set<String> supported = Set.of(supportedCipherSuites());
        List<String> out = new ArrayList<>();
        s.sequence("cipher_suites", (item, path) -> {
            String name = item.asText().strip();
            String jdkName = supported.contains(name) ? name
                    : supported.contains(name + "_SHA256") ? name + "_SHA256" : null;
            if (jdkName == null || !item.isValueNode()) {
                s.problemAt(path, "not a cipher suite this JVM supports: " + s.quotedAt(path, name));
            } else {
                out.add(jdkName);
            }
        });
        return out;
    }

    private static String[] supportedCipherSuites() {
        try {
            return SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no TLS implementation", e);
        }
    }

    private static Map<String, String> httpServerConfig(Section s) {
        if (s.has("http2")) {
            s.problem("http2", "is not supported by this monitor (it serves HTTP/1.1)");
        }
        Map<String, String> headers = s.stringMap("headers");
        for (String name : headers.keySet()) {
            if (!HEADERS.contains(name)) {
                s.problemAt(KeyPaths.child(s.path("headers"), name), "not a header the web config may set (expected one of: "
                        + String.join(", ", HEADERS) + ")");
            } else if (headers.get(name).indexOf('\r') >= 0 || headers.get(name).indexOf('\n') >= 0) {
                s.problemAt(KeyPaths.child(s.path("headers"), name), "must not contain line breaks");
            }
        }
        headers.values().removeIf(String::isBlank); // "unset if blank", as exporter-toolkit has it
        s.finish();
        return headers;
    }

    private static Map<String, String> users(Section root) {
        Map<String, String> users = new LinkedHashMap<>(root.stringMap("basic_auth_users"));
        for (Map.Entry<String, String> user : users.entrySet()) {
            String path = KeyPaths.child(root.path("basic_auth_users"), user.getKey());
            if (user.getKey().isEmpty() || user.getKey().contains(":")) {
                root.problemAt(path, "a user name must not be empty or contain ':'");
            }
            try {
                BCrypt.Version.VERSION_2A.parser.parse(user.getValue().strip().getBytes(StandardCharsets.UTF_8));
            } catch (IllegalBCryptFormatException | IllegalArgumentException e) {
                root.problemAt(path, "not a bcrypt hash (expected $2y$, $2b$ or $2a$ with a cost, as `htpasswd -nB USER` writes)");
            }
        }
        users.replaceAll((user, hash) -> hash.strip());
        return users;
    }

    private static Map<String, String> orderedVersions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("TLS10", "TLSv1");
        versions.put("TLS11", "TLSv1.1");
        versions.put("TLS12", "TLSv1.2");
        versions.put("TLS13", "TLSv1.3");
        return versions;
    }
}
