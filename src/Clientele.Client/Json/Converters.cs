using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clientele.Client.Json;

/// <summary>
/// Timestamps: HelpCrunch writes whole UNIX seconds as a string (<c>"1603885746"</c>); some servers and older
/// payloads use a number or a fractional string. All of them read; fractions are dropped. Written as a number.
/// </summary>
internal static class UnixSeconds
{
    public static DateTimeOffset Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var whole) ? DateTimeOffset.FromUnixTimeSeconds(whole) : FromFractional(reader.GetDouble());
            case JsonTokenType.String:
                var text = reader.GetString()!;
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                {
                    return DateTimeOffset.FromUnixTimeSeconds(seconds);
                }
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fractional) && double.IsFinite(fractional))
                {
                    return FromFractional(fractional);
                }
                throw new JsonException($"'{text}' is not a number of UNIX seconds.");
            default:
                throw new JsonException($"Expected UNIX seconds as a string or number, got {reader.TokenType}.");
        }
    }

    private static DateTimeOffset FromFractional(double seconds)
    {
        try
        {
            return DateTimeOffset.FromUnixTimeSeconds(checked((long)Math.Floor(seconds)));
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            throw new JsonException($"{seconds} UNIX seconds is out of range.", e);
        }
    }
}

internal sealed class UnixSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => UnixSeconds.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteNumberValue(value.ToUnixTimeSeconds());
}

internal sealed class NullableUnixSecondsConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : UnixSeconds.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } time)
        {
            writer.WriteNumberValue(time.ToUnixTimeSeconds());
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>A customData scalar; numbers pass through as their exact text.</summary>
internal sealed class CustomDataValueConverter : JsonConverter<CustomDataValue>
{
    public override bool HandleNull => true;

    public override CustomDataValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => CustomDataValue.Null,
        JsonTokenType.True => CustomDataValue.FromBoolean(true),
        JsonTokenType.False => CustomDataValue.FromBoolean(false),
        JsonTokenType.String => CustomDataValue.FromString(reader.GetString()),
        JsonTokenType.Number => CustomDataValue.FromVerifiedNumber(
            Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan)),
        _ => throw new JsonException($"A customData value is a string, number, boolean or null, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, CustomDataValue value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case CustomDataValueKind.Text:
                writer.WriteStringValue(value.GetString());
                break;
            case CustomDataValueKind.Number:
                writer.WriteRawValue(value.GetNumberText(), skipInputValidation: true);
                break;
            case CustomDataValueKind.Boolean:
                writer.WriteBooleanValue(value.GetBoolean());
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}

/// <summary>Writes only the fields the caller assigned, so absent and null stay different (PATCH).</summary>
internal sealed class CustomerUpdateConverter : JsonConverter<CustomerUpdate>
{
    public override CustomerUpdate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("A CustomerUpdate is only ever sent.");

    public override void Write(Utf8JsonWriter writer, CustomerUpdate value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        value.WriteMembers(writer);
        writer.WriteEndObject();
    }
}

/// <summary>A batch item is a PATCH body plus <c>"customer": id</c>.</summary>
internal sealed class CustomerBatchUpdateConverter : JsonConverter<CustomerBatchUpdate>
{
    public override CustomerBatchUpdate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("A CustomerBatchUpdate is only ever sent.");

    public override void Write(Utf8JsonWriter writer, CustomerBatchUpdate value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("customer", value.CustomerId);
        value.Update.WriteMembers(writer);
        writer.WriteEndObject();
    }
}
