package io.github.atlasexport.http;

import java.util.List;

/** {@code POST /-/reload}, served only when the monitor runs with {@code --web.enable-lifecycle}. */
public interface Lifecycle {

    /** Reads the config again and checks it, changing nothing; answers its problems, none if it is valid. */
    List<String> check();

    /** Applies the config, once the answer to the request is sent (it restarts this very server). */
    void apply();
}
