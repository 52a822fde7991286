package io.github.atlasexport.simulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryOptionsUnitTests {

    private static QueryOptions parse(Map<String, String> query) {
        return QueryOptions.parse(query::get);
    }

    @Test
    void defaultsAreThoseOfAtlas() {
        assertEquals(new QueryOptions(1, 100, true, false, false), parse(Map.of()));
    }

    @ParameterizedTest
    @CsvSource({"itemsPerPage,0", "itemsPerPage,501", "itemsPerPage,ten", "pageNum,0", "pageNum,-3",
            "includeCount,yes", "envelope,1", "pretty,''"})
    void aBadValueIsA400NamingTheParameter(String name, String value) {
        ApiError error = assertThrows(ApiError.class, () -> parse(Map.of(name, value)));
        assertEquals(400, error.status());
        assertEquals("INVALID_QUERY_PARAMETER", error.errorCode());
        assertTrue(error.getMessage().contains(name), error.getMessage());
        String body = new String(error.toResponse().body(), StandardCharsets.UTF_8);
        assertTrue(body.contains("\"parameters\":[\"" + name + "\""), body);
    }

    @Test
    void acceptsTheBounds() {
        assertEquals(500, parse(Map.of("itemsPerPage", "500")).itemsPerPage());
        assertEquals(1, parse(Map.of("itemsPerPage", "1")).itemsPerPage());
        assertTrue(parse(Map.of("envelope", "TRUE", "pretty", "true")).envelope());
    }

    @Test
    void pagesSliceTheListAndKnowWhetherAnotherFollows() {
        List<Integer> all = IntStream.range(0, 7).boxed().toList();
        QueryOptions second = parse(Map.of("pageNum", "2", "itemsPerPage", "3"));
        assertEquals(3, second.offset());
        assertEquals(List.of(3, 4, 5), Page.of(all, second.offset(), second.itemsPerPage()).items());
        assertTrue(second.hasNext(7));
        QueryOptions third = parse(Map.of("pageNum", "3", "itemsPerPage", "3"));
        assertEquals(List.of(6), Page.of(all, third.offset(), third.itemsPerPage()).items());
        assertFalse(third.hasNext(7));
        QueryOptions far = parse(Map.of("pageNum", String.valueOf(Integer.MAX_VALUE), "itemsPerPage", "500"));
        Page<Integer> beyond = Page.of(all, far.offset(), far.itemsPerPage());
        assertEquals(List.of(), beyond.items());
        assertEquals(7, beyond.total());
    }
}
