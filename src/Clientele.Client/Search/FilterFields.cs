using System.Text.Json.Nodes;

namespace Clientele.Client;

/// <summary>A text field. <c>EqualTo</c>/<c>NotEqualTo</c> ignore case; <c>Contains</c>/<c>NotContains</c> are case-insensitive substring tests; the negative tests also match customers whose field is null.</summary>
public sealed class TextField
{
    private readonly string _field;

    internal TextField(string field) => _field = field;

    /// <summary><c>=</c>, ignoring case; null finds customers whose field is null.</summary>
    public FilterClause EqualTo(string? value) => new(_field, "=", value);

    /// <summary><c>!=</c>, ignoring case; also matches null. Null finds customers whose field is set.</summary>
    public FilterClause NotEqualTo(string? value) => new(_field, "!=", value);

    /// <summary><c>~</c>: contains <paramref name="value"/>, ignoring case.</summary>
    public FilterClause Contains(string value) => new(_field, "~", Required(value));

    /// <summary><c>!~</c>: does not contain <paramref name="value"/>, ignoring case; also matches null.</summary>
    public FilterClause NotContains(string value) => new(_field, "!~", Required(value));

    /// <summary>The field is null.</summary>
    public FilterClause IsNull() => EqualTo(null);

    /// <summary>The field is set.</summary>
    public FilterClause IsNotNull() => NotEqualTo(null);

    private static string Required(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }
}

/// <summary>An integer field (<c>customers.id</c>).</summary>
public sealed class IntegerField
{
    private readonly string _field;

    internal IntegerField(string field) => _field = field;

    /// <summary><c>=</c></summary>
    public FilterClause EqualTo(long value) => new(_field, "=", value);

    /// <summary><c>!=</c></summary>
    public FilterClause NotEqualTo(long value) => new(_field, "!=", value);

    /// <summary><c>&gt;</c></summary>
    public FilterClause GreaterThan(long value) => new(_field, ">", value);

    /// <summary><c>&lt;</c></summary>
    public FilterClause LessThan(long value) => new(_field, "<", value);

    /// <summary><c>&gt;=</c></summary>
    public FilterClause GreaterThanOrEqualTo(long value) => new(_field, ">=", value);

    /// <summary><c>&lt;=</c></summary>
    public FilterClause LessThanOrEqualTo(long value) => new(_field, "<=", value);
}

/// <summary>A timestamp field, compared to the second (sent as UNIX seconds).</summary>
public sealed class DateField
{
    private readonly string _field;

    internal DateField(string field) => _field = field;

    /// <summary><c>=</c>: the same second.</summary>
    public FilterClause EqualTo(DateTimeOffset value) => Clause("=", value);

    /// <summary><c>!=</c></summary>
    public FilterClause NotEqualTo(DateTimeOffset value) => Clause("!=", value);

    /// <summary><c>&gt;</c>: strictly later.</summary>
    public FilterClause After(DateTimeOffset value) => Clause(">", value);

    /// <summary><c>&lt;</c>: strictly earlier.</summary>
    public FilterClause Before(DateTimeOffset value) => Clause("<", value);

    /// <summary><c>&gt;=</c></summary>
    public FilterClause OnOrAfter(DateTimeOffset value) => Clause(">=", value);

    /// <summary><c>&lt;=</c></summary>
    public FilterClause OnOrBefore(DateTimeOffset value) => Clause("<=", value);

    /// <summary>The field is null.</summary>
    public FilterClause IsNull() => new(_field, "=", null);

    /// <summary>The field is set.</summary>
    public FilterClause IsNotNull() => new(_field, "!=", null);

    private FilterClause Clause(string op, DateTimeOffset value) => new(_field, op, value.ToUnixTimeSeconds());
}

/// <summary>A boolean field.</summary>
public sealed class BooleanField
{
    private readonly string _field;

    internal BooleanField(string field) => _field = field;

    /// <summary><c>=</c></summary>
    public FilterClause EqualTo(bool value) => new(_field, "=", value);

    /// <summary><c>!=</c></summary>
    public FilterClause NotEqualTo(bool value) => new(_field, "!=", value);
}

/// <summary>A <c>customData</c> property. The JSON type of the value picks the comparison: text ignores case, numbers compare as numbers.</summary>
public sealed class CustomDataField
{
    private readonly string _field;

    internal CustomDataField(string field) => _field = field;

    /// <summary><c>=</c> a string (ignoring case), number, boolean or null.</summary>
    public FilterClause EqualTo(CustomDataValue value) => new(_field, "=", Node(value));

    /// <summary><c>!=</c> a string (ignoring case), number, boolean or null.</summary>
    public FilterClause NotEqualTo(CustomDataValue value) => new(_field, "!=", Node(value));

    /// <summary><c>~</c>: a string value contains <paramref name="value"/>, ignoring case.</summary>
    public FilterClause Contains(string value) => new(_field, "~", value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary><c>!~</c>: the value does not contain <paramref name="value"/>, ignoring case.</summary>
    public FilterClause NotContains(string value) => new(_field, "!~", value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary><c>&gt;</c> a number.</summary>
    public FilterClause GreaterThan(long value) => Number(">", value);

    /// <summary><c>&gt;</c> a number.</summary>
    public FilterClause GreaterThan(double value) => Number(">", value);

    /// <summary><c>&gt;</c> a number.</summary>
    public FilterClause GreaterThan(decimal value) => Number(">", value);

    /// <summary><c>&lt;</c> a number.</summary>
    public FilterClause LessThan(long value) => Number("<", value);

    /// <summary><c>&lt;</c> a number.</summary>
    public FilterClause LessThan(double value) => Number("<", value);

    /// <summary><c>&lt;</c> a number.</summary>
    public FilterClause LessThan(decimal value) => Number("<", value);

    /// <summary><c>&gt;=</c> a number.</summary>
    public FilterClause GreaterThanOrEqualTo(long value) => Number(">=", value);

    /// <summary><c>&gt;=</c> a number.</summary>
    public FilterClause GreaterThanOrEqualTo(double value) => Number(">=", value);

    /// <summary><c>&gt;=</c> a number.</summary>
    public FilterClause GreaterThanOrEqualTo(decimal value) => Number(">=", value);

    /// <summary><c>&lt;=</c> a number.</summary>
    public FilterClause LessThanOrEqualTo(long value) => Number("<=", value);

    /// <summary><c>&lt;=</c> a number.</summary>
    public FilterClause LessThanOrEqualTo(double value) => Number("<=", value);

    /// <summary><c>&lt;=</c> a number.</summary>
    public FilterClause LessThanOrEqualTo(decimal value) => Number("<=", value);

    /// <summary>The property is missing or null.</summary>
    public FilterClause IsNull() => EqualTo(CustomDataValue.Null);

    private FilterClause Number(string op, CustomDataValue value) => new(_field, op, Node(value));

    private static JsonNode? Node(CustomDataValue value) => JsonNode.Parse(value.ToJson());
}
