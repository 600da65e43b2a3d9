package io.llmanalytics.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.schema.PandasType;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetNamesTest {

    @Test
    void keysAreIdentifierLike() {
        assertEquals("orders_2024_q1", DatasetNames.key("Orders 2024 (Q1)"));
        assertEquals("cafe_creme", DatasetNames.key("Café-Crème"));
        assertEquals("d_2024", DatasetNames.key("2024"));
        assertEquals("data", DatasetNames.key("***"));
        assertEquals("data", DatasetNames.key(null));
        assertEquals(DatasetNames.MAX_LENGTH, DatasetNames.key("x".repeat(200)).length());
    }

    @Test
    void clashesGetASuffix() {
        assertEquals("orders", DatasetNames.unique("orders", List.of("customers")));
        assertEquals("orders_2", DatasetNames.unique("Orders", List.of("orders")));
        assertEquals("orders_3", DatasetNames.unique("orders", List.of("orders", "orders_2")));
    }

    @Test
    void relatedColumnNames() {
        assertTrue(SharedColumns.related("orders", "customer_id", "customers", "id"));
        assertTrue(SharedColumns.related("customers", "id", "orders", "CustomerID"));
        assertTrue(SharedColumns.related("cities", "code", "people", "city_code"));
        assertTrue(SharedColumns.related("a", "Region", "b", "region"));
        assertFalse(SharedColumns.related("orders", "amount", "customers", "id"));
        assertFalse(SharedColumns.related("orders", "order_id", "customers", "id"));
    }

    @Test
    void numbersCompareByValue() {
        assertEquals(
                SharedColumns.normalise(PandasType.INT64, "3"), SharedColumns.normalise(PandasType.FLOAT64, "3.0"));
        assertEquals("abc", SharedColumns.normalise(PandasType.OBJECT, " abc "));
        assertTrue(SharedColumns.compatible(PandasType.INT64, PandasType.FLOAT64));
        assertFalse(SharedColumns.compatible(PandasType.INT64, PandasType.OBJECT));
    }
}
