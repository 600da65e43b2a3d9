package io.llmanalytics.ui;

import io.llmanalytics.testing.llm.LlmStubProfile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The browser tests' service: the LLM stub, and a SQLite database named as source {@code shop}, the file the
 * {@code sources.mjs} scenario makes (and changes) with sqlite3 at {@link #SHOP_DATABASE}.
 */
public class WebPageProfile extends LlmStubProfile {

    static final Path SHOP_DATABASE =
            Path.of("target", "ui-sources", "shop.sqlite").toAbsolutePath();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("sources.shop.url", "jdbc:sqlite:" + SHOP_DATABASE);
        return config;
    }
}
