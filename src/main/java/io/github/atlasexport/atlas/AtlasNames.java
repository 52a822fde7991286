package io.github.atlasexport.atlas;

import java.util.regex.Pattern;

/** The shapes Atlas gives project ids and cluster names; anything else is refused before a request is made. */
public final class AtlasNames {
    public static final Pattern GROUP_ID = Pattern.compile("^[a-f0-9]{24}$");
    public static final Pattern CLUSTER_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9-]*$");

    private AtlasNames() {
    }
}
