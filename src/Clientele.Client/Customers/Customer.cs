using System.Text.Json.Serialization;
using Clientele.Client.Json;

namespace Clientele.Client;

/// <summary>A customer as the API returns it (get, create, update, tag, list and search).</summary>
public sealed record Customer
{
    /// <summary>The server-assigned id, unique across the deployment and never reused.</summary>
    public long Id { get; init; }

    /// <summary>Full name.</summary>
    public string? Name { get; init; }

    /// <summary>Email address.</summary>
    public string? Email { get; init; }

    /// <summary>Your own id for the customer, unique within the account.</summary>
    public string? UserId { get; init; }

    /// <summary>Company name.</summary>
    public string? Company { get; init; }

    /// <summary>Phone number.</summary>
    public string? Phone { get; init; }

    /// <summary>When the customer was first seen, to the second. The wire carries UNIX seconds, as a string or a number.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? FirstSeen { get; init; }

    /// <summary>When the customer was last seen, to the second.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? LastSeen { get; init; }

    /// <summary>Where the customer is; never null, its members may be.</summary>
    public CustomerLocation Location { get; init; } = new();

    /// <summary>The device HelpCrunch's chat widget saw; never set through the API.</summary>
    public CustomerDevice Device { get; init; } = new();

    /// <summary>Whether the customer unsubscribed from emails.</summary>
    public bool Unsubscribed { get; init; }

    /// <summary>Whether the customer is blocked.</summary>
    public bool Blocked { get; init; }

    /// <summary>The page the customer came from.</summary>
    public string? Source { get; init; }

    /// <summary>The referring page.</summary>
    public string? Referer { get; init; }

    /// <summary>The last page the customer visited.</summary>
    public string? LastPage { get; init; }

    /// <summary>ISO 639-1 language, optionally with a region (<c>en</c>, <c>pt-BR</c>).</summary>
    public string? Locale { get; init; }

    /// <summary>Where the customer was created from (<c>api</c>, ...).</summary>
    public string? CreatedFrom { get; init; }

    /// <summary>The integration that created the customer.</summary>
    public string? IntegrationId { get; init; }

    /// <summary>Free-text notes.</summary>
    public string? Notes { get; init; }

    /// <summary>The customer's tags, in the order they were added, each with the account's colour for it.</summary>
    public IReadOnlyList<Tag> Tags { get; init; } = [];

    /// <summary>Your own properties: each value a JSON string, number (kept exactly as sent), boolean or null.</summary>
    public IReadOnlyDictionary<string, CustomDataValue> CustomData { get; init; } = new Dictionary<string, CustomDataValue>();
}

/// <summary>Where a customer is.</summary>
/// <param name="RegionCode">Region, e.g. <c>CA</c>.</param>
/// <param name="CountryCode">Country, e.g. <c>US</c>.</param>
/// <param name="City">City name.</param>
public sealed record CustomerLocation(string? RegionCode = null, string? CountryCode = null, string? City = null);

/// <summary>The device HelpCrunch's chat widget saw. The API never sets it, so every member is usually null.</summary>
/// <param name="Id">Device id.</param>
/// <param name="Ip">IP address.</param>
/// <param name="Timezone">Time zone.</param>
/// <param name="Platform">Platform.</param>
/// <param name="UserAgent">Browser user agent.</param>
public sealed record CustomerDevice(string? Id = null, string? Ip = null, string? Timezone = null, string? Platform = null, string? UserAgent = null);

/// <summary>A tag. Names are case-sensitive; a name new to the account is created with <paramref name="Color"/> (or <c>#c377e0</c>) and keeps that colour.</summary>
/// <param name="Name">The tag name (1–100 characters).</param>
/// <param name="Color">A CSS colour; optional when sending, always set on tags the server returns.</param>
public sealed record Tag(string Name, string? Color = null);

/// <summary>One page of a list or search.</summary>
public sealed record CustomerPage
{
    /// <summary>The customers on this page, in order.</summary>
    [JsonPropertyName("data")]
    public IReadOnlyList<Customer> Customers { get; init; } = [];

    /// <summary>How many customers match in all, across every page.</summary>
    public long Total { get; init; }
}
