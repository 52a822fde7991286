package io.github.atlasexport.atlas;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtlasErrorsUnitTests {
    private static final AtlasRequest REQUEST = AtlasRequest.get("/api/atlas/v2/groups/x/clusters", ReactorAtlasClient.CLUSTERS,
            "5f0a0a0a0a0a0a0a0a0a0a0a", "application/json");

    private static AtlasApiException answer(int status, HttpHeaders headers, String body) {
        return AtlasErrors.fromResponse(REQUEST, new AtlasResponse(status, headers, body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsTheAtlasErrorBody() {
        AtlasApiException e = answer(404, new DefaultHttpHeaders(),
                "{\"error\":404,\"errorCode\":\"CLUSTER_NOT_FOUND\",\"detail\":\"No cluster named x exists.\",\"reason\":\"Not Found\",\"parameters\":[\"x\"]}");

        assertEquals(404, e.status());
        assertEquals("CLUSTER_NOT_FOUND", e.errorCode());
        assertEquals("No cluster named x exists.", e.detail());
        assertEquals("GET", e.method());
        assertEquals("/groups/{groupId}/clusters", e.endpoint());
        assertNull(e.retryAfter());
        assertEquals("GET /groups/{groupId}/clusters: HTTP 404 CLUSTER_NOT_FOUND - No cluster named x exists.", e.getMessage());
    }

    @Test
    void retryAfterComesFromTheHeaderFirstThenFromTheBody() {
        String body = "{\"error\":429,\"errorCode\":\"RATE_LIMITED\",\"parameters\":[{\"retryAfterSecs\":12}]}";
        assertEquals(Duration.ofSeconds(3), answer(429, new DefaultHttpHeaders().set("Retry-After", "3"), body).retryAfter());
        assertEquals(Duration.ofSeconds(12), answer(429, new DefaultHttpHeaders(), body).retryAfter());
        assertEquals(Duration.ofSeconds(4), answer(429, new DefaultHttpHeaders(),
                "{\"errorCode\":\"RATE_LIMITED_TOKEN_BUCKET\",\"parameters\":{\"retryAfterSecs\":\"4\"}}").retryAfter());
        assertEquals(Duration.ofSeconds(5), answer(503, new DefaultHttpHeaders(), "{\"retryAfterSecs\":5}").retryAfter());
        assertNull(answer(429, new DefaultHttpHeaders().set("Retry-After", "soon"), "{}").retryAfter());
    }

    @Test
    void theDocumentedTokenBucketBodyNamesTheWaitAsItsSecondParameter() {
        String documented = "{\"error\":429,\"errorCode\":\"RATE_LIMITED_TOKEN_BUCKET\",\"parameters\":[\"api/atlas/v2/orgs\",55,10,5,60]}";
        assertEquals(Duration.ofSeconds(55), answer(429, new DefaultHttpHeaders(), documented).retryAfter());
        assertEquals(Duration.ofSeconds(2), answer(429, new DefaultHttpHeaders().set("Retry-After", "2"), documented).retryAfter());
        // Only the documented code is read positionally: another error's second parameter is no wait.
        assertNull(answer(400, new DefaultHttpHeaders(),
                "{\"error\":400,\"errorCode\":\"INVALID_ATTRIBUTE\",\"parameters\":[\"itemsPerPage\",7]}").retryAfter());
    }

    @Test
    void aForbiddenExportCallNamesTheRoleItNeeds() {
        String body = "{\"error\":403,\"errorCode\":\"USER_CANNOT_ACCESS_ORG\",\"detail\":\"Forbidden.\"}";
        AtlasRequest list = AtlasRequest.get("/api/atlas/v2/groups/x/clusters/c/backup/exports", ReactorAtlasClient.EXPORTS,
                "5f0a0a0a0a0a0a0a0a0a0a0a", "application/json");
        AtlasRequest create = new AtlasRequest("POST", "/api/atlas/v2/groups/x/clusters/c/backup/exports", ReactorAtlasClient.EXPORTS,
                "5f0a0a0a0a0a0a0a0a0a0a0a", "application/json", "application/json", "{}", false);
        AtlasRequest get = AtlasRequest.get("/api/atlas/v2/groups/x/clusters/c/backup/exports/e", ReactorAtlasClient.EXPORT,
                "5f0a0a0a0a0a0a0a0a0a0a0a", "application/json");

        for (AtlasRequest reading : java.util.List.of(list, get)) {
            AtlasApiException e = AtlasErrors.fromResponse(reading, new AtlasResponse(403, new DefaultHttpHeaders(), body.getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("Project Backup Manager"), e.getMessage());
            assertTrue(e.getMessage().contains("Forbidden."), e.getMessage());
            assertEquals(false, e.transientFault());
        }
        AtlasApiException e = AtlasErrors.fromResponse(create, new AtlasResponse(403, new DefaultHttpHeaders(), new byte[0]));
        assertTrue(e.getMessage().contains("Project Backup Export Operator"), e.getMessage());
    }

    @Test
    void retryAfterMayBeAnHttpDate() {
        long start = System.nanoTime();
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        Duration wait = answer(503, new DefaultHttpHeaders().set("Retry-After", inTenSeconds), "").retryAfter();
        // The date has whole seconds; a cold JVM on a busy machine may spend seconds loading classes meanwhile.
        Duration least = Duration.ofSeconds(9).minusNanos(System.nanoTime() - start);
        assertTrue(wait.compareTo(least) >= 0 && wait.compareTo(Duration.ofSeconds(10)) <= 0, wait + " not within " + least + "..10s");
    }

    @Test
    void readsOAuthErrorsAndSurvivesNonJsonBodies() {
        AtlasApiException oauth = answer(401, new DefaultHttpHeaders(), "{\"error\":\"invalid_client\",\"error_description\":\"bad client\"}");
        assertEquals("invalid_client", oauth.errorCode());
        assertEquals("bad client", oauth.detail());

        AtlasApiException html = answer(502, new DefaultHttpHeaders(), "<html>Bad Gateway</html>");
        assertEquals(502, html.status());
        assertNull(html.errorCode());
        assertTrue(html.transientFault());
    }

    @Test
    void noResponseIsStatusZeroAndSaysWhy() {
        assertEquals(AtlasErrors.TIMEOUT, AtlasErrors.noResponse(REQUEST, new TimeoutException("late")).errorCode());
        assertEquals(AtlasErrors.TIMEOUT, AtlasErrors.noResponse(REQUEST, ReadTimeoutException.INSTANCE).errorCode());
        AtlasApiException reset = AtlasErrors.noResponse(REQUEST, new java.io.IOException("Connection reset by peer"));
        assertEquals(0, reset.status());
        assertEquals(AtlasErrors.CONNECTION_FAILED, reset.errorCode());
        assertTrue(reset.transientFault());
    }

    @Test
    void aRefusalWithoutAnErrorBodySaysWhatItsStatusMeans() {
        AtlasApiException bare = answer(401, new DefaultHttpHeaders(), "");
        AtlasApiException nulls = answer(401, new DefaultHttpHeaders(), "{\"error\":401,\"errorCode\":null,\"detail\":null}");

        String expected = "GET /groups/{groupId}/clusters: HTTP 401 - Unauthorized (no error body): "
                + "check the API key or service account and the IP access list";
        assertEquals(expected, bare.getMessage());
        assertEquals(expected, nulls.getMessage());
        assertTrue(answer(502, new DefaultHttpHeaders(), "<html>").getMessage().endsWith("HTTP 502 - Bad Gateway (no error body)"));
    }
}
