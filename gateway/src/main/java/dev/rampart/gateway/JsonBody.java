package dev.rampart.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Parses a request body into a JSON object, or fails with a 400 problem. Nesting depth is checked
 * with the streaming parser first: Jackson 2.13's tree reader recurses, and a deep body must not
 * cost a stack.
 */
public final class JsonBody {
  static final int MAX_DEPTH = 16;
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  private static final ObjectMapper MAPPER =
      new ObjectMapper(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBody() {}

  public static ObjectNode parseObject(byte[] bytes) {
    if (bytes.length == 0)
      throw Problem.badRequest("request body is empty; expected a JSON object").asException();
    checkDepth(bytes);
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw Problem.badRequest("malformed JSON: " + e.getOriginalMessage()).asException();
    } catch (IOException e) {
      throw Problem.badRequest("unreadable JSON body").asException();
    }
    if (!(node instanceof ObjectNode obj))
      throw Problem.badRequest("expected a JSON object at the top level").asException();
    return obj;
  }

  private static void checkDepth(byte[] bytes) {
    try (JsonParser p = FACTORY.createParser(bytes)) {
      int depth = 0;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          if (++depth > MAX_DEPTH)
            throw Problem.badRequest("JSON nested deeper than " + MAX_DEPTH + " levels")
                .asException();
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        }
      }
    } catch (JsonProcessingException e) {
      throw Problem.badRequest("malformed JSON: " + e.getOriginalMessage()).asException();
    } catch (IOException e) {
      throw Problem.badRequest("unreadable JSON body").asException();
    }
  }
}
