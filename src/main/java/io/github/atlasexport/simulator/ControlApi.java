package io.github.atlasexport.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.atlasexport.atlas.ApiVersion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The simulator's own JSON API under {@code /__sim/} (no auth, not counted, never faulted):
 * <pre>
 * GET    /__sim/                                   this list of routes
 * GET    /__sim/state                              summary: clock, sizes, jobs by state, faults
 * POST   /__sim/clock/advance                      {"seconds": 90} or {"duration": "5m"}
 * PUT    /__sim/jobs/{groupId}/{cluster}/{jobId}/state   {"state": "Failed", "reason": "..."} (POST too)
 * POST   /__sim/jobs/{groupId}/{cluster}           a {@link JobPlan}; answers the new job (v2 shape)
 * GET    /__sim/faults                             faults still able to fire
 * POST   /__sim/faults                             {"faults": [...]} replaces them; [] clears
 * DELETE /__sim/faults                             clears them
 * GET    /__sim/requests                           {@link RequestCounts}
 * POST   /__sim/reset-counters                     zeroes the request counts
 * </pre>
 */
final class ControlApi {
    static final String PREFIX = "/__sim/";
    /** {@code GET /__sim/} arrives as this: request paths lose a trailing slash. */
    static final String ROOT = "/__sim";
    /** What {@code GET /__sim/} lists, so that the control API can be found from the running simulator. */
    static final List<Route> ROUTES = List.of(
            new Route("GET", "/__sim/state", "summary: clock, sizes, jobs by state, faults"),
            new Route("POST", "/__sim/clock/advance", "advance the clock: {\"seconds\": 90} or {\"duration\": \"5m\"}"),
            new Route("PUT", "/__sim/jobs/{groupId}/{clusterName}/{jobId}/state",
                    "force a job's state: {\"state\": \"Failed\", \"reason\": \"...\"}"),
            new Route("POST", "/__sim/jobs/{groupId}/{clusterName}", "add a job (a job plan as the body); answers the job"),
            new Route("GET", "/__sim/faults", "faults still able to fire"),
            new Route("POST", "/__sim/faults", "replace the faults: {\"faults\": [...]}; [] clears"),
            new Route("DELETE", "/__sim/faults", "clear the faults"),
            new Route("GET", "/__sim/requests", "requests received, by kind"),
            new Route("POST", "/__sim/reset-counters", "zero the request counts"));

    record Route(String method, String path, String description) {
    }

    private final Simulation sim;

    ControlApi(Simulation sim) {
        this.sim = sim;
    }

    SimResponse handle(SimRequest request) {
        try {
            if (request.path().equals(ROOT)) {
                return routes(request);
            }
            return route(request, request.path().substring(PREFIX.length()).split("/"));
        } catch (NoSuchElementException e) {
            return error(404, e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (JsonProcessingException e) {
            return error(400, "bad JSON body: " + e.getOriginalMessage());
        }
    }

    private SimResponse route(SimRequest request, String[] s) throws JsonProcessingException {
        String method = request.method();
        String what = s[0];
        if (s.length == 1 && what.equals("state") && method.equals("GET")) {
            return ok(SimJson.JSON.valueToTree(sim.summary()));
        }
        if (s.length == 2 && what.equals("clock") && s[1].equals("advance") && method.equals("POST")) {
            JsonNode body = body(request);
            Duration by;
            if (body.has("duration")) {
                by = SimDurations.parse(body.get("duration").asText());
            } else if (body.path("seconds").isNumber()) {
                by = Duration.ofMillis(Math.round(body.get("seconds").asDouble() * 1000));
            } else {
                throw new IllegalArgumentException("give {\"seconds\": N} or {\"duration\": \"5m\"}");
            }
            return ok(SimJson.JSON.createObjectNode().put("now", AtlasJson.timestamp(sim.advance(by))));
        }
        if (s.length == 5 && what.equals("jobs") && s[4].equals("state") && (method.equals("PUT") || method.equals("POST"))) {
            JsonNode body = body(request);
            JsonNode reason = body.get("reason");
            SimJob job = sim.setJobState(s[1], s[2], s[3], body.path("state").asText(null),
                    reason == null || reason.isNull() ? null : reason.asText());
            return job(request, s[1], s[2], job);
        }
        if (s.length == 3 && what.equals("jobs") && method.equals("POST")) {
            JobPlan plan = request.body().isBlank() ? JobPlan.DEFAULT : SimJson.JSON.readValue(request.body(), JobPlan.class);
            return job(request, s[1], s[2], sim.addJob(s[1], s[2], plan));
        }
        if (s.length == 1 && what.equals("faults")) {
            switch (method) {
                case "GET" -> {
                    return ok(SimJson.JSON.createObjectNode().set("faults", SimJson.JSON.valueToTree(sim.faults.active())));
                }
                case "POST", "PUT" -> {
                    List<Fault> faults = new ArrayList<>();
                    for (JsonNode f : body(request).path("faults")) {
                        faults.add(SimJson.JSON.treeToValue(f, Fault.class));
                    }
                    sim.setFaults(faults);
                    return ok(SimJson.JSON.createObjectNode().set("faults", SimJson.JSON.valueToTree(faults)));
                }
                case "DELETE" -> {
                    sim.setFaults(List.of());
                    return ok(SimJson.JSON.createObjectNode().set("faults", SimJson.JSON.createArrayNode()));
                }
                default -> {
                    return error(405, "faults: use GET, POST or DELETE");
                }
            }
        }
        if (s.length == 1 && what.equals("requests") && method.equals("GET")) {
            RequestCounts counts = sim.requests.snapshot();
            ObjectNode body = SimJson.JSON.valueToTree(counts);
            return ok(body.put("total", counts.total()));
        }
        if (s.length == 1 && what.equals("reset-counters") && method.equals("POST")) {
            sim.requests.reset();
            return ok(SimJson.JSON.createObjectNode().put("reset", true));
        }
        throw new NoSuchElementException("no control route " + method + " " + request.path());
    }

    private static SimResponse routes(SimRequest request) {
        if (!request.method().equals("GET")) {
            return error(405, "the route list: use GET");
        }
        return ok(SimJson.JSON.createObjectNode().set("routes", SimJson.JSON.valueToTree(ROUTES)));
    }

    private SimResponse job(SimRequest request, String groupId, String clusterName, SimJob job) {
        Simulation.Located where = sim.locate(groupId, clusterName);
        return SimResponse.json(200, "application/json", AtlasJson.single(job,
                AtlasJson.job(where.project(), where.cluster(), sim.clock.instant(), ApiVersion.V2,
                        request.baseUrl() + "/api/atlas/v2"), 200, QueryOptions.DEFAULT));
    }

    private static JsonNode body(SimRequest request) throws JsonProcessingException {
        JsonNode body = request.body().isBlank() ? SimJson.JSON.createObjectNode() : SimJson.JSON.readTree(request.body());
        if (!body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        return body;
    }

    private static SimResponse ok(JsonNode body) {
        return SimResponse.json(200, "application/json", body.toString());
    }

    private static SimResponse error(int status, String message) {
        return SimResponse.json(status, "application/json",
                SimJson.JSON.createObjectNode().put("error", message).toString());
    }
}
