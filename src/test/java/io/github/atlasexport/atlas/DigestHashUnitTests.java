package io.github.atlasexport.atlas;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DigestHashUnitTests {
    // RFC 7616 section 3.9.1.
    private static final String REALM = "http-auth@example.org";
    private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    @Test
    void matchesTheRfc7616Examples() {
        assertEquals("8ca523f5e9506fed4657c9700eebdbec",
                rfc("MD5", "auth"));
        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                rfc("SHA-256", "auth"));
    }

    @Test
    void algorithmNamesAreCaseInsensitive() {
        assertEquals(rfc("SHA-256", "auth"), rfc("sha-256", "auth"));
        assertEquals(rfc("MD5-sess", "auth"), rfc("md5-SESS", "auth"));
    }

    @Test
    void sessVariantsKeyHa1OnNonceAndCnonce() {
        String ha1 = md5(md5("Mufasa:" + REALM + ":Circle of Life") + ":" + NONCE + ":" + CNONCE);
        assertEquals(md5(ha1 + ":" + NONCE + ":00000001:" + CNONCE + ":auth:" + md5("GET:/dir/index.html")),
                rfc("MD5-sess", "auth"));
    }

    @Test
    void withoutQopItIsTheRfc2069Form() {
        String ha1 = md5("Mufasa:" + REALM + ":Circle of Life");
        assertEquals(md5(ha1 + ":" + NONCE + ":" + md5("GET:/dir/index.html")), rfc("MD5", null));
    }

    private static String rfc(String algorithm, String qop) {
        return DigestHash.response(algorithm, "Mufasa", REALM, "Circle of Life", "GET", "/dir/index.html",
                NONCE, "00000001", CNONCE, qop);
    }

    private static String md5(String text) {
        return DigestVerifier.md5(text);
    }
}
