package io.github.atlasexport.runtime;

/** What this build is, as the jar's manifest says. */
public final class BuildInfo {
    private BuildInfo() {
    }

    /** The jar's Implementation-Version, or "dev" when run from classes. */
    public static String version() {
        String version = BuildInfo.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
