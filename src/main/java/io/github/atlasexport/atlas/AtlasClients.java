package io.github.atlasexport.atlas;

/** Entry point: builds the Reactor Netty implementation of {@link AtlasClient}. */
public final class AtlasClients {

    private AtlasClients() {
    }

    /** A client owning its own connection pool; {@link AtlasClient#close()} releases it. */
    public static AtlasClient create(AtlasClientOptions options) {
        return new ReactorAtlasClient(options);
    }
}
