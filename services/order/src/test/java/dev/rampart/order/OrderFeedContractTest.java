package dev.rampart.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import dev.rampart.proto.publicfeed.v1.OrderFeedEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The public feed's contract (rampart.public.v1) as published: the descriptor set in the proto jar
 * is the schema Order writes with, carries no field or type that looks like personal data, and
 * every order event maps to a record that names its status without the customer.
 */
class OrderFeedContractTest {
  /** What personal data is called; any field or type of the feed matching it fails the test. */
  static final Pattern PERSONAL =
      Pattern.compile(
          "(?i).*(customer|user|person|recipient|contact|name|e_?mail|address|phone|street|city"
              + "|zip|post_?code|postal|birth|card|iban|account|reason).*");

  private static final String CUSTOMER = "cust-Ada-Lovelace";
  private static final long AT = 1_764_680_000_123L;

  @Test
  void thePublishedDescriptorSetIsTheSchemaOrderWritesWith() {
    var published = withoutJsonNames(PublicFeedSchema.file().toProto()).clearSourceCodeInfo();
    var generated = withoutJsonNames(OrderFeedEvent.getDescriptor().getFile().toProto());
    assertThat(published.build()).isEqualTo(generated.build());
    assertThat(PublicFeedSchema.file().getPackage()).isEqualTo("rampart.public.v1");
    // a third party's documentation: the comments travel in the set
    assertThat(PublicFeedSchema.descriptorSet().getFileList())
        .anySatisfy(f -> assertThat(f.getSourceCodeInfo().getLocationCount()).isPositive());
  }

  @Test
  void noFieldOrTypeOfTheFeedIsNamedLikePersonalData() {
    List<String> names = new ArrayList<>();
    for (Descriptor type : reachableTypes(PublicFeedSchema.orderFeedEvent())) {
      names.add(type.getFullName());
      for (FieldDescriptor field : type.getFields()) {
        names.add(type.getName() + "." + field.getName());
        if (field.getType() == FieldDescriptor.Type.ENUM) {
          names.add(field.getEnumType().getFullName());
        }
      }
    }
    assertThat(names).isNotEmpty().noneMatch(n -> PERSONAL.matcher(n).matches());
  }

  @Test
  void theFeedsOnlyTextIsIdentifiers() {
    Set<String> strings = new LinkedHashSet<>();
    for (Descriptor type : reachableTypes(PublicFeedSchema.orderFeedEvent())) {
      for (FieldDescriptor field : type.getFields()) {
        if (field.getJavaType() == FieldDescriptor.JavaType.STRING
            || field.getJavaType() == FieldDescriptor.JavaType.BYTE_STRING) {
          strings.add(type.getName() + "." + field.getName());
        }
      }
    }
    // a new text field is a decision: free text (a reason, a note) is where personal data hides
    assertThat(strings)
        .containsExactlyInAnyOrder(
            "OrderFeedEvent.event_id", "OrderFeedEvent.order_id", "Delivery.shipment_id");
  }

  @Test
  void everyOrderEventBecomesItsStatusChangeWithoutTheCustomer() throws Exception {
    List<OrderEntity.Event> events =
        List.of(
            new OrderEntity.Placed(
                "o-1",
                CUSTOMER,
                List.of(new OrderEntity.Line("book", 2, 1250), new OrderEntity.Line("pen", 1, 99)),
                AT,
                null),
            new OrderEntity.Confirmed("o-1", CUSTOMER, 3, AT + 1, null),
            new OrderEntity.Shipped("o-1", CUSTOMER, 3, "s-1", AT + 2),
            new OrderEntity.Delivered("o-1", CUSTOMER, 3, AT + 3),
            new OrderEntity.Rejected("o-2", CUSTOMER, 1, "no such address " + CUSTOMER, AT),
            new OrderEntity.Cancelled("o-3", CUSTOMER, 1, CUSTOMER + " changed their mind", AT));
    List<String> json = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      byte[] bytes = OrderFeedEvents.of(events.get(i), i + 1).toByteArray();
      assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain(CUSTOMER);
      DynamicMessage decoded = DynamicMessage.parseFrom(PublicFeedSchema.orderFeedEvent(), bytes);
      json.add(JsonFormat.printer().omittingInsignificantWhitespace().print(decoded));
    }
    assertThat(json)
        .containsExactly(
            "{\"eventId\":\"o-1:1\",\"orderId\":\"o-1\",\"sequence\":\"1\","
                + "\"occurredAt\":\"2025-12-02T12:53:20.123Z\",\"status\":\"ORDER_STATUS_PLACED\","
                + "\"itemCount\":3}",
            "{\"eventId\":\"o-1:2\",\"orderId\":\"o-1\",\"sequence\":\"2\","
                + "\"occurredAt\":\"2025-12-02T12:53:20.124Z\",\"status\":\"ORDER_STATUS_CONFIRMED\","
                + "\"itemCount\":3}",
            "{\"eventId\":\"o-1:3\",\"orderId\":\"o-1\",\"sequence\":\"3\","
                + "\"occurredAt\":\"2025-12-02T12:53:20.125Z\",\"status\":\"ORDER_STATUS_SHIPPED\","
                + "\"itemCount\":3,"
                + "\"delivery\":{\"milestone\":\"DELIVERY_MILESTONE_SHIPPED\",\"shipmentId\":\"s-1\"}}",
            "{\"eventId\":\"o-1:4\",\"orderId\":\"o-1\",\"sequence\":\"4\","
                + "\"occurredAt\":\"2025-12-02T12:53:20.126Z\",\"status\":\"ORDER_STATUS_DELIVERED\","
                + "\"itemCount\":3,\"delivery\":{\"milestone\":\"DELIVERY_MILESTONE_DELIVERED\"}}",
            "{\"eventId\":\"o-2:5\",\"orderId\":\"o-2\",\"sequence\":\"5\","
                + "\"occurredAt\":\"2025-12-02T12:53:20.123Z\",\"status\":\"ORDER_STATUS_REJECTED\","
                + "\"itemCount\":1}",
            "{\"eventId\":\"o-3:6\",\"orderId\":\"o-3\",\"sequence\":\"6\","
                + "\"occurredAt\":\"2025-12-02T12:53:20.123Z\",\"status\":\"ORDER_STATUS_CANCELLED\","
                + "\"itemCount\":1}");
  }

  /** protoc writes json_name into a descriptor set, not into generated code: the same names. */
  private static FileDescriptorProto.Builder withoutJsonNames(FileDescriptorProto file) {
    var b = file.toBuilder();
    b.getMessageTypeBuilderList().forEach(OrderFeedContractTest::clearJsonNames);
    return b;
  }

  private static void clearJsonNames(DescriptorProto.Builder message) {
    message.getFieldBuilderList().forEach(FieldDescriptorProto.Builder::clearJsonName);
    message.getNestedTypeBuilderList().forEach(OrderFeedContractTest::clearJsonNames);
  }

  /** The feed's message types, nested ones included; the well-known types are Google's. */
  static List<Descriptor> reachableTypes(Descriptor root) {
    List<Descriptor> seen = new ArrayList<>();
    Deque<Descriptor> todo = new ArrayDeque<>(List.of(root));
    while (!todo.isEmpty()) {
      Descriptor type = todo.pop();
      if (seen.contains(type) || type.getFullName().startsWith("google.protobuf.")) {
        continue;
      }
      seen.add(type);
      todo.addAll(type.getNestedTypes());
      type.getFields().stream()
          .filter(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE)
          .forEach(f -> todo.add(f.getMessageType()));
    }
    return seen;
  }
}
