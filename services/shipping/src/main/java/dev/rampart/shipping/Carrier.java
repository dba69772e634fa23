package dev.rampart.shipping;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who books a parcel: the carrier over HTTP through the gateway's egress ({@link HttpCarrier}, when
 * {@code RAMPART_EGRESS_CARRIER_URL} is set) or, in a system without a carrier, {@link #LOCAL}.
 * Booking must be idempotent on the shipment id: reliable delivery may ask twice for the same
 * shipment.
 */
interface Carrier {
  CompletionStage<CarrierBooking.Booking> book(CarrierBooking.Book request);

  /** Cancels the shipment's booking; idempotent, and done for a booking the carrier never had. */
  CompletionStage<Void> cancel(String shipmentId);

  /** The local fallback: a deterministic made-up booking ({@link CarrierBooking#book}). */
  Carrier LOCAL =
      new Carrier() {
        @Override
        public CompletionStage<CarrierBooking.Booking> book(CarrierBooking.Book request) {
          return CompletableFuture.completedFuture(CarrierBooking.book(request));
        }

        @Override
        public CompletionStage<Void> cancel(String shipmentId) {
          return CompletableFuture.completedFuture(null);
        }
      };
}
