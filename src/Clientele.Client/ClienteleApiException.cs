using System.Net;

namespace Clientele.Client;

/// <summary>One entry of the <c>{"errors":[{"code","message"}]}</c> envelope every non-2xx answer carries.</summary>
/// <param name="Code">A field path for validation failures (<c>email</c>, <c>tags[0].name</c>, <c>[2].customer</c>) or a code such as <c>entity_not_found</c>.</param>
/// <param name="Message">Human-readable text.</param>
public sealed record ClienteleError(string Code, string Message);

/// <summary>
/// The API answered with a non-success status (or with a body that is not the JSON expected). Carries the status,
/// the parsed <c>errors[]</c> (most specific first) and the raw body.
/// </summary>
public sealed class ClienteleApiException : Exception
{
    /// <summary>Creates an exception with no status or body; prefer the constructor that takes them.</summary>
    public ClienteleApiException()
        : this("The Clientele API request failed.")
    {
    }

    /// <summary>Creates an exception with a message and no status or body.</summary>
    public ClienteleApiException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates an exception with a message and a cause, and no status or body.</summary>
    public ClienteleApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Errors = [];
        ResponseBody = "";
    }

    /// <summary>Creates an exception for an answer of the API.</summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="errors">The parsed <c>errors[]</c>, empty when the body had none.</param>
    /// <param name="responseBody">The body exactly as received.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> delay, when the answer had one.</param>
    /// <param name="innerException">The cause, e.g. a <see cref="System.Text.Json.JsonException"/> for an unreadable success body.</param>
    public ClienteleApiException(HttpStatusCode statusCode, IReadOnlyList<ClienteleError> errors, string responseBody, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(Describe(statusCode, errors, innerException), innerException)
    {
        StatusCode = statusCode;
        Errors = errors;
        ResponseBody = responseBody;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The parsed <c>errors[]</c> in the order the server sent them; empty when the body had none (e.g. a proxy's HTML page).</summary>
    public IReadOnlyList<ClienteleError> Errors { get; }

    /// <summary>The code of the first, most specific, error (<c>entity_not_found</c>, <c>email</c>, ...), or null when there is none.</summary>
    public string? Code => Errors.Count > 0 ? Errors[0].Code : null;

    /// <summary>The response body exactly as received.</summary>
    public string ResponseBody { get; }

    /// <summary>How long the server asked to wait (<c>Retry-After</c>, sent with 429), if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    private static string Describe(HttpStatusCode status, IReadOnlyList<ClienteleError> errors, Exception? inner)
    {
        var head = $"The Clientele API answered {(int)status} ({status})";
        if (errors.Count > 0)
        {
            return $"{head}: {string.Join("; ", errors.Select(e => $"{e.Code}: {e.Message}"))}";
        }
        return inner is null ? head + "." : $"{head} with a body that could not be read: {inner.Message}";
    }
}
