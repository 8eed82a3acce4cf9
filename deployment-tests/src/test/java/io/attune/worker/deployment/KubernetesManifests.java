package io.attune.worker.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.attune.worker.testsupport.repository.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A kustomize base read as plain YAML (no kustomize needed): its {@code kustomization.yaml}, the files it lists and the
 * objects in them, each document of a multi-document file on its own. Object names are as written, which is what
 * kustomize keeps for a base without name prefixes or generators.
 */
final class KubernetesManifests {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final String KUSTOMIZATION = "kustomization.yaml";

  /** One object: the file it is in, its kind and name, and its YAML. */
  record Manifest(String file, String kind, String name, JsonNode node) {
    @Override
    public String toString() {
      return kind + " " + name + " (" + file + ")";
    }
  }

  private final Path folder;
  private final JsonNode kustomization;
  private final List<Manifest> manifests;
  private final Map<String, String> texts;

  private KubernetesManifests(Path folder, JsonNode kustomization, List<Manifest> manifests,
      Map<String, String> texts) {
    this.folder = folder;
    this.kustomization = kustomization;
    this.manifests = List.copyOf(manifests);
    this.texts = Map.copyOf(texts);
  }

  /** The base in {@code deploy/kubernetes} of this repository. */
  static KubernetesManifests load() {
    return load(RepositoryFiles.root().resolve("deploy/kubernetes"));
  }

  /** Reads the kustomization of a folder and every resource file it lists that exists. */
  static KubernetesManifests load(Path folder) {
    JsonNode kustomization = readAll(folder.resolve(KUSTOMIZATION)).stream().findFirst()
        .orElseThrow(() -> new IllegalArgumentException(folder.resolve(KUSTOMIZATION) + ": empty"));
    List<Manifest> manifests = new ArrayList<>();
    Map<String, String> texts = new TreeMap<>();
    for (JsonNode resource : kustomization.path("resources")) {
      Path file = folder.resolve(resource.asText());
      if (!Files.isRegularFile(file)) {
        continue; // reported by listedFiles()/the contract, not here
      }
      texts.put(resource.asText(), RepositoryFiles.read(file));
      for (JsonNode node : readAll(file)) {
        manifests.add(new Manifest(resource.asText(), node.path("kind").asText(""),
            node.path("metadata").path("name").asText(""), node));
      }
    }
    return new KubernetesManifests(folder, kustomization, manifests, texts);
  }

  private static List<JsonNode> readAll(Path file) {
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      List<JsonNode> nodes = new ArrayList<>();
      while (documents.hasNext()) {
        JsonNode node = documents.next();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          nodes.add(node);
        }
      }
      return nodes;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": not valid YAML", e);
    }
  }

  Path folder() {
    return folder;
  }

  JsonNode kustomization() {
    return kustomization;
  }

  /** The {@code resources} of the kustomization, as written. */
  List<String> listedFiles() {
    List<String> files = new ArrayList<>();
    kustomization.path("resources").forEach(r -> files.add(r.asText()));
    return files;
  }

  /** The YAML files directly in the folder, apart from the kustomization itself. */
  List<String> yamlFilesInFolder() {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> (n.endsWith(".yaml") || n.endsWith(".yml")) && !n.equals(KUSTOMIZATION)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  /** Each listed file's text, by its name as listed. */
  Map<String, String> texts() {
    return texts;
  }

  List<Manifest> all() {
    return manifests;
  }

  List<Manifest> ofKind(String kind) {
    return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
  }

  Optional<Manifest> find(String kind, String name) {
    return manifests.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst();
  }
}
