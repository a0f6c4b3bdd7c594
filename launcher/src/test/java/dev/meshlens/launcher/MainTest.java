package dev.meshlens.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class MainTest {

  /** Every subcommand the launcher advertises must exist with the run(String[]) contract. */
  @Test
  void everyAdvertisedCommandIsOnTheClasspath() throws Exception {
    for (var entry : Main.COMMANDS.entrySet()) {
      Class<?> c = Class.forName(entry.getValue().className());
      Method run = c.getMethod("run", String[].class);
      assertTrue(Modifier.isStatic(run.getModifiers()), entry.getKey() + ": run must be static");
      assertEquals(int.class, run.getReturnType(), entry.getKey() + ": run must return an exit code");
    }
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertEquals(2, Main.run(new String[] {"frobnicate"}));
  }
}
