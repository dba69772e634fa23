package dev.rampart.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Order ids scoped to their customer. The client's {@code orderId} is an idempotency key within its
 * own orders; the id the Order service stores (and every client sees afterwards) is derived from
 * the customer and that key, so one customer can neither take an id another will use nor learn
 * whether another's order exists by trying its id. Deterministic, so a retry of the same POST maps
 * to the same order on every gateway replica without shared state.
 */
final class OrderIds {
  private OrderIds() {}

  /**
   * Base64url of SHA-256({@code customer ":" key}): 43 characters of [A-Za-z0-9_-], within the
   * Order service's id format. ':' is in neither id's alphabet, so the input is unambiguous.
   */
  static String scoped(String customerId, String clientOrderId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((customerId + ":" + clientOrderId).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
