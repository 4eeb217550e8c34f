using System.ComponentModel;
using System.Text.Json;

namespace Clientele.OpenApi;

// The request bodies as the API documents them. Handlers read bodies themselves (Content-Type is optional,
// errors carry field paths), so these records exist to describe the wire to OpenAPI, not to bind it.

[Description("Create (POST), replace (PUT) or merge (PATCH) a customer. Every field is optional; unknown fields are ignored.")]
public sealed record CustomerBody(
    string? Name, string? Email, string? UserId, string? Company, string? Phone,
    [property: Description("UNIX seconds: a number or a numeric string; a fraction is dropped")] JsonElement? FirstSeen,
    [property: Description("UNIX seconds: a number or a numeric string; a fraction is dropped")] JsonElement? LastSeen,
    LocationBody? Location,
    [property: Description("Flat alternative to location.city")] string? City,
    [property: Description("Flat alternative to location.regionCode")] string? RegionCode,
    [property: Description("Flat alternative to location.countryCode")] string? CountryCode,
    bool? Unsubscribed, bool? Blocked, string? Source, string? Referer, string? LastPage,
    [property: Description("ISO 639-1, optionally with a region: en, uk, pt-BR, en_US")] string? Locale,
    string? CreatedFrom, string? IntegrationId, string? Notes,
    string? TelegramId, string? FacebookId, string? InstagramId, string? ViberId, string? WhatsappId,
    [property: Description("Replaces the customer's tags; a new name is created with the colour given or #c377e0")] IReadOnlyList<TagBody>? Tags,
    [property: Description("{\"property\": value} or [{\"property\", \"value\"}]; values are strings, numbers, booleans; null removes a property")] JsonElement? CustomData);

public sealed record LocationBody(string? RegionCode, string? CountryCode, string? City);

public sealed record TagBody(string Name, [property: Description("Any CSS colour, used only when the tag is new to the account")] string? Color);

[Description("Tags to add (PUT) or remove (DELETE)")]
public sealed record TagsBody(IReadOnlyList<TagBody> Tags);

[Description("One item of PUT /customers/batch: a PATCH body naming its customer")]
public sealed record BatchItemBody(
    [property: Description("The customer id, a number or a numeric string")] JsonElement Customer,
    string? Name, string? Email, string? UserId, string? Company, string? Phone, JsonElement? FirstSeen, JsonElement? LastSeen,
    LocationBody? Location, bool? Unsubscribed, bool? Blocked, string? Locale, IReadOnlyList<TagBody>? Tags, JsonElement? CustomData);

public sealed record SearchBody(
    IReadOnlyList<FilterBody>? Filter,
    [property: Description("AND (default) or OR, any case")] string? Comparison,
    [property: Description("customers.<field>, e.g. customers.lastSeen")] string? Sort,
    [property: Description("asc (default) or desc")] string? Order,
    int? Offset,
    [property: Description("1 to 100, default 100")] int? Limit);

public sealed record FilterBody(
    [property: Description("customers.<field>, customers.tagsData or customers.customData.<property>")] string Field,
    [property: Description("= != > < >= <= ~ !~, as the field's type allows")] string Operator,
    [property: Description("A string, number, boolean or null; for customers.tagsData an array of {\"name\"}")] JsonElement? Value);

public sealed record EventBody(
    string Name,
    JsonElement? Data,
    [property: Description("The customer id, a number or a numeric string")] JsonElement Customer);
