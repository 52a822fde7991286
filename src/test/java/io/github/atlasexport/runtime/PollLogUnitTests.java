package io.github.atlasexport.runtime;

import io.github.atlasexport.atlas.AtlasApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PollLogUnitTests {
    static final String EXPORTS = "/groups/{groupId}/clusters/{clusterName}/backup/exports";

    @Test
    void theCommonRefusalsNameTheirLikelyCause() {
        assertEquals(" (is the cluster name right?)", PollLog.hint(refusal(404, "CLUSTER_NOT_FOUND")));
        assertEquals(" (check the API key (or service account) and the IP access list)",
                PollLog.hint(refusal(401, null)));
        assertEquals(" (the API key needs the Project Backup Manager role on this project to list and get export jobs)",
                PollLog.hint(refusal(403, "USER_UNAUTHORIZED")));
        assertEquals(" (add the monitor's address to the API key's IP access list)",
                PollLog.hint(refusal(403, "IP_ADDRESS_NOT_ON_ACCESS_LIST")));
        assertEquals("", PollLog.hint(refusal(500, "UNEXPECTED_ERROR")), "a server error has no cause to name");
        assertEquals("", PollLog.hint(new IllegalStateException("bug")));
    }

    private static AtlasApiException refusal(int status, String errorCode) {
        return new AtlasApiException(status, errorCode, "detail", "GET", EXPORTS, null, null);
    }
}
