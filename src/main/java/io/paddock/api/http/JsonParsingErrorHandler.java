package io.paddock.api.http;

import akka.event.LoggingAdapter;
import akka.http.ParsingErrorHandler;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;
import io.paddock.tree.ErrorCode;

/**
 * Answers requests too malformed for any route (a bad request line, an illegal URI or header,
 * headers over the size limit) with the API's JSON error body instead of akka-http's plain text.
 * akka-http instantiates it by name from the server settings; {@link HttpApi#bind} names it.
 */
public final class JsonParsingErrorHandler extends ParsingErrorHandler {

    @Override
    public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
        log.debug("refused a malformed HTTP request: {}", info.formatPretty());
        // The summary names the problem ("Illegal request-target", …); the detail may echo input.
        String message = info.summary().isEmpty() ? status.reason() : info.summary();
        return ApiErrors.response(status.intValue(), ErrorCode.BAD_ARGUMENTS, null, message);
    }
}
