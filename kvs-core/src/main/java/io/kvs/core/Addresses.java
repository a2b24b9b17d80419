package io.kvs.core;

import java.util.regex.Pattern;

/** Socket addresses are {@code host:port}; the host is an IPv4 address or a plain host name. */
public final class Addresses {
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}):(\\d{1,5})");

  private Addresses() {}

  /** True when {@code address} looks like {@code host:port} with a port in 1..65535. */
  public static boolean valid(String address) {
    if (address == null) {
      return false;
    }
    var m = HOST_PORT.matcher(address);
    if (!m.matches()) {
      return false;
    }
    int port = Integer.parseInt(m.group(2));
    return port >= 1 && port <= 65535;
  }
}
