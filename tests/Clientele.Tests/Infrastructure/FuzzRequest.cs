using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

/// <summary>What the contract demands of a generated request's answer, beyond "never 5xx, always the envelope".</summary>
public enum FuzzExpect
{
    /// <summary>The spec makes this a 4xx.</summary>
    Reject,

    /// <summary>The spec makes this a 2xx.</summary>
    Accept,

    /// <summary>The spec leaves it open (lone surrogates, duplicated keys…): 2xx or 4xx, consistently.</summary>
    Any,
}

/// <summary>One generated request, with the expectation the spec fixes for it. <see cref="Path"/> is relative to the server root.</summary>
public sealed record FuzzRequest(string Kind, string Method, string Path, byte[]? Body, FuzzExpect Expect)
{
    public string? ContentType { get; init; } = "application/json";

    /// <summary>The whole <c>Authorization</c> value; none when null.</summary>
    public string? Authorization { get; init; }

    public string? Host { get; init; }

    /// <summary>The exact status the spec fixes, when it fixes one.</summary>
    public int? Status { get; init; }

    /// <summary>The code the first error entry must have; a trailing <c>*</c> makes it a prefix.</summary>
    public string? FirstCode { get; init; }

    /// <summary>Codes that must each appear somewhere in the envelope (trailing <c>*</c>: prefix).</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];

    /// <summary>The exact body a 2xx must have (a no-op edit answers the customer as it was).</summary>
    public string? ExactBody { get; init; }

    /// <summary>
    /// The customer whose state at the start of the run the request and its expectation are built on (0: the
    /// account's count of customers); once a request that must change nothing has changed it, they no longer hold.
    /// </summary>
    public long? RestsOn { get; init; }

    public static FuzzRequest Json(string kind, string method, string path, string? json, FuzzExpect expect) =>
        new(kind, method, path, json is null ? null : Encoding.UTF8.GetBytes(json), expect);

    /// <summary>How a failure report shows the request: enough to replay it by hand.</summary>
    public string Describe()
    {
        var body = Body is null ? "(no body)" : Preview(Body);
        return $"[{Kind}] {Method} /{Path} Content-Type={ContentType ?? "(none)"} Authorization={DescribeAuthorization()}"
            + (Host is null ? "" : $" Host={Host}") + $" body={body}";
    }

    private string DescribeAuthorization() => Authorization switch
    {
        null => "(none)",
        var a when a.StartsWith("Bearer ck_", StringComparison.Ordinal) && a.Length > 20 => a[..17] + "…(valid key)",
        var a => a.Length > 60 ? a[..60] + "…" : a,
    };

    /// <summary>Up to 600 characters of the body as text with control characters escaped, or hex when it is not UTF-8.</summary>
    public static string Preview(byte[] body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return $"(not UTF-8, {body.Length} bytes) hex:" + Convert.ToHexString(body, 0, Math.Min(body.Length, 200));
        }
        var builder = new StringBuilder();
        foreach (var c in text.Length > 600 ? text[..600] : text)
        {
            builder.Append(c < 0x20 || c is '\u007F' or '\u2028' or '\u2029' ? $"\\x{(int)c:X2}" : c.ToString());
        }
        return builder + (text.Length > 600 ? $"…({body.Length} bytes)" : "");
    }
}

/// <summary>A raw answer: status, body text and the media type it was sent as.</summary>
public sealed record FuzzAnswer(int Status, string Body, string? MediaType);

