using System.Text.Json;
using System.Text.Json.Serialization;
using Clientele.Client.Json;

namespace Clientele.Client;

/// <summary>
/// A partial change (PATCH): only the properties you assign are sent. Assign a value to set a field, assign
/// <c>null</c> to clear it, leave it alone to keep what the customer has. <see cref="CustomData"/> merges per
/// property, and a property set to <see cref="CustomDataValue.Null"/> is removed.
/// </summary>
/// <example>
/// <code>
/// var update = new CustomerUpdate { Company = "Acme", Email = null, CustomData = { ["seats"] = 5, ["trial"] = CustomDataValue.Null } };
/// </code>
/// </example>
[JsonConverter(typeof(CustomerUpdateConverter))]
public sealed class CustomerUpdate
{
    // Wire name → value, for the fields assigned so far; a key mapped to null clears the field.
    private readonly Dictionary<string, object?> _fields = new(StringComparer.Ordinal);

    /// <summary>Full name.</summary>
    public string? Name { get => Get<string>("name"); set => _fields["name"] = value; }

    /// <summary>Email address; must look like <c>local@domain</c>.</summary>
    public string? Email { get => Get<string>("email"); set => _fields["email"] = value; }

    /// <summary>Your own id for the customer, unique within the account.</summary>
    public string? UserId { get => Get<string>("userId"); set => _fields["userId"] = value; }

    /// <summary>Company name.</summary>
    public string? Company { get => Get<string>("company"); set => _fields["company"] = value; }

    /// <summary>Phone number.</summary>
    public string? Phone { get => Get<string>("phone"); set => _fields["phone"] = value; }

    /// <summary>When the customer was first seen; sent as whole UNIX seconds.</summary>
    public DateTimeOffset? FirstSeen { get => Get<DateTimeOffset?>("firstSeen"); set => _fields["firstSeen"] = value; }

    /// <summary>When the customer was last seen; sent as whole UNIX seconds.</summary>
    public DateTimeOffset? LastSeen { get => Get<DateTimeOffset?>("lastSeen"); set => _fields["lastSeen"] = value; }

    /// <summary>The location's city; the other location members are kept.</summary>
    public string? City { get => Get<string>("city"); set => _fields["city"] = value; }

    /// <summary>The location's region code; the other location members are kept.</summary>
    public string? RegionCode { get => Get<string>("regionCode"); set => _fields["regionCode"] = value; }

    /// <summary>The location's country code; the other location members are kept.</summary>
    public string? CountryCode { get => Get<string>("countryCode"); set => _fields["countryCode"] = value; }

    /// <summary>Whether the customer unsubscribed from emails; null resets it to false.</summary>
    public bool? Unsubscribed { get => Get<bool?>("unsubscribed"); set => _fields["unsubscribed"] = value; }

    /// <summary>Whether the customer is blocked; null resets it to false.</summary>
    public bool? Blocked { get => Get<bool?>("blocked"); set => _fields["blocked"] = value; }

    /// <summary>The page the customer came from.</summary>
    public string? Source { get => Get<string>("source"); set => _fields["source"] = value; }

    /// <summary>The referring page.</summary>
    public string? Referer { get => Get<string>("referer"); set => _fields["referer"] = value; }

    /// <summary>The last page the customer visited.</summary>
    public string? LastPage { get => Get<string>("lastPage"); set => _fields["lastPage"] = value; }

    /// <summary>ISO 639-1 language, optionally with a region.</summary>
    public string? Locale { get => Get<string>("locale"); set => _fields["locale"] = value; }

    /// <summary>Where the customer was created from.</summary>
    public string? CreatedFrom { get => Get<string>("createdFrom"); set => _fields["createdFrom"] = value; }

    /// <summary>The integration that created the customer.</summary>
    public string? IntegrationId { get => Get<string>("integrationId"); set => _fields["integrationId"] = value; }

    /// <summary>Free-text notes.</summary>
    public string? Notes { get => Get<string>("notes"); set => _fields["notes"] = value; }

    /// <summary>Telegram id (searchable, not returned).</summary>
    public string? TelegramId { get => Get<string>("telegramId"); set => _fields["telegramId"] = value; }

    /// <summary>Facebook id (searchable, not returned).</summary>
    public string? FacebookId { get => Get<string>("facebookId"); set => _fields["facebookId"] = value; }

    /// <summary>Instagram id (searchable, not returned).</summary>
    public string? InstagramId { get => Get<string>("instagramId"); set => _fields["instagramId"] = value; }

    /// <summary>Viber id (searchable, not returned).</summary>
    public string? ViberId { get => Get<string>("viberId"); set => _fields["viberId"] = value; }

    /// <summary>WhatsApp id (searchable, not returned).</summary>
    public string? WhatsappId { get => Get<string>("whatsappId"); set => _fields["whatsappId"] = value; }

    /// <summary>Replaces the customer's whole tag list with this one, in this order; null or empty removes every tag.</summary>
    public IReadOnlyList<Tag>? Tags { get => Get<IReadOnlyList<Tag>>("tags"); set => _fields["tags"] = value is null ? null : (IReadOnlyList<Tag>)[.. value]; }

    /// <summary>Properties to set (merged into the customer's); a property set to <see cref="CustomDataValue.Null"/> is removed. Sent only when not empty.</summary>
    public IDictionary<string, CustomDataValue> CustomData { get; } = new Dictionary<string, CustomDataValue>(StringComparer.Ordinal);

    /// <summary>Whether the field with this wire name (<c>"email"</c>, <c>"customData"</c>, ...) will be sent.</summary>
    public bool IsSet(string field) => field == "customData" ? CustomData.Count > 0 : _fields.ContainsKey(field);

    /// <summary>Takes a field back out of the update, so the customer's value is kept.</summary>
    /// <param name="field">The wire name: <c>"email"</c>, <c>"firstSeen"</c>, <c>"customData"</c>, ...</param>
    public void Unset(string field)
    {
        if (field == "customData")
        {
            CustomData.Clear();
        }
        _fields.Remove(field);
    }

    private T? Get<T>(string field) => _fields.TryGetValue(field, out var value) && value is not null ? (T)value : default;

    /// <summary>Writes the assigned fields as members of the object the writer is in.</summary>
    internal void WriteMembers(Utf8JsonWriter writer)
    {
        foreach (var (field, value) in _fields)
        {
            writer.WritePropertyName(field);
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case DateTimeOffset time:
                    writer.WriteNumberValue(time.ToUnixTimeSeconds());
                    break;
                case IReadOnlyList<Tag> tags:
                    JsonSerializer.Serialize(writer, tags, ClienteleJsonContext.Wire.IReadOnlyListTag);
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected value for {field}.");
            }
        }
        if (CustomData.Count > 0)
        {
            writer.WritePropertyName("customData");
            JsonSerializer.Serialize(writer, CustomData, ClienteleJsonContext.Wire.IDictionaryStringCustomDataValue);
        }
    }
}

/// <summary>One item of a batch update: a <see cref="CustomerUpdate"/> for the customer with id <paramref name="CustomerId"/>.</summary>
/// <param name="CustomerId">The customer to change.</param>
/// <param name="Update">The change, with PATCH semantics.</param>
[JsonConverter(typeof(CustomerBatchUpdateConverter))]
public sealed record CustomerBatchUpdate(long CustomerId, CustomerUpdate Update);
