using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Clientele.Client.Json;

/// <summary>Source-generated serialization for every type on the wire: no reflection, trimming- and AOT-safe.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Customer))]
[JsonSerializable(typeof(CustomerPage))]
[JsonSerializable(typeof(CustomerInput))]
[JsonSerializable(typeof(CustomerUpdate))]
[JsonSerializable(typeof(IReadOnlyList<CustomerBatchUpdate>))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(TagsBody))]
[JsonSerializable(typeof(SearchBody))]
[JsonSerializable(typeof(EventBody))]
[JsonSerializable(typeof(CustomerEvent))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(IReadOnlyList<Tag>))]
[JsonSerializable(typeof(IDictionary<string, CustomDataValue>))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(string))]
internal sealed partial class ClienteleJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context to write with: like <see cref="JsonSerializerContext"/>'s default, but leaving <c>&lt;</c>, <c>&gt;</c>,
    /// <c>+</c> and non-ASCII text unescaped (bodies go to an API, never into HTML), so operators and names read as sent.
    /// </summary>
    // Lazy: the generated Default lives in another part of this class, and static initialisers across parts run in no set order.
    public static ClienteleJsonContext Wire => s_wire ??= new(new JsonSerializerOptions(Default.Options)
    {
        TypeInfoResolver = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static ClienteleJsonContext? s_wire;
}

internal sealed record BatchResponse(IReadOnlyList<Customer> Data);

internal sealed record TagsBody(IReadOnlyList<Tag> Tags);

internal sealed record SearchBody(
    IReadOnlyList<ClauseBody>? Filter,
    string? Comparison,
    string? Sort,
    string? Order,
    int Offset,
    int Limit);

internal sealed record ClauseBody(
    string Field,
    string Operator,
    // "value": null is meaningful ("field is null"), so it is always written.
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] JsonNode? Value);

internal sealed record EventBody(string Name, JsonObject? Data, long Customer);

internal sealed record ErrorEnvelope(IReadOnlyList<ErrorBody>? Errors);

internal sealed record ErrorBody(string? Code, string? Message);
