package io.llmanalytics.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured API keys, kept only as SHA-256 hashes. A presented key is hashed and compared with every known hash
 * in constant time; the caller's id is the first 16 hex digits of the hash, never the key.
 */
public final class KeyRing {

    static final String KEYS_SETTING = "API_KEYS (access.api-keys)";
    static final String FILE_SETTING = "API_KEYS_FILE (access.api-keys-file)";
    private static final String HASH_PREFIX = "sha256:";
    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]+");
    private static final int ID_LENGTH = 16;

    private final List<byte[]> hashes;

    private KeyRing(List<byte[]> hashes) {
        this.hashes = List.copyOf(hashes);
    }

    /** No keys: open mode. */
    public static KeyRing open() {
        return new KeyRing(List.of());
    }

    /**
     * The keys of {@code API_KEYS} and of the file {@code API_KEYS_FILE}. Throws {@link IllegalArgumentException}
     * naming the setting when a key is empty or malformed, or the file cannot be read or holds no key.
     */
    public static KeyRing load(Optional<String> keys, Optional<Path> file) {
        Set<String> hexes = new LinkedHashSet<>();
        keys.filter(k -> !k.isBlank()).ifPresent(list -> {
            String[] parts = list.split(",", -1);
            for (int i = 0; i < parts.length; i++) {
                hexes.add(hexOfKey(parts[i].strip(), KEYS_SETTING + ", key " + (i + 1)));
            }
        });
        file.ifPresent(path -> hexes.addAll(readFile(path)));
        return new KeyRing(hexes.stream().map(HexFormat.of()::parseHex).toList());
    }

    private static List<String> readFile(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    FILE_SETTING + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")", e);
        }
        List<String> hexes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = FILE_SETTING + ", line " + (i + 1) + " of " + path;
            if (line.regionMatches(true, 0, HASH_PREFIX, 0, HASH_PREFIX.length())) {
                String hex = line.substring(HASH_PREFIX.length()).strip();
                if (!HEX_HASH.matcher(hex).matches()) {
                    throw new IllegalArgumentException(where + ": sha256: must be followed by 64 hex digits");
                }
                hexes.add(hex.toLowerCase(Locale.ROOT));
            } else {
                hexes.add(hexOfKey(line, where));
            }
        }
        if (hexes.isEmpty()) {
            throw new IllegalArgumentException(FILE_SETTING + ": " + path + " holds no key");
        }
        return hexes;
    }

    private static String hexOfKey(String key, String where) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException(where + " is empty");
        }
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(where + " has characters other than printable ASCII without spaces");
        }
        return HexFormat.of().formatHex(sha256(key));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isOpen() {
        return hashes.isEmpty();
    }

    public int size() {
        return hashes.size();
    }

    /**
     * The caller id of {@code key} when it is one of the keys. Every known hash is compared, in constant time, whether
     * or not an earlier one matched.
     */
    public Optional<String> idOf(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = sha256(key);
        boolean found = false;
        for (byte[] known : hashes) {
            found |= MessageDigest.isEqual(known, hash);
        }
        return found ? Optional.of(idOfHash(hash)) : Optional.empty();
    }

    /** The caller id of a key given by its hash: the first 16 hex digits. */
    static String idOfHash(byte[] hash) {
        return HexFormat.of().formatHex(hash).substring(0, ID_LENGTH);
    }
}
