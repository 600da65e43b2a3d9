package io.llmanalytics.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/** Converts JSON trees to the plain values BSON documents hold. */
final class JsonBson {

    private JsonBson() {}

    static Object toBson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Document doc = new Document();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                doc.append(field.getKey(), toBson(field.getValue()));
            }
            return doc;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(toBson(n)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }
}
