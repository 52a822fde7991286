package io.github.atlasexport.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * The simulator's Jackson mappers: durations read and written as {@code 10s}, instants written as
 * Atlas writes them, unknown fields rejected.
 */
final class SimJson {
    static final ObjectMapper JSON = configure(JsonMapper.builder().build());
    static final ObjectMapper YAML = configure(YAMLMapper.builder().build());

    private SimJson() {
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        SimpleModule durations = new SimpleModule("sim-durations");
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        durations.addSerializer(Duration.class, new DurationSerializer());
        durations.addSerializer(Instant.class, new InstantSerializer());
        return mapper.registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** {@code "10s"}, {@code "PT10S"} or a number of seconds. */
    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : p.getValueAsString();
            if (text == null) {
                throw InvalidFormatException.from(p, "expected a duration such as 10s", null, Duration.class);
            }
            try {
                return SimDurations.parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
            }
        }
    }

    private static final class DurationSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(SimDurations.format(value));
        }
    }

    private static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(AtlasJson.timestamp(value));
        }
    }
}
