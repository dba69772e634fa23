package dev.rampart.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A JDBC database and the Secret with its credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JdbcSpec {
  @Required
  @Size(min = 1, max = 1024)
  @Pattern("^jdbc:[a-z0-9]+:.+$")
  @JsonPropertyDescription(
      "JDBC URL, e.g. jdbc:postgresql://db.shop:5432/shop. Its host port (default 5432) "
          + "opens the NetworkPolicy egress to the database.")
  public String url;

  @Required
  @JsonPropertyDescription(
      "Secret with the database username and password, passed to the pods through "
          + "secretKeyRef (never copied into the Deployment).")
  public SecretKeys credentialsSecret;

  public JdbcSpec() {}
}
