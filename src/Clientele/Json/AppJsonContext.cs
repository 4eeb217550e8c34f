using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Clientele.Customers;
using Clientele.Errors;
using Clientele.Events;

namespace Clientele.Json;

/// <summary>Source-generated serialisation for every wire shape: no reflection on the request path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(CustomerResponse))]
[JsonSerializable(typeof(CustomerListResponse))]
[JsonSerializable(typeof(CustomerBatchResponse))]
[JsonSerializable(typeof(EventResponse))]
[JsonSerializable(typeof(string))]
public sealed partial class AppJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Writes non-ASCII text and <c>+</c>, <c>&lt;</c>, <c>&amp;</c> as themselves (phones start with <c>+</c>);
    /// safe because every answer is <c>application/json</c>, never HTML.
    /// </summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The context every answer is written with (the HTTP JSON options chain to it too).</summary>
    public static AppJsonContext Wire { get; } = new(Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web)));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Encoder = Encoder;
        return options;
    }
}

public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Text, skipInputValidation: true);
}
