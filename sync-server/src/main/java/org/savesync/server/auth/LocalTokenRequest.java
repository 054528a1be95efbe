package org.savesync.server.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token to be checked against the hub's local {@link AdminToken}; its value is never shown. */
public final class LocalTokenRequest extends BaseAuthenticationRequest {
    private final String token;

    public LocalTokenRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    @Override
    public String toString() {
        return "LocalTokenRequest[" + token.length() + " characters]";
    }
}
