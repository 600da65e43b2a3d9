package io.llmanalytics.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArrivingFileTest {

    @TempDir
    Path dir;

    @Test
    void aReaderGetsEveryByteInOrderWhileTheyArriveAndEndsOnlyWhenTheFileIsWhole() throws Exception {
        Path path = dir.resolve("upload");
        ArrivingFile file = new ArrivingFile(path, Duration.ofSeconds(30));
        byte[] content = new byte[3_000_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + i / 7);
        }
        Files.createFile(path);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = file.open()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (OutputStream out = Files.newOutputStream(path)) {
            for (int at = 0; at < content.length; at += 70_001) {
                int n = Math.min(70_001, content.length - at);
                out.write(content, at, n);
                out.flush();
                file.arrived(n);
                assertFalse(read.isDone(), "a read ends only once the file is whole");
            }
        }
        assertFalse(file.isComplete());
        file.complete();
        assertArrayEquals(content, read.get(30, TimeUnit.SECONDS));
        assertEquals(content.length, file.received().await().atMost(Duration.ofSeconds(5)));
        assertEquals(path, file.awaitWhole());
        try (InputStream again = file.open()) {
            assertTrue(Arrays.equals(content, again.readAllBytes()), "a whole file reads again from its start");
        }
    }

    @Test
    void aFailedUploadEndsTheReadsWaitingForItWithItsReason() throws Exception {
        Path path = Files.write(dir.resolve("upload"), new byte[] {'a', ',', 'b', '\n'});
        ArrivingFile file = new ArrivingFile(path, Duration.ofSeconds(30));
        file.arrived(4);
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = file.open()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        file.fail("the upload was cut off: connection reset");
        ExecutionException error = assertThrows(ExecutionException.class, () -> read.get(30, TimeUnit.SECONDS));
        assertEquals(
                "the upload was cut off: connection reset",
                error.getCause().getCause().getMessage());
        IOException whole = assertThrows(IOException.class, file::awaitWhole);
        assertEquals("the upload was cut off: connection reset", whole.getMessage());
        assertThrows(Exception.class, () -> file.received().await().atMost(Duration.ofSeconds(5)));
    }

    @Test
    void aReadWaitingLongerThanTheStallForItsNextBytesFails() throws Exception {
        Path path = Files.write(dir.resolve("upload"), new byte[] {'x'});
        ArrivingFile file = new ArrivingFile(path, Duration.ofMillis(200));
        file.arrived(1);
        try (InputStream in = file.open()) {
            assertEquals('x', in.read());
            IOException stalled = assertThrows(IOException.class, in::read);
            assertEquals("no more of the upload arrived for 200 ms", stalled.getMessage());
        }
    }

    @Test
    void aWholeFileIsReadAtOnce() throws Exception {
        Path path = Files.write(dir.resolve("upload"), "a\n1\n".getBytes());
        ArrivingFile file = ArrivingFile.whole(path, 4);
        assertTrue(file.isComplete());
        try (InputStream in = file.open()) {
            assertEquals("a\n1\n", new String(in.readAllBytes()));
        }
    }
}
