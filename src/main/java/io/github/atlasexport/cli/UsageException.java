package io.github.atlasexport.cli;

/** Bad flags or arguments that picocli cannot see on its own; exits 2 like any usage error. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
