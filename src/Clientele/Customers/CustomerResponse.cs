using System.Globalization;
using System.Text.Json.Serialization;
using Clientele.Json;
using Clientele.Storage;

namespace Clientele.Customers;

/// <summary>The customer object of spec §3, every key always present, in this order.</summary>
public sealed record CustomerResponse(
    long Id,
    string? Name,
    string? Email,
    string? UserId,
    string? Company,
    string? Phone,
    string? FirstSeen,
    string? LastSeen,
    LocationResponse Location,
    DeviceResponse Device,
    bool Unsubscribed,
    bool Blocked,
    string? Source,
    string? Referer,
    string? LastPage,
    string? Locale,
    string? CreatedFrom,
    string? IntegrationId,
    string? Notes,
    IReadOnlyList<TagResponse> Tags,
    RawJson CustomData)
{
    public static CustomerResponse From(CustomerRecord r) => new(
        r.Id, r.Name, r.Email, r.UserId, r.Company, r.Phone,
        // HelpCrunch sends timestamps as strings of whole seconds.
        r.FirstSeen?.ToString(CultureInfo.InvariantCulture),
        r.LastSeen?.ToString(CultureInfo.InvariantCulture),
        new LocationResponse(r.RegionCode, r.CountryCode, r.City),
        DeviceResponse.Unknown,
        r.Unsubscribed, r.Blocked, r.Source, r.Referer, r.LastPage, r.Locale, r.CreatedFrom, r.IntegrationId, r.Notes,
        [.. r.Tags.Select(t => new TagResponse(t.Name, t.Color ?? CustomerFields.DefaultTagColor))],
        new RawJson(CustomDataJson.Serialize(r.CustomData)));
}

public sealed record LocationResponse(string? RegionCode, string? CountryCode, string? City);

/// <summary>HelpCrunch fills the device from its chat widget; through the API it is never set, so every member is null.</summary>
public sealed record DeviceResponse(string? Id, string? Ip, string? Timezone, string? Platform, string? UserAgent)
{
    public static readonly DeviceResponse Unknown = new(null, null, null, null, null);
}

public sealed record TagResponse(string Name, string Color);

public sealed record CustomerListResponse(IReadOnlyList<CustomerResponse> Data, long Total)
{
    public static CustomerListResponse From(CustomerPage page) => new([.. page.Customers.Select(CustomerResponse.From)], page.Total);
}

public sealed record CustomerBatchResponse(IReadOnlyList<CustomerResponse> Data);

/// <summary>A JSON value written as stored, byte for byte.</summary>
[JsonConverter(typeof(RawJsonConverter))]
public readonly record struct RawJson(string Text);
