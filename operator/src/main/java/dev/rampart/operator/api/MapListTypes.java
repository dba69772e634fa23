package dev.rampart.operator.api;

import dev.rampart.operator.api.v1alpha1.MicroserviceSystem;
import dev.rampart.operator.api.v1alpha1.MicroserviceSystemSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A build step after the CRD generator (beside {@link PrinterColumnOrder}): marks every list field
 * annotated {@link MapList} as {@code x-kubernetes-list-type: map} with its keys, walking the model
 * from {@code spec} and the schema side by side. Fails the build if a key is not required.
 */
public final class MapListTypes {
  private static final String MODEL_PACKAGE = MicroserviceSystem.class.getPackageName();

  private MapListTypes() {}

  /** {@code args[0]}: the generated CRD file. */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    var serialization = new KubernetesSerialization();
    var crd = serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    crd.getSpec()
        .getVersions()
        .forEach(
            v ->
                mark(
                    MicroserviceSystemSpec.class,
                    v.getSchema().getOpenAPIV3Schema().getProperties().get("spec"),
                    "spec"));
    Files.writeString(file, PrinterColumnOrder.HEADER + serialization.asYaml(crd).substring(4));
  }

  private static void mark(Class<?> type, JSONSchemaProps schema, String path) {
    for (Field f : type.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) || schema.getProperties() == null) {
        continue;
      }
      JSONSchemaProps property = schema.getProperties().get(f.getName());
      if (property == null) {
        continue;
      }
      String at = path + "." + f.getName();
      MapList mapList = f.getAnnotation(MapList.class);
      if (mapList != null) {
        JSONSchemaProps items = property.getItems().getSchema();
        List<String> keys = Arrays.asList(mapList.keys());
        if (items.getRequired() == null || !items.getRequired().containsAll(keys)) {
          throw new IllegalStateException(at + ": map-list keys " + keys + " must be required");
        }
        property.setXKubernetesListType("map");
        property.setXKubernetesListMapKeys(keys);
      }
      Class<?> child = fieldType(f);
      if (child.getPackageName().equals(MODEL_PACKAGE)) {
        mark(child, property.getItems() == null ? property : property.getItems().getSchema(), at);
      }
    }
  }

  /** The field's class, or the element class of a {@code List<T>}. */
  private static Class<?> fieldType(Field f) {
    if (List.class.isAssignableFrom(f.getType())
        && f.getGenericType() instanceof ParameterizedType p
        && p.getActualTypeArguments()[0] instanceof Class<?> element) {
      return element;
    }
    return f.getType();
  }
}
