package io.github.atlasexport.atlas;

/** The two Admin API flavours that serve export jobs. */
public enum ApiVersion {
    V2("v2", "application/vnd.atlas.2023-01-01+json"),
    V1_0("v1.0", "application/json");

    private final String pathSegment;
    private final String mediaType;

    ApiVersion(String pathSegment, String mediaType) {
        this.pathSegment = pathSegment;
        this.mediaType = mediaType;
    }

    /** {@code v2} or {@code v1.0}, as in {@code /api/atlas/v2/...} and in the config. */
    public String pathSegment() {
        return pathSegment;
    }

    public String mediaType() {
        return mediaType;
    }

    public static ApiVersion parse(String text) {
        for (ApiVersion v : values()) {
            if (v.pathSegment.equals(text)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown API version '" + text + "' (expected v2 or v1.0)");
    }
}
