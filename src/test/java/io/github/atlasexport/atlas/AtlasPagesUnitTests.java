package io.github.atlasexport.atlas;

import io.github.atlasexport.atlas.AtlasPages.ListBody;
import io.github.atlasexport.atlas.AtlasPages.Walk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A walk through a list's pages: each id once, and whether the list shifted under it. Items here are "id:body". */
class AtlasPagesUnitTests {

    private static Walk<String> walk(List<ListBody<String>> pages) {
        return Walk.of(pages, item -> item.substring(0, item.indexOf(':')));
    }

    private static ListBody<String> page(Long count, String... items) {
        return new ListBody<>(List.of(items), count);
    }

    @Test
    void pagesThatAgreeAreOneConsistentList() {
        Walk<String> walk = walk(List.of(page(4L, "a:1", "b:1"), page(4L, "c:1", "d:1")));
        assertEquals(List.of("a:1", "b:1", "c:1", "d:1"), walk.items());
        assertTrue(walk.consistent());
    }

    @Test
    void anItemPushedOntoTheNextPageComesOnceAndShowsTheShift() {
        // "new" was added ahead of everything after page 1 was read: "b" slid onto page 2
        Walk<String> walk = walk(List.of(page(4L, "a:1", "b:1"), page(5L, "b:2", "c:1", "d:1")));
        assertEquals(List.of("a:1", "b:2", "c:1", "d:1"), walk.items(), "first position, last body");
        assertFalse(walk.consistent());
    }

    @Test
    void aCountThatChangesBetweenPagesShowsARemoval() {
        // "a" was removed after page 1 was read: "c" slid onto page 1, unseen
        assertFalse(walk(List.of(page(4L, "a:1", "b:1"), page(3L, "d:1"))).consistent());
    }

    @Test
    void fewerItemsThanCountedOverSeveralPagesShowALostPage() {
        assertFalse(walk(List.of(page(4L, "a:1", "b:1"), page(4L))).consistent());
    }

    @Test
    void aSinglePageOrOneWithoutCountsIsTakenAsItIs() {
        assertTrue(walk(List.of(page(9L, "a:1"))).consistent(), "the count is an estimate: one page is one answer");
        assertTrue(walk(List.of(page(null, "a:1", "b:1"), page(null, "c:1"))).consistent());
        assertTrue(walk(List.of()).consistent());
    }
}
