package io.github.atlasexport.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exporter-toolkit web config format: what is read, and every problem named by file and key. */
class WebConfigLoaderUnitTests {
    /** A real bcrypt hash (cost 5) of "secret", as htpasswd -nbB writes it. */
    private static final String HASH = "$2y$05$6LxBQzytwlI7xJYJ1ngkWu9s.He9xjQ0nZCN414Gu6by/EguFY26W";

    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("tls.crt"), "cert");
        Files.writeString(dir.resolve("tls.key"), "key");
        Files.writeString(dir.resolve("ca.crt"), "ca");
    }

    @Test
    void readsTlsUsersAndHeadersWithPathsBesideTheFile() {
        WebConfig web = load("""
                tls_server_config:
                  cert_file: tls.crt
                  key_file: tls.key
                  client_ca_file: ca.crt
                  client_auth_type: RequireAndVerifyClientCert
                  min_version: TLS12
                  max_version: TLS13
                  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305]
                basic_auth_users:
                  alice: '%s'
                http_server_config:
                  headers: {Strict-Transport-Security: max-age=31536000, X-Frame-Options: ''}
                """.formatted(HASH));
        WebConfig.Tls tls = web.tls().orElseThrow();
        assertEquals(dir.resolve("tls.crt"), tls.certFile());
        assertEquals(dir.resolve("ca.crt"), tls.clientCaFile());
        assertEquals(WebConfig.ClientAuth.RequireAndVerifyClientCert, tls.clientAuth());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), tls.protocols());
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
                tls.cipherSuites(), "Go's short ChaCha20 name maps to the JDK's");
        assertTrue(tls.preferServerCipherSuites());
        assertEquals(Map.of("alice", HASH), web.users());
        assertEquals(Map.of("Strict-Transport-Security", "max-age=31536000"), web.headers(), "blank means unset");
    }

    @Test
    void anEmptyFileIsPlainOpenHttp() {
        assertEquals(WebConfig.NONE, load(""));
    }

    @Test
    void unknownKeysAreNamedWithAHint() {
        assertProblems("""
                tls_server_config: {cert_file: tls.crt, key_file: tls.key, min_verison: TLS12}
                basic_auth_user: {}
                """,
                "web.yml:1: tls_server_config.min_verison: unknown key (did you mean 'min_version'?)",
                "web.yml:2: basic_auth_user: unknown key (did you mean 'basic_auth_users'?)");
    }

    @Test
    void aBadHashIsNamedByUserAndNeverQuoted() {
        ConfigException e = assertProblems("""
                basic_auth_users:
                  alice: plain-text-password
                  bob: '%s'
                """.formatted(HASH),
                "web.yml:2: basic_auth_users.alice: not a bcrypt hash (expected $2y$, $2b$ or $2a$ with a cost, as `htpasswd -nB USER` writes)");
        assertFalse(e.getMessage().contains("plain-text-password"));
    }

    @Test
    void tlsValuesOutsideTheFormatAreRefused() {
        assertProblems("""
                tls_server_config:
                  cert_file: missing.crt
                  key_file: tls.key
                  client_auth_type: RequireClientCert
                  min_version: TLS14
                  cipher_suites: [TLS_NOT_A_SUITE]
                  curve_preferences: [X25519]
                """,
                "web.yml:2: tls_server_config.cert_file: cannot read " + dir.resolve("missing.crt") + " (no such file, or not readable)",
                "web.yml:4: tls_server_config.client_auth_type: unknown client_auth_type 'RequireClientCert' (expected one of: "
                        + "NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert)",
                "web.yml:5: tls_server_config.min_version: unknown TLS version 'TLS14' (expected one of: TLS10, TLS11, TLS12, TLS13)",
                "web.yml:6: tls_server_config.cipher_suites[0]: not a cipher suite this JVM supports: 'TLS_NOT_A_SUITE'",
                "web.yml:7: tls_server_config.curve_preferences: is not supported by this monitor (the JVM's curve order is used)");
    }

    @Test
    void clientCertificateChecksNeedTheirCaAndTheCaNeedsAPolicy() {
        assertProblems("""
                tls_server_config: {cert_file: tls.crt, key_file: tls.key, client_auth_type: RequireAndVerifyClientCert}
                """,
                "web.yml:1: tls_server_config.client_ca_file: is required with client_auth_type RequireAndVerifyClientCert: "
                        + "the CA that signs the client certificates");
        assertProblems("""
                tls_server_config: {cert_file: tls.crt, key_file: tls.key, client_ca_file: ca.crt}
                """,
                "web.yml:1: tls_server_config.client_auth_type: is NoClientCert but client_ca_file is set: use "
                        + "RequireAndVerifyClientCert (or VerifyClientCertIfGiven) to check client certificates");
    }

    @Test
    void versionsMustFormARangeAndHeadersBeTheFormatsOwn() {
        assertProblems("""
                tls_server_config: {cert_file: tls.crt, key_file: tls.key, min_version: TLS13, max_version: TLS12}
                http_server_config:
                  headers: {X-Powered-By: me}
                """,
                "web.yml:1: tls_server_config.max_version: must not be older than min_version (TLS13)",
                "web.yml:3: http_server_config.headers.X-Powered-By: not a header the web config may set (expected one of: "
                        + "Content-Security-Policy, X-Frame-Options, X-Content-Type-Options, X-XSS-Protection, Strict-Transport-Security)");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yml");
        ConfigException e = assertThrows(ConfigException.class, () -> WebConfigLoader.load(missing));
        assertEquals(List.of(missing + ": cannot read the web config file: NoSuchFileException"), e.problems());
    }

    private WebConfig load(String yaml) {
        return WebConfigLoader.load(yaml, "web.yml", dir);
    }

    private ConfigException assertProblems(String yaml, String... expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(yaml));
        assertEquals(List.of(expected), e.problems());
        assertEquals("web.yml", e.source());
        return e;
    }
}
