package dev.meshlens.localstack.node.es;

import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.LowerCaseFilter;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * The analysis components the security plugin's {@code .security} index declares for its {@code email} analyzer
 * (tokenizer {@code uax_url_email}; filters {@code pattern_capture}, {@code lowercase}, {@code unique}). They belong to
 * the analysis-common module, which is not published to Maven Central; without them the index cannot be created, and
 * with it no API key. Lucene (on the server's classpath) has each one; this only names them.
 */
public final class SecurityIndexAnalysis extends Plugin implements AnalysisPlugin {
    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("uax_url_email", (indexSettings, env, name, settings) -> tokenizer(name));
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
                "lowercase", (indexSettings, env, name, settings) -> filter(name, LowerCaseFilter::new),
                "unique", (indexSettings, env, name, settings) -> filter(name, RemoveDuplicatesTokenFilter::new),
                "pattern_capture", (indexSettings, env, name, settings) -> {
                    boolean preserveOriginal = settings.getAsBoolean("preserve_original", true);
                    Pattern[] patterns = settings.getAsList("patterns").stream()
                            .map(Pattern::compile)
                            .toArray(Pattern[]::new);
                    return filter(name, in -> new PatternCaptureGroupTokenFilter(in, preserveOriginal, patterns));
                });
    }

    private static TokenizerFactory tokenizer(String name) {
        return new TokenizerFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Tokenizer create() {
                return new UAX29URLEmailTokenizer();
            }
        };
    }

    private static TokenFilterFactory filter(String name, UnaryOperator<TokenStream> f) {
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream in) {
                return f.apply(in);
            }
        };
    }
}
