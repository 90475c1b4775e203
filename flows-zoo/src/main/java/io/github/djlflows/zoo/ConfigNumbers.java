package io.github.djlflows.zoo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Checks the whole-number fields of a JSON config before Gson reads them: Gson turns {@code 2.5}
 * into 2 and {@code 1e10} into an int of its low 32 bits (1410065408 layers), silently.
 */
final class ConfigNumbers {

    private ConfigNumbers() {}

    /**
     * Throws when a field of type int or long (or an array of them) holds anything but a whole
     * number in that type's range; {@code null} is left to Gson (the default stays).
     *
     * @param json the config object, its keys known fields of {@code type}
     * @param type the class the config is read into
     * @param source a name for messages
     * @throws IOException naming the key, what was expected and what came
     */
    static void check(JsonObject json, Class<?> type, String source) throws IOException {
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            Class<?> field;
            try {
                field = type.getField(entry.getKey()).getType();
            } catch (NoSuchFieldException e) {
                continue;
            }
            boolean isInt = field == int.class || field == int[].class;
            boolean isLong = field == long.class || field == long[].class;
            if (!isInt && !isLong) {
                continue;
            }
            JsonElement value = entry.getValue();
            Iterable<JsonElement> items =
                    value.isJsonArray() ? value.getAsJsonArray() : List.of(value);
            for (JsonElement item : items) {
                if (item.isJsonNull()) {
                    continue;
                }
                try {
                    BigDecimal number = item.getAsJsonPrimitive().getAsBigDecimal();
                    if (isInt) {
                        number.intValueExact();
                    } else {
                        number.longValueExact();
                    }
                } catch (IllegalStateException | ArithmeticException | NumberFormatException e) {
                    throw new IOException(
                            String.format(
                                    "config %s: '%s' must be a whole number (%s), got %s",
                                    source, entry.getKey(), isInt ? "32-bit" : "64-bit", item));
                }
            }
        }
    }
}
