package io.kvs.examples.boot;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.http.KvsServer;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The app's own API, on Boot's web server, storing notes in the embedded node through the
 * in-process session API (not through the node's HTTP port).
 */
@RestController
@RequestMapping("/notes")
public class NotesController {
  private final KvsServer kvs;

  /** @param kvs the embedded node */
  public NotesController(KvsServer kvs) {
    this.kvs = kvs;
  }

  /** Stores {@code note} (any JSON) under {@code id}. */
  @PutMapping("/{id}")
  public ResponseEntity<Void> put(@PathVariable String id, @RequestBody JsonNode note) {
    // a session per request: each carries its own causal metadata, and this one has no history to keep
    kvs.openSession().put(id, note);
    return ResponseEntity.noContent().build();
  }

  /** The note stored under {@code id}, or 404. */
  @GetMapping("/{id}")
  public ResponseEntity<JsonNode> get(@PathVariable String id) {
    return kvs.openSession().get(id).map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.notFound().build());
  }
}
