package io.github.atlasexport.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The monitor's HTTP server settings from a Prometheus exporter-toolkit web configuration file
 * ({@code --web.config.file}, {@code server.webConfigFile}): TLS, basic auth users and response headers.
 * Built by {@link WebConfigLoader}; file paths are resolved against the web config file's directory.
 *
 * @param tls     empty for plain HTTP
 * @param users   user name to bcrypt hash; empty when no authentication is required
 * @param headers added to every response
 */
public record WebConfig(Optional<Tls> tls, Map<String, String> users, Map<String, String> headers) {

    /** Plain HTTP, open to all: what the monitor serves without a web config file. */
    public static final WebConfig NONE = new WebConfig(Optional.empty(), Map.of(), Map.of());

    public WebConfig {
        users = Map.copyOf(users);
        headers = Map.copyOf(headers);
    }

    /**
     * @param clientCaFile    null when no client CA is given
     * @param protocols       JDK protocol names from {@code min_version..max_version}, e.g. TLSv1.2, TLSv1.3
     * @param cipherSuites    JDK cipher suite names; empty for the JVM's defaults
     */
    public record Tls(Path certFile, Path keyFile, Path clientCaFile, ClientAuth clientAuth, List<String> protocols,
                      List<String> cipherSuites, boolean preferServerCipherSuites) {
        public Tls {
            protocols = List.copyOf(protocols);
            cipherSuites = List.copyOf(cipherSuites);
        }
    }

    /** Go's {@code tls.ClientAuthType}, by the names exporter-toolkit uses. */
    public enum ClientAuth {
        NoClientCert(false, false),
        RequestClientCert(false, false),
        RequireAnyClientCert(true, false),
        VerifyClientCertIfGiven(false, true),
        RequireAndVerifyClientCert(true, true);

        private final boolean required;
        private final boolean verified;

        ClientAuth(boolean required, boolean verified) {
            this.required = required;
            this.verified = verified;
        }

        /** A client without a certificate is refused. */
        public boolean required() {
            return required;
        }

        /** A client certificate must chain to {@code client_ca_file}. */
        public boolean verified() {
            return verified;
        }
    }
}
