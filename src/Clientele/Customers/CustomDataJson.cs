using System.Buffers;
using System.Text.Json;

namespace Clientele.Customers;

/// <summary>
/// The stored form of <c>customData</c>: a JSON object text whose values are the raw scalars clients sent,
/// in insertion order. Kept as text (not a binary JSON type) so numbers and order survive byte for byte.
/// </summary>
public static class CustomDataJson
{
    public const string Empty = "{}";

    public static string Serialize(IReadOnlyList<CustomDataEntry> entries) => Write(entries, fold: false);

    /// <summary>The search copy: string values folded to lower case (<see cref="CaseFolding"/>), everything else as sent.</summary>
    public static string SerializeFolded(IReadOnlyList<CustomDataEntry> entries) => Write(entries, fold: true);

    private static string Write(IReadOnlyList<CustomDataEntry> entries, bool fold)
    {
        if (entries.Count == 0)
        {
            return Empty;
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.AppJsonContext.Encoder }))
        {
            writer.WriteStartObject();
            foreach (var entry in entries)
            {
                writer.WritePropertyName(entry.Property);
                if (fold && entry.RawJson.StartsWith('"'))
                {
                    writer.WriteStringValue(CaseFolding.Fold(JsonSerializer.Deserialize(entry.RawJson, Json.AppJsonContext.Default.String)));
                }
                else
                {
                    writer.WriteRawValue(entry.RawJson, skipInputValidation: true);
                }
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static List<CustomDataEntry> Parse(string json)
    {
        if (json == Empty)
        {
            return [];
        }
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(p => new CustomDataEntry(p.Name, p.Value.GetRawText()))];
    }
}
