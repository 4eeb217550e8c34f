using System.Text.Json;
using System.Text.Json.Nodes;
using Clientele.Client.Json;

namespace Clientele.Client;

/// <summary>How the clauses of a search combine (<c>comparison</c> on the wire).</summary>
public enum FilterComparison
{
    /// <summary>Every clause must match.</summary>
    And,

    /// <summary>At least one clause must match.</summary>
    Or,
}

/// <summary>
/// A search filter. Build clauses from the fields here and combine them with <c>|</c> (any matches) or <c>&amp;</c>
/// (all match): <c>Filter.Email.Contains("gmail") | Filter.Tag("VIP")</c>. The API takes one comparison per search,
/// so mixing <c>|</c> and <c>&amp;</c> in one filter does not compile.
/// </summary>
public abstract class Filter
{
    private protected Filter()
    {
    }

    /// <summary>The clauses, in order.</summary>
    public abstract IReadOnlyList<FilterClause> Clauses { get; }

    /// <summary>How the clauses combine.</summary>
    public abstract FilterComparison Comparison { get; }

    /// <summary><c>customers.id</c>.</summary>
    public static IntegerField Id { get; } = new("customers.id");

    /// <summary><c>customers.name</c>.</summary>
    public static TextField Name { get; } = new("customers.name");

    /// <summary><c>customers.email</c>.</summary>
    public static TextField Email { get; } = new("customers.email");

    /// <summary><c>customers.userId</c>.</summary>
    public static TextField UserId { get; } = new("customers.userId");

    /// <summary><c>customers.company</c>.</summary>
    public static TextField Company { get; } = new("customers.company");

    /// <summary><c>customers.phone</c>.</summary>
    public static TextField Phone { get; } = new("customers.phone");

    /// <summary><c>customers.countryCode</c>.</summary>
    public static TextField CountryCode { get; } = new("customers.countryCode");

    /// <summary><c>customers.city</c>.</summary>
    public static TextField City { get; } = new("customers.city");

    /// <summary><c>customers.regionCode</c>.</summary>
    public static TextField RegionCode { get; } = new("customers.regionCode");

    /// <summary><c>customers.locale</c>.</summary>
    public static TextField Locale { get; } = new("customers.locale");

    /// <summary><c>customers.source</c>.</summary>
    public static TextField Source { get; } = new("customers.source");

    /// <summary><c>customers.createdFrom</c>.</summary>
    public static TextField CreatedFrom { get; } = new("customers.createdFrom");

    /// <summary><c>customers.integrationId</c>.</summary>
    public static TextField IntegrationId { get; } = new("customers.integrationId");

    /// <summary><c>customers.telegramId</c>.</summary>
    public static TextField TelegramId { get; } = new("customers.telegramId");

    /// <summary><c>customers.facebookId</c>.</summary>
    public static TextField FacebookId { get; } = new("customers.facebookId");

    /// <summary><c>customers.instagramId</c>.</summary>
    public static TextField InstagramId { get; } = new("customers.instagramId");

    /// <summary><c>customers.viberId</c>.</summary>
    public static TextField ViberId { get; } = new("customers.viberId");

    /// <summary><c>customers.whatsappId</c>.</summary>
    public static TextField WhatsappId { get; } = new("customers.whatsappId");

    /// <summary><c>customers.firstSeen</c>.</summary>
    public static DateField FirstSeen { get; } = new("customers.firstSeen");

    /// <summary><c>customers.lastSeen</c>.</summary>
    public static DateField LastSeen { get; } = new("customers.lastSeen");

    /// <summary><c>customers.unsubscribed</c>.</summary>
    public static BooleanField Unsubscribed { get; } = new("customers.unsubscribed");

    /// <summary><c>customers.blocked</c>.</summary>
    public static BooleanField Blocked { get; } = new("customers.blocked");

    /// <summary>The customer has this tag (case-sensitive). <c>Filter.Tag("A") | Filter.Tag("B")</c> finds customers with either.</summary>
    public static FilterClause Tag(string name) => Tags(name);

    /// <summary>The customer has every one of these tags.</summary>
    /// <exception cref="ArgumentException">No names.</exception>
    public static FilterClause Tags(params IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var value = new JsonArray();
        foreach (var name in names)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(names));
            value.Add((JsonNode)new JsonObject { ["name"] = name });
        }
        if (value.Count == 0)
        {
            throw new ArgumentException("At least one tag name is needed.", nameof(names));
        }
        return new FilterClause("customers.tagsData", "=", value);
    }

    /// <summary>A property of <c>customData</c> (<c>customers.customData.&lt;property&gt;</c>, a Clientele extension).</summary>
    public static CustomDataField CustomData(string property)
    {
        ArgumentException.ThrowIfNullOrEmpty(property);
        return new CustomDataField("customers.customData." + property);
    }

    /// <summary>Matches when any of the clauses does (for a list built at run time).</summary>
    /// <exception cref="ArgumentException">No clauses: "any of nothing" would match nothing, which the API cannot say.</exception>
    public static OrFilter AnyOf(params IEnumerable<FilterClause> clauses)
    {
        var list = Collect(clauses);
        return list.Count == 0 ? throw new ArgumentException("At least one clause is needed.", nameof(clauses)) : new OrFilter(list);
    }

    /// <summary>Matches when every clause does (for a list built at run time); no clauses match every customer.</summary>
    public static AndFilter AllOf(params IEnumerable<FilterClause> clauses) => new(Collect(clauses));

    /// <summary>The <c>filter</c> and <c>comparison</c> members this filter sends, as JSON.</summary>
    public override string ToString() =>
        JsonSerializer.Serialize(new SearchBody(ToWire(), Comparison == FilterComparison.Or ? "OR" : "AND", null, null, 0, 0), ClienteleJsonContext.Wire.SearchBody);

    internal IReadOnlyList<ClauseBody> ToWire() => [.. Clauses.Select(c => new ClauseBody(c.Field, c.Operator, c.ValueNode))];

    private static List<FilterClause> Collect(IEnumerable<FilterClause> clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        var list = clauses.ToList();
        foreach (var clause in list)
        {
            ArgumentNullException.ThrowIfNull(clause, nameof(clauses));
        }
        return list;
    }
}

