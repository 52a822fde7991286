package io.github.atlasexport.alert;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StandardWebhooksSignerUnitTests {
    // The example of the Standard Webhooks specification.
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIMESTAMP = 1614265330L;
    static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    /** The spec's recipe, written out here so the test does not trust the code under test. */
    static String independently(byte[] key, String signedContent) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signedContent.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void matchesTheSpecificationExample() throws Exception {
        byte[] key = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals(EXPECTED, independently(key, MSG_ID + "." + TIMESTAMP + ".{\"test\": 2432232314}"));
        assertEquals(EXPECTED, new StandardWebhooksSigner(SECRET).signature(MSG_ID, TIMESTAMP, BODY));
    }

    @Test
    void headersCarryIdTimestampAndSignature() {
        assertEquals(Map.of("webhook-id", MSG_ID, "webhook-timestamp", "1614265330", "webhook-signature", EXPECTED),
                new StandardWebhooksSigner(SECRET).headers(MSG_ID, TIMESTAMP, BODY));
    }

    @Test
    void aSecretWithoutPrefixIsUsedAsItsUtf8Bytes() throws Exception {
        String secret = "plain-shared-secret-ü";
        assertEquals(independently(secret.getBytes(StandardCharsets.UTF_8), MSG_ID + "." + TIMESTAMP + ".{\"test\": 2432232314}"),
                new StandardWebhooksSigner(secret).signature(MSG_ID, TIMESTAMP, BODY));
    }

    @Test
    void anyChangeToIdTimestampOrBodyChangesTheSignature() {
        StandardWebhooksSigner signer = new StandardWebhooksSigner(SECRET);
        assertFalse(EXPECTED.equals(signer.signature(MSG_ID + "x", TIMESTAMP, BODY)));
        assertFalse(EXPECTED.equals(signer.signature(MSG_ID, TIMESTAMP + 1, BODY)));
        assertFalse(EXPECTED.equals(signer.signature(MSG_ID, TIMESTAMP, "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void neverShowsTheSecret() {
        String broken = "whsec_not*base64!";
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new StandardWebhooksSigner(broken));
        assertFalse(error.getMessage().contains("not*base64"));
        assertFalse(new StandardWebhooksSigner(SECRET).toString().contains("MfKQ9r8"));
    }
}
