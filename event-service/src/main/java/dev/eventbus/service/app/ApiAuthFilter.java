package dev.eventbus.service.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Refuses every HTTP request but {@code /healthz} without the API token ({@code service.api_token_file}) with 401,
 * before any controller runs. Does nothing when no token is configured.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class ApiAuthFilter {
    private static final String REFUSED = "{\"error\":\"unauthorized: send Authorization: Bearer <the token in service.api_token_file>\"}";

    private final ApiAccess access;

    ApiAuthFilter(ApiAccess access) { this.access = access; }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        if (!access.requiresToken() || request.getPath().equals(ApiAccess.OPEN_PATH)) return null;
        if (access.allows(request.getHeaders().get(HttpHeaders.AUTHORIZATION))) return null;
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"event-service\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE).body(REFUSED);
    }
}
