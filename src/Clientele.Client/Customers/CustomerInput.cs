using System.Text.Json.Serialization;
using Clientele.Client.Json;

namespace Clientele.Client;

/// <summary>
/// Every writable field of a customer, for <see cref="ClienteleClient.CreateCustomerAsync"/> and
/// <see cref="ClienteleClient.ReplaceCustomerAsync"/>. On a replace, whatever is left unset becomes null, false,
/// no tags and no custom data. To change only some fields, use <see cref="CustomerUpdate"/>.
/// </summary>
public sealed class CustomerInput
{
    /// <summary>Full name (≤ 255 characters).</summary>
    public string? Name { get; set; }

    /// <summary>Email address; must look like <c>local@domain</c>.</summary>
    public string? Email { get; set; }

    /// <summary>Your own id for the customer, unique within the account.</summary>
    public string? UserId { get; set; }

    /// <summary>Company name.</summary>
    public string? Company { get; set; }

    /// <summary>Phone number.</summary>
    public string? Phone { get; set; }

    /// <summary>When the customer was first seen; sent as whole UNIX seconds.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? FirstSeen { get; set; }

    /// <summary>When the customer was last seen; sent as whole UNIX seconds.</summary>
    [JsonConverter(typeof(NullableUnixSecondsConverter))]
    public DateTimeOffset? LastSeen { get; set; }

    /// <summary>Where the customer is.</summary>
    public CustomerLocation? Location { get; set; }

    /// <summary>Whether the customer unsubscribed from emails.</summary>
    public bool Unsubscribed { get; set; }

    /// <summary>Whether the customer is blocked.</summary>
    public bool Blocked { get; set; }

    /// <summary>The page the customer came from (≤ 2048 characters).</summary>
    public string? Source { get; set; }

    /// <summary>The referring page (≤ 2048 characters).</summary>
    public string? Referer { get; set; }

    /// <summary>The last page the customer visited (≤ 2048 characters).</summary>
    public string? LastPage { get; set; }

    /// <summary>ISO 639-1 language, optionally with a region (<c>en</c>, <c>pt-BR</c>, <c>en_US</c>).</summary>
    public string? Locale { get; set; }

    /// <summary>Where the customer was created from.</summary>
    public string? CreatedFrom { get; set; }

    /// <summary>The integration that created the customer.</summary>
    public string? IntegrationId { get; set; }

    /// <summary>Free-text notes (≤ 65535 characters).</summary>
    public string? Notes { get; set; }

    /// <summary>Telegram id; not returned by the API, only searchable.</summary>
    public string? TelegramId { get; set; }

    /// <summary>Facebook id; not returned by the API, only searchable.</summary>
    public string? FacebookId { get; set; }

    /// <summary>Instagram id; not returned by the API, only searchable.</summary>
    public string? InstagramId { get; set; }

    /// <summary>Viber id; not returned by the API, only searchable.</summary>
    public string? ViberId { get; set; }

    /// <summary>WhatsApp id; not returned by the API, only searchable.</summary>
    public string? WhatsappId { get; set; }

    /// <summary>The customer's tags, in order (at most 100).</summary>
    public IReadOnlyList<Tag>? Tags { get; set; }

    /// <summary>Your own properties (at most 200): <c>CustomData = { ["plan"] = "pro", ["seats"] = 5 }</c>.</summary>
    public IDictionary<string, CustomDataValue> CustomData { get; } = new Dictionary<string, CustomDataValue>(StringComparer.Ordinal);
}
