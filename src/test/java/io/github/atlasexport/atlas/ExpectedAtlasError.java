package io.github.atlasexport.atlas;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** What the client tests expect of a failed call, for {@code StepVerifier}'s {@code expectErrorSatisfies}. */
final class ExpectedAtlasError {

    private ExpectedAtlasError() {
    }

    /**
     * An {@link AtlasApiException} with this status, errorCode and endpoint template, whose message
     * contains none of {@code neverShown} (secrets, header fragments).
     */
    static Consumer<Throwable> atlasError(int status, String errorCode, String endpoint, String... neverShown) {
        return e -> {
            AtlasApiException error = assertInstanceOf(AtlasApiException.class, e);
            assertEquals(status, error.status(), error.getMessage());
            assertEquals(errorCode, error.errorCode(), error.getMessage());
            assertEquals(endpoint, error.endpoint(), error.getMessage());
            for (String text : neverShown) {
                assertFalse(error.getMessage().contains(text), "'" + text + "' shown in: " + error.getMessage());
            }
        };
    }
}
