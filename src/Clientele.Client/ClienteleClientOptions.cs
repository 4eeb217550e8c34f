namespace Clientele.Client;

/// <summary>Where the API lives, the key to use, and how failed requests are retried.</summary>
public sealed class ClienteleClientOptions
{
    /// <summary>HelpCrunch's public API, the default <see cref="BaseAddress"/>.</summary>
    public static Uri DefaultBaseAddress { get; } = new("https://api.helpcrunch.com/v1/");

    /// <summary>
    /// The API root including <c>/v1/</c>, e.g. <c>http://127.0.0.1:8080/v1/</c> for a Clientele server.
    /// Defaults to <see cref="DefaultBaseAddress"/>. A missing trailing slash is added.
    /// </summary>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>The API key, sent as <c>Authorization: Bearer KEY</c> on every request. Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// How many times a failed request is sent again (default 3; 0 turns retries off). A 429 is retried for
    /// every method; a network failure, timeout, 408 or 5xx only for idempotent methods (GET, HEAD, PUT,
    /// DELETE, OPTIONS), since a POST or PATCH may have been applied before the failure.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// The longest the client waits before a retry (default 60 s). A 429 whose <c>Retry-After</c> asks for
    /// longer is not retried: it surfaces at once as a <see cref="ClienteleApiException"/> whose
    /// <see cref="ClienteleApiException.RetryAfter"/> says how long to wait. Backoff delays are capped at it.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one attempt may take before it is abandoned (default 30 s); a timed-out attempt is retried
    /// like a network failure. The whole call, retries included, is bounded by the caller's cancellation token.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
