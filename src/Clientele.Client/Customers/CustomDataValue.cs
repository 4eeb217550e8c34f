using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Clientele.Client.Json;

namespace Clientele.Client;

/// <summary>The JSON type of a <see cref="CustomDataValue"/>.</summary>
public enum CustomDataValueKind
{
    /// <summary>JSON <c>null</c> (the default value).</summary>
    Null,

    /// <summary>A JSON string.</summary>
    Text,

    /// <summary>A JSON number, kept as its exact text (<c>5.10</c> stays <c>5.10</c>).</summary>
    Number,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,
}

/// <summary>
/// One <c>customData</c> value: a JSON string, number, boolean or null (never an object or array). Converts implicitly
/// from <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/> and <see cref="decimal"/>,
/// so <c>CustomData = { ["plan"] = "pro", ["seats"] = 5 }</c> reads naturally. <c>default</c> is JSON null.
/// </summary>
[JsonConverter(typeof(CustomDataValueConverter))]
public readonly struct CustomDataValue : IEquatable<CustomDataValue>
{
    private readonly string? _text;
    private readonly bool _boolean;

    private CustomDataValue(CustomDataValueKind kind, string? text, bool boolean)
    {
        Kind = kind;
        _text = text;
        _boolean = boolean;
    }

    /// <summary>JSON null. In an update it removes the property.</summary>
    public static CustomDataValue Null => default;

    /// <summary>The JSON type of this value.</summary>
    public CustomDataValueKind Kind { get; }

    /// <summary>Whether this is JSON null.</summary>
    public bool IsNull => Kind == CustomDataValueKind.Null;

    /// <summary>A string value, or <see cref="Null"/> for a null reference.</summary>
    public static CustomDataValue FromString(string? value) => value is null ? Null : new(CustomDataValueKind.Text, value, false);

    /// <summary>A boolean value.</summary>
    public static CustomDataValue FromBoolean(bool value) => new(CustomDataValueKind.Boolean, null, value);

    /// <summary>An integer value.</summary>
    public static CustomDataValue FromInt64(long value) => new(CustomDataValueKind.Number, value.ToString(CultureInfo.InvariantCulture), false);

    /// <summary>A decimal value, written with its scale (<c>5.10m</c> is sent as <c>5.10</c>).</summary>
    public static CustomDataValue FromDecimal(decimal value) => new(CustomDataValueKind.Number, value.ToString(CultureInfo.InvariantCulture), false);

    /// <summary>A floating-point value, written in its shortest round-trip form.</summary>
    /// <exception cref="ArgumentOutOfRangeException">NaN or an infinity, which JSON cannot carry.</exception>
    public static CustomDataValue FromDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON numbers are finite.");
        }
        return new(CustomDataValueKind.Number, value.ToString("R", CultureInfo.InvariantCulture), false);
    }

    /// <summary>A number given as JSON number text, kept exactly (e.g. <c>"1e3"</c>, <c>"5.10"</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="json"/> is not a JSON number.</exception>
    public static CustomDataValue FromJsonNumber(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        try
        {
            if (reader.Read() && reader.TokenType == JsonTokenType.Number && !reader.Read())
            {
                return new(CustomDataValueKind.Number, json, false);
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }
        throw new ArgumentException($"'{json}' is not a JSON number.", nameof(json));
    }

    /// <summary>Trusted number text read off the wire.</summary>
    internal static CustomDataValue FromVerifiedNumber(string json) => new(CustomDataValueKind.Number, json, false);

    /// <summary>The string.</summary>
    /// <exception cref="InvalidOperationException">The value is not a string.</exception>
    public string GetString() => Kind == CustomDataValueKind.Text ? _text! : throw WrongKind(CustomDataValueKind.Text);

    /// <summary>The boolean.</summary>
    /// <exception cref="InvalidOperationException">The value is not a boolean.</exception>
    public bool GetBoolean() => Kind == CustomDataValueKind.Boolean ? _boolean : throw WrongKind(CustomDataValueKind.Boolean);

    /// <summary>The number as an integer, when it is a number that fits one exactly.</summary>
    public bool TryGetInt64(out long value)
    {
        value = 0;
        return Kind == CustomDataValueKind.Number && long.TryParse(_text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The number as a decimal, when it is a number within decimal's range.</summary>
    public bool TryGetDecimal(out decimal value)
    {
        value = 0;
        return Kind == CustomDataValueKind.Number && decimal.TryParse(_text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The number as a double (possibly rounded).</summary>
    /// <exception cref="InvalidOperationException">The value is not a number.</exception>
    public double GetDouble() => Kind == CustomDataValueKind.Number
        ? double.Parse(_text!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : throw WrongKind(CustomDataValueKind.Number);

    /// <summary>The number's exact JSON text.</summary>
    /// <exception cref="InvalidOperationException">The value is not a number.</exception>
    public string GetNumberText() => Kind == CustomDataValueKind.Number ? _text! : throw WrongKind(CustomDataValueKind.Number);

    /// <summary>The value as JSON text: <c>"pro"</c>, <c>5.10</c>, <c>true</c>, <c>null</c>.</summary>
    public string ToJson() => Kind switch
    {
        CustomDataValueKind.Text => JsonSerializer.Serialize(_text, ClienteleJsonContext.Wire.String),
        CustomDataValueKind.Number => _text!,
        CustomDataValueKind.Boolean => _boolean ? "true" : "false",
        _ => "null",
    };

    /// <summary>The string itself for a string, the JSON text otherwise.</summary>
    public override string ToString() => Kind == CustomDataValueKind.Text ? _text! : ToJson();

    /// <summary>Same kind and same value; numbers compare by their exact text (<c>5</c> is not <c>5.0</c>).</summary>
    public bool Equals(CustomDataValue other) => Kind == other.Kind && _boolean == other._boolean && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CustomDataValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _boolean, _text);

    /// <summary>Same kind and same value.</summary>
    public static bool operator ==(CustomDataValue left, CustomDataValue right) => left.Equals(right);

    /// <summary>Different kind or value.</summary>
    public static bool operator !=(CustomDataValue left, CustomDataValue right) => !left.Equals(right);

    /// <summary>See <see cref="FromString"/>.</summary>
    public static implicit operator CustomDataValue(string? value) => FromString(value);

    /// <summary>See <see cref="FromBoolean"/>.</summary>
    public static implicit operator CustomDataValue(bool value) => FromBoolean(value);

    /// <summary>See <see cref="FromInt64"/>.</summary>
    public static implicit operator CustomDataValue(long value) => FromInt64(value);

    /// <summary>See <see cref="FromDouble"/>.</summary>
    public static implicit operator CustomDataValue(double value) => FromDouble(value);

    /// <summary>See <see cref="FromDecimal"/>.</summary>
    public static implicit operator CustomDataValue(decimal value) => FromDecimal(value);

    private InvalidOperationException WrongKind(CustomDataValueKind wanted) => new($"The value is {Kind}, not {wanted}.");
}
