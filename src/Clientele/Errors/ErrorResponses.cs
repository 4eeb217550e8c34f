using System.Text.Json;
using Clientele.Json;
using Clientele.Search;
using Clientele.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Clientele.Errors;

/// <summary>
/// The one seam through which every non-2xx answer leaves: handler results, the auth challenge,
/// the framework's own 404/405/413, malformed bodies and unhandled exceptions.
/// </summary>
public static partial class ErrorResponses
{
    public static NotFound<ErrorEnvelope> CustomerNotFound() => TypedResults.NotFound(ErrorCodes.CustomerNotFound);

    public static BadRequest<ErrorEnvelope> BadRequest(ErrorEnvelope errors) => TypedResults.BadRequest(errors);

    public static Task WriteAsync(HttpContext context, int status, ErrorEnvelope envelope)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, envelope, AppJsonContext.Wire.ErrorEnvelope, context.RequestAborted);
    }

    public static IServiceCollection AddErrorResponses(this IServiceCollection services)
    {
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        // Without a registered problem-details service the exception-handler middleware refuses to start.
        services.AddProblemDetails();
        return services;
    }

    public static WebApplication UseErrorResponses(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(context => WriteStatusOnlyAsync(context.HttpContext));
        return app;
    }

    /// <summary>Gives a body to the answers the framework produces with a status code alone.</summary>
    private static Task WriteStatusOnlyAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var envelope = status switch
        {
            StatusCodes.Status404NotFound => ErrorEnvelope.Of(ErrorCodes.RouteNotFound, "Route not found"),
            StatusCodes.Status405MethodNotAllowed => ErrorEnvelope.Of(ErrorCodes.MethodNotAllowed,
                $"Method {context.Request.Method} is not allowed here; allowed: {context.Response.Headers.Allow}"),
            StatusCodes.Status413PayloadTooLarge => PayloadTooLarge(context),
            StatusCodes.Status401Unauthorized => ErrorCodes.InvalidTokenError,
            _ => ErrorEnvelope.Of(status < 500 ? "bad_request" : ErrorCodes.InternalError,
                ReasonPhrases.GetReasonPhrase(status)),
        };
        return WriteAsync(context, status, envelope);
    }

    public static ErrorEnvelope PayloadTooLarge(HttpContext context)
    {
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return ErrorEnvelope.Of(ErrorCodes.PayloadTooLarge,
            limit is { } bytes ? $"The request body is larger than the limit of {bytes} bytes." : "The request body is too large.");
    }

    /// <summary>
    /// Turns a thrown failure into the envelope. Kestrel reports an oversized or broken body by throwing
    /// <see cref="BadHttpRequestException"/> from the body read, so those keep their 4xx status.
    /// </summary>
    private sealed class UnhandledExceptionHandler(IDatabase database, ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is BadHttpRequestException bad)
            {
                var envelope = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? PayloadTooLarge(context)
                    : ErrorEnvelope.Of(ErrorCodes.InvalidJson, "The request body could not be read: " + bad.Message);
                await WriteAsync(context, bad.StatusCode, envelope);
                return true;
            }

            switch (exception)
            {
                case QueryTimeoutException timeout:
                    await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorEnvelope.Of(ErrorCodes.QueryTimeout, timeout.Message));
                    return true;
                case SearchesBusyException busy:
                    context.Response.Headers.RetryAfter = "1";
                    await WriteAsync(context, StatusCodes.Status429TooManyRequests, ErrorEnvelope.Of(ErrorCodes.TooManyRequests, busy.Message));
                    return true;
            }

            if (database.IsUnavailable(exception))
            {
                // The storage cannot take a durable write (spec §6): nothing was written, and the client may retry.
                // The storage logs each change of state as a warning; per request it is only detail.
                var reason = exception.GetBaseException().Message;
                DatabaseUnavailable(logger, context.TraceIdentifier, reason);
                context.Response.Headers.RetryAfter = "1";
                await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StorageUnavailable);
                return true;
            }

            UnhandledFailure(logger, exception, context.TraceIdentifier);
            await WriteAsync(context, StatusCodes.Status500InternalServerError, ErrorEnvelope.Of(ErrorCodes.InternalError,
                $"An internal error occurred. Request id: {context.TraceIdentifier}"));
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage unavailable for request {RequestId}: {Reason}")]
    private static partial void DatabaseUnavailable(ILogger logger, string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure for request {RequestId}")]
    private static partial void UnhandledFailure(ILogger logger, Exception exception, string requestId);
}
