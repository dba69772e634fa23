package dev.rampart.platform;

import static org.assertj.core.api.Assertions.assertThat;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inbox offset alone, with the persistence testkit journal; every command, event and state is
 * serialized.
 */
class AppliedOffsetTest {
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  "akka.actor.serialization-bindings { \"dev.rampart.platform.CborSerializable\" ="
                      + " jackson-cbor }")
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));

  private EventSourcedBehaviorTestKit<
          AppliedOffset.Command, AppliedOffset.Event, AppliedOffset.State>
      inbox;

  @BeforeEach
  void fresh() {
    inbox =
        EventSourcedBehaviorTestKit.create(
            testKit.system(), AppliedOffset.create(AppliedOffset.typeKey("TestInbox"), "peer"));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void startsAtZeroAndAdvancesDurably() {
    assertThat(inbox.<Long>runCommand(AppliedOffset.GetAppliedUpTo::new).reply()).isZero();
    var applied = inbox.<Done>runCommand(replyTo -> new AppliedOffset.Applied(3, replyTo));
    assertThat(applied.events()).containsExactly(new AppliedOffset.AppliedUpTo(3));
    assertThat(applied.state().appliedUpTo()).isEqualTo(3);

    inbox.restart();
    assertThat(inbox.<Long>runCommand(AppliedOffset.GetAppliedUpTo::new).reply()).isEqualTo(3);
  }

  @Test
  void anOffsetAlreadyAppliedIsAcknowledgedWithoutBeingWrittenAgainOrGoingBack() {
    inbox.<Done>runCommand(replyTo -> new AppliedOffset.Applied(5, replyTo));
    for (long offset : new long[] {5, 2}) {
      var again = inbox.<Done>runCommand(replyTo -> new AppliedOffset.Applied(offset, replyTo));
      assertThat(again.reply()).isEqualTo(Done.getInstance());
      assertThat(again.hasNoEvents()).isTrue();
      assertThat(again.state().appliedUpTo()).isEqualTo(5);
    }
  }
}
