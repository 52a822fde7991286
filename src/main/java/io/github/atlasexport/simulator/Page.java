package io.github.atlasexport.simulator;

import java.util.List;

/** One page of a list and the size of the whole list. */
record Page<T>(List<T> items, int total) {

    /** The page of an in-memory list, without copying it. */
    static <T> Page<T> of(List<T> all, long offset, int limit) {
        int from = (int) Math.min(offset, all.size());
        int to = (int) Math.min(offset + limit, all.size());
        return new Page<>(all.subList(from, to), all.size());
    }
}
