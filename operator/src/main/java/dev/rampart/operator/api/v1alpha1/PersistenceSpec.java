package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Where the services keep their state. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PersistenceSpec {
  @Required
  @JsonPropertyDescription(
      "A JDBC database (PostgreSQL) for journals, snapshots and projection offsets.")
  public JdbcSpec jdbc;

  public PersistenceSpec() {}
}
