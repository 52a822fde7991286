package io.github.atlasexport.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Certificates made by {@code openssl} (Debian package {@code openssl}) in a test's directory: a CA, and
 * server (SAN 127.0.0.1 and localhost) and client certificates it signs. Keys are PKCS#8 EC keys, as
 * {@code openssl req -newkey} writes them.
 */
public final class TestPki {
    private final Path dir;
    private final String ca;

    private TestPki(Path dir, String ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /** A new CA named {@code name}: {@code name.crt} and {@code name.key} in {@code dir}. */
    public static TestPki create(Path dir, String name) {
        Commands.ok(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + name);
        return new TestPki(dir, name);
    }

    public Path caCert() {
        return dir.resolve(ca + ".crt");
    }

    /** {@code name.crt} / {@code name.key} for a server on 127.0.0.1 or localhost. */
    public Path server(String name) throws IOException {
        return issue(name, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    }

    /** {@code name.crt} / {@code name.key} for a client. */
    public Path client(String name) throws IOException {
        return issue(name, "extendedKeyUsage=clientAuth\n");
    }

    /** The key beside a certificate {@link #server} or {@link #client} made. */
    public static Path keyOf(Path cert) {
        return cert.resolveSibling(cert.getFileName().toString().replaceAll("\\.crt$", ".key"));
    }

    private Path issue(String name, String extensions) throws IOException {
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions);
        Commands.ok(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        Commands.ok(dir, "openssl", "x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
        return dir.resolve(name + ".crt");
    }
}
