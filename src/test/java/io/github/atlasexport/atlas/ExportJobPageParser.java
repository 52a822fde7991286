package io.github.atlasexport.atlas;

import java.io.IOException;
import java.util.List;

/** The client's own reading of an export-job list page, for the benchmarks and harnesses in {@code bench}. */
public final class ExportJobPageParser {

    private ExportJobPageParser() {
    }

    /** Exactly what {@code listExportJobs} does with each page body it receives. */
    public static List<ExportJob> parse(byte[] page) throws IOException {
        AtlasPages.ListBody<ExportJob> body = AtlasPages.list(page, ReactorAtlasClient.EXPORT_JOB);
        if (body == null) {
            throw new IllegalArgumentException("list response lacks a results array");
        }
        return body.results();
    }
}
