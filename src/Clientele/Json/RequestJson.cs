using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Clientele.Errors;

namespace Clientele.Json;

/// <summary>
/// Reads a request body as JSON whatever its <c>Content-Type</c> says, because one real HelpCrunch client
/// never sends that header, and another sends a JSON body with <c>DELETE</c>.
/// </summary>
public static class RequestJson
{
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// Returns the parsed body, or the <c>invalid_json</c> envelope that says what is wrong and where.
    /// A body over the size limit throws Kestrel's <see cref="BadHttpRequestException"/>, which the error seam maps to 413.
    /// </summary>
    public static async Task<(JsonDocument? Document, ErrorEnvelope? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(cancellationToken);
            if (read.IsCompleted || read.IsCanceled)
            {
                break;
            }
            // Nothing consumed, everything examined: the next read waits for more bytes and the pipe keeps them all.
            // (RequestBodyLimit has usually read it all already; then the first read completes.)
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        try
        {
            if (read.Buffer.IsEmpty)
            {
                return (null, ErrorEnvelope.Of(ErrorCodes.InvalidJson, "The request body is empty; a JSON value is expected."));
            }
            // Copied out of the pipe: a document parsed in place would point into buffers the pipe reuses.
            return Parse(read.Buffer.ToArray(), "The request body");
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    /// <summary>
    /// Parses JSON text and checks that every name and string in it is real Unicode: a lone surrogate escape
    /// (<c>"\ud800"</c>) or a byte that is not UTF-8 is valid JSON syntax but no text, and is refused here, once,
    /// so no reader further on can fail on it. <paramref name="what"/> names the input in the message.
    /// </summary>
    public static (JsonDocument? Document, ErrorEnvelope? Error) Parse(ReadOnlyMemory<byte> json, string what)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            return (null, ErrorEnvelope.Of(ErrorCodes.InvalidJson, $"{what} is not valid JSON: {e.Message}"));
        }
        try
        {
            ReadAllText(document.RootElement);
            return (document, null);
        }
        catch (InvalidOperationException)
        {
            document.Dispose();
            return (null, ErrorEnvelope.Of(ErrorCodes.InvalidJson, $"{what} holds a name or string that is not valid Unicode (UTF-8, no lone surrogates)."));
        }
    }

    private static void ReadAllText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    _ = member.Name;
                    ReadAllText(member.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    ReadAllText(item);
                }
                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    public static ErrorEnvelope WrongTopLevel(string expected) =>
        ErrorEnvelope.Of(ErrorCodes.InvalidJson, $"The request body must be a JSON {expected}.");
}
