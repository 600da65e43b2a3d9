package io.llmanalytics.analyst.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.schema.DatasetSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How question words find columns and values: case, spaces and underscores, plurals, close spellings, parts of
 * longer names, abbreviations, values of text columns, and the words that must never become a column.
 */
class MatchingTest {

    private static final DatasetSchema SHOP = TestTables.csv("shop", """
            order_date,Product Category,unit_price,Revenue,region,PassengerId,wind speed,is_member,lifeexp
            2024-01-05,Electronics,10.5,100,North,1,3.5,yes,70.1
            2024-01-06,Home & Garden,20,200,South,2,4,no,71.2
            2024-02-01,Electronics,30,300,North,3,5.5,yes,72.3
            2024-02-03,Toys,7.25,50,East,4,1,no,73.4
            """);

    private static List<Item> items(String question) {
        return new Annotator(Lexicon.of(SHOP)).annotate(Tokenizer.tokenize(question));
    }

    private static String column(String question) {
        List<Item> columns = items(question).stream().filter(Item::isColumn).toList();
        assertEquals(1, columns.size(), () -> question + ": " + items(question));
        return columns.get(0).column().name();
    }

    @Test
    void matchesColumnNamesWhateverTheCase() {
        assertEquals("Revenue", column("total REVENUE"));
        assertEquals("Revenue", column("total revenue"));
        assertEquals("PassengerId", column("the passengerid"));
        assertEquals("PassengerId", column("the Passenger Id"));
    }

    @Test
    void matchesSpacesUnderscoresAndJoinedWords() {
        assertEquals("unit_price", column("average unit price"));
        assertEquals("unit_price", column("average unit_price"));
        assertEquals("unit_price", column("average unitprice"));
        assertEquals("wind speed", column("max wind_speed"));
        assertEquals("wind speed", column("max windspeed"));
        assertEquals("order_date", column("by order date"));
        assertEquals("Product Category", column("by product category"));
    }

    @Test
    void matchesPluralsAndSingulars() {
        assertEquals("Revenue", column("revenues"));
        assertEquals("region", column("regions"));
        assertEquals("Product Category", column("product categories"));
    }

    @Test
    void matchesCloseSpellings() {
        assertEquals("Revenue", column("total reveune"));
        assertEquals("Revenue", column("total revnue"));
        assertEquals("region", column("by regoin"));
        assertEquals("unit_price", column("unit prcie"));
        assertEquals("wind speed", column("wind sped"));
    }

    @Test
    void matchesPartOfALongerNameWhenOnlyOneColumnHasIt() {
        assertEquals("unit_price", column("the price"));
        assertEquals("Product Category", column("by category"));
        assertEquals("is_member", column("members"));
    }

    @Test
    void matchesAbbreviatedNames() {
        assertEquals("lifeexp", column("average life expectancy"));
        assertTrue(Lexicon.abbreviates("gdppercap", List.of("gdp", "per", "capita")));
        assertFalse(Lexicon.abbreviates("gdppercap", List.of("gross", "domestic", "product")));
    }

    @Test
    void aWordOfSeveralColumnsIsAmbiguous() {
        DatasetSchema abalone = TestTables.dabenchSchema("abalone.csv");
        List<Item> items = new Annotator(Lexicon.of(abalone)).annotate(Tokenizer.tokenize("average weight"));
        Item weight = items.get(1);
        assertEquals(Item.Kind.AMBIGUOUS, weight.kind());
        assertEquals(4, weight.candidates().size());
        Item whole = new Annotator(Lexicon.of(abalone))
                .annotate(Tokenizer.tokenize("average whole weight"))
                .get(1);
        assertEquals("Whole weight", whole.column().name());
    }

    @Test
    void matchesValuesOfTextColumns() {
        Item electronics = items("revenue in Electronics").get(2);
        assertEquals(Item.Kind.VALUE, electronics.kind());
        assertEquals("Product Category", electronics.column().name());
        assertEquals("Electronics", electronics.value());
        assertEquals("Electronics", items("revenue in electronics").get(2).value());
        assertEquals("Electronics", items("revenue in electroncs").get(2).value(), "a close spelling of a value");
        Item garden = items("revenue of home & garden").get(2);
        assertEquals("Home & Garden", garden.value(), "a value of several words");
        assertEquals("North", items("revenue for the north").get(3).value());
    }

