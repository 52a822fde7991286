package io.github.atlasexport.cli;

import io.github.atlasexport.atlas.ApiVersion;
import io.github.atlasexport.atlas.AtlasClientOptions;
import io.github.atlasexport.atlas.Credentials;
import io.github.atlasexport.config.ConfigLoader;
import io.github.atlasexport.runtime.MonitorRuntime;
import io.github.atlasexport.config.MonitorConfig;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * How the one-shot {@code jobs} commands reach Atlas: the monitor's config file, or flags, a flag
 * winning over the config's value. Secrets come from the environment, never from flags, so they do
 * not end up in shell history or {@code ps}.
 */
final class AtlasConnectionOptions {
    @Option(names = {"-c", "--config"}, description = "Use the atlas section of this monitor config file")
    Path config;

    @Option(names = "--base-url", converter = AtlasArguments.BaseUrl.class,
            description = "Atlas Admin API base URL (default: the config's, else https://cloud.mongodb.com)")
    URI baseUrl;

    @Option(names = "--api-version", converter = AtlasArguments.Version.class,
            description = "v2 or v1.0 (default: the config's, else v2)")
    ApiVersion apiVersion;

    @Option(names = "--public-key", description = "Digest API public key; private key from $ATLAS_PRIVATE_KEY")
    String publicKey;

    @Option(names = "--client-id", description = "Service account client id; secret from $ATLAS_CLIENT_SECRET")
    String clientId;

    /** Where secrets and {@code ${VAR}} in the config come from: the process environment, unless a test says otherwise. */
    Function<String, String> env = System::getenv;

    /** First target of the config file, used when --group is not given. */
    MonitorConfig.Target defaultTarget() {
        if (config == null) {
            return null;
        }
        List<MonitorConfig.Target> targets = ConfigLoader.load(config, env).targets();
        return targets.isEmpty() ? null : targets.get(0);
    }

    AtlasClientOptions clientOptions() {
        if (config == null) {
            return AtlasClientOptions.create(baseUrl != null ? baseUrl : AtlasClientOptions.DEFAULT_BASE_URL, credentials())
                    .withApiVersion(apiVersion != null ? apiVersion : ApiVersion.V2);
        }
        AtlasClientOptions fromConfig = MonitorRuntime.clientOptions(ConfigLoader.load(config, env).atlas());
        return new AtlasClientOptions(
                baseUrl != null ? baseUrl : fromConfig.baseUrl(),
                apiVersion != null ? apiVersion : fromConfig.apiVersion(),
                publicKey != null || clientId != null ? credentials() : fromConfig.credentials(),
                fromConfig.requestTimeout(), fromConfig.maxConcurrency(), fromConfig.requestsPerMinute(),
                fromConfig.retryPolicy(), fromConfig.listener());
    }

    private Credentials credentials() {
        if ((publicKey == null) == (clientId == null)) {
            throw new UsageException("give exactly one of --public-key or --client-id (or --config)");
        }
        return publicKey != null
                ? new Credentials.Digest(publicKey, requiredEnv("ATLAS_PRIVATE_KEY", "--public-key"))
                : new Credentials.ServiceAccount(clientId, requiredEnv("ATLAS_CLIENT_SECRET", "--client-id"));
    }

    private String requiredEnv(String name, String flag) {
        String value = env.apply(name);
        if (value == null || value.isEmpty()) {
            throw new UsageException(flag + " needs the environment variable " + name + " to be set");
        }
        return value;
    }
}
