package dev.meshlens.telemetry.log;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    @AfterEach
    void clear() {
        System.clearProperty(LogFormat.PROPERTY);
    }

    @Test
    void textUnlessAsked() {
        assertEquals(LogFormat.TEXT, LogFormat.configured(Map.of()));
        assertEquals(LogFormat.JSON, LogFormat.configured(Map.of(LogFormat.ENV, "JSON")));
    }

    @Test
    void thePropertyWinsOverTheEnvironment() {
        System.setProperty(LogFormat.PROPERTY, "text");
        assertEquals(LogFormat.TEXT, LogFormat.configured(Map.of(LogFormat.ENV, "json")));
    }

    @Test
    void aWrongValueNamesTheVariableAndTheChoices() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LogFormat.configured(Map.of(LogFormat.ENV, "xml")));
        assertTrue(e.getMessage().contains("MESHLENS_LOG_FORMAT"), e.getMessage());
        assertTrue(e.getMessage().contains("json") && e.getMessage().contains("text"), e.getMessage());
    }
}
