package dev.meshlens.localstack.node.es;

import java.nio.file.Path;
import java.util.Set;
import org.elasticsearch.plugins.PluginBundle;
import org.elasticsearch.plugins.PluginsLoader;

/** The one call whose signature differs between the 9.x and 8.19 server lines (9.x flavour). */
final class ModulesCompat {
    private ModulesCompat() {}

    static Set<PluginBundle> loadModules(Path modulesDir) {
        return PluginsLoader.loadModulesBundles(modulesDir, false);
    }
}