    @Test
    void everydayWordsForSexValues() {
        DatasetSchema titanic = TestTables.dabenchSchema("titanic.csv");
        Item women = new Annotator(Lexicon.of(titanic))
                .annotate(Tokenizer.tokenize("women"))
                .get(0);
        assertEquals("female", women.value());
        Item men = new Annotator(Lexicon.of(titanic))
                .annotate(Tokenizer.tokenize("men"))
                .get(0);
        assertEquals("male", men.value());
    }

    @Test
    void functionWordsAndRowWordsAreNeverColumns() {
        DatasetSchema titanic = TestTables.dabenchSchema("titanic.csv");
        List<Item> items =
                new Annotator(Lexicon.of(titanic)).annotate(Tokenizer.tokenize("how many passengers are there"));
        assertTrue(items.stream().noneMatch(Item::isColumn), "passengers are the rows, not PassengerId: " + items);
        DatasetSchema hotels = TestTables.dabenchSchema("hotel_data.csv");
        List<Item> hotelItems = new Annotator(Lexicon.of(hotels)).annotate(Tokenizer.tokenize("hotels in Brooklyn"));
        assertEquals(Item.Kind.AMBIGUOUS, hotelItems.get(0).kind(), "not the hotel_type value 'Hotel'");
    }

    @Test
    void yesNoColumnsAreRecognised() {
        Lexicon lexicon = Lexicon.of(SHOP);
        Column member = lexicon.column("is_member").orElseThrow();
        assertTrue(member.yesNo());
        assertEquals("'yes'", member.truthy());
        assertEquals("'no'", member.falsy());
        Column titanicSurvived = Lexicon.of(TestTables.dabenchSchema("titanic.csv"))
                .column("Survived")
                .orElseThrow();
        assertEquals("1", titanicSurvived.truthy());
        assertFalse(lexicon.column("Revenue").orElseThrow().yesNo());
        assertTrue(lexicon.column("PassengerId").orElseThrow().identifier());
    }

    @Test
    void wordsAreFoldedAndSingular() {
        assertEquals("category", Words.singular("categories"));
        assertEquals("class", Words.singular("class"));
        assertEquals("box", Words.singular("boxes"));
        assertEquals("person", Words.singular("people"));
        assertEquals("status", Words.singular("status"));
        assertEquals("electronique", Words.fold("Électronique"));
        assertEquals(List.of("passenger", "id"), Words.nameWords("PassengerId"));
        assertEquals(List.of("economy", "gdp", "per", "capita"), Words.nameWords("Economy (GDP per Capita)"));
        assertEquals(List.of("html", "parser"), Words.nameWords("HTMLParser"));
        assertTrue(Words.close("average", "avrage"));
        assertTrue(Words.close("correlation", "corelation"));
        assertFalse(Words.close("fare", "care"), "a different first letter");
        assertFalse(Words.close("sex", "set"), "too short to tell");
        assertEquals(1, Words.distance("ab", "ba", 2), "a swap is one edit");
    }

    @Test
    void tokenizesNumbersDatesQuotesAndSymbols() {
        List<Token> tokens =
                Tokenizer.tokenize("revenue over $1,250.50 and 2.5k, 15% in 2024-03 for 'Acme Inc' >= 3rd");
        assertEquals(1250.5, tokens.get(2).number());
        assertEquals(2500, tokens.get(4).number());
        assertEquals(15, tokens.get(5).number());
        assertEquals(Token.Kind.SYMBOL, tokens.get(6).kind());
        assertEquals(Token.Kind.DATE, tokens.get(8).kind());
        assertEquals(Token.Kind.QUOTED, tokens.get(10).kind());
        assertEquals("Acme Inc", tokens.get(10).raw());
        assertEquals(">=", tokens.get(11).raw());
        assertEquals(3, tokens.get(12).number());
        assertEquals("what", Tokenizer.tokenize("what's the total").get(0).word(), "the 's is dropped");
        assertTrue(Tokenizer.tokenize("in 2024").get(1).isYear());
    }
}