/// <summary>One condition, e.g. <c>customers.email ~ "gmail"</c>. Combine with <c>|</c> or <c>&amp;</c>.</summary>
public sealed class FilterClause : Filter
{
    internal FilterClause(string field, string op, JsonNode? value)
    {
        Field = field;
        Operator = op;
        ValueNode = value;
    }

    /// <summary>The field on the wire, e.g. <c>customers.email</c>.</summary>
    public string Field { get; }

    /// <summary>The operator on the wire: <c>=</c>, <c>!=</c>, <c>&gt;</c>, <c>&lt;</c>, <c>&gt;=</c>, <c>&lt;=</c>, <c>~</c>, <c>!~</c>.</summary>
    public string Operator { get; }

    /// <summary>A copy of the value on the wire (null for JSON null).</summary>
    public JsonNode? Value => ValueNode?.DeepClone();

    internal JsonNode? ValueNode { get; }

    /// <inheritdoc />
    public override IReadOnlyList<FilterClause> Clauses => [this];

    /// <inheritdoc />
    public override FilterComparison Comparison => FilterComparison.And;

    /// <summary>Either clause matches.</summary>
    public OrFilter Or(FilterClause other) => new([this, Checked(other)]);

    /// <summary>Both clauses match.</summary>
    public AndFilter And(FilterClause other) => new([this, Checked(other)]);

    /// <summary>Either clause matches.</summary>
    public static OrFilter operator |(FilterClause left, FilterClause right) => Checked(left).Or(right);

    /// <summary>Both clauses match.</summary>
    public static AndFilter operator &(FilterClause left, FilterClause right) => Checked(left).And(right);

    internal static T Checked<T>(T value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        return value;
    }
}

/// <summary>Clauses of which at least one must match (<c>"comparison": "OR"</c>). Extend with <c>|</c>.</summary>
public sealed class OrFilter : Filter
{
    private readonly IReadOnlyList<FilterClause> _clauses;

    internal OrFilter(IReadOnlyList<FilterClause> clauses) => _clauses = clauses;

    /// <inheritdoc />
    public override IReadOnlyList<FilterClause> Clauses => _clauses;

    /// <inheritdoc />
    public override FilterComparison Comparison => FilterComparison.Or;

    /// <summary>This, or the clause.</summary>
    public OrFilter Or(FilterClause clause) => new([.. _clauses, FilterClause.Checked(clause)]);

    /// <summary>This, or any clause of the other.</summary>
    public OrFilter Or(OrFilter other) => new([.. _clauses, .. FilterClause.Checked(other)._clauses]);

    /// <summary>Any of the clauses matches.</summary>
    public static OrFilter operator |(OrFilter left, FilterClause right) => FilterClause.Checked(left).Or(right);

    /// <summary>Any of the clauses matches.</summary>
    public static OrFilter operator |(FilterClause left, OrFilter right) => new([FilterClause.Checked(left), .. FilterClause.Checked(right)._clauses]);

    /// <summary>Any of the clauses matches.</summary>
    public static OrFilter operator |(OrFilter left, OrFilter right) => FilterClause.Checked(left).Or(right);
}

/// <summary>Clauses that must all match (<c>"comparison": "AND"</c>). Extend with <c>&amp;</c>.</summary>
public sealed class AndFilter : Filter
{
    private readonly IReadOnlyList<FilterClause> _clauses;

    internal AndFilter(IReadOnlyList<FilterClause> clauses) => _clauses = clauses;

    /// <inheritdoc />
    public override IReadOnlyList<FilterClause> Clauses => _clauses;

    /// <inheritdoc />
    public override FilterComparison Comparison => FilterComparison.And;

    /// <summary>This, and the clause.</summary>
    public AndFilter And(FilterClause clause) => new([.. _clauses, FilterClause.Checked(clause)]);

    /// <summary>This, and every clause of the other.</summary>
    public AndFilter And(AndFilter other) => new([.. _clauses, .. FilterClause.Checked(other)._clauses]);

    /// <summary>All of the clauses match.</summary>
    public static AndFilter operator &(AndFilter left, FilterClause right) => FilterClause.Checked(left).And(right);

    /// <summary>All of the clauses match.</summary>
    public static AndFilter operator &(FilterClause left, AndFilter right) => new([FilterClause.Checked(left), .. FilterClause.Checked(right)._clauses]);

    /// <summary>All of the clauses match.</summary>
    public static AndFilter operator &(AndFilter left, AndFilter right) => FilterClause.Checked(left).And(right);
}
