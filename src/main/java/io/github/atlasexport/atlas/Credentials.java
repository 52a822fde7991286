package io.github.atlasexport.atlas;

import static java.util.Objects.requireNonNull;

/** How the client authenticates. {@code toString} never shows the secret half. */
public sealed interface Credentials {

    record Digest(String publicKey, String privateKey) implements Credentials {
        public Digest {
            requireNonNull(publicKey, "publicKey must not be null");
            requireNonNull(privateKey, "privateKey must not be null");
        }

        @Override
        public String toString() {
            return "Digest[publicKey=" + publicKey + ", privateKey=****]";
        }
    }

    record ServiceAccount(String clientId, String clientSecret) implements Credentials {
        public ServiceAccount {
            requireNonNull(clientId, "clientId must not be null");
            requireNonNull(clientSecret, "clientSecret must not be null");
        }

        @Override
        public String toString() {
            return "ServiceAccount[clientId=" + clientId + ", clientSecret=****]";
        }
    }
}
