package io.kvorum.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WAR that Payara Micro runs deploys (the Raft node bean, the JPA log and KV tables in the
 * member's H2, the Hazelcast transport) and answers etcd's /health and /version.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthArquillianTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @ArquillianResource URL base;

  @Deployment(testable = false)
  static WebArchive war() {
    // The real artifact, with the EJB and JPA jars in WEB-INF/lib, as the uber-jar carries it.
    return ShrinkWrap.create(ZipImporter.class, "kvorum.war")
        .importFrom(new File(System.getProperty("kvorum.war")))
        .as(WebArchive.class);
  }

  private HttpResponse<String> get(String path) throws Exception {
    // Payara reports the host's external address; the member listens on loopback only.
    URI local = URI.create("http://127.0.0.1:" + base.getPort() + base.getPath());
    return HTTP.send(
        HttpRequest.newBuilder(local.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsEtcds() throws Exception {
    HttpResponse<String> r = awaitHealthy();
    assertEquals(200, r.statusCode());
    assertEquals("{\"health\":\"true\"}", r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
  }

  private HttpResponse<String> awaitHealthy() throws Exception {
    // A member alone in its initial cluster elects itself within an election timeout or two.
    HttpResponse<String> r = get("health");
    for (int i = 0; i < 120 && r.statusCode() != 200; i++) {
      assertEquals("{\"health\":\"false\"}", r.body());
      Thread.sleep(250);
      r = get("health");
    }
    return r;
  }

  /** The gateway calls the services in-process: it works where no client-port front runs. */
  @Test
  void theJsonGatewayServesWithoutTheClientPortFront() throws Exception {
    assertEquals(200, awaitHealthy().statusCode());
    URI local = URI.create("http://127.0.0.1:" + base.getPort() + base.getPath());
    HttpResponse<String> put =
        HTTP.send(
            HttpRequest.newBuilder(local.resolve("v3/kv/put"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"Zm9v\",\"value\":\"YmFy\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, put.statusCode(), put.body());
    HttpResponse<String> range =
        HTTP.send(
            HttpRequest.newBuilder(local.resolve("v3/kv/range"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"Zm9v\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(
        range.body().contains(",\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":"), range.body());
  }

  @Test
  void versionNamesTheEtcdApiLevel() throws Exception {
    HttpResponse<String> r = get("version");
    assertEquals(200, r.statusCode());
    assertEquals("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}", r.body());
  }
}
