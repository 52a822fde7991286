package io.github.atlasexport.atlas;

import reactor.core.publisher.Mono;

/** Puts credentials on requests; one implementation per kind of {@link Credentials}. */
interface RequestAuthorizer {

    /**
     * What the first exchange of a request is signed with. Asked for before the exchange waits for
     * its in-flight permit: getting it may take an exchange of its own (a token fetch).
     */
    Mono<Grant> grant(String method, String target);

    /** The credentials of one exchange, held from {@link #authorization()} until the exchange is over. */
    interface Grant {

        /**
         * The Authorization value, asked for once the exchange holds its in-flight permit, right before
         * it is sent; null when none is known yet (digest before its first challenge).
         */
        String authorization();

        /**
         * The exchange was answered. A 401 teaches what it can (a new digest challenge, a token to throw
         * away) and gives the grant to try once more with; any other answer, or a 401 that teaches
         * nothing, gives an empty Mono.
         */
        Mono<Grant> answered(AtlasResponse response);

        /** The exchange is over without an answer (failed, timed out, cancelled); no effect after {@link #answered}. */
        void abandoned();
    }
}
