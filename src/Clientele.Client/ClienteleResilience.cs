using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Clientele.Client;

/// <summary>The retry policy <see cref="Microsoft.Extensions.DependencyInjection.ClienteleServiceCollectionExtensions.AddClienteleClient"/> installs.</summary>
internal static class ClienteleResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ClienteleClientOptions options)
    {
        if (options.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1) < options.MaxRetryDelay ? TimeSpan.FromSeconds(1) : options.MaxRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options.MaxRetryDelay)),
                // Retry-After when the answer has one; otherwise null, and the exponential backoff applies.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? ClienteleClient.RetryAfterOf(response) : null),
            });
        }
        // Inside the retry, so each attempt gets its own time and a timed-out attempt can be retried.
        pipeline.AddTimeout(options.AttemptTimeout);
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TimeSpan maxDelay)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } refused)
        {
            // A rate-limited request was not processed, so any method may be sent again, but only when the wait is
            // one we are willing to make: retrying before Retry-After would only be refused again.
            return ClienteleClient.RetryAfterOf(refused) is not { } wait || wait <= maxDelay;
        }
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }
        // A POST or PATCH that failed on the way back may have been applied: sending it again could create a
        // second customer or record an event twice.
        var method = context.GetRequestMessage()?.Method ?? outcome.Result?.RequestMessage?.Method;
        return method is not null && IsIdempotent(method);
    }

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put
        || method == HttpMethod.Delete || method == HttpMethod.Options || method == HttpMethod.Trace;
}
