package dev.rampart.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collects every invalid field of one request body (so a client sees all problems at once), then
 * throws a single 400 validation problem. Reading a field of the wrong type records an error and
 * yields a neutral value.
 */
final class FieldChecks {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private final List<Problem.FieldError> errors = new ArrayList<>();

  void error(String pointer, String detail) {
    errors.add(new Problem.FieldError(pointer, detail));
  }

  /** Unknown members are an error: a typo must not silently drop data. */
  void onlyKnown(ObjectNode obj, String base, Set<String> known) {
    for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) error(base + "/" + escape(name), "unknown field");
    }
  }

  String string(ObjectNode obj, String base, String field, int min, int max, boolean required) {
    JsonNode n = obj.get(field);
    String ptr = base + "/" + field;
    if (n == null || n.isNull()) {
      if (required) error(ptr, "is required");
      return "";
    }
    if (!n.isTextual()) {
      error(ptr, "must be a string");
      return "";
    }
    String s = n.textValue();
    int len = s.codePointCount(0, s.length());
    if (len < min || len > max) error(ptr, "length must be " + min + ".." + max);
    else if (hasControlChars(s)) error(ptr, "must not contain control characters");
    return s;
  }

  String matching(
      ObjectNode obj, String base, String field, Pattern pattern, String what, boolean required) {
    String s = string(obj, base, field, required ? 1 : 0, 256, required);
    if (!s.isEmpty() && !pattern.matcher(s).matches()) error(base + "/" + field, "must be " + what);
    return s;
  }

  long integer(ObjectNode obj, String base, String field, long min, long max) {
    JsonNode n = obj.get(field);
    String ptr = base + "/" + field;
    if (n == null || n.isNull()) {
      error(ptr, "is required");
      return min;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      error(ptr, "must be an integer");
      return min;
    }
    long v = n.longValue();
    if (v < min || v > max) error(ptr, "must be " + min + ".." + max);
    return v;
  }

  ObjectNode object(ObjectNode obj, String base, String field) {
    JsonNode n = obj.get(field);
    if (n instanceof ObjectNode o) return o;
    error(base + "/" + field, n == null || n.isNull() ? "is required" : "must be an object");
    return null;
  }

  void throwIfAny() {
    if (!errors.isEmpty()) throw Problem.validation(errors).asException();
  }

  /** Path parameters: one identifier, or a 400 naming the parameter. */
  static String pathId(String name, String value) {
    if (!ID.matcher(value).matches())
      throw Problem.validation(
              List.of(new Problem.FieldError(name, "must be 1..64 characters [A-Za-z0-9_-]")))
          .asException();
    return value;
  }

  private static boolean hasControlChars(String s) {
    for (int i = 0; i < s.length(); i++) if (Character.isISOControl(s.charAt(i))) return true;
    return false;
  }

  private static String escape(String name) {
    String n = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return n.replace("~", "~0").replace("/", "~1");
  }
}
