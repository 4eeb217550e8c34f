using System.Globalization;
using Clientele.Auth;
using Clientele.Errors;

namespace Clientele.RateLimiting;

/// <summary>
/// Spec §1: each account may make <c>RateLimiting:PermitsPerMinute</c> requests a minute (120 by default, or its
/// own limit). Every authenticated answer carries <c>X-RateLimit-Limit</c>, <c>-Remaining</c> and <c>-Reset</c>
/// (seconds until the window ends); over the limit the answer is 429 with <c>Retry-After</c>.
/// </summary>
public static class RateLimitingMiddleware
{
    public const int DefaultPermitsPerMinute = 120;

    public static WebApplication UseAccountRateLimiting(this WebApplication app)
    {
        // Off only where the caller owns both ends, e.g. an emulator in a test pipeline or a benchmark baseline.
        if (!app.Configuration.GetValue("RateLimiting:Enabled", true))
        {
            return app;
        }
        var limiter = app.Services.GetRequiredService<IAccountRateLimiter>();
        var defaultLimit = app.Configuration.GetValue("RateLimiting:PermitsPerMinute", DefaultPermitsPerMinute);
        app.Use(async (context, next) =>
        {
            if (context.User.AccountIdOrNull() is not { } accountId)
            {
                await next(context);
                return;
            }
            var limit = context.User.RateLimitOrNull() ?? defaultLimit;
            var decision = await limiter.AcquireAsync(accountId, limit, context.RequestAborted);
            var headers = context.Response.Headers;
            headers["X-RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
            if (!decision.Allowed)
            {
                headers.RetryAfter = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
                await ErrorResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                    ErrorEnvelope.Of(ErrorCodes.TooManyRequests, "You have exceeded your requests limit"));
                return;
            }
            await next(context);
        });
        return app;
    }
}
