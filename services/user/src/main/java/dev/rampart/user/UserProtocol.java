package dev.rampart.user;

import dev.rampart.proto.user.v1.Address;
import dev.rampart.proto.user.v1.OrderSummary;
import dev.rampart.proto.user.v1.RegisterRequest;
import dev.rampart.proto.user.v1.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The gRPC side of the User API: what a valid request is, and the mapping to and from the entity's
 * types.
 */
public final class UserProtocol {
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");
  private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

  /** The problems of a user id, empty when valid. */
  public static List<String> userIdProblems(String userId) {
    return USER_ID.matcher(userId).matches()
        ? List.of()
        : List.of("user_id must be 1..64 characters of [A-Za-z0-9_-]");
  }

  public static List<String> registerProblems(RegisterRequest request) {
    List<String> problems = new ArrayList<>(userIdProblems(request.getUserId()));
    if (request.getName().isBlank() || request.getName().length() > 200) {
      problems.add("name must be 1..200 characters");
    }
    if (!EMAIL.matcher(request.getEmail()).matches()) {
      problems.add("email must look like local@domain (at most 254 characters)");
    }
    problems.addAll(
        addressProblems(
            request.hasAddress() ? Optional.of(request.getAddress()) : Optional.empty()));
    return problems;
  }

  public static List<String> addressProblems(Optional<Address> address) {
    if (address.isEmpty()) {
      return List.of("address is required");
    }
    Address a = address.get();
    List<String> problems = new ArrayList<>();
    if (a.getStreet().isBlank() || a.getStreet().length() > 200) {
      problems.add("address.street must be 1..200 characters");
    }
    if (a.getCity().isBlank() || a.getCity().length() > 100) {
      problems.add("address.city must be 1..100 characters");
    }
    if (a.getPostalCode().isBlank() || a.getPostalCode().length() > 20) {
      problems.add("address.postal_code must be 1..20 characters");
    }
    if (!COUNTRY.matcher(a.getCountry()).matches()) {
      problems.add("address.country must be an ISO 3166-1 alpha-2 code such as DE");
    }
    return problems;
  }

  public static UserProfile.Address fromProto(Address a) {
    return new UserProfile.Address(a.getStreet(), a.getCity(), a.getPostalCode(), a.getCountry());
  }

  public static Address toProto(UserProfile.Address a) {
    return Address.newBuilder()
        .setStreet(a.street())
        .setCity(a.city())
        .setPostalCode(a.postalCode())
        .setCountry(a.country())
        .build();
  }

  /** The profile with the history's view of the most recent orders. */
  public static User toProto(UserProfile profile, OrderHistory.View history, boolean online) {
    User.Builder user =
        User.newBuilder()
            .setUserId(profile.userId())
            .setName(profile.name())
            .setEmail(profile.email())
            .setAddress(toProto(profile.address()))
            .setOrderCount(history.orderCount())
            .setOnline(online);
    for (OrderHistory.OrderSummary o : history.recentOrders()) {
      user.addOrders(
          OrderSummary.newBuilder()
              .setOrderId(o.orderId())
              .setStatus(o.status())
              .setTotalCents(o.totalCents())
              .setShipmentStatus(o.shipmentStatus()));
    }
    return user.build();
  }

  private UserProtocol() {}
}
