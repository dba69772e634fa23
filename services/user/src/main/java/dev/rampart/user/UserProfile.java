package dev.rampart.user;

import dev.rampart.platform.CborSerializable;

/**
 * A registered user's profile: what Register and ChangeAddress set and CheckCustomer asks about.
 * Small and bounded, whatever the user's history: part of the {@link UserFeed}'s state.
 */
public record UserProfile(String userId, String name, String email, Address address)
    implements CborSerializable {

  public record Address(String street, String city, String postalCode, String country)
      implements CborSerializable {}

  /** Registering again with this data is idempotent; other data is a conflict. */
  boolean sameRegistration(String otherName, String otherEmail, Address otherAddress) {
    return name.equals(otherName) && email.equals(otherEmail) && address.equals(otherAddress);
  }

  UserProfile withAddress(Address newAddress) {
    return new UserProfile(userId, name, email, newAddress);
  }
}
