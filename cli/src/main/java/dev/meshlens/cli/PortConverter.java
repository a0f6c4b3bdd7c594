package dev.meshlens.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A TCP port option: 0 (any free port) to 65535; anything else is a usage error naming the option. */
public final class PortConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
        try {
            int p = Integer.parseInt(value.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new TypeConversionException("expected a port 0..65535, not '" + value + "'");
    }
}