public static class FuzzSending
{
    public static async Task<FuzzAnswer> SendAsync(this HttpClient http, FuzzRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Body is not null || request.ContentType is not null)
        {
            message.Content = new ByteArrayContent(request.Body ?? []);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
            // As curl does for large bodies, so a 413 sent before the upload ends is not lost to a reset.
            message.Headers.ExpectContinue = request.Body?.Length > 64 * 1024;
        }
        if (request.Authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", request.Authorization);
        }
        if (request.Host is not null)
        {
            message.Headers.Host = request.Host;
        }
        using var response = await http.SendAsync(message, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new FuzzAnswer((int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// What is wrong with <paramref name="answer"/> under spec §2 and the request's expectation, or null:
    /// never 5xx; every non-2xx exactly <c>{"errors":[{"code","message"}…]}</c>; 2xx bodies are JSON.
    /// </summary>
    public static string? Violation(FuzzRequest request, FuzzAnswer answer)
    {
        var status = answer.Status;
        if (status >= 500)
        {
            return $"answered {status} (a 5xx): {Clip(answer.Body)}";
        }
        if (status is < 200 or (>= 300 and < 400))
        {
            return $"answered {status}, neither 2xx nor 4xx: {Clip(answer.Body)}";
        }
        if (status >= 400)
        {
            var (codes, problem) = Envelope(answer);
            if (problem is not null)
            {
                return $"answered {status} without the error envelope ({problem}): {Clip(answer.Body)}";
            }
            if (request.Expect == FuzzExpect.Accept)
            {
                return $"refused with {status} a request the spec accepts: {Clip(answer.Body)}";
            }
            if (request.Status is { } expected && expected != status)
            {
                return $"answered {status}, the spec says {expected}: {Clip(answer.Body)}";
            }
            if (request.FirstCode is { } first && !Matches(codes![0], first))
            {
                return $"first error code is '{codes[0]}', the spec says '{first}': {Clip(answer.Body)}";
            }
            foreach (var code in request.Codes.Where(c => !codes!.Any(actual => Matches(actual, c))))
            {
                return $"no error entry with code '{code}' among [{string.Join(", ", codes!)}]: {Clip(answer.Body)}";
            }
            return null;
        }
        if (request.Expect == FuzzExpect.Reject)
        {
            return $"accepted with {status} a request the spec refuses: {Clip(answer.Body)}";
        }
        if (request.Status is { } wanted && wanted != status)
        {
            return $"answered {status}, the spec says {wanted}: {Clip(answer.Body)}";
        }
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
        }
        catch (JsonException e)
        {
            return $"answered {status} with a body that is not JSON ({e.Message}): {Clip(answer.Body)}";
        }
        if (request.ExactBody is { } exact && exact != answer.Body)
        {
            return $"answered {status} with a changed customer: expected {Clip(exact)}, got {Clip(answer.Body)}";
        }
        return null;
    }

    /// <summary>The codes of an exact error envelope, or what is wrong with it.</summary>
    public static (string[]? Codes, string? Problem) Envelope(FuzzAnswer answer)
    {
        if (answer.MediaType != "application/json")
        {
            return (null, $"Content-Type {answer.MediaType ?? "(none)"}");
        }
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.EnumerateObject().Select(p => p.Name).SequenceEqual(["errors"]))
            {
                return (null, "the root is not an object with exactly the key errors");
            }
            var errors = root.GetProperty("errors");
            if (errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
            {
                return (null, "errors is not a non-empty array");
            }
            var codes = new List<string>();
            foreach (var error in errors.EnumerateArray())
            {
                if (error.ValueKind != JsonValueKind.Object || !error.EnumerateObject().Select(p => p.Name).SequenceEqual(["code", "message"])
                    || error.GetProperty("code").ValueKind != JsonValueKind.String || error.GetProperty("message").ValueKind != JsonValueKind.String
                    || string.IsNullOrEmpty(error.GetProperty("code").GetString()) || string.IsNullOrEmpty(error.GetProperty("message").GetString()))
                {
                    return (null, "an entry is not exactly {\"code\":string,\"message\":string} with both non-empty");
                }
                codes.Add(error.GetProperty("code").GetString()!);
            }
            return ([.. codes], null);
        }
        catch (JsonException e)
        {
            return (null, "not JSON: " + e.Message);
        }
    }

    private static bool Matches(string actual, string expected) => expected.EndsWith('*')
        ? actual.StartsWith(expected[..^1], StringComparison.Ordinal)
        : actual == expected;

    public static string Clip(string text) => text.Length <= 500 ? text : text[..500] + $"…({text.Length} chars)";
}
