using System.Diagnostics;
using Clientele.Auth;

namespace Clientele.Logging;

/// <summary>One structured line per request: method, route template, status, account, duration. Never a key or a body.</summary>
public static partial class RequestLogging
{
    private static readonly object LeftOut = new();

    /// <summary>
    /// Leaves this request's line out of the log: for refusals a client can repeat by the thousand (failed
    /// authentications past the first of their window), which would otherwise fill the log.
    /// </summary>
    public static void LeaveOut(HttpContext context) => context.Items[LeftOut] = LeftOut;

    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Clientele.Requests");
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            // Taken now: the exception handler clears the endpoint before it writes the error.
            var endpoint = context.GetEndpoint() as RouteEndpoint;
            try
            {
                await next(context);
            }
            finally
            {
                if (logger.IsEnabled(LogLevel.Information) && !context.Items.ContainsKey(LeftOut))
                {
                    // The route template, not the path: ids in paths are data, and templates group well.
                    var route = endpoint?.RoutePattern.RawText ?? "(no route)";
                    var account = context.User.AccountIdOrNull();
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    Completed(logger, context.Request.Method, route, context.Response.StatusCode, account, elapsed, context.TraceIdentifier);
                }
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Method} {Route} {Status} account={Account} {DurationMs:0.0}ms request={RequestId}")]
    private static partial void Completed(ILogger logger, string method, string route, int status, long? account, double durationMs, string requestId);
}
