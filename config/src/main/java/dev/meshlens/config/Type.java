package dev.meshlens.config;

/** What a key holds; {@link #expected} is how errors and docs say it. */
public enum Type {
    STRING("a string"),
    INT("an integer"),
    LONG("an integer"),
    BOOLEAN("true or false"),
    DURATION(Durations.EXPECTED),
    SECRET("a secret: the value, or NAME_file (a file holding it) or NAME_env (an environment variable holding it)"),
    ENUM("one of the listed values"),
    STRING_LIST("a list of strings"),
    CSV_LIST("a list of strings (or one comma-separated string)"),
    PROPERTIES("a mapping of client property names to values"),
    LIST("a list of mappings"),
    ANY("a value as described");

    final String expected;

    Type(String expected) {
        this.expected = expected;
    }

    public String expected() {
        return expected;
    }
}
