package io.kvorum.api.http;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JAX-RS application at the client URL's root, where etcd serves its HTTP endpoints. */
@ApplicationPath("/")
public class KvorumApplication extends Application {}
