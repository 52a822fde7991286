package io.github.atlasexport.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Atlas-style error answer: {@code {detail, error, errorCode, parameters, reason}}. Thrown by
 * handlers and turned into the response by the dispatcher; no stack trace, it is a value.
 */
final class ApiError extends RuntimeException {
    private final int status;
    private final String errorCode;
    private final List<?> parameters;
    private final Map<String, String> headers;

    ApiError(int status, String errorCode, String detail, List<?> parameters, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
        this.parameters = List.copyOf(parameters);
        this.headers = Map.copyOf(headers);
    }

    static ApiError of(int status, String errorCode, String detail, Object... parameters) {
        return new ApiError(status, errorCode, detail, List.of(parameters), Map.of());
    }

    static ApiError badRequest(String errorCode, String detail, Object... parameters) {
        return of(400, errorCode, detail, parameters);
    }

    static ApiError notFound(String errorCode, String detail, Object... parameters) {
        return of(404, errorCode, detail, parameters);
    }

    ApiError withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiError(status, errorCode, getMessage(), parameters, copy);
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    SimResponse toResponse() {
        ObjectNode body = SimJson.JSON.createObjectNode();
        body.put("detail", getMessage());
        body.put("error", status);
        body.put("errorCode", errorCode);
        ArrayNode params = body.putArray("parameters");
        parameters.forEach(p -> params.add(SimJson.JSON.valueToTree(p)));
        body.put("reason", HttpResponseStatus.valueOf(status).reasonPhrase());
        SimResponse response = SimResponse.json(status, "application/json", body.toString());
        for (Map.Entry<String, String> h : headers.entrySet()) {
            response = response.withHeader(h.getKey(), h.getValue());
        }
        return response;
    }
}
